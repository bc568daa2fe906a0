"""One ``test_hook_<name>`` per hook: the kitchen-sink plugin's implementation has its effect.

``test_docs.py`` fails when a hookspec has no test here. Event hooks are fired the way core
fires them (``forum.kernel.events.emit`` in a transaction, or the real action where core has one).
"""

import kitchen_sink
import pytest
import sqlalchemy as sa
from flask import Blueprint, Flask, render_template_string

from forum.extensions import db
from forum.i18n.catalogs import compile_folder
from forum.kernel.events import emit
from forum.kernel.hooks import hook


@pytest.fixture
def thread(make_part, make_comment, make_characteristic):
    """A characteristic with a public part and a public comment."""
    ch = make_characteristic()
    part = make_part(characteristic=ch)
    comment = make_comment(characteristic=ch, body="A public comment.")
    return ch, part, comment


def _thread_page(client, ch):
    response = client.get(f"/c/{ch.slug}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _events(name):
    return [kw for hook_name, kw in kitchen_sink.CALLS if hook_name == name]


# --- start-up and registration


def test_hook_app_created(app):
    assert app.config["KITCHEN_SINK_CREATED"] is True


def test_hook_register_blueprints(client, switch):
    response = client.get("/p/kitchen_sink/hello")
    assert response.status_code == 200 and b"Hello from the kitchen sink" in response.data
    static = client.get("/p/kitchen_sink/static/ks.css")
    assert static.status_code == 200 and b"ks-sidebar" in static.data
    static.close()
    switch(False)
    assert client.get("/p/kitchen_sink/hello").status_code == 404


def test_hook_register_cli_commands(runner):
    result = runner.invoke(args=["forum", "kitchen-sink"])
    assert result.exit_code == 0 and "the kitchen sink says hi" in result.output


def test_hook_register_template_folders(client):
    # the blueprint's page renders a template found only in the plugin's folder
    assert b"<h1>Hello from the kitchen sink</h1>" in client.get("/p/kitchen_sink/hello").data


def test_hook_register_translation_folders(client):
    # the plugin's own Finnish catalog translates the plugin's own string
    compile_folder(kitchen_sink.HERE / "translations")
    page = client.get("/p/kitchen_sink/hello?lang=fi").text
    assert "<h1>Terveisiä keittiön tiskialtaasta</h1>" in page
    assert "<h1>Hello from the kitchen sink</h1>" in client.get("/p/kitchen_sink/hello").text


def test_hook_template_overrides(client):
    response = client.get("/p/no-such-page")
    assert response.status_code == 404 and b"kitchen-sink error page" in response.data


def test_hook_register_migrations(app):
    assert "kitchen_sink_note" in sa.inspect(db.engine).get_table_names()
    with db.engine.connect() as conn:
        versions = {r[0] for r in conn.execute(sa.text("SELECT version_num FROM alembic_version"))}
    assert "kitchen_sink_0001" in versions


def test_hook_register_content_types(app, make_user, switch):
    from forum.visibility import as_actor, registry

    ct = registry()["ks_note"]
    assert ct.owner == "kitchen_sink" and ct.model is kitchen_sink.Note and not ct.is_public
    owner = make_user()
    db.session.add(kitchen_sink.Note(owner_id=owner.id, body="mine"))
    db.session.commit()
    with as_actor(owner):
        assert len(db.session.scalars(sa.select(kitchen_sink.Note)).all()) == 1
    switch(False)
    db.session.expire_all()
    with as_actor(owner):  # fail closed: the disabled plugin's type is invisible to everyone
        assert db.session.scalars(sa.select(kitchen_sink.Note)).all() == []


def test_hook_register_page_declarations(app):
    from forum.kernel.pages import editor_kind, noncacheable_prefixes

    assert "/p/kitchen_sink/private/" in noncacheable_prefixes(app)
    with app.test_request_context():
        assert editor_kind("kitchen_sink.notes") == "note editor"
        assert editor_kind("series.thread") == "comment editor"  # core declares its own editors
        assert editor_kind("series.edit_part") == "part editor"
        assert editor_kind("series.home") is None


def test_hook_register_permissions(app, make_user):
    from forum.visibility.permissions import can

    assert app.extensions["forum.permissions"]["kitchen_sink.cook"].default_roles == ("member",)
    assert can("kitchen_sink.cook", actor=make_user()) is True
    assert can("kitchen_sink.cook", actor=make_user(roles=("expert",))) is False


def test_hook_register_settings(app):
    from forum.kernel.settings import get_setting, set_setting
    from forum.kernel.types import ValidationError

    assert get_setting("kitchen_sink.spice") == 3
    set_setting("kitchen_sink.spice", "7")
    db.session.commit()
    assert get_setting("kitchen_sink.spice") == 7
    with pytest.raises(ValidationError):
        set_setting("kitchen_sink.spice", 11)


def test_hook_register_content_formats(app, switch):
    from forum.content.formats import available, render_body, text_fallback

    assert (
        render_body("ks_shout", "hi <b>there</b>", "comment")
        == "<p>HI &lt;B&gt;THERE&lt;/B&gt;</p>"
    )
    assert text_fallback("ks_shout", "quiet") == "QUIET"
    switch(False)
    assert "ks_shout" not in available("comment")


def test_hook_register_notification_kinds(app):
    from forum.kernel.registries import notification_kinds, owner

    assert notification_kinds(app)["kitchen_sink.ding"].label == "The kitchen rang"
    assert owner(app, "register_notification_kinds", "kitchen_sink.ding") == "kitchen_sink"


def test_hook_register_periodic_jobs(runner, calls, switch):
    result = runner.invoke(args=["forum", "run-jobs"])
    assert result.exit_code == 0, result.output
    assert "kitchen_sink.wash_up: ran (dishes done)" in result.output
    assert calls().count("periodic_job") == 1
    again = runner.invoke(args=["forum", "run-jobs", "--only", "kitchen_sink.wash_up"])
    assert "kitchen_sink.wash_up: not due" in again.output and calls().count("periodic_job") == 1
    switch(False)
    db.session.execute(sa.text("UPDATE job_schedule SET next_run_at = '2000-01-01 00:00:00'"))
    db.session.commit()
    assert "kitchen_sink" not in runner.invoke(args=["forum", "run-jobs"]).output
    assert calls().count("periodic_job") == 1


def test_hook_register_search_sources(app, switch):
    def docs():
        return [
            d
            for source in (s for r in hook.register_search_sources() for s in r or [])
            for d in source.documents()
        ]

    assert any(d.body == "kitchensinksoup" for d in docs())
    switch(False)
    assert not any(d.body == "kitchensinksoup" for d in docs())


def test_hook_register_api_resources(app, switch):
    def probe_status():
        api = Blueprint("api_probe", __name__)
        hook.register_api_resources(api=api)
        probe = Flask("probe")
        probe.register_blueprint(api, url_prefix="/api/v1")
        return probe.test_client().get("/api/v1/kitchen-sink")

    assert probe_status().get_json() == {"kitchen": "sink"}
    switch(False)
    assert probe_status().status_code == 404


def test_hook_register_feeds(app, switch):
    from forum.kernel.hooks import flatten

    def feeds():
        with app.test_request_context("/"):  # feeds are listed while serving a page
            return flatten(hook.register_feeds(endpoint=None, view_args={}))

    kitchen = ("kitchen_sink.hello", "Kitchen feed", "/p/kitchen_sink/hello")
    assert kitchen in feeds()
    assert ("feeds.site", "Mentorship Forum: new parts", "/feeds/site.atom") in feeds()  # core's
    client = app.test_client()
    assert 'href="/p/kitchen_sink/hello"' in client.get("/").get_data(as_text=True)  # <head>
    assert 'href="/p/kitchen_sink/hello"' in client.get("/feeds/").get_data(as_text=True)
    switch(False)
    assert all(f[0] != "kitchen_sink.hello" for f in feeds())
    assert 'href="/p/kitchen_sink/hello"' not in client.get("/feeds/").get_data(as_text=True)


def test_hook_register_rendered_fields(app):
    from forum.kernel.hooks import call_all, flatten

    fields = flatten(call_all("register_rendered_fields"))
    assert any(f.model is kitchen_sink.Note and f.html == "body_html" for f in fields)


# --- visibility and permissions


def test_hook_visibility_filter(client, make_comment, thread, switch):
    ch, _part, _comment = thread
    make_comment(characteristic=ch, body="secret [ks-hidden] words")
    assert "secret" not in _thread_page(client, ch)
    from forum.discussion.models import Comment

    assert len(db.session.scalars(sa.select(Comment)).all()) == 1  # the SQL itself is filtered
    switch(False)  # disabling removes the plugin's rules on core types
    assert "secret" in _thread_page(client, ch)


def test_visible_carries_the_policy_into_a_subquery(app, make_comment, thread):
    """The listener filters the entities a statement selects; ``visible(Model)`` brings the same
    rules to a count under another type, where the listener alone would count the hidden row."""
    from forum.discussion.models import Comment
    from forum.sdk import visible
    from forum.series.models import Characteristic

    ch, _part, _comment = thread
    make_comment(characteristic=ch, body="secret [ks-hidden] words")
    on_thread = Comment.characteristic_id == Characteristic.id

    def count(*where):
        comments = sa.select(sa.func.count(Comment.id)).where(on_thread, *where).scalar_subquery()
        return db.session.execute(sa.select(comments).where(Characteristic.id == ch.id)).scalar()

    assert count() == 2  # the subquery alone is not filtered
    assert count(visible(Comment)) == 1
    with pytest.raises(LookupError):
        visible(Characteristic)  # not a content type: no policy to ask


def test_hook_check_permission(app, make_user):
    from forum.visibility.permissions import can

    assert can("kitchen_sink.cook", actor=make_user("nocook")) is False
    ann, bob = make_user(), make_user()
    note = kitchen_sink.Note(owner_id=ann.id, body="x")
    assert can("view", note, actor=ann) is True
    assert can("view", note, actor=bob) is False


def test_hook_redact(app):
    assert (
        hook.redact(resource=kitchen_sink.Note(owner_id=1, body="x"), channel="log")
        == "a kitchen-sink note"
    )
    assert hook.redact(resource=object(), channel="log") is None


def test_hook_search_exclude(app, make_comment):
    from forum.visibility import registry

    ct = registry()["comment"]
    assert hook.search_exclude(content_type=ct, obj=make_comment(body="keep out #noindex")) is True
    assert hook.search_exclude(content_type=ct, obj=make_comment(body="index me")) is None


# --- content pipeline


def test_hook_markdown_extensions(app, switch):
    from forum.content import render_markdown

    assert "<br" in render_markdown("one\ntwo", "kitchen_sink")  # the wrapper added nl2br
    assert "<br" not in render_markdown("one\ntwo", "comment")
    switch(False)
    assert "<br" not in render_markdown("one\ntwo", "kitchen_sink")


def test_hook_sanitizer_policy(app):
    from forum.content import sanitize_html

    html = sanitize_html("<ins>added</ins><script>alert(1)</script>", "kitchen_sink")
    assert "<ins>added</ins>" in html and "<script" not in html
    assert "<ins>" not in sanitize_html("<ins>added</ins>", "comment")


def test_hook_before_content_saved(client, login_as, make_user, make_characteristic):
    from forum.discussion.models import Comment

    ch = make_characteristic()
    login_as(client, make_user())
    response = client.post(f"/c/{ch.slug}/comments", data={"body": "a forbidden-word here"})
    assert response.status_code == 422
    assert b"The kitchen sink refuses that word." in response.data
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 0


def test_before_content_saved_sees_an_edit_s_new_text(client, login_as, make_user, make_comment):
    """The hook is handed the edit, not the text it replaces, and a refusal keeps the old text."""
    from forum.discussion.models import Comment

    author = make_user()
    comment = make_comment(author=author, body="A clean comment.")
    login_as(client, author)
    response = client.post(f"/comments/{comment.id}/edit", data={"body": "now a forbidden-word"})
    assert response.status_code == 422
    assert b"The kitchen sink refuses that word." in response.data
    assert db.session.get(Comment, comment.id).body_source == "A clean comment."


def test_before_content_saved_sees_a_part_s_text(
    client, login_as, make_user, make_characteristic, make_part
):
    """A new part, and an edit of a live part (which waits as a revision), are refused alike."""
    from forum.series.models import Part, PartRevision
    from forum.visibility import bypass

    expert = make_user(roles=("member", "expert"))
    ch = make_characteristic()
    form = {
        "characteristic_id": str(ch.id),
        "part_number": "2",
        "title": "A part",
        "teaser": "",
        "body_format": "markdown",
        "body": "a forbidden-word inside",
    }
    login_as(client, expert)
    response = client.post("/parts/new", data=form)
    assert response.status_code == 422 and b"The kitchen sink refuses that word." in response.data
    live = make_part(ch, author=expert, part_number=1, body="Live body.")
    response = client.post(f"/parts/{live.id}/edit", data=dict(form, part_number="1"))
    assert response.status_code == 422 and b"The kitchen sink refuses that word." in response.data
    every = bypass("core", "test: count what was stored")
    assert (
        db.session.scalar(sa.select(sa.func.count()).select_from(Part).execution_options(**every))
        == 1
    )
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(PartRevision)
            .where(PartRevision.status == "pending")
            .execution_options(**every)
        )
        == 0
    )


# --- lifecycle events: fired after commit, never for rolled-back data


def _fire(name, **kwargs):
    emit(name, **kwargs)
    db.session.commit()
    return _events(name)


def _check_content_event(name, thread, make_user, **extra):
    _ch, part, _comment = thread
    actor = make_user()
    db.session.execute(sa.select(1))  # events are emitted inside a transaction
    emit(name, content=part, **({"actor": actor} if name != "content_published" else {}), **extra)
    db.session.rollback()
    assert _events(name) == []  # rolled back: never fired
    seen = _fire(
        name, content=part, **({"actor": actor} if name != "content_published" else {}), **extra
    )
    assert len(seen) == 1 and seen[0]["content"] is part


def test_hook_content_created(app, make_user, make_characteristic):
    from forum.discussion.services import create_comment

    ch = make_characteristic()
    member = make_user()
    comment = create_comment(ch, member, "Hello there, a real comment.")
    db.session.commit()
    assert [kw["content"].id for kw in _events("content_created")] == [comment.id]


def test_hook_content_submitted(thread, make_user):
    _check_content_event("content_submitted", thread, make_user)


def test_hook_content_approved(thread, make_user):
    _check_content_event("content_approved", thread, make_user)


def test_hook_content_rejected(thread, make_user):
    _check_content_event("content_rejected", thread, make_user, reason="off topic")
    assert _events("content_rejected")[0]["reason"] == "off topic"


def test_hook_content_published(thread, make_user):
    _check_content_event("content_published", thread, make_user)


def test_hook_content_hidden(thread, make_user):
    _check_content_event("content_hidden", thread, make_user, reason="spam")


def test_hook_content_deleted(thread, make_user):
    _check_content_event("content_deleted", thread, make_user)


def test_hook_content_flagged(thread, make_user):
    _check_content_event("content_flagged", thread, make_user, reason="rude")


def test_hook_user_registered(client):
    response = client.post(
        "/register",
        data={
            "username": "newcomer",
            "email": "newcomer@example.org",
            "display_name": "New Comer",
            "password": "a long and unusual passphrase 42",
            "confirm": "a long and unusual passphrase 42",
        },
    )
    assert response.status_code == 302, response.data[:500]
    assert [kw["user"].username for kw in _events("user_registered")] == ["newcomer"]


def test_hook_user_deleted(app, make_user):
    user = make_user()
    assert [kw["user"] for kw in _fire("user_deleted", user=user)] == [user]


def test_hook_invitation_accepted(app, make_user):
    user = make_user()
    seen = _fire("invitation_accepted", invitation="invitation-1", user=user)
    assert seen == [{"invitation": "invitation-1", "user": user}]


def test_hook_role_changed(app, make_user):
    from forum.moderation.roles import change_role

    member = make_user()
    change_role(member, make_user(roles=("admin",)), "expert", True, "writes part 3")
    db.session.commit()
    assert _events("role_changed") == [
        {"user": member, "role": "expert", "granted": True, "reason": "writes part 3"}
    ]


def test_hook_moderation_action(app, make_user):
    from forum.audit.log import record

    record("comment.hide", make_user(roles=("moderator",)), "comment", 1, reason="spam")
    db.session.commit()
    assert _events("moderation_action") == [
        {"action": "comment.hide", "target_type": "comment", "reason": "spam"}
    ]


def test_hook_plugin_installed(app):
    from forum.kernel.models import PluginState

    # the app's start recorded the new plugin and its version
    assert {"name": "kitchen_sink", "version": "1.2.3"} in _events("plugin_installed")
    assert db.session.get(PluginState, "kitchen_sink").installed_version == "1.2.3"


def test_hook_plugin_upgraded(app, make_app, monkeypatch):
    from forum.kernel.models import PluginState

    db.session.get(PluginState, "kitchen_sink").installed_version = "1.0"
    db.session.commit()
    make_app(extra_plugins=[("kitchen_sink", kitchen_sink)])  # a worker starts with 1.2.3
    assert _events("plugin_upgraded") == [
        {"name": "kitchen_sink", "from_version": "1.0", "to_version": "1.2.3"}
    ]
    db.session.expire_all()
    assert db.session.get(PluginState, "kitchen_sink").installed_version == "1.2.3"


def test_hook_plugin_enabled(runner, switch):
    switch(False)
    result = runner.invoke(args=["forum", "plugins", "enable", "kitchen_sink"])
    assert result.exit_code == 0, result.output
    assert _events("plugin_enabled") == [{"name": "kitchen_sink"}]


def test_hook_plugin_disabled(app, runner, make_app):
    other = type("Observer", (), {})()
    seen = []
    from forum import hookimpl

    other.plugin_disabled = hookimpl(lambda name: seen.append(name))
    from forum.kernel.hooks import plugin_manager

    plugin_manager(app).register_plugin(other, "observer", is_core=True)
    result = runner.invoke(args=["forum", "plugins", "disable", "kitchen_sink"])
    assert result.exit_code == 0, result.output
    assert seen == ["kitchen_sink"]
    assert _events("plugin_disabled") == []  # the disabled plugin is no longer called


# --- pages


def test_hook_extra_css_urls(client, switch):
    assert b'<link rel="stylesheet" href="/p/kitchen_sink/static/ks.css">' in client.get("/").data
    switch(False)
    assert b"ks.css" not in client.get("/").data


def test_hook_extra_js_urls(client):
    assert b'<script src="/p/kitchen_sink/static/ks.js" defer></script>' in client.get("/").data


def test_hook_csp_sources(client):
    csp = client.get("/").headers["Content-Security-Policy"]
    assert "img-src 'self' https: data: https://img.kitchen.example" in csp
    assert "evil.example" not in csp  # script-src is never widened


# --- template slots


def test_hook_slot_layout_head(client, switch):
    assert b'<meta name="kitchen-sink" content="on">' in client.get("/").data
    switch(False)
    assert b"kitchen-sink" not in client.get("/").data


def test_hook_slot_layout_nav(client):
    assert b'<li><a href="/p/kitchen_sink/hello">Kitchen</a></li>' in client.get("/").data


def test_hook_slot_layout_sidebar(client):
    assert b'<p class="ks-sidebar">ks-sidebar on series.home</p>' in client.get("/").data


def test_hook_slot_thread_tabs(client, thread):
    ch = thread[0]
    assert f"KS tab {ch.slug}" in _thread_page(client, ch)


def test_hook_slot_part_after_body(client, thread, switch):
    ch, part, _ = thread
    assert f'<p class="ks-after-part">ks-after-part {part.id}</p>' in _thread_page(client, ch)
    switch(False)
    assert "ks-after-part" not in _thread_page(client, ch)


def test_hook_slot_comment_footer(client, thread):
    assert "ks-comment-footer &lt;b&gt;" in _thread_page(client, thread[0])  # escaped


def test_hook_slot_item_controls(client, thread, login_as, make_user):
    """Per reader, on the full page and on a member's layered one alike; never for a guest."""
    ch, part, comment = thread
    assert "ks-controls" not in _thread_page(client, ch)
    login_as(client, make_user())
    for _ in range(2):  # a miss of the public page, then the layered page over a cached one
        page = _thread_page(client, ch)
        assert f"ks-controls comment {comment.id} theirs" in page
        assert f"ks-controls part {part.id} theirs" in page


def test_hook_slot_comment_form_fields(client, thread, login_as, make_user):
    login_as(client, make_user())
    assert '<input id="ks-extra" name="ks_extra">' in _thread_page(client, thread[0])


def test_hook_slot_profile_sections(client, make_user):
    make_user("carla")
    assert b"ks-profile of carla" in client.get("/u/carla").data


def test_hook_review_queue_sections(client, login_as, make_user):
    """Listed in the core queue with a link (empty ones too, so every queue can be found),
    added to the moderator's badge."""
    login_as(client, make_user(roles=("member", "moderator")))
    page = client.get("/moderation/queue").get_data(as_text=True)
    assert (
        '<a href="/p/kitchen_sink/hello">Kitchen sink submissions</a> <span class="count">2</span>'
        in page
    )
    assert '<a href="/">Empty</a> <span class="count">0</span>' in page
    assert '<span class="badge">2</span>' in client.get("/").get_data(as_text=True)


def test_the_core_queue_is_a_review_queue_section_like_a_plugins(
    app, client, login_as, make_user, make_comment
):
    """The core's parts and comments reach the badge through ``review_queue_sections`` too:
    its own section, counted with the plugins', never listed as "elsewhere" on its own page."""
    from forum.kernel.hooks import flatten
    from forum.visibility import as_actor

    moderator = make_user(roles=("member", "moderator"))
    make_comment(status="pending")
    with app.test_request_context("/"), as_actor(moderator):
        sections = flatten(hook.review_queue_sections(actor=moderator))
    core = [s for s in sections if s.url == "/moderation/queue"]
    assert [(s.label, s.count) for s in core] == [("Parts and comments", 1)]
    login_as(client, moderator)
    assert '<span class="badge">3</span>' in client.get("/").get_data(as_text=True)  # 1 + 2
    page = client.get("/moderation/queue").get_data(as_text=True)
    assert "Parts and comments</a>" not in page


def test_hook_slot_admin_menu(client, login_as, make_user):
    login_as(client, make_user(roles=("member", "admin")))
    page = client.get("/admin/").get_data(as_text=True)
    assert '<a href="/p/kitchen_sink/hello">Kitchen sink admin</a>' in page
    assert '<a href="/admin/plugins">Plugins</a>' in page


def test_slot_render_in_template_string(app, thread):
    """Slots work outside core pages too (what plugin tests do)."""
    _ch, part, _ = thread
    with app.test_request_context("/"):
        html = render_template_string('{{ slot("part.after_body", part=part) }}', part=part)
    assert "ks-after-part" in html
