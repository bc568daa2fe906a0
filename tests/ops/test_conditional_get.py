"""Conditional GET: guests' pages, feeds and API reads revalidate to 304 until content changes;
members' pages never do; token reads are keyed on the token's user."""

import json
import shutil
import time

import pytest
import sqlalchemy as sa
from werkzeug.http import http_date

from forum.api.tokens import create_token
from forum.extensions import db
from forum.moderation.decisions import approve
from forum.testing import sql_statements


@pytest.fixture
def app_config(tmp_path):
    # readers get pages through the page cache, and the CSRF token lives in the session
    return {
        "FORUM_PAGE_CACHE": True,
        "FORUM_PAGE_CACHE_DIR": str(tmp_path / "pages"),
        "WTF_CSRF_ENABLED": True,
    }


@pytest.fixture
def thread(make_characteristic, make_user, make_comment):
    ch = make_characteristic(slug="trust", title="Trust")
    member = make_user("waiting_member")
    pending = make_comment(
        characteristic=ch, author=member, status="pending", body="Words under review"
    )
    return {
        "ch": ch,
        "member": member,
        "pending": pending,
        "moderator": make_user("mod", roles=("member", "moderator")),
    }


def revalidate(client, path, etag, **headers):
    return client.get(path, headers={"If-None-Match": etag, **headers})


def _approve(thread):
    assert approve("comment", thread["pending"], thread["moderator"])
    db.session.commit()


def test_a_guest_page_revalidates_to_an_empty_304(client, thread):
    first = client.get("/c/trust")
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert "Cookie" in first.headers["Vary"] and first.headers["Cache-Control"] == "no-cache"
    assert "Date" not in first.headers  # gunicorn adds its own; a second one would be stale
    again = revalidate(client, "/c/trust", etag)
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    assert again.headers["X-Page-Cache"] == "hit"  # answered from the cached page's validators


def test_a_304_is_answered_before_rendering(client, thread, tmp_path):
    etag = client.get("/c/trust").headers["ETag"]
    shutil.rmtree(tmp_path / "pages")  # nothing cached: the app itself must answer
    with sql_statements() as seen:
        again = revalidate(client, "/c/trust", etag)
    assert again.status_code == 304 and again.data == b""
    assert not [s for s in seen if "characteristics" in s or "comments" in s]  # nothing rendered


def test_the_etag_changes_when_a_comment_is_approved(client, thread):
    first = client.get("/c/trust")
    assert "Words under review" not in first.get_data(as_text=True)
    _approve(thread)
    after = revalidate(client, "/c/trust", first.headers["ETag"])
    assert after.status_code == 200
    assert "Words under review" in after.get_data(as_text=True)
    assert after.headers["ETag"] != first.headers["ETag"]
    assert revalidate(client, "/c/trust", after.headers["ETag"]).status_code == 304


def test_a_feed_revalidates_and_changes_on_publish(client, thread, make_part):
    path = "/feeds/c/trust.atom"
    first = client.get(path)
    assert first.status_code == 200 and first.mimetype == "application/atom+xml"
    assert revalidate(client, path, first.headers["ETag"]).status_code == 304
    make_part(characteristic=thread["ch"], title="Freshly published part")
    after = revalidate(client, path, first.headers["ETag"])
    assert after.status_code == 200 and "Freshly published part" in after.get_data(as_text=True)
    comments = "/feeds/c/trust/comments.atom"
    etag = client.get(comments).headers["ETag"]
    assert revalidate(client, comments, etag).status_code == 304
    _approve(thread)
    assert "Words under review" in revalidate(client, comments, etag).get_data(as_text=True)


def test_an_api_read_revalidates_and_changes_on_approval(client, thread):
    path = "/api/v1/characteristics/trust/comments"
    first = client.get(path)
    assert first.status_code == 200 and first.get_json()["meta"]["total"] == 0
    assert revalidate(client, path, first.headers["ETag"]).status_code == 304
    _approve(thread)
    after = revalidate(client, path, first.headers["ETag"])
    assert after.status_code == 200 and after.get_json()["meta"]["total"] == 1


def test_token_reads_are_keyed_on_the_tokens_user(client, thread, make_user):
    path = "/api/v1/characteristics/trust/comments"
    _t, mine = create_token(thread["member"], "script")
    _t, theirs = create_token(make_user("someone_else"), "script")
    db.session.commit()
    as_me = {"Authorization": f"Bearer {mine}"}
    first = client.get(path, headers=as_me)
    assert first.get_json()["meta"]["total"] == 1  # my own pending comment, through the policy
    assert "private" in first.headers["Cache-Control"] and "Authorization" in first.headers["Vary"]
    assert revalidate(client, path, first.headers["ETag"], **as_me).status_code == 304
    other = revalidate(client, path, first.headers["ETag"], Authorization=f"Bearer {theirs}")
    assert other.status_code == 200 and other.get_json()["meta"]["total"] == 0
    guest = revalidate(client, path, first.headers["ETag"])
    assert guest.status_code == 200 and guest.get_json()["meta"]["total"] == 0
    # my new comment waits for review (public pages do not change) yet my reads do
    posted = client.post(path, json={"body": "One more from me."}, headers=as_me)
    assert posted.status_code == 201 and posted.get_json()["status"] == "pending"
    after = revalidate(client, path, first.headers["ETag"], **as_me)
    assert after.status_code == 200 and after.get_json()["meta"]["total"] == 2


def test_a_members_page_never_304s(app, client, thread, make_user, login_as):
    guest_etag = client.get("/c/trust").headers["ETag"]
    ann = login_as(app.test_client(), thread["member"])
    bob = login_as(app.test_client(), make_user("bob"))
    seen = ann.get("/c/trust")
    assert seen.status_code == 200 and "ETag" not in seen.headers
    for member in (ann, bob):
        response = revalidate(member, "/c/trust", guest_etag)
        assert response.status_code == 200 and "ETag" not in response.headers
        assert response.headers["Cache-Control"] == "no-store"
    assert "Words under review" in revalidate(ann, "/c/trust", guest_etag).get_data(as_text=True)


def test_a_response_that_sets_a_cookie_gets_no_etag(client, thread):
    login = client.get("/login")  # the CSRF token goes into a new session
    assert login.status_code == 200 and "Set-Cookie" in login.headers
    assert "ETag" not in login.headers
    assert client.get("/login", headers={"If-None-Match": "*"}).status_code == 200


def _age_the_content_version(seconds: float) -> None:
    version = json.dumps({"v": time.time_ns() - int(seconds * 1e9), "next": None})
    with db.engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE site_setting SET value = :v WHERE key = 'content_version'"),
            {"v": version},
        )


def test_if_modified_since(client, thread):
    _age_the_content_version(600)
    first = client.get("/c/trust")
    modified = first.headers["Last-Modified"]
    assert client.get("/c/trust", headers={"If-Modified-Since": modified}).status_code == 304
    older = http_date(time.time() - 7200)
    assert client.get("/c/trust", headers={"If-Modified-Since": older}).status_code == 200
    _approve(thread)
    assert client.get("/c/trust", headers={"If-Modified-Since": modified}).status_code == 200


def test_with_redis_holding_the_version(make_app, make_characteristic, make_part):
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/9"  # (a Redis database no other test module uses)
    try:
        redis.Redis.from_url(url).ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {url}")
    app = make_app(FORUM_PAGE_CACHE=True, REDIS_URL=url)
    client = app.test_client()
    ch = make_characteristic(slug="redis-thread")
    first = client.get(f"/c/{ch.slug}")
    again = revalidate(client, f"/c/{ch.slug}", first.headers["ETag"])
    assert again.status_code == 304 and again.data == b""
    make_part(characteristic=ch, title="Part told through Redis")
    app.extensions["forum.pagecache"].bump()  # (what that commit does in an app with the cache on)
    after = revalidate(client, f"/c/{ch.slug}", first.headers["ETag"])
    assert after.status_code == 200 and "Part told through Redis" in after.get_data(as_text=True)
