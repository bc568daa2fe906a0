import os

import pytest

from forum import create_app, crypto


def test_config_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("FORUM_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'forum.sqlite3'}"
    key_file = tmp_path / "secret_key"
    assert key_file.read_text().strip() == app.config["SECRET_KEY"]
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    # the key is generated once and kept
    again = create_app()
    assert again.config["SECRET_KEY"] == app.config["SECRET_KEY"]
    _dispose(app)
    _dispose(again)


def test_environment_overrides(monkeypatch, tmp_path):
    monkeypatch.setenv("FORUM_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "from-env")
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@h/db")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("FORUM_PAIR_KEY", crypto.new_key())  # PostgreSQL: shared keys are required
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"
    _dispose(app)


def test_explicit_config_wins(monkeypatch, tmp_path):
    monkeypatch.setenv("FORUM_INSTANCE_PATH", str(tmp_path))
    app = create_app(
        {
            "TESTING": True,
            "COMMENTS_PER_PAGE": 7,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'explicit.sqlite3'}",
        }
    )
    assert app.testing and app.config["COMMENTS_PER_PAGE"] == 7
    _dispose(app)


def _dispose(app):
    """Close the pool of an app built outside the fixtures (no connection is left to the GC)."""
    from forum.extensions import db

    with app.app_context():
        db.engine.dispose()


def test_session_cookie_flags(app):
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_sqlite_pragmas(app):
    from forum.extensions import db

    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's own pragmas; PostgreSQL has none of them")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_home_page_serves(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"<main" in response.data
    # nothing is loaded from another host
    assert b"//cdn" not in response.data and b"https://" not in response.data.split(b"<footer")[0]
    assert os.environ.get("NEVER_SET_FLAG") is None


def test_secret_key_created_once_by_racing_workers(monkeypatch, tmp_path):
    """Workers starting together agree on one generated key (no FileExistsError, no two keys)."""
    from concurrent.futures import ThreadPoolExecutor

    from forum.config import _secret_key

    monkeypatch.delenv("SECRET_KEY", raising=False)
    with ThreadPoolExecutor(8) as pool:
        keys = set(pool.map(lambda _: _secret_key(tmp_path), range(16)))
    assert len(keys) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no temp files left behind
