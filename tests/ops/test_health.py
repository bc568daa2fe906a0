"""/healthz and /readyz: JSON naming each check, 200 or 503, never cached, limited or cookied."""

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from forum.extensions import db, limiter
from forum.ops import health
from forum.testing import sql_statements, writes


@pytest.fixture
def app_config(tmp_path):
    # probes run where readers do: behind the page cache
    return {"FORUM_PAGE_CACHE": True, "FORUM_PAGE_CACHE_DIR": str(tmp_path / "pages")}


def test_healthz_says_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_names_each_check_when_ready(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["checks"] == {"database": {"status": "ok"}, "migrations": {"status": "ok"}}
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_checks_redis_when_configured(make_app):
    client = make_app(REDIS_URL="redis://127.0.0.1:6379/14").test_client()
    response = client.get("/readyz")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["checks"]["redis"] == {"status": "ok"}


def test_readyz_fails_on_unreachable_redis(make_app):
    # (the page cache keeps its version in Redis too, and a start-up commit would bump it)
    client = make_app(REDIS_URL="redis://127.0.0.1:1", FORUM_PAGE_CACHE=False).test_client()
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "fail"
    assert body["checks"]["redis"]["status"] == "fail"
    assert body["checks"]["database"] == {"status": "ok"}
    assert "127.0.0.1" not in response.get_data(as_text=True)  # no URL echoed


def _older_revision(app):
    """(head, its parent) for one branch of the installed migrations that has two revisions."""
    with app.app_context():
        script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
        for head in sorted(health.script_heads()):
            parent = script.get_revision(head).down_revision
            if isinstance(parent, str):
                return head, parent
    pytest.skip("no migration branch has two revisions to step back to")


def test_readyz_fails_when_the_database_is_behind(app, client):
    head, parent = _older_revision(app)
    swap = sa.text("UPDATE alembic_version SET version_num = :new WHERE version_num = :old")
    with db.engine.begin() as conn:
        conn.execute(swap, {"new": parent, "old": head})
    try:
        response = client.get("/readyz")
    finally:
        with db.engine.begin() as conn:
            conn.execute(swap, {"new": head, "old": parent})
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "fail"
    assert body["checks"]["database"] == {"status": "ok"}
    migrations = body["checks"]["migrations"]
    assert migrations["status"] == "fail"
    assert parent in migrations["database"] and head in migrations["code"]
    assert client.get("/readyz").status_code == 200  # and ready again once at head


def test_probes_set_no_cookie_write_nothing_and_are_not_cached(app, client, make_characteristic):
    make_characteristic()
    for path in ("/healthz", "/readyz", "/healthz", "/readyz"):
        with sql_statements() as seen:
            response = client.get(path)
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers
        assert "X-Page-Cache" not in response.headers  # never through the page cache
        assert "ETag" not in response.headers
        assert writes(seen) == []


def test_liveness_does_not_depend_on_the_database(tmp_path):
    from forum import create_app
    from forum.testing import base_config

    app = create_app(base_config("postgresql+psycopg://127.0.0.1:1/nowhere", tmp_path))
    try:
        client = app.test_client()
        assert client.get("/healthz").status_code == 200
        response = client.get("/readyz")
        assert response.status_code == 503
        checks = response.get_json()["checks"]
        assert checks["database"]["status"] == "fail" and checks["migrations"]["status"] == "fail"
        assert "nowhere" not in response.get_data(as_text=True)
    finally:
        with app.app_context():
            db.engine.dispose()


def test_probes_are_never_rate_limited(make_app, monkeypatch):
    # The one Limiter keeps the first default and application limits any app gave it: these
    # are this test's alone, not every later app's in the process.
    monkeypatch.setattr(limiter.limit_manager, "_default_limits", [])
    monkeypatch.setattr(limiter.limit_manager, "_application_limits", [])
    app = make_app(
        RATELIMIT_ENABLED=True,
        RATELIMIT_DEFAULT="5 per minute",
        RATELIMIT_APPLICATION="10 per minute",
    )
    client = app.test_client()
    statuses = [
        client.get(path).status_code for _ in range(100) for path in ("/healthz", "/readyz")
    ]
    assert statuses == [200] * 200
    # the same limits do apply to an ordinary page (so the ones above were really on)
    assert 429 in [client.get("/robots.txt").status_code for _ in range(15)]
