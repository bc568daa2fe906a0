"""The outbox claims rows, retries with back-off, gives up after MAIL_MAX_ATTEMPTS, never blocks."""

import smtplib
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from forum.db import utcnow
from forum.extensions import db
from forum.notifications.mail import send_pending
from forum.notifications.models import OutboxMail


class CountingTransport:
    """Records each message it takes; refuses those to ``refuse`` with an SMTP error."""

    def __init__(self, refuse=(), delay=0.0):
        self.sent, self.refuse, self.delay = [], set(refuse), delay
        self.lock = threading.Lock()

    def send(self, msg):
        time.sleep(self.delay)
        if msg["To"] in self.refuse:
            raise smtplib.SMTPRecipientsRefused(
                {msg["To"]: (550, f"no mailbox; subject was {msg['Subject']}".encode())}
            )
        with self.lock:
            self.sent.append(msg["Message-ID"])


@pytest.fixture
def app_config():
    return {"MAIL_MAX_ATTEMPTS": 3, "MAIL_RETRY_SECONDS": 60}


def _queue(n, to="reader{}@example.org"):
    mails = [
        OutboxMail(to=to.format(i), subject=f"Message {i}", body=f"Body {i}") for i in range(n)
    ]
    db.session.add_all(mails)
    db.session.commit()
    return mails


def _make_due():
    """Let time pass: every waiting retry is due now."""
    db.session.execute(
        update(OutboxMail)
        .where(OutboxMail.next_attempt_at.is_not(None))
        .values(next_attempt_at=utcnow() - timedelta(seconds=1))
    )
    db.session.commit()


def test_a_failing_message_never_blocks_the_ones_after_it(app):
    bad = OutboxMail(to="gone@example.org", subject="Private matters of the pair", body="x")
    db.session.add(bad)
    db.session.commit()
    _queue(3)
    transport = CountingTransport(refuse={"gone@example.org"})
    assert send_pending(backend=transport) == (3, 1)
    db.session.refresh(bad)
    assert bad.sent_at is None and bad.failed_at is None and bad.attempts == 1
    wait = bad.next_attempt_at - utcnow()
    assert timedelta(seconds=55) < wait <= timedelta(seconds=60)
    assert send_pending(backend=transport) == (0, 0)  # not due yet: nothing is tried
    _queue(1, to="new{}@example.org")
    assert send_pending(backend=transport) == (1, 0)


def test_any_error_of_one_message_is_that_messages_alone(app):
    """Not only SMTP errors: the ValueError of issue 23 used to end the whole run, every run."""

    class Picky(CountingTransport):
        def send(self, msg):
            if msg["To"] == "reader0@example.org":
                raise ValueError(
                    "Header values may not contain linefeed or carriage return characters"
                )
            super().send(msg)

    first, *_ = _queue(3)
    transport = Picky()
    assert send_pending(backend=transport) == (2, 1)
    db.session.refresh(first)
    assert first.attempts == 1 and first.last_error.startswith("ValueError: Header values")


def test_back_off_doubles_then_the_message_is_marked_failed(app):
    bad = OutboxMail(to="gone@example.org", subject="Private matters of the pair", body="x")
    db.session.add(bad)
    db.session.commit()
    transport = CountingTransport(refuse={"gone@example.org"})
    waits = []
    for _ in range(3):
        _make_due()
        assert send_pending(backend=transport) == (0, 1)
        db.session.refresh(bad)
        if bad.next_attempt_at:
            waits.append(round((bad.next_attempt_at - utcnow()).total_seconds() / 60))
    assert waits == [1, 2]
    assert bad.attempts == 3 and bad.failed_at is not None and bad.next_attempt_at is None
    assert bad.last_error.startswith("SMTPRecipientsRefused:") and "550" in bad.last_error
    assert "Private matters" not in bad.last_error  # the error text carries none of the message
    _make_due()
    assert send_pending(backend=transport) == (0, 0)  # given up: left for an admin


def test_two_concurrent_senders_never_send_a_message_twice(app, run_at_once):
    _queue(40)
    transport = CountingTransport(delay=0.005)

    def sender():
        while send_pending(limit=5, backend=transport) != (0, 0):
            pass

    run_at_once(sender)
    assert len(transport.sent) == 40 and len(set(transport.sent)) == 40
    assert (
        db.session.execute(select(OutboxMail).where(OutboxMail.sent_at.is_(None))).first() is None
    )


def test_a_claimed_message_is_left_to_its_sender_until_the_claim_expires(app):
    [mail] = _queue(1)
    mail.claimed_until = utcnow() + timedelta(minutes=5)  # another sender is busy with it
    db.session.commit()
    transport = CountingTransport()
    assert send_pending(backend=transport) == (0, 0)
    mail.claimed_until = utcnow() - timedelta(seconds=1)  # that sender died
    db.session.commit()
    assert send_pending(backend=transport) == (1, 0)


def test_unreachable_server_counts_no_attempt(make_app):
    app = make_app(MAIL_URL="smtp://127.0.0.1:1")
    with app.app_context():
        [mail] = _queue(1)
        result = app.test_cli_runner().invoke(args=["forum", "send-mail"])
        assert result.exit_code == 1
        db.session.refresh(mail)
        assert mail.sent_at is None and mail.attempts == 0 and mail.claimed_until is None
