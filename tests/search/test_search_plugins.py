"""Plugin search sources are indexed; members-only types and excluded objects never are."""

from sqlalchemy import select

from forum import hookimpl
from forum.extensions import db
from forum.kernel.events import emit
from forum.kernel.types import ContentType, SearchDocument, SearchSource
from forum.notifications.models import Notification
from forum.search import services
from forum.search.backends import Filters
from forum.visibility import bypass


class NotesPlugin:
    """Two test types over one table: ``open_note`` is public, ``secret_note`` members-only."""

    def __init__(self, name, audience, one_at_a_time=False):
        self.name, self.audience, self.one_at_a_time = name, audience, one_at_a_time
        self.asked = []  # the ids each call of the source was asked for (None: all)

    @hookimpl
    def register_content_types(self):
        return [
            ContentType(
                self.name, Notification, audience=self.audience, searchable=True, label=self.name
            )
        ]

    @hookimpl
    def visibility_filter(self, actor, content_type):
        if content_type.name != self.name or self.audience == "public":
            return None
        return Notification.user_id == (actor.id or -1)

    @hookimpl
    def register_search_sources(self):
        def documents(ids=None):
            self.asked.append(ids)
            stmt = select(Notification).execution_options(**bypass(self.owner, "test source"))
            rows = db.session.execute(
                stmt if ids is None else stmt.where(Notification.id.in_(ids))
            ).scalars()
            return [
                SearchDocument(self.name, n.id, n.kind, n.text, url=f"/notes/{n.id}") for n in rows
            ]

        return [
            SearchSource(
                self.name, documents, documents_for=documents if self.one_at_a_time else None
            )
        ]


def _app_with(make_app, name, audience, **options):
    plugin = NotesPlugin(name, audience, **options)
    app = make_app(extra_plugins=[plugin])
    plugin.owner = app.extensions["forum.content_types"][name].owner
    app.notes_plugin = plugin
    return app


def _note(user_id, text):
    note = Notification(user_id=user_id, kind="demo", text=text)
    db.session.add(note)
    db.session.commit()
    return note


def test_plugin_public_source_is_indexed_and_found(make_app, make_user):
    app = _app_with(make_app, "open_note", "public")
    with app.app_context():
        user = make_user()
        _note(user.id, "a public heron note")
        services.reindex()
        db.session.commit()
        html = app.test_client().get("/search?q=heron&kind=open_note").get_data(as_text=True)
    assert 'href="/notes/' in html and "<mark>heron</mark>" in html


def test_one_object_is_indexed_through_documents_for_without_reading_the_rest(make_app, make_user):
    for one_at_a_time, asked in ((True, [[2]]), (False, [None])):
        app = _app_with(make_app, "open_note", "public", one_at_a_time=one_at_a_time)
        with app.app_context():
            user = make_user()
            _note(user.id, "an older plover note")
            note = _note(user.id, "a newer plover note")
            app.notes_plugin.asked.clear()
            emit("content_published", content=note)
            db.session.commit()
            assert app.notes_plugin.asked == asked
            html = app.test_client().get("/search?q=plover&kind=open_note").get_data(as_text=True)
            assert f'href="/notes/{note.id}"' in html and "older" not in html
            db.session.remove()


def test_members_only_type_never_indexed(make_app, make_user, login_as):
    app = _app_with(make_app, "secret_note", "members")
    with app.app_context():
        owner = make_user()
        note = _note(owner.id, "private kestrelcanary words")
        emit("content_published", content=note)
        db.session.commit()
        counts = services.reindex()
        db.session.commit()
        assert "secret_note" not in counts
        found = (
            services.backend()
            .candidates(["kestrelcanary"], Filters(("secret_note",)), services.utcnow(), 10)
            .keys
        )
        assert found == []
        client = login_as(app.test_client(), owner)
        response = client.get("/search?q=kestrelcanary")
        assert response.status_code == 200
        assert "kestrelcanary</mark>" not in response.get_data(as_text=True)


class ExcludeTitled:
    @hookimpl
    def search_exclude(self, content_type, obj):
        return True if getattr(obj, "title", "") == "Keep out" else None


def test_search_exclude_hook(register_plugin, make_part, client):
    kept, dropped = (
        make_part(title="Keep in", body="ocelot"),
        make_part(title="Keep out", body="ocelot"),
    )
    with register_plugin(ExcludeTitled()):
        for part in (kept, dropped):
            emit("content_published", content=part)
        db.session.commit()
    found = services.visible_candidates("ocelot", Filters(("part",)))
    assert found == [("part", kept.id)]
