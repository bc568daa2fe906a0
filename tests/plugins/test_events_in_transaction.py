"""Event hooks of a plugin that sets ``forum_events_in_transaction`` run in the emitting
transaction, before it commits; the other plugins still hear the events after the commit, and a
batch that raises falls back to the after-commit delivery (``forum.kernel.events``)."""

import kitchen_sink
import pytest
import sqlalchemy as sa

from forum.extensions import db
from forum.kernel.events import emit
from forum.kernel.models import SiteSetting
from forum.sdk import hookimpl


class Ledger:
    """Writes one settings row per published comment; fails on demand."""

    forum_events_in_transaction = True

    def __init__(self):
        self.seen = []  # (comment id, whether the emitting transaction was still open)
        self.failures = 0

    @hookimpl
    def content_published(self, content):
        self.seen.append((content.id, bool(db.session.info.get("forum_pending_events"))))
        if self.failures:
            self.failures -= 1
            db.session.add(SiteSetting(key=f"ledger.broken.{content.id}", value=1))
            db.session.flush()
            raise RuntimeError("the ledger is down")
        db.session.add(SiteSetting(key=f"ledger.{content.id}", value=1))


@pytest.fixture
def ledger():
    return Ledger()


@pytest.fixture
def app(make_app, ledger):
    kitchen_sink.CALLS.clear()
    app = make_app(extra_plugins=[(kitchen_sink.NAME, kitchen_sink), ("ledger", ledger)])
    with app.app_context():
        yield app


def _rows(prefix: str) -> list[str]:
    return list(
        db.session.scalars(sa.select(SiteSetting.key).where(SiteSetting.key.startswith(prefix)))
    )


def test_in_transaction_hooks_commit_with_the_content(app, ledger, make_comment):
    comment = make_comment(body="Public at once.")
    commits = []
    listener = lambda conn: commits.append(1)  # noqa: E731
    sa.event.listen(db.engine, "commit", listener)
    try:
        emit("content_published", content=comment)
        comment.body_source += " (edited)"
        db.session.commit()
    finally:
        sa.event.remove(db.engine, "commit", listener)
    assert ledger.seen == [(comment.id, True)]  # ran while the event was still queued
    assert _rows("ledger.") == [f"ledger.{comment.id}"]
    assert ("content_published", {"content": comment}) in kitchen_sink.CALLS  # after the commit
    assert len(commits) == 1  # the ledger's row came with the content (the sink wrote nothing)


def test_a_raising_batch_is_undone_and_delivered_after_the_commit(app, ledger, make_comment):
    comment = make_comment(body="Public at once.")
    ledger.failures = 1
    app.testing = False  # production: logged, not raised
    try:
        emit("content_published", content=comment)
        comment.body_source += " (kept)"
        db.session.commit()
    finally:
        app.testing = True
    assert db.session.get(type(comment), comment.id).body_source.endswith("(kept)")
    assert ledger.seen == [(comment.id, True), (comment.id, False)]  # again, after the commit
    assert _rows("ledger.") == [f"ledger.{comment.id}"]  # the failed batch's write is gone


def test_a_raising_batch_fails_loudly_in_tests(app, ledger, make_comment):
    comment = make_comment(body="Public at once.")
    ledger.failures = 1
    emit("content_published", content=comment)
    with pytest.raises(RuntimeError, match="the ledger is down"):
        db.session.commit()
    db.session.rollback()
    assert _rows("ledger.") == []
