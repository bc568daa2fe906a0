"""`flask forum backup`: a consistent copy of a live SQLite database that restores."""

import sqlite3
import threading

import pytest
import sqlalchemy as sa

from forum.extensions import db


def is_sqlite():
    return db.engine.dialect.name == "sqlite"


def test_backup_while_writing_then_restore(
    app, runner, tmp_path, make_comment, make_characteristic
):
    if not is_sqlite():
        pytest.skip("PostgreSQL is backed up with pg_dump")
    ch = make_characteristic()
    for i in range(20):
        make_comment(characteristic=ch, body=f"comment {i}")
    stop = threading.Event()
    ch_id = ch.id
    db.session.commit()  # release the test's own read/write transaction

    def writer():
        engine = sa.create_engine(
            app.config["SQLALCHEMY_DATABASE_URI"], connect_args={"timeout": 30}
        )
        n = 0
        while not stop.is_set() and n < 200:
            with engine.begin() as conn:
                conn.execute(
                    sa.text(
                        "INSERT INTO comments (characteristic_id, body_format, body_source, "
                        "body_html, status, created_at) VALUES (:c, 'markdown', 'x', '<p>x</p>', "
                        "'approved', CURRENT_TIMESTAMP)"
                    ),
                    {"c": ch_id},
                )
            n += 1
        engine.dispose()

    thread = threading.Thread(target=writer)
    thread.start()
    target = tmp_path / "copy.sqlite3"
    try:
        result = runner.invoke(args=["forum", "backup", str(target)])
    finally:
        stop.set()
        thread.join()
    assert result.exit_code == 0, result.output
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    restored = sqlite3.connect(target)
    assert restored.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copied = restored.execute("SELECT count(*) FROM comments").fetchone()[0]
    assert copied >= 20
    assert restored.execute("SELECT count(*) FROM alembic_version").fetchone()[0] >= 1
    restored.close()
    # the copy serves as a database for the app
    from forum import create_app

    copy_app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{target}",
            "FORUM_PAGE_CACHE": False,
        }
    )
    with copy_app.app_context():
        assert db.session.execute(sa.text("SELECT count(*) FROM comments")).scalar() == copied
        db.engine.dispose()


def test_backup_refuses_existing_target_and_postgres(app, runner, tmp_path):
    target = tmp_path / "exists.sqlite3"
    target.write_text("")
    result = runner.invoke(args=["forum", "backup", str(target)])
    assert result.exit_code != 0
    if not is_sqlite():
        assert "pg_dump" in result.output
    else:
        assert "exists" in result.output
