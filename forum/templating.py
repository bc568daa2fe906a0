"""Jinja globals and filters shared by every template."""

from __future__ import annotations

from datetime import datetime

from flask import Flask, request
from flask_babel import format_number, gettext
from flask_login import current_user
from jinja2 import pass_context

from forum.i18n import times
from forum.kernel.hooks import hook
from forum.kernel.locales import N_
from forum.kernel.slots import render_slot, slot_items
from forum.pagecache import layer
from forum.routing import page_numbers
from forum.visibility.permissions import can


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
        reader_zone=times.zone_name,
        script_words=script_words,
    )
    # One helper formats every time for the reader: ``|datetime`` (date, time, zone) and
    # ``|datetime("date")``; ``|date`` is the same helper, kept for templates written with it.
    app.jinja_env.filters.update(
        relative=times.relative,
        datetime=times.for_reader,
        date=times.for_reader,
        iso=_iso,
        web_url=_web_url,
        number=format_number,  # (Babel: 1,234 / 1 234 / 1 234 by the page's language)
        status=_per_render(status_label),
        role=_per_render(role_label),
    )
    layer.install(app)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def _page_context():
        return {"request_path": request.path}


#: A stored status or stage as people read it (the stored value stays the code's English word)
STATUS_LABELS = {
    "planned": N_("planned"),
    "draft": N_("draft"),
    "saved": N_("saved"),
    "submitted": N_("submitted"),
    "pending": N_("pending"),
    "approved": N_("approved"),
    "rejected": N_("rejected"),
    "scheduled": N_("scheduled"),
    "live": N_("live"),
    "hidden": N_("hidden"),
    "removed": N_("removed"),
    "invited": N_("invited"),
    "kept": N_("kept"),
    "refused": N_("refused"),
    "proposed": N_("proposed"),
    "active": N_("active"),
    "ended": N_("ended"),
    "declined": N_("declined"),
    "deleted": N_("deleted"),
}


#: A role as people read it
ROLE_LABELS = {
    "member": N_("member"),
    "expert": N_("expert"),
    "supervisor": N_("mentoring supervisor"),
    "moderator": N_("moderator"),
    "admin": N_("administrator"),
}


def _translated(labels: dict[str, str], value: object) -> str:
    """``value``'s label in the page's language (a value without one, as stored)."""
    label = labels.get(str(value))
    return gettext(label) if label else str(value)


def _per_render(label):
    """A filter Jinja never folds into the compiled template: ``{{ "live"|status }}`` would
    otherwise be translated once, at compile time, in whatever language that page had."""
    return pass_context(lambda _context, value: label(value))


def status_label(status: object) -> str:
    """``{{ part.stage|status }}``"""
    return _translated(STATUS_LABELS, status)


def role_label(role: object) -> str:
    """``{{ invitation.role|role }}``"""
    return _translated(ROLE_LABELS, role)


#: The words forum.js writes into pages (it reads them, translated, from ``#forum-strings``)
SCRIPT_WORDS = (
    N_("Live preview"),
    N_("Your formatted text appears here as you type."),
    N_("Restored your unsent draft. "),
    N_("Discard it"),
    N_("Draft discarded."),
    N_("The preview could not be made."),
    N_("The preview is unavailable right now; your text is safe."),
)


def script_words() -> dict[str, str]:
    """The script's words in the page's language, for base.html's JSON block."""
    return {word: gettext(word) for word in SCRIPT_WORDS}
