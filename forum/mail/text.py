"""Header-safe text and absolute links for e-mail, built from the configuration, never a request."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app
from flask_babel import force_locale

from forum.kernel.locales import supported

DEFAULT_SERVER = "127.0.0.1:5000"


def single_line(text: str | None, limit: int) -> str:
    """``text`` as one line of at most ``limit`` characters: controls and breaks become spaces."""
    chars = (" " if unicodedata.category(c).startswith(("C", "Z")) else c for c in text or "")
    line = " ".join("".join(chars).split())
    return line if len(line) <= limit else line[: max(0, limit - 1)].rstrip() + "…"


@contextmanager
def written_in(locale: str | None) -> Iterator[None]:
    """Compose a message for its reader in ``locale`` (their saved language), else the site's
    default: never in the language of whoever caused it."""
    default = current_app.config.get("FORUM_DEFAULT_LOCALE") or "en"
    with force_locale(supported(locale) or default):
        yield


def base_url() -> str:
    """``scheme://host`` of the forum from its configuration (``SERVER_NAME``, which
    ``FORUM_SERVER_NAME`` sets, else the development server), for links that leave the site."""
    config = current_app.config
    server = config.get("SERVER_NAME") or DEFAULT_SERVER
    return f"{config.get('PREFERRED_URL_SCHEME') or 'http'}://{server}"


def absolute_url(url: str) -> str:
    """A site path (``/c/trust``) made absolute on the configured server; full URLs unchanged."""
    if url.startswith(("http://", "https://")):
        return url
    return base_url() + "/" + url.lstrip("/")
