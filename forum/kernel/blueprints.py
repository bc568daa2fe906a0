"""Mount every installed plugin's blueprints; a disabled plugin's routes answer 404."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, request

from forum.kernel.hooks import is_enabled
from forum.kernel.registries import per_plugin


def mount_all(app: Flask) -> None:
    pm = app.extensions["forum.plugins"]
    with app.app_context():
        found = list(per_plugin(pm, "register_blueprints", app=app))
    owners: dict[str, str] = {}
    for plugin_name, is_core, bp in found:
        if not isinstance(bp, Blueprint):
            raise TypeError(f"{plugin_name}.register_blueprints returned {bp!r}, not a Blueprint")
        options = {}
        if not is_core:
            if bp.url_prefix is None:
                options["url_prefix"] = f"/p/{plugin_name}"
            owners[bp.name] = plugin_name
        app.register_blueprint(bp, **options)
    app.extensions["forum.blueprint_owners"] = owners

    @app.before_request
    def _plugin_gate():
        if not request.blueprint:
            return None
        owner = owners.get(request.blueprint.split(".", 1)[0])
        if owner is not None:
            if not is_enabled(owner):
                abort(404)
        return None
