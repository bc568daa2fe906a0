"""Which language a request is served in: one pure rule shared by the app and the page cache.

The page cache answers before the app runs, so it must pick the same language the app would
for an anonymous reader (cookie, else ``Accept-Language``, else the site default) and file the
page under it; a member's own setting only matters to the app (members are never cached).
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo, available_timezones

from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

#: The languages the forum is translated into (the first is the source language of the code).
LOCALES: tuple[str, ...] = ("en", "fi", "fr")
LOCALE_NAMES = {"en": "English", "fi": "Suomi", "fr": "Français"}
COOKIE = "locale"
QUERY = "lang"  # ``?lang=fi``: the hreflang alternates' addresses


def supported(value: str | None) -> str | None:
    """``value`` when it names a supported language, else None."""
    value = (value or "").strip().lower()
    return value if value in LOCALES else None


def negotiate(
    in_url: str | None,
    chosen: str | None,
    cookie: str | None,
    accept_language: str | None,
    default: str,
) -> str:
    """The language the address asks for (``?lang=``), else the member's own choice, else the
    guest's cookie, else the best ``Accept-Language`` match, else ``default``
    (``FORUM_DEFAULT_LOCALE``)."""
    picked = supported(in_url) or supported(chosen) or supported(cookie)
    if picked:
        return picked
    return _best_accepted(accept_language or "") or supported(default) or LOCALES[0]


@lru_cache(maxsize=512)
def _best_accepted(accept_language: str) -> str | None:
    """(Browsers send a few distinct headers: the page cache parses each once per process.)"""
    return parse_accept_header(accept_language, LanguageAccept).best_match(LOCALES)


def query_value(query_string: str) -> str | None:
    """``?lang=`` in a raw query string."""
    if QUERY not in (query_string or "") and "%" not in (query_string or ""):
        return None  # (the common case, without parsing)
    values = parse_qs(query_string).get(QUERY)
    return supported(values[0]) if values else None


def cookie_value(cookie_header: str) -> str | None:
    """The ``locale`` cookie in a raw ``Cookie`` header (the page cache has no request object)."""
    for item in (cookie_header or "").split(";"):
        name, _, value = item.strip().partition("=")
        if name == COOKIE:
            return supported(value)
    return None


def valid_timezone(name: str | None) -> str | None:
    """``name`` when it is an IANA zone this machine knows (``Europe/Helsinki``), else None."""
    name = (name or "").strip()
    if not name or name not in _known_zones():
        return None
    return name


@lru_cache(maxsize=1)
def _known_zones() -> frozenset[str]:
    return frozenset(available_timezones())  # (reads the zone files once per process)


def local_to_utc(value: datetime, zone: str | None) -> datetime:
    """A wall-clock time typed in ``zone`` (naive, as ``datetime-local`` sends it), in UTC.

    ``Europe/Helsinki`` 09:00 on a winter day is 07:00 UTC; None or an unknown zone reads UTC."""
    if value.tzinfo is not None:
        return value.astimezone(UTC)
    local = value.replace(tzinfo=ZoneInfo(valid_timezone(zone) or "UTC"))
    return local.astimezone(UTC)


def utc_to_local(value: datetime, zone: str | None) -> datetime:
    """A stored UTC time as the wall clock of ``zone`` (naive, for a ``datetime-local`` field)."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware.astimezone(ZoneInfo(valid_timezone(zone) or "UTC")).replace(tzinfo=None)


def timezone_names() -> list[str]:
    """Every known zone, sorted (the profile form's suggestions)."""
    return sorted(_known_zones())


def N_(message: str) -> str:  # noqa: N802  (gettext's own name for it)
    """Mark ``message`` for the catalogs without translating it here: a label registered once
    at start-up (a content type's) is translated where it is shown, ``{{ _(label) }}``."""
    return message
