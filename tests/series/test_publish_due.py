"""`flask forum publish-due`: a scheduled part is announced once, when its time has come."""

from datetime import timedelta

from forum import hookimpl
from forum.db import utcnow
from forum.extensions import db


class Listener:
    def __init__(self):
        self.published = []

    @hookimpl
    def content_published(self, content):
        self.published.append(content.id)


def test_scheduled_part_announced_once_when_due(runner, make_part, register_plugin):
    listener = Listener()
    part = make_part(status="approved", publish_at=utcnow() + timedelta(hours=1))
    with register_plugin(listener):
        assert "0 part(s) announced" in runner.invoke(args=["forum", "publish-due"]).output
        part.publish_at = utcnow() - timedelta(seconds=1)  # time passes
        db.session.commit()
        assert "1 part(s) announced" in runner.invoke(args=["forum", "publish-due"]).output
        assert "0 part(s) announced" in runner.invoke(args=["forum", "publish-due"]).output
    assert listener.published == [part.id]


def test_approval_with_a_past_date_announces_at_once(make_part, make_user, register_plugin):
    from forum.series.services import approve_part

    listener = Listener()
    moderator = make_user(roles=("member", "moderator"))
    part = make_part(status="submitted", publish_at=None)
    with register_plugin(listener):
        approve_part(part, moderator, None)
        db.session.commit()
        from forum.series.publishing import announce_due

        assert announce_due() == 0
    assert listener.published == [part.id]
