"""Recording installed plugin versions at start-up (plugin administration, above the kernel)."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from forum.extensions import db
from forum.kernel.events import emit
from forum.kernel.models import PluginState


def sync_installed() -> None:
    """Record each installed plugin's version; fire ``plugin_installed``/``plugin_upgraded``.

    Runs when an app starts. Missing tables (before ``flask db upgrade``) are not an error.
    """
    pm = current_app.extensions["forum.plugins"]
    extras = pm.extra_plugins()
    if not extras:
        return
    try:
        rows = {s.name: s for s in db.session.execute(select(PluginState)).scalars()}
    except Exception:
        db.session.rollback()
        return
    changed = False
    for info in extras:
        state = rows.get(info.name)
        if state is None or state.installed_version is None:
            if state is None:
                db.session.add(
                    PluginState(
                        name=info.name, enabled=True, settings={}, installed_version=info.version
                    )
                )
            else:
                state.installed_version = info.version
            emit("plugin_installed", name=info.name, version=info.version)
            changed = True
        elif state.installed_version != info.version:
            emit(
                "plugin_upgraded",
                name=info.name,
                from_version=state.installed_version,
                to_version=info.version,
            )
            state.installed_version = info.version
            changed = True
    if not changed:
        return
    try:
        db.session.commit()
    except Exception:  # another worker recorded it first
        db.session.rollback()
