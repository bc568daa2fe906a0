"""The plugin layer end to end: discovery, checks, isolation, enable/disable, admin page, CLI."""

import importlib.metadata
import logging

import kitchen_sink
import pluggy
import pytest
import sqlalchemy as sa
from flask import render_template_string
from markupsafe import Markup

from forum import hookimpl
from forum.extensions import db
from forum.kernel.models import PluginState, SiteSetting


class Namespace:
    """A plugin made of attributes (pluggy registers any object)."""

    def __init__(self, **hooks):
        for name, func in hooks.items():
            setattr(self, name, hookimpl(func) if not hasattr(func, "forum_impl") else func)


def _ks_app(make_app, **config):
    return make_app(extra_plugins=[(kitchen_sink.NAME, kitchen_sink)], **config)


def _admin(client, login_as, make_user):
    return login_as(client, make_user(roles=("member", "admin")))


# --- checks at start-up


def test_misspelled_hook_fails_app_creation(make_app):
    typo = Namespace(slot_part_afterbody=lambda part: "x")
    with pytest.raises(pluggy.PluginValidationError, match="slot_part_afterbody"):
        make_app(extra_plugins=[("typo", typo)])


def test_misspelled_argument_fails_app_creation(make_app):
    typo = Namespace(slot_part_after_body=lambda parts: "x")
    with pytest.raises(pluggy.PluginValidationError, match="parts"):
        make_app(extra_plugins=[("typo", typo)])


def test_wrapper_on_a_gathered_hook_is_refused(make_app):
    def slot_layout_head(request):
        return (yield)

    wrapped = Namespace(slot_layout_head=hookimpl(wrapper=True)(slot_layout_head))
    with pytest.raises(pluggy.PluginValidationError, match="does not take wrappers"):
        make_app(extra_plugins=[("wrapped", wrapped)])


def test_unknown_slot_name_raises_in_tests(app):
    from forum.kernel.slots import UnknownSlot

    with app.test_request_context("/"), pytest.raises(UnknownSlot):
        render_template_string('{{ slot("part.afterbody") }}')


# --- discovery


def test_plugins_dir_single_file_plugins(make_app, tmp_path):
    folder = tmp_path / "local-plugins"
    folder.mkdir()
    (folder / "hello_local.py").write_text(
        '"""Says hello in the head."""\n'
        "from markupsafe import Markup\nfrom forum import hookimpl\n\n"
        "@hookimpl\ndef slot_layout_head(request, actor):\n"
        '    return Markup(\'<meta name="hello-local" content="1">\')\n'
    )
    (folder / "broken_local.py").write_text("raise ImportError('boom')\n")
    app = make_app(FORUM_PLUGINS_DIR=str(folder))
    pm = app.extensions["forum.plugins"]
    assert pm.infos["hello_local"].source == "plugins dir"
    assert pm.infos["hello_local"].summary == "Says hello in the head."
    assert "ImportError: boom" in pm.broken["broken_local"].error
    assert b'<meta name="hello-local" content="1">' in app.test_client().get("/").data


def test_broken_entry_point_is_reported_stays_off_and_can_be_disabled(
    make_app, monkeypatch, login_as, make_user
):
    real = importlib.metadata.entry_points

    def entry_points(**kw):
        found = list(real(**kw))
        if kw.get("group") == "forum.plugins":
            found.append(
                importlib.metadata.EntryPoint("brokenplug", "no_such_module_xyz", "forum.plugins")
            )
        return found

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)
    app = make_app(FORUM_ENTRY_POINTS=None)  # every installed plugin, as a deployment loads
    assert "ModuleNotFoundError" in app.extensions["forum.plugins"].broken["brokenplug"].error
    with app.app_context():
        runner = app.test_cli_runner()
        listed = runner.invoke(args=["forum", "plugins", "list"])
        assert "brokenplug - broken" in listed.output and "failed to load" in listed.output
        refused = runner.invoke(args=["forum", "plugins", "enable", "brokenplug"])
        assert refused.exit_code == 1 and "failed to load" in refused.output
    client = _admin(app.test_client(), login_as, make_user)
    page = client.get("/admin/plugins").get_data(as_text=True)
    assert "Failed to load" in page and "Disable brokenplug" in page
    assert client.post("/admin/plugins/brokenplug/disable").status_code == 302
    with app.app_context():
        assert db.session.get(PluginState, "brokenplug").enabled is False
        page = client.get("/admin/plugins").get_data(as_text=True)
        assert "switched off" in page
        db.session.delete(db.session.get(PluginState, "brokenplug"))
        db.session.commit()
        result = app.test_cli_runner().invoke(args=["forum", "plugins", "disable", "brokenplug"])
        assert result.exit_code == 0 and "brokenplug disabled." in result.output
        assert db.session.get(PluginState, "brokenplug").enabled is False


def test_distribution_metadata_is_recorded(app):
    info = app.extensions["forum.plugins"].infos[kitchen_sink.NAME]
    assert (info.version, info.summary) == ("1.2.3", kitchen_sink.__doc__.splitlines()[0])
    for installed in app.extensions["forum.plugins"].extra_plugins():
        if installed.source == "entry point":  # the bundled plugins, pip-installed
            assert installed.distribution and installed.version


def test_forum_plugins_pins_the_enabled_set(make_app, switch, login_as, make_user):
    off = _ks_app(make_app, FORUM_PLUGINS="")
    assert off.test_client().get("/p/kitchen_sink/hello").status_code == 404
    switch(False)  # the database says off, the pin says on: the pin wins
    on = _ks_app(make_app, FORUM_PLUGINS="kitchen_sink, qa")
    assert on.test_client().get("/p/kitchen_sink/hello").status_code == 200
    with on.app_context():
        result = on.test_cli_runner().invoke(args=["forum", "plugins", "disable", "kitchen_sink"])
    assert result.exit_code == 1 and "pinned" in result.output
    client = _admin(on.test_client(), login_as, make_user)
    assert "pinned by" in client.get("/admin/plugins").get_data(as_text=True)
    assert client.post("/admin/plugins/kitchen_sink/disable").status_code == 409


# --- isolation


def test_a_raising_slot_is_logged_and_the_page_still_renders(app, client, register_plugin, caplog):
    def slot_layout_head(request, actor):
        raise RuntimeError("kaboom")

    with register_plugin(Namespace(slot_layout_head=slot_layout_head), name="boom"):
        caplog.set_level(logging.ERROR, logger="forum.plugins")
        response = client.get("/")
    assert response.status_code == 200
    assert b'<meta name="kitchen-sink" content="on">' in response.data  # other plugins still render
    assert "slot layout.head of plugin boom raised" in caplog.text


def test_other_hooks_fail_loudly_in_tests(app, register_plugin, make_part):
    from forum.kernel.events import emit

    def content_approved(content, actor):
        raise RuntimeError("loud")

    part = make_part()
    with register_plugin(Namespace(content_approved=content_approved), name="loud"):
        db.session.execute(sa.select(1))
        emit("content_approved", content=part, actor=None)
        with pytest.raises(RuntimeError, match="loud"):
            db.session.commit()


def test_in_production_a_raising_handler_undoes_only_its_own_event(make_app, make_part):
    """The handlers of one commit's events share a transaction; each event runs in a savepoint."""
    from forum.kernel.events import emit

    def content_created(content, actor):
        db.session.add(kitchen_sink.Note(owner_id=content.author_id, body="kept"))

    def content_approved(content, actor):
        db.session.add(kitchen_sink.Note(owner_id=content.author_id, body="undone"))
        db.session.flush()
        raise RuntimeError("quiet")

    def content_published(content):  # fails only when its write is flushed, after it returned
        db.session.add(kitchen_sink.Note(owner_id=None, body="not null"))

    half = Namespace(
        content_created=content_created,
        content_approved=content_approved,
        content_published=content_published,
    )
    prod = make_app(extra_plugins=[(kitchen_sink.NAME, kitchen_sink), ("half", half)])
    logged = []
    handler = logging.Handler()
    handler.emit = lambda record: logged.append(record.getMessage())
    logging.getLogger("forum.kernel.events").addHandler(handler)
    with prod.app_context():
        part = make_part()
        prod.testing = False
        try:
            emit("content_approved", content=part, actor=None)
            emit("content_published", content=part)
            emit("content_created", content=part, actor=None)
            db.session.commit()
        finally:
            prod.testing = True
            logging.getLogger("forum.kernel.events").removeHandler(handler)
        with db.engine.connect() as conn:
            bodies = conn.execute(sa.text("SELECT body FROM kitchen_sink_note")).scalars().all()
    assert bodies == ["kept"]
    assert logged == [
        "event content_approved: a plugin raised after commit",
        "event content_published: a plugin raised after commit",
    ]


def test_in_production_events_emitted_by_handlers_survive_another_handlers_failure(
    make_app, make_part
):
    """A handler's own follow-up events fire after the shared commit, even when a handler of a
    later event raised (its savepoint's rollback drops only what that handler emitted)."""
    from forum.kernel.events import emit

    def content_created(content, actor):
        emit("content_deleted", content=content, actor=None)  # a follow-up event

    def content_approved(content, actor):
        emit("content_hidden", content=content, actor=None, reason="never fired")
        raise RuntimeError("quiet")

    def content_deleted(content, actor):
        db.session.add(kitchen_sink.Note(owner_id=content.author_id, body="follow-up fired"))

    def content_hidden(content, actor, reason):
        db.session.add(kitchen_sink.Note(owner_id=content.author_id, body=reason))

    chain = Namespace(
        content_created=content_created,
        content_approved=content_approved,
        content_deleted=content_deleted,
        content_hidden=content_hidden,
    )
    prod = make_app(extra_plugins=[(kitchen_sink.NAME, kitchen_sink), ("chain", chain)])
    with prod.app_context():
        part = make_part()
        prod.testing = False
        try:
            emit("content_created", content=part, actor=None)
            emit("content_approved", content=part, actor=None)
            db.session.commit()
        finally:
            prod.testing = True
        with db.engine.connect() as conn:
            bodies = conn.execute(sa.text("SELECT body FROM kitchen_sink_note")).scalars().all()
    assert bodies == ["follow-up fired"]


def test_slot_strings_are_escaped_and_markup_passes(app, register_plugin):
    with (
        register_plugin(Namespace(slot_layout_head=lambda: "<b>plain</b>")),
        register_plugin(Namespace(slot_layout_head=lambda: Markup("<i>trusted</i>"))),
        app.test_request_context("/"),
    ):
        html = render_template_string('{{ slot("layout.head") }}')
    assert "&lt;b&gt;plain&lt;/b&gt;" in html and "<i>trusted</i>" in html


# --- enable / disable


def test_disabling_keeps_data_and_enabling_brings_it_back(app, make_user, switch):
    from forum.visibility import as_actor

    owner = make_user()
    db.session.add(kitchen_sink.Note(owner_id=owner.id, body="kept"))
    db.session.commit()
    switch(False)
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT body FROM kitchen_sink_note")).scalar() == "kept"
    switch(True)
    db.session.expire_all()
    with as_actor(owner):
        assert [n.body for n in db.session.scalars(sa.select(kitchen_sink.Note))] == ["kept"]


def test_two_workers_honour_a_change_without_restart(app, make_app, login_as, make_user):
    worker_a = app.test_client()
    worker_b = _ks_app(make_app).test_client()
    assert worker_b.get("/p/kitchen_sink/hello").status_code == 200
    _admin(worker_a, login_as, make_user)
    assert worker_a.post("/admin/plugins/kitchen_sink/disable").status_code == 302
    assert worker_b.get("/p/kitchen_sink/hello").status_code == 404
    assert b"kitchen-sink" not in worker_b.get("/").data
    assert worker_a.post("/admin/plugins/kitchen_sink/enable").status_code == 302
    assert worker_b.get("/p/kitchen_sink/hello").status_code == 200


# --- the admin pages


def test_admin_pages_need_permission(client, login_as, make_user):
    assert client.get("/admin/plugins").status_code == 302
    login_as(client, make_user())
    assert client.get("/admin/plugins").status_code == 403
    assert client.get("/admin/").status_code == 403
    assert client.post("/admin/plugins/kitchen_sink/disable").status_code == 403


def test_admin_page_lists_plugins(client, login_as, make_user):
    _admin(client, login_as, make_user)
    page = client.get("/admin/plugins").get_data(as_text=True)
    assert '<h2 id="plugin-kitchen_sink-name">kitchen_sink' in page
    assert "1.2.3" in page and kitchen_sink.__doc__.splitlines()[0] in page
    assert "slot_part_after_body" in page and "<strong>Enabled</strong>" in page
    assert "Disable kitchen_sink" in page and 'name="csrf_token"' in page
    assert 'id="kitchen_sink-kitchen_sink-spice"' in page  # the typed settings form


def test_admin_enable_disable_and_audit(client, login_as, make_user, calls):
    from forum.audit.models import AuditEntry

    _admin(client, login_as, make_user)
    response = client.post("/admin/plugins/kitchen_sink/disable", follow_redirects=True)
    assert (
        b"kitchen_sink disabled." in response.data and b"<strong>Disabled</strong>" in response.data
    )
    assert db.session.get(PluginState, "kitchen_sink").enabled is False
    client.post("/admin/plugins/kitchen_sink/enable")
    assert db.session.get(PluginState, "kitchen_sink").enabled is True
    actions = [e.action for e in db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id))]
    assert actions == ["plugin.disable", "plugin.enable"]
    assert "plugin_enabled" in calls()


def test_admin_unknown_plugin_and_bad_change_are_404(client, login_as, make_user):
    _admin(client, login_as, make_user)
    assert client.post("/admin/plugins/nope/disable").status_code == 404
    assert client.post("/admin/plugins/kitchen_sink/explode").status_code == 404
    assert client.post("/admin/plugins/nope/settings").status_code == 404


def test_admin_switch_needs_csrf(make_app, login_as, make_user):
    app = _ks_app(make_app, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    with app.app_context():
        _admin(client, login_as, make_user)
        assert client.post("/admin/plugins/kitchen_sink/disable").status_code == 400
        assert db.session.get(PluginState, "kitchen_sink").enabled is True


def test_admin_settings_are_typed_and_validated(client, login_as, make_user):
    _admin(client, login_as, make_user)
    ok = client.post(
        "/admin/plugins/kitchen_sink/settings",
        data={"kitchen_sink-kitchen_sink-spice": "8"},
        follow_redirects=True,
    )
    assert b"Settings of kitchen_sink saved." in ok.data
    assert db.session.get(SiteSetting, "kitchen_sink.spice").value == 8
    assert db.session.get(SiteSetting, "kitchen_sink.open").value is False  # unticked box
    for bad in ("11", "spicy", ""):
        response = client.post(
            "/admin/plugins/kitchen_sink/settings",
            data={"kitchen_sink-kitchen_sink-spice": bad, "kitchen_sink-kitchen_sink-open": "y"},
        )
        assert response.status_code == 422, bad
        assert b'class="error"' in response.data
    db.session.expire_all()
    assert db.session.get(SiteSetting, "kitchen_sink.spice").value == 8


# --- the CLI


def test_cli_list_enable_disable(runner):
    listed = runner.invoke(args=["forum", "plugins", "list"])
    assert "kitchen_sink 1.2.3 enabled" in listed.output and "slot_admin_menu" in listed.output
    result = runner.invoke(args=["forum", "plugins", "disable", "kitchen_sink"])
    assert result.exit_code == 0 and "kitchen_sink disabled." in result.output
    assert "kitchen_sink 1.2.3 disabled" in runner.invoke(args=["forum", "plugins", "list"]).output
    again = runner.invoke(args=["forum", "plugins", "disable", "kitchen_sink"])
    assert "already disabled" in again.output
    assert runner.invoke(args=["forum", "plugins", "enable", "kitchen_sink"]).exit_code == 0
    unknown = runner.invoke(args=["forum", "plugins", "enable", "nope"])
    assert unknown.exit_code == 1 and "No installed plugin is called 'nope'" in unknown.output


def test_cli_settings(runner):
    shown = runner.invoke(args=["forum", "plugins", "settings", "kitchen_sink"])
    assert "kitchen_sink.spice = 3" in shown.output
    changed = runner.invoke(
        args=["forum", "plugins", "settings", "kitchen_sink", "kitchen_sink.spice", "5"]
    )
    assert changed.exit_code == 0 and "kitchen_sink.spice = 5" in changed.output
    assert db.session.get(SiteSetting, "kitchen_sink.spice").value == 5
    for args, message in (
        (["kitchen_sink.spice", "50"], "at most 10"),
        (["kitchen_sink.spice", "hot"], "must be a int"),
        (["kitchen_sink.salt", "1"], "no setting"),
        (["kitchen_sink.spice"], "Give both KEY and VALUE"),
    ):
        result = runner.invoke(args=["forum", "plugins", "settings", "kitchen_sink", *args])
        assert result.exit_code == 1 and message in result.output, result.output


# --- migrations and uninstall


def _tables():
    return set(sa.inspect(db.engine).get_table_names())


def test_upgrade_heads_downgrade_base_upgrade_heads_with_a_plugin_branch(app):
    from flask_migrate import downgrade, upgrade

    assert {"kitchen_sink_note", "users"} <= _tables()
    downgrade(revision="base")
    assert not ({"kitchen_sink_note", "users", "plugin_state"} & _tables())
    upgrade(revision="heads")
    assert {"kitchen_sink_note", "users", "plugin_state"} <= _tables()


def test_uninstall_drops_tables_after_confirmation(app, runner):
    from forum.kernel.settings import set_setting

    set_setting("kitchen_sink.spice", 9)
    db.session.commit()
    refused = runner.invoke(args=["forum", "plugin", "uninstall", "kitchen_sink"])
    assert refused.exit_code == 1 and "--yes" in refused.output
    assert "kitchen_sink_note" in _tables()
    done = runner.invoke(args=["forum", "plugin", "uninstall", "kitchen_sink", "--yes"])
    assert done.exit_code == 0, done.output
    db.session.expire_all()
    assert "kitchen_sink_note" not in _tables() and "users" in _tables()
    assert db.session.get(PluginState, "kitchen_sink").enabled is False
    assert db.session.get(SiteSetting, "kitchen_sink.spice") is None


def test_a_validation_error_shows_on_its_field_or_the_fallback_or_as_a_flash(app):
    from flask import get_flashed_messages
    from flask_wtf import FlaskForm
    from wtforms import StringField

    from forum.kernel.types import ValidationError

    class Form(FlaskForm):
        title = StringField()
        body = StringField()

    with app.test_request_context("/", method="POST"):
        form = Form(meta={"csrf": False})
        ValidationError("Too short.", field="title").show_on(form, fallback="body")
        ValidationError("No such field.", field="nope").show_on(form, fallback="body")
        ValidationError("Nowhere to go.").show_on(form)
        assert (form.title.errors, form.body.errors) == (["Too short."], ["No such field."])
        assert get_flashed_messages() == ["Nowhere to go."]
