"""Jinja globals and filters shared by every template."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask, request
from flask_login import current_user

from forum.kernel.hooks import hook
from forum.kernel.slots import render_slot, slot_items
from forum.pagecache import layer
from forum.routing import page_numbers
from forum.visibility.permissions import can


def _relative(dt: datetime | None) -> str:
    if dt is None:
        return ""
    now = datetime.now(UTC)
    seconds = int((now - dt).total_seconds())
    future = seconds < 0
    seconds = abs(seconds)
    for size, unit in (
        (86400 * 365, "year"),
        (86400 * 30, "month"),
        (86400 * 7, "week"),
        (86400, "day"),
        (3600, "hour"),
        (60, "minute"),
    ):
        if seconds >= size:
            n = seconds // size
            text = f"{n} {unit}{'s' if n != 1 else ''}"
            return f"in {text}" if future else f"{text} ago"
    return "just now"


def _date(dt: datetime | None, fmt: str = "%-d %B %Y") -> str:
    return dt.strftime(fmt) if dt else ""


def goes_live_at(dt: datetime | None) -> str:
    """Date and time for readers, labelled UTC: the one place to swap for a reader's time zone."""
    return dt.astimezone(UTC).strftime("%-d %B %Y, %H:%M UTC") if dt else ""


def _iso(dt: datetime | None) -> str:
    return dt.isoformat(timespec="seconds") if dt else ""


def _web_url(url: str | None) -> str:
    """The URL if it is an http(s) address, else "" (a stored ``javascript:`` link never renders)."""
    url = (url or "").strip()
    return url if url.lower().startswith(("https://", "http://")) else ""


def init_templating(app: Flask) -> None:
    def asset_urls(kind: str, page: str = "") -> list[str]:
        name = "extra_css_urls" if kind == "css" else "extra_js_urls"
        urls = []
        for result in getattr(hook, name)(page=page, actor=current_user):
            urls.extend(result or [])
        return urls

    app.jinja_env.globals.update(
        slot=render_slot,
        slot_items=slot_items,
        can=can,
        asset_urls=asset_urls,
        page_numbers=page_numbers,
    )
    layer.install(app)
    app.jinja_env.filters.update(
        relative=_relative, date=_date, datetime=goes_live_at, iso=_iso, web_url=_web_url
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def _page_context():
        return {"request_path": request.path}
