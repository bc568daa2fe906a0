"""The admin index (``/admin``) and the plugin admin page (``/admin/plugins``)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import login_required
from wtforms import BooleanField, FloatField, IntegerField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from forum.content.forms import TextCheckedForm
from forum.kernel.settings import get_setting
from forum.kernel.slots import slot_items
from forum.kernel.types import Setting, ValidationError
from forum.plugin_admin import service
from forum.visibility import current_actor
from forum.visibility.permissions import can, require

bp = Blueprint("admin", __name__, url_prefix="/admin")


class ActionForm(TextCheckedForm):
    """A button-only form: it carries the CSRF token."""


def field_name(key: str) -> str:
    return key.replace(".", "-")


def _field_for(setting: Setting):
    """The setting's field, its label and help in the admin's language (``N_``-marked by the
    plugin, translated by its catalog)."""
    label = gettext(setting.label) if setting.label else setting.key
    help_text = gettext(setting.help) if setting.help else ""
    if setting.type is bool:
        return BooleanField(label, description=help_text)
    bounds = NumberRange(min=setting.minimum, max=setting.maximum)
    if setting.type is int:
        return IntegerField(label, validators=[InputRequired(), bounds], description=help_text)
    if setting.type is float:
        return FloatField(label, validators=[InputRequired(), bounds], description=help_text)
    return StringField(label, validators=[Optional(), Length(max=2000)], description=help_text)


def settings_form(name: str, settings, formdata=None):
    """A typed, validated form for one plugin's ``register_settings`` (fields prefixed by name)."""
    attrs = {field_name(s.key): _field_for(s) for s in settings}
    form_class = type(f"{name}SettingsForm", (TextCheckedForm,), attrs)
    current = {field_name(s.key): value for s, value in service_values(name)}
    kwargs = {"prefix": name, "data": current}
    if formdata is None:
        kwargs["formdata"] = None
    return form_class(**kwargs)


def service_values(name: str):
    return [(s, get_setting(s.key)) for s in service.settings_of(name)]


def _find_or_404(name: str):
    try:
        return service.find(name)
    except service.UnknownPlugin:
        abort(404)


def may_see_admin(actor) -> bool:
    """Admins, and staff with at least one admin page (a moderator's invitations, calendar...)."""
    if can("admin.access", actor=actor):
        return True
    return can("admin.index", actor=actor) and bool(slot_items("admin.menu", actor=actor))


@bp.get("/")
@login_required
def index():
    if not may_see_admin(current_actor()):
        abort(403)
    return render_template("admin/index.html")


def _page(status=200, bound=None):
    rows = service.plugin_rows()
    forms = {
        row.info.name: settings_form(row.info.name, [s for s, _ in row.settings])
        for row in rows
        if row.settings
    }
    if bound is not None:
        forms[bound[0]] = bound[1]
    return render_template(
        "admin/plugins.html", rows=rows, forms=forms, action=ActionForm(), pinned=service.pinned()
    ), status


@bp.get("/plugins")
@require("plugins.manage")
def plugins():
    return _page()


@bp.post("/plugins/<name>/<any(enable, disable):change>")
@require("plugins.manage")
def switch(name: str, change: str):
    _find_or_404(name)
    if not ActionForm().validate_on_submit():
        abort(
            400,
            description=gettext(
                "The form was out of date or forged. Reload the page and try again."
            ),
        )
    try:
        service.set_plugin_enabled(name, change == "enable", actor=current_actor())
    except ValidationError as error:
        abort(409, description=error.message)
    flash(
        gettext("%(name)s enabled.", name=name)
        if change == "enable"
        else gettext("%(name)s disabled.", name=name),
        "ok",
    )
    return redirect(url_for(".plugins"))


@bp.post("/plugins/<name>/settings")
@require("plugins.manage")
def save_settings(name: str):
    _find_or_404(name)
    declared = service.settings_of(name)
    if not declared:
        abort(404)
    form = settings_form(name, declared, formdata=True)
    if not form.validate_on_submit():
        return _page(422, bound=(name, form))
    values = {s.key: form[field_name(s.key)].data for s in declared}
    values = {k: v for k, v in values.items() if v is not None}
    try:
        service.update_settings(name, values, actor=current_actor())
    except ValidationError as error:
        form[field_name(error.field)].errors = [error.message] if error.field else []
        return _page(422, bound=(name, form))
    flash(gettext("Settings of %(name)s saved.", name=name), "ok")
    return redirect(url_for(".plugins"))
