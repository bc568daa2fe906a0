"""Every time a page shows, in the reader's language and time zone, with the zone named.

Stored values are UTC; Flask-Babel's time-zone selector (``selection.select_timezone``) gives the
reader's zone (the member's setting; UTC for guests, so cached pages name UTC)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import format_date, format_time, format_timedelta, get_timezone, gettext

#: What ``|datetime(kind)`` shows: the date, or the date and time.
KINDS = ("datetime", "date")


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)


def zone_name() -> str:
    """The reader's zone as an IANA name (``America/Toronto``), as the pages name it."""
    return str(get_timezone() or "UTC")


def for_reader(dt: datetime | None, kind: str = "datetime") -> str:
    """``15 January 2027, 02:00 (America/Toronto)``: Babel's long date and short time for the
    page's locale, in the reader's zone. ``kind="date"`` gives the date alone (no zone: a day).

    A strftime pattern (the old ``|date("%-d %B %Y, %H:%M UTC")``) is accepted as ``kind``: one
    with an hour shows the time, anything else the date, so templates written either way agree."""
    if dt is None:
        return ""
    if not isinstance(dt, datetime):  # a day (``date``): no time, no zone
        return format_date(dt, "long")
    dt = _aware(dt)
    if kind != "datetime" and not (kind.startswith("%") and "%H" in kind):
        return format_date(dt, "long")
    return f"{format_date(dt, 'long')}, {format_time(dt, 'short')} ({zone_name()})"


def relative(dt: datetime | None) -> str:
    """``3 hours ago`` / ``il y a 3 heures`` (the browser script keeps it fresh)."""
    if dt is None:
        return ""
    delta = _aware(dt) - datetime.now(UTC)
    if abs(delta.total_seconds()) < 60:
        return gettext("just now")
    return format_timedelta(delta, add_direction=True, threshold=1)
