"""The JSON API, as a core plugin: ``/api/v1`` and the personal access tokens page."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext
from markupsafe import Markup, escape

from forum import hookimpl
from forum.api.account import bp as account_bp
from forum.api.openapi import SCHEMAS
from forum.api.views import build_blueprint
from forum.content.text_boundary import accept_multiline_json


@hookimpl
def register_blueprints(app):
    return [build_blueprint(), account_bp]


@hookimpl
def app_created(app):
    """JSON bodies may hold line breaks in the fields the API's schemas mark as Markdown."""
    accept_multiline_json(app, SCHEMAS)


@hookimpl
def slot_profile_sections(user, actor):
    """On your own profile: a link to your API tokens."""
    if not getattr(actor, "is_authenticated", False) or getattr(actor, "id", None) != user.id:
        return None
    return Markup(
        '<section class="profile-section" aria-labelledby="api-tokens-title">'
        '<h2 id="api-tokens-title">{}</h2><p>{}</p></section>'
    ).format(
        gettext("API access"),
        Markup(
            gettext(
                '<a href="%(url)s">Personal access tokens</a> let your scripts read the forum '
                "and post comments as you.",
                url=escape(url_for("api_account.tokens")),
            )
        ),
    )
