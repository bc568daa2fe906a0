"""The README's backups, done and restored as an admin would on a host: the database (SQLite with
``flask forum backup``, PostgreSQL with pg_dump/pg_restore) and the key files beside it, restored
on a fresh instance folder where the pair-space content still reads and sessions still hold."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import uuid
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
from sqlalchemy import select

from forum.crypto import DecryptionError, new_key
from forum.extensions import db
from forum.testing import ForumTestClient, fresh_postgres_database, run_flask
from forum.visibility import bypass

pytestmark = pytest.mark.slow

PASSWORD = "correct horse battery"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def site_env(instance: Path, **settings: str) -> dict:
    """The environment of a host whose instance folder is ``instance``: nothing inherited that
    would decide the database or the keys, only ``settings``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in ("DATABASE_URL", "SECRET_KEY", "FORUM_PAIR_KEY", "FLASK_DEBUG", "FORUM_KEYS_DIR")
    }
    return env | {"FORUM_INSTANCE_PATH": str(instance)} | settings


@contextmanager
def site_app(env: dict, **config):
    """The app as gunicorn builds it from ``env`` (no test configuration), in an app context."""
    from forum import create_app

    with mock.patch.dict(os.environ, env, clear=True):
        app = create_app(config or None)
        app.test_client_class = ForumTestClient  # each request its own app context, as served
        with app.app_context():
            try:
                yield app
            finally:
                db.session.remove()
                db.engine.dispose()


def space_rows(model, *where):
    options = bypass("pair_spaces", "backup test: reading the restored rows")
    return (
        db.session.execute(select(model).where(*where).execution_options(**options)).scalars().all()
    )


def write_pair_space(env: dict, login_as, canary: str) -> tuple[int, str]:
    """Two members form a pair and the mentor writes ``canary`` in their space, through the
    routes members use. Returns the space's id and the mentee's session cookie."""
    from forum_pair_spaces.models import AgreementVersion, Pair

    from forum.accounts import services

    with site_app(env, WTF_CSRF_ENABLED=False) as app:
        services.ensure_roles()
        mentor, mentee = (
            services.create_user(name, f"{name}@example.org", PASSWORD)
            for name in ("mentor1", "mentee1")
        )
        db.session.commit()
        as_mentor, as_mentee = (
            login_as(app.test_client(), mentor),
            login_as(app.test_client(), mentee),
        )
        assert (
            as_mentor.post(
                "/p/pair_spaces/propose", data={"username": "mentee1", "role": "mentor"}
            ).status_code
            == 303
        )
        pair_id = space_rows(Pair)[0].id
        assert as_mentee.post(f"/p/pair_spaces/{pair_id}/accept").status_code == 303
        version = space_rows(AgreementVersion, AgreementVersion.pair_id == pair_id)[0].id
        for client in (as_mentor, as_mentee):
            assert (
                client.post(f"/p/pair_spaces/{pair_id}/agreement/{version}/accept").status_code
                == 303
            )
        assert (
            as_mentor.post(f"/p/pair_spaces/{pair_id}/messages", data={"body": canary}).status_code
            == 303
        )
        return pair_id, as_mentee.get_cookie(app.config["SESSION_COOKIE_NAME"]).value


def read_pair_space(env: dict, pair_id: int, session_cookie: str) -> str:
    """The space's page as the mentee sees it, with the session cookie from before the backup."""
    with site_app(env) as app:
        client = app.test_client()
        client.set_cookie(app.config["SESSION_COOKIE_NAME"], session_cookie)
        response = client.get(f"/p/pair_spaces/{pair_id}")
        assert response.status_code == 200, "the session from before the backup no longer holds"
        return response.get_data(as_text=True)


def stored_messages_open(env: dict) -> bool:
    """Whether the app built from ``env`` can open the stored pair-space messages."""
    from forum_pair_spaces.models import Message

    with site_app(env):
        try:
            return bool(space_rows(Message))
        except DecryptionError:
            return False


def test_sqlite_backup_with_its_key_files_restores_on_a_new_host(tmp_path, login_as):
    host = tmp_path / "host" / "instance"
    env = site_env(host)
    run_flask(env, "db", "upgrade", "heads")
    canary = f"pair-secret-{uuid.uuid4().hex}"
    pair_id, cookie = write_pair_space(env, login_as, canary)
    # the database, the session key and the pair-space key: created owner-only
    key_files = [host / "secret_key", host / "pair_keys.json"]
    for path in [host / "forum.sqlite3", *key_files]:
        assert mode(path) == 0o600, path

    # the backup: `flask forum backup FILE`, with the key files kept beside it
    backup = tmp_path / "backup"
    run_flask(env, "forum", "backup", str(backup / "forum.sqlite3"))
    assert mode(backup / "forum.sqlite3") == 0o600
    assert canary.encode() not in (backup / "forum.sqlite3").read_bytes()  # sealed in the copy
    for path in key_files:
        shutil.copy2(path, backup / path.name)

    # a new host: the copy in place of instance/forum.sqlite3, the keys beside it
    restored = tmp_path / "new-host" / "instance"
    restored.mkdir(parents=True)
    for name in ("forum.sqlite3", "secret_key", "pair_keys.json"):
        shutil.copy2(backup / name, restored / name)
    restored_env = site_env(restored)
    assert canary in read_pair_space(restored_env, pair_id, cookie)

    # without the pair-space key file the content stays sealed
    (restored / "pair_keys.json").unlink()
    assert not stored_messages_open(restored_env)


def test_postgres_dump_and_keys_restore_into_a_new_database(database_url, tmp_path, login_as):
    if not database_url.startswith("postgresql"):
        pytest.skip("pg_dump needs a PostgreSQL server (run with DATABASE_URL=postgresql://...)")
    keys = {
        "SECRET_KEY": uuid.uuid4().hex,
        "FORUM_PAIR_KEY": new_key(),
    }  # as in /etc/forum/forum.env
    with (
        fresh_postgres_database(database_url, "forum_backup") as source,
        fresh_postgres_database(database_url, "forum_restore") as target,
    ):
        # the URLs as an admin writes them: pg_dump and the app both read postgresql://
        source, target = (
            url.replace("postgresql+psycopg://", "postgresql://") for url in (source, target)
        )
        host = tmp_path / "host" / "instance"
        env = site_env(host, DATABASE_URL=source, **keys)
        run_flask(env, "db", "upgrade", "heads")
        canary = f"pair-secret-{uuid.uuid4().hex}"
        pair_id, cookie = write_pair_space(env, login_as, canary)
        # a key rotation writes the new key into instance/pair_keys.json (owner-only)
        run_flask(env, "forum", "pair-spaces", "rotate-key")
        assert mode(host / "pair_keys.json") == 0o600

        # the backup: pg_dump, and the key file kept beside it
        dump = tmp_path / "backup" / "forum.dump"
        dump.parent.mkdir()
        subprocess.run(
            ["pg_dump", "--format=custom", "--file", str(dump), source], check=True, timeout=60
        )
        shutil.copy2(host / "pair_keys.json", dump.parent / "pair_keys.json")

        # a new host and an empty database: pg_restore, then the migrations
        subprocess.run(
            ["pg_restore", "--no-owner", "--dbname", target, str(dump)], check=True, timeout=60
        )
        restored = tmp_path / "new-host" / "instance"
        restored.mkdir(parents=True)
        restored_env = site_env(restored, DATABASE_URL=target, **keys)
        assert not stored_messages_open(restored_env)  # FORUM_PAIR_KEY alone predates the rotation
        shutil.copy2(dump.parent / "pair_keys.json", restored / "pair_keys.json")
        run_flask(restored_env, "db", "upgrade", "heads")
        assert canary in read_pair_space(restored_env, pair_id, cookie)
