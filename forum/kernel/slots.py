"""Template slots: ``slot("part.after_body", part=part)`` in Jinja calls ``slot_part_after_body``.

An unknown slot name raises in debug and test (no silent typos). A slot implementation that
raises is logged with its plugin's name and left out; the page still renders. Plain strings are
escaped; only ``Markup`` passes as HTML.
"""

from __future__ import annotations

import logging

from flask import current_app, request
from flask_login import current_user
from markupsafe import Markup, escape

from forum import hookspecs
from forum.kernel.hooks import disabled_names, plugin_manager
from forum.kernel.types import NavItem

log = logging.getLogger("forum.plugins")


class UnknownSlot(LookupError):
    """A template named a slot that no hookspec declares."""


def hook_name(slot: str) -> str:
    return "slot_" + slot.replace(".", "_")


def slot_names() -> list[str]:
    """Every slot the hookspecs declare, dotted (``part.after_body``)."""

    names = [n for n in dir(hookspecs) if n.startswith("slot_")]
    return sorted(n[len("slot_") :].replace("_", ".", 1) for n in names)


def _results(slot: str, kwargs: dict) -> list:
    pm = plugin_manager()
    caller = getattr(pm.hook, hook_name(slot), None)
    if caller is None or caller.spec is None:
        if current_app.debug or current_app.testing:
            raise UnknownSlot(slot)
        log.error("template asked for unknown slot %r", slot)
        return []
    kwargs.setdefault("request", request)
    if "actor" not in kwargs:  # the user itself, not the proxy (20 comments ask it 20 times)
        kwargs["actor"] = current_user._get_current_object()
    off = disabled_names()
    out = []
    for impl in reversed(caller.get_hookimpls()):  # pluggy order: tryfirst first
        if impl.plugin_name in off or impl.wrapper or impl.hookwrapper:
            continue
        args = {name: kwargs.get(name) for name in impl.argnames}
        try:
            result = impl.function(**args)
        except Exception:
            log.exception("slot %s of plugin %s raised; left out", slot, impl.plugin_name)
            continue
        if result is not None:
            out.append(result)
    return out


def render_slot(slot: str, **kwargs) -> Markup:
    """HTML of every enabled implementation, in order; strings are escaped."""
    parts = []
    for result in _results(slot, kwargs):
        items = result if isinstance(result, (list, tuple)) else [result]
        for item in items:
            if isinstance(item, NavItem):
                continue
            parts.append(item if isinstance(item, Markup) else escape(item))
    return Markup("").join(parts)


def slot_items(slot: str, **kwargs) -> list[NavItem]:
    """NavItems of a menu-like slot, sorted by ``order``."""
    items = []
    for result in _results(slot, kwargs):
        for item in result if isinstance(result, (list, tuple)) else [result]:
            if isinstance(item, NavItem):
                items.append(item)
    return sorted(items, key=lambda i: (i.order, i.label))
