"""The inbox with its unread badge, mark read, and watching a characteristic."""

import re

from forum.extensions import db
from forum.notifications.models import Notification, Watch
from forum.notifications.services import notify, notify_once


def _badge(html):
    found = re.search(
        r'href="/notifications">Notifications(?: <span class="badge">(\d+)</span>)?', html
    )
    assert found, "no Notifications link in the header"
    return int(found.group(1) or 0)


def test_badge_inbox_and_mark_read(client, login_as, make_user):
    user, other = make_user(), make_user()
    first = notify(user.id, "reply", "Someone replied.", "/c/x")
    notify(user.id, "mention", "Someone mentioned you.", "/c/y")
    notify(other.id, "reply", "Not yours.", "/c/z")
    db.session.commit()
    assert "Notifications" not in client.get("/").get_data(as_text=True)  # anonymous: no link
    login_as(client, user)
    html = client.get("/notifications").get_data(as_text=True)
    assert _badge(html) == 2 and "Someone replied." in html and "Not yours." not in html
    response = client.post(f"/notifications/{first.id}/read", data={"open": "1"})
    assert response.status_code == 302 and response.headers["Location"] == "/c/x"
    assert _badge(client.get("/").get_data(as_text=True)) == 1
    assert client.post("/notifications/read-all").status_code == 302
    assert _badge(client.get("/").get_data(as_text=True)) == 0
    foreign = db.session.query(Notification).filter_by(user_id=other.id).one()
    assert client.post(f"/notifications/{foreign.id}/read").status_code == 404
    assert db.session.get(Notification, foreign.id).read_at is None


def test_inbox_needs_login_and_sane_pages(client, login_as, make_user):
    assert client.get("/notifications").status_code == 302
    login_as(client, make_user())
    assert client.get("/notifications?page=2").status_code == 404
    assert client.get("/notifications?page=x").status_code == 400


def test_notify_once_dedupes(make_user):
    user = make_user()
    assert notify_once(user.id, "reply", "a", "/u") is not None
    db.session.commit()
    assert notify_once(user.id, "reply", "a", "/u") is None


def test_watch_and_unwatch(client, login_as, make_user, make_characteristic):
    ch = make_characteristic(slug="respect", title="Respect")
    user = make_user()
    assert client.get("/watch/respect").status_code == 302  # log in first
    login_as(client, user)
    page = client.get("/watch/respect").get_data(as_text=True)
    assert 'value="watch"' in page
    assert client.post("/watch/respect", data={"action": "watch"}).status_code == 302
    assert db.session.get(Watch, (user.id, ch.id)) is not None
    assert client.post("/watch/respect", data={"action": "watch"}).status_code == 302  # idempotent
    assert 'value="unwatch"' in client.get("/watch/respect").get_data(as_text=True)
    thread = client.get("/c/respect").get_data(as_text=True)
    assert 'href="/watch/respect">Watching' in thread
    assert client.post("/watch/respect", data={"action": "unwatch"}).status_code == 302
    assert db.session.get(Watch, (user.id, ch.id)) is None
    assert client.post("/watch/respect", data={"action": "explode"}).status_code == 400
    assert client.get("/watch/nope").status_code == 404


def test_watch_needs_csrf(make_app, make_user, make_characteristic, login_as):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        ch = make_characteristic(slug="candour")
        user = make_user()
        client = login_as(app.test_client(), user)
        assert client.post("/watch/candour", data={"action": "watch"}).status_code == 400
        assert db.session.get(Watch, (user.id, ch.id)) is None
