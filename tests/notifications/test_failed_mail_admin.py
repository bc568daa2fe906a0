"""/admin/mail: admins see failed messages and retry or drop them; both are audited."""

import pytest
from sqlalchemy import func, select

from forum.audit.models import AuditEntry
from forum.db import utcnow
from forum.extensions import db
from forum.notifications.mail import send_pending
from forum.notifications.models import OutboxMail


class Transport:
    def __init__(self):
        self.sent = []

    def send(self, msg):
        self.sent.append(msg["To"])


@pytest.fixture
def failed(app):
    mail = OutboxMail(
        to="gone@example.org",
        subject="Your part was approved",
        body="b",
        attempts=5,
        failed_at=utcnow(),
        last_error="SMTPRecipientsRefused: 550 no mailbox",
    )
    db.session.add(mail)
    db.session.commit()
    return mail


@pytest.fixture
def admin(make_user):
    return make_user("root", roles=("member", "admin"))


def _audit(action):
    return db.session.execute(select(AuditEntry).where(AuditEntry.action == action)).scalars().all()


def test_the_page_lists_failed_messages_for_admins_only(client, login_as, make_user, admin, failed):
    assert client.get("/admin/mail").status_code == 302
    login_as(client, make_user("mod", roles=("member", "moderator")))
    assert client.get("/admin/mail").status_code == 403
    assert client.post(f"/admin/mail/{failed.id}/drop").status_code == 403
    login_as(client, admin)
    page = client.get("/admin/mail").get_data(as_text=True)
    for shown in (
        "gone@example.org",
        "Your part was approved",
        "SMTPRecipientsRefused: 550 no mailbox",
        f"/admin/mail/{failed.id}/retry",
        f"/admin/mail/{failed.id}/drop",
    ):
        assert shown in page
    assert db.session.get(OutboxMail, failed.id) is not None


def test_admins_find_it_from_the_main_navigation(client, login_as, make_user, admin, failed):
    login_as(client, make_user("mod", roles=("member", "moderator")))
    assert 'href="/admin/"' in client.get("/").get_data(as_text=True)  # invitations, calendar...
    assert 'href="/admin/mail"' not in client.get("/admin/").get_data(as_text=True)
    login_as(client, admin)
    assert 'href="/admin/"' in client.get("/").get_data(as_text=True)
    index = client.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/mail"' in index and "Failed e-mail" in index


def test_retry_queues_it_again_and_the_next_run_sends_it(client, login_as, admin, failed):
    login_as(client, admin)
    assert client.post(f"/admin/mail/{failed.id}/retry").status_code == 302
    db.session.expire_all()
    mail = db.session.get(OutboxMail, failed.id)
    assert mail.failed_at is None and mail.attempts == 0
    [entry] = _audit("mail.retry")
    assert (
        entry.actor_id == admin.id and entry.target_type == "mail" and entry.target_id == failed.id
    )
    transport = Transport()
    assert send_pending(backend=transport) == (1, 0) and transport.sent == ["gone@example.org"]
    assert "gone@example.org" not in client.get("/admin/mail").get_data(as_text=True)


def test_drop_removes_it(client, login_as, admin, failed):
    login_as(client, admin)
    mail_id = failed.id
    assert client.post(f"/admin/mail/{mail_id}/drop").status_code == 302
    db.session.expire_all()
    assert db.session.execute(select(func.count(OutboxMail.id))).scalar() == 0
    [entry] = _audit("mail.drop")
    assert entry.actor_id == admin.id and entry.target_id == mail_id
    assert client.post(f"/admin/mail/{mail_id}/drop").status_code == 404


def test_a_queued_message_cannot_be_dropped_or_retried(client, login_as, admin):
    mail = OutboxMail(to="a@example.org", subject="s", body="b")
    db.session.add(mail)
    db.session.commit()
    login_as(client, admin)
    assert client.post(f"/admin/mail/{mail.id}/drop").status_code == 404
    assert client.post(f"/admin/mail/{mail.id}/retry").status_code == 404


def test_retry_and_drop_need_the_csrf_token(make_app, make_user, login_as):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        admin = make_user("boss", roles=("member", "admin"))
        mail = OutboxMail(to="a@example.org", subject="s", body="b", failed_at=utcnow(), attempts=5)
        db.session.add(mail)
        db.session.commit()
        client = login_as(app.test_client(), admin)
        assert client.post(f"/admin/mail/{mail.id}/drop").status_code == 400
        assert client.post(f"/admin/mail/{mail.id}/retry").status_code == 400
        db.session.expire_all()
        assert (
            db.session.get(OutboxMail, mail.id).failed_at is not None and _audit("mail.drop") == []
        )
