"""Guest-form honeypot and minimum fill time; posting and flagging rate limits (429)."""

import time
import uuid

import pytest
from flask_wtf import FlaskForm
from wtforms import StringField

from forum.content.antiabuse import GuestFormMixin, _signer, started_token
from forum.extensions import db

#: Uses Redis and the process-wide Flask-Limiter: this file's tests run in order on one worker.
pytestmark = pytest.mark.xdist_group("redis-limits")


class GuestForm(GuestFormMixin, FlaskForm):
    name = StringField("Name")


def _validate(app, **data):
    with app.test_request_context(method="POST", data=data):
        form = GuestForm()
        return form.validate(), form.errors


def test_a_patient_human_passes(app):
    with app.test_request_context():
        started = _signer().dumps(time.time() - 10)
    ok, errors = _validate(app, name="Visitor", website="", started=started)
    assert ok, errors


def test_honeypot_filled_is_refused(app):
    with app.test_request_context():
        started = _signer().dumps(time.time() - 10)
    ok, errors = _validate(app, name="Bot", website="http://spam.example", started=started)
    assert not ok and "website" in errors


def test_too_fast_is_refused(app):
    with app.test_request_context():
        started = started_token()
    ok, errors = _validate(app, name="Bot", started=started)
    assert not ok and "quick" in errors["started"][0]


@pytest.mark.parametrize("started", ["", "12345", "forged.token", None])
def test_missing_or_forged_start_time_is_refused(app, started):
    data = {"name": "Bot"} if started is None else {"name": "Bot", "started": started}
    ok, errors = _validate(app, **data)
    assert not ok and "started" in errors


def test_prime_sets_a_signed_start(app):
    with app.test_request_context():
        form = GuestForm()
        form.prime()
        assert float(_signer().loads(form.started.data)) <= time.time()


# --- rate limits ----------------------------------------------------------------------------------


@pytest.fixture
def limited(app, make_app):
    """An app with rate limits on, built after ``app``: the one Limiter follows the last init_app."""
    limited_app = make_app(RATELIMIT_ENABLED=True)
    with limited_app.app_context():
        yield limited_app


def test_flagging_is_limited_per_account(limited, make_user, make_comment, login_as):
    comment = make_comment(author=make_user("bob"))
    client = login_as(limited.test_client(), make_user("eager"))
    codes = [
        client.post(f"/flag/comment/{comment.id}", data={"reason": "spam"}).status_code
        for _ in range(21)
    ]
    assert codes[0] == 303 and set(codes[1:20]) == {303}  # (a repeat is sent back, told why)
    assert codes[20] == 429
    response = client.post(f"/flag/comment/{comment.id}", data={"reason": "spam"})
    assert response.status_code == 429
    assert "too often" in response.get_data(as_text=True)
    assert "Retry-After" in response.headers or "X-RateLimit-Reset" in response.headers
    other = login_as(limited.test_client(), make_user("calm"))
    assert other.post(f"/flag/comment/{comment.id}", data={"reason": "spam"}).status_code == 303


def test_posting_is_limited_per_account(limited, make_user, make_characteristic, login_as):
    thread = make_characteristic()
    client = login_as(limited.test_client(), make_user("chatty"))
    codes = [
        client.post(f"/c/{thread.slug}/comments", data={"body": f"n{i}"}).status_code
        for i in range(11)
    ]
    assert all(c in (302, 303) for c in codes[:10]) and codes[10] == 429


def test_posting_is_limited_per_ip(limited, make_user, make_characteristic, login_as):
    thread = make_characteristic()
    clients = [login_as(limited.test_client(), make_user(f"u{i}")) for i in range(4)]
    codes = [
        clients[i % 4].post(f"/c/{thread.slug}/comments", data={"body": f"n{i}"}).status_code
        for i in range(31)
    ]
    assert codes[30] == 429 and 429 not in codes[:30]
    elsewhere = login_as(limited.test_client(), make_user("far"))
    response = elsewhere.post(
        f"/c/{thread.slug}/comments",
        data={"body": "from elsewhere"},
        environ_base={"REMOTE_ADDR": "192.0.2.7"},
    )
    assert response.status_code == 302


REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def redis_prefix():
    """A key prefix of our own in Redis DB 15, so parallel test runs never share or wipe counts."""
    redis = pytest.importorskip("redis")
    conn = redis.Redis.from_url(REDIS_URL)
    try:
        conn.ping()
    except redis.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    prefix = f"test-{uuid.uuid4().hex}"
    yield prefix, lambda: conn.keys(f"*{prefix}*")
    for key in conn.keys(f"*{prefix}*"):
        conn.delete(key)


class _LoggedIn:
    def __init__(self, login_id):
        self.login_id = login_id

    def get_id(self):
        return self.login_id


def test_two_app_instances_share_the_count_in_redis(
    monkeypatch, app, make_app, make_user, make_comment, login_as, redis_prefix
):
    from forum.extensions import limiter

    prefix, our_keys = redis_prefix
    # Flask-Limiter keeps the first key prefix it ever saw (one Limiter per process), so set ours
    # directly: other test runs sharing this Redis then never touch our counts.
    monkeypatch.setattr(limiter, "_key_prefix", prefix)
    user, comment_id = make_user("eager"), make_comment(author=make_user("bob")).id
    user = _LoggedIn(user.get_id())
    db.session.rollback()  # (reading those held SQLite's write lock: the new apps would wait it out)
    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    first = make_app(RATELIMIT_ENABLED=True)
    assert first.config["RATELIMIT_STORAGE_URI"] == REDIS_URL
    client = login_as(first.test_client(), user)
    for _ in range(20):
        assert (
            client.post(f"/flag/comment/{comment_id}", data={"reason": "spam"}).status_code != 429
        )
    assert our_keys()  # the counts live in Redis
    # A second instance (another worker) starts with fresh in-process state, yet sees the count.
    second = make_app(RATELIMIT_ENABLED=True)
    client = login_as(second.test_client(), user)
    assert client.post(f"/flag/comment/{comment_id}", data={"reason": "spam"}).status_code == 429


def test_memory_storage_when_no_redis(monkeypatch, make_app):
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert make_app().config["RATELIMIT_STORAGE_URI"] == "memory://"
