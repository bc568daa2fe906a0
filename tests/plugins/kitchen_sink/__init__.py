"""Kitchen sink: a test plugin that implements every hook, each with a visible effect.

``tests/plugins/test_hooks.py`` has one ``test_hook_<name>`` per hook proving that effect.
Its one model lives on its own MetaData (not ``db.metadata``), so the shared schema checks never
see it; its table comes from its own Alembic branch, applied by ``make_app`` for each test.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import Blueprint, jsonify, render_template
from markupsafe import Markup, escape
from sqlalchemy import Integer, MetaData, String, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from forum import hookimpl
from forum.kernel.types import (
    ContentFormat,
    ContentType,
    EditorPage,
    MigrationLocation,
    NavItem,
    NonCacheablePath,
    NotificationKind,
    PeriodicJob,
    Permission,
    QueueSection,
    RenderedField,
    SearchDocument,
    SearchSource,
    Setting,
    ValidationError,
)

__version__ = "1.2.3"
NAME = "kitchen_sink"
HERE = Path(__file__).parent
#: (hook name, arguments) of every event hook called, in order.
CALLS: list[tuple[str, dict]] = []


class Base(DeclarativeBase):
    metadata = MetaData()


class Note(Base):
    """A members-only note: only its owner may see it."""

    __tablename__ = "kitchen_sink_note"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(String(200), default="")
    body_html: Mapped[str] = mapped_column(String(400), default="")


bp = Blueprint("kitchen_sink", __name__, static_folder="static")


@bp.get("/hello")
def hello():
    return render_template("kitchen_sink/hello.html")


def _api_view():
    return jsonify({"kitchen": "sink"})


@click.command("kitchen-sink")
def kitchen_sink_command():
    """Say something."""
    click.echo("the kitchen sink says hi")


def _record(hook_name, **kwargs):
    CALLS.append((hook_name, kwargs))


# --- start-up and registration


@hookimpl
def app_created(app):
    app.config["KITCHEN_SINK_CREATED"] = True


@hookimpl
def register_blueprints(app):
    return [bp]


@hookimpl
def register_cli_commands(cli):
    cli.add_command(kitchen_sink_command)


@hookimpl
def register_template_folders():
    return [HERE / "templates"]


@hookimpl
def register_translation_folders():
    return [HERE / "translations"]


@hookimpl
def template_overrides():
    return [HERE / "overrides"]


@hookimpl
def register_migrations():
    return [MigrationLocation(NAME, str(HERE / "migrations"))]


@hookimpl
def register_content_types():
    return [ContentType("ks_note", Note, audience="members", label="Kitchen note")]


@hookimpl
def register_page_declarations():
    return [
        NonCacheablePath("/p/kitchen_sink/private/"),
        EditorPage("note editor", "kitchen_sink.notes"),
    ]


@hookimpl
def register_permissions():
    return [Permission("kitchen_sink.cook", "Cook in the kitchen", ("member",))]


@hookimpl
def register_settings():
    return [
        Setting("kitchen_sink.spice", int, 3, "Spice level", minimum=0, maximum=10),
        Setting("kitchen_sink.open", bool, True, "Kitchen open"),
    ]


@hookimpl
def register_content_formats():
    return [
        ContentFormat(
            "ks_shout",
            "Shouting",
            render=lambda s: f"<p>{escape(s.upper())}</p>",
            to_text=str.upper,
            context="comment",
        )
    ]


@hookimpl
def register_notification_kinds():
    return [NotificationKind("kitchen_sink.ding", "The kitchen rang")]


def _wash_up() -> str:
    _record("periodic_job")
    return "dishes done"


@hookimpl
def register_periodic_jobs():
    return [PeriodicJob("kitchen_sink.wash_up", 3600, _wash_up, "Wash up")]


@hookimpl
def register_search_sources():
    doc = SearchDocument(
        content_type="ks_recipe",
        object_id=1,
        title="Soup of the day",
        body="kitchensinksoup",
        url="/p/kitchen_sink/hello",
    )
    return [SearchSource("ks_recipe", lambda: [doc])]


@hookimpl
def register_api_resources(api):
    api.add_url_rule("/kitchen-sink", "kitchen_sink", _api_view)


@hookimpl
def register_feeds():
    return [("kitchen_sink.hello", "Kitchen feed", "/p/kitchen_sink/hello")]


@hookimpl
def register_rendered_fields():
    return [RenderedField(Note, "body", "body_html", "comment")]


# --- visibility and permissions


@hookimpl
def visibility_filter(actor, content_type):
    if content_type.name == "ks_note":
        return Note.owner_id == actor.id if getattr(actor, "id", None) else false()
    if content_type.name == "comment":
        return ~content_type.model.body_source.contains("[ks-hidden]")
    return None


@hookimpl
def check_permission(actor, action, resource):
    if action == "kitchen_sink.cook" and getattr(actor, "username", "") == "nocook":
        return False
    if action == "view" and isinstance(resource, Note):
        return resource.owner_id == getattr(actor, "id", None)
    return None


@hookimpl
def redact(resource, channel):
    return "a kitchen-sink note" if isinstance(resource, Note) else None


@hookimpl
def search_exclude(content_type, obj):
    return True if "#noindex" in (getattr(obj, "body_source", "") or "") else None


# --- content pipeline


@hookimpl(wrapper=True)
def markdown_extensions(context):
    results = yield
    results.append(["nl2br"] if context == "kitchen_sink" else [])
    return results


@hookimpl
def sanitizer_policy(policy, context):
    if context == "kitchen_sink":
        policy.tags |= {"ins", "script"}  # script is on the core denylist: it stays out


@hookimpl
def before_content_saved(content, actor, action):
    if "forbidden-word" in (getattr(content, "body_source", "") or ""):
        raise ValidationError("The kitchen sink refuses that word.", field="body")


# --- lifecycle events


@hookimpl
def content_created(content, actor):
    _record("content_created", content=content, actor=actor)


@hookimpl
def content_submitted(content, actor):
    _record("content_submitted", content=content, actor=actor)


@hookimpl
def content_approved(content, actor):
    _record("content_approved", content=content, actor=actor)


@hookimpl
def content_rejected(content, actor, reason):
    _record("content_rejected", content=content, actor=actor, reason=reason)


@hookimpl
def content_published(content):
    _record("content_published", content=content)


@hookimpl
def content_hidden(content, actor, reason):
    _record("content_hidden", content=content, actor=actor, reason=reason)


@hookimpl
def content_deleted(content, actor):
    _record("content_deleted", content=content, actor=actor)


@hookimpl
def content_flagged(content, actor, reason):
    _record("content_flagged", content=content, actor=actor, reason=reason)


@hookimpl
def user_registered(user):
    _record("user_registered", user=user)


@hookimpl
def user_deleted(user):
    _record("user_deleted", user=user)


@hookimpl
def invitation_accepted(invitation, user):
    _record("invitation_accepted", invitation=invitation, user=user)


@hookimpl
def role_changed(user, role, granted, actor, reason):
    _record("role_changed", user=user, role=role, granted=granted, reason=reason)


@hookimpl
def moderation_action(action, actor, target_type, target_id, reason):
    _record("moderation_action", action=action, target_type=target_type, reason=reason)


@hookimpl
def plugin_installed(name, version):
    _record("plugin_installed", name=name, version=version)


@hookimpl
def plugin_upgraded(name, from_version, to_version):
    _record("plugin_upgraded", name=name, from_version=from_version, to_version=to_version)


@hookimpl
def plugin_enabled(name):
    _record("plugin_enabled", name=name)


@hookimpl
def plugin_disabled(name):
    _record("plugin_disabled", name=name)


# --- pages


@hookimpl
def extra_css_urls(page, actor):
    return ["/p/kitchen_sink/static/ks.css"]


@hookimpl
def extra_js_urls(page, actor):
    return ["/p/kitchen_sink/static/ks.js"]


@hookimpl
def csp_sources():
    return {"img-src": ["https://img.kitchen.example"], "script-src": ["https://evil.example"]}


# --- template slots


@hookimpl
def slot_layout_head(request, actor):
    return Markup('<meta name="kitchen-sink" content="on">')


@hookimpl
def slot_layout_nav(request, actor):
    return [NavItem("Kitchen", "/p/kitchen_sink/hello", order=5)]


@hookimpl
def slot_layout_sidebar(request, actor, page):
    return Markup(f'<p class="ks-sidebar">ks-sidebar on {escape(page)}</p>')


@hookimpl
def slot_thread_tabs(characteristic, actor):
    return [NavItem(f"KS tab {characteristic.slug}", "/p/kitchen_sink/hello")]


@hookimpl
def slot_part_after_body(part, actor):
    return Markup(f'<p class="ks-after-part">ks-after-part {part.id}</p>')


@hookimpl
def slot_item_controls(kind, item, actor):
    if not getattr(actor, "is_authenticated", False):
        return None
    mine = "mine" if item.author_id == actor.id else "theirs"
    return Markup(f'<span class="ks-controls">ks-controls {kind} {item.id} {mine}</span>')


@hookimpl
def slot_comment_footer(comment, actor):
    return "ks-comment-footer <b>"  # a plain string: escaped, never trusted as HTML


@hookimpl
def slot_comment_form_fields(characteristic, actor):
    return Markup('<label for="ks-extra">KS extra</label> <input id="ks-extra" name="ks_extra">')


@hookimpl
def slot_profile_sections(user, actor):
    return Markup(
        f'<section class="ks-profile"><h2>ks-profile of {escape(user.username)}</h2></section>'
    )


@hookimpl
def review_queue_sections(actor):
    return [
        QueueSection("Kitchen sink submissions", "/p/kitchen_sink/hello", 2),
        QueueSection("Empty", "/", 0),
    ]


@hookimpl
def slot_admin_menu(actor):
    return [NavItem("Kitchen sink admin", "/p/kitchen_sink/hello")]
