"""Plugin administration, shared by ``/admin/plugins`` and ``flask forum plugins ...``.

Every change is one transaction with one audit entry; lifecycle hooks fire after the commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from flask_babel import gettext
from flask_migrate import downgrade
from sqlalchemy import delete

from forum.audit.log import record
from forum.extensions import db
from forum.kernel import state
from forum.kernel.events import emit
from forum.kernel.manager import PluginInfo
from forum.kernel.migrations import locations_of
from forum.kernel.models import PluginState, SiteSetting
from forum.kernel.registries import owner
from forum.kernel.settings import get_setting, set_setting
from forum.kernel.types import Setting, ValidationError


class UnknownPlugin(LookupError):
    """No installed plugin has that name."""


@dataclass
class PluginRow:
    """One line of the plugin list."""

    info: PluginInfo
    enabled: bool
    pinned: bool
    #: The stored switch is off (shown for broken plugins, which are off whatever it says).
    switched_off: bool = False
    settings: list[tuple[Setting, Any]] = field(default_factory=list)

    @property
    def broken(self) -> bool:
        return bool(self.info.error)


def _commit() -> None:
    """Commit, then end the transaction that after-commit hooks may have begun by reading
    (on SQLite it would hold the write lock for the rest of a CLI command or test)."""
    db.session.commit()
    db.session.commit()


def _pm():
    return current_app.extensions["forum.plugins"]


def pinned() -> bool:
    """True when ``FORUM_PLUGINS`` fixes the enabled set at deploy time."""
    return state._pinned(current_app) is not None and not current_app.config.get(
        "FORUM_PLUGINS_ALLOW_DB"
    )


def find(name: str) -> PluginInfo:
    pm = _pm()
    info = pm.infos.get(name)
    if info is not None and not info.is_core:
        return info
    if name in pm.broken:
        return pm.broken[name]
    raise UnknownPlugin(name)


def settings_of(name: str) -> list[Setting]:
    """The settings a plugin declared through ``register_settings``."""
    declared = current_app.extensions.get("forum.settings", {})
    return [
        s for key, s in declared.items() if owner(current_app, "register_settings", key) == name
    ]


def _stored_off() -> set[str]:
    return {s.name for s in db.session.query(PluginState).filter_by(enabled=False)}


def plugin_rows() -> list[PluginRow]:
    """Installed plugins (loaded and broken), by name, with their state and settings."""
    pm = _pm()
    off = state.disabled_names()
    stored_off = _stored_off()
    rows = []
    for info in sorted([*pm.extra_plugins(), *pm.broken.values()], key=lambda i: i.name):
        row = PluginRow(
            info,
            enabled=not info.error and info.name not in off,
            pinned=pinned(),
            switched_off=info.name in stored_off,
        )
        row.settings = [(s, get_setting(s.key)) for s in settings_of(info.name)]
        rows.append(row)
    return rows


def set_plugin_enabled(name: str, enabled: bool, actor=None) -> bool:
    """Switch a plugin on or off for every worker; returns False when nothing changed."""
    info = find(name)
    if pinned():
        raise ValidationError(
            gettext("The enabled plugins are pinned by FORUM_PLUGINS for this deployment.")
        )
    if enabled and info.error:
        raise ValidationError(
            gettext(
                "%(name)s failed to load (%(error)s); fix or remove it first.",
                name=name,
                error=info.error,
            )
        )
    row = db.session.get(PluginState, name)
    if row is not None and row.enabled == enabled:
        return False
    state.set_enabled(name, enabled)

    record(
        "plugin.enable" if enabled else "plugin.disable",
        actor,
        "plugin",
        None,
        reason=name,
        before={"plugin": name, "enabled": not enabled},
        after={"plugin": name, "enabled": enabled},
    )
    if not info.error:
        emit("plugin_enabled" if enabled else "plugin_disabled", name=name)
    _commit()
    return True


def update_settings(name: str, values: dict[str, Any], actor=None) -> dict[str, Any]:
    """Validate every value against its declared type first, then store them all."""
    declared = {s.key: s for s in settings_of(find(name).name)}
    unknown = set(values) - set(declared)
    if unknown:
        raise ValidationError(
            gettext("%(name)s has no setting %(key)r.", name=name, key=sorted(unknown)[0]),
            field=sorted(unknown)[0],
        )
    coerced = {}
    for key, raw in values.items():
        try:
            coerced[key] = declared[key].coerce(raw)
        except (TypeError, ValueError):
            raise ValidationError(
                gettext("%(key)s must be a %(type)s.", key=key, type=declared[key].type.__name__),
                field=key,
            ) from None
    before = {key: get_setting(key) for key in coerced}
    for key, value in coerced.items():
        set_setting(key, value)

    record("plugin.settings", actor, "plugin", None, reason=name, before=before, after=coerced)
    _commit()
    return coerced


def uninstall(name: str, actor=None) -> list[str]:
    """Drop a plugin's tables (its Alembic branch down to base), settings and state.

    The package itself stays installed until ``pip uninstall``; it is left switched off so a
    later ``flask db upgrade heads`` does not bring it back on by surprise.
    """

    info = find(name)
    if info.error:
        raise ValidationError(
            gettext("%(name)s failed to load; its migrations cannot be found.", name=name)
        )
    labels = [loc.label for loc in locations_of(name)]
    for label in labels:
        downgrade(revision=f"{label}@base")
    keys = [s.key for s in settings_of(name)]
    if keys:
        db.session.execute(delete(SiteSetting).where(SiteSetting.key.in_(keys)))
    state.set_enabled(name, False)
    row = db.session.get(PluginState, name)
    row.installed_version = None

    record(
        "plugin.uninstall",
        actor,
        "plugin",
        None,
        reason=name,
        before={"plugin": name, "branches": labels},
        after={"plugin": name, "tables": "dropped"},
    )
    emit("plugin_disabled", name=name)
    _commit()
    return labels
