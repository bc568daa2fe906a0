"""Several hosts: on PostgreSQL a secret generated per host refuses to start; the files that
hold secrets (the SQLite database, the generated key) are created owner-only."""

import os
import stat

import pytest
import sqlalchemy as sa

from forum import config, create_app
from forum.config import ConfigError

POSTGRES = "postgresql+psycopg://db.internal/forum"


@pytest.fixture
def bare_environment(monkeypatch, tmp_path):
    for name in ("DATABASE_URL", "SECRET_KEY", "FORUM_PAIR_KEY", "FORUM_KEYS_DIR", "FLASK_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FORUM_INSTANCE_PATH", str(tmp_path))
    return tmp_path


def test_on_postgresql_a_generated_secret_key_refuses_to_start(bare_environment):
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        create_app({"SQLALCHEMY_DATABASE_URI": POSTGRES})
    assert not (bare_environment / config.SECRET_KEY_FILE).exists()


def test_debugging_testing_and_sqlite_may_generate_the_key(bare_environment):
    path = str(bare_environment)
    assert config.load(path, {"SQLALCHEMY_DATABASE_URI": POSTGRES}, debug=True)["SECRET_KEY"]
    assert config.load(path, {"SQLALCHEMY_DATABASE_URI": POSTGRES, "TESTING": True})["SECRET_KEY"]
    assert config.load(path)["SECRET_KEY"]  # SQLite: one host
    assert (
        config.load(path, {"SQLALCHEMY_DATABASE_URI": POSTGRES, "SECRET_KEY": "set"})["SECRET_KEY"]
        == "set"
    )


def test_the_sqlite_database_and_the_secret_key_are_created_owner_only(bare_environment):
    old_umask = os.umask(0o022)  # a usual umask: files would be world-readable
    try:
        app = create_app()
        with app.app_context():
            from forum.extensions import db

            with db.engine.begin() as conn:
                conn.execute(sa.text("CREATE TABLE probe (x INTEGER)"))
                conn.execute(sa.text("INSERT INTO probe VALUES (1)"))
            files = [
                bare_environment / "forum.sqlite3",
                bare_environment / "forum.sqlite3-wal",
                bare_environment / config.SECRET_KEY_FILE,
            ]
            modes = {f.name: stat.S_IMODE(f.stat().st_mode) for f in files}
            db.engine.dispose()
    finally:
        os.umask(old_umask)
    assert modes == {f.name: 0o600 for f in files}


def test_a_relative_sqlite_path_is_created_owner_only_in_the_instance_folder(tmp_path):
    from forum.db import create_private_sqlite_file

    create_private_sqlite_file("sqlite:///relative.sqlite3", str(tmp_path))
    assert stat.S_IMODE((tmp_path / "relative.sqlite3").stat().st_mode) == 0o600
    create_private_sqlite_file("sqlite://", str(tmp_path))  # in memory: nothing to create
    create_private_sqlite_file(POSTGRES, str(tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["relative.sqlite3"]
