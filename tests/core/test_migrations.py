"""The migrations build every table from empty, agree with the models, and go back down."""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from forum.extensions import db


def _diff(app):
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": _include}
        )
        return compare_metadata(ctx, db.metadata)


def _include(obj, name, type_, reflected, compare_to):
    return not (
        type_ == "table" and reflected and compare_to is None and name.startswith("search_fts")
    )


def test_models_and_migrations_agree(app):
    assert _diff(app) == []


def test_every_model_table_exists(app):
    names = set(sa.inspect(db.engine).get_table_names())
    assert set(db.metadata.tables) <= names


def test_downgrade_to_base_and_up_again(make_app, database_url, tmp_path):
    # A separate database would be ideal; the session database is restored to heads at the end.
    app = make_app()
    with app.app_context():
        downgrade(revision="base")
        left = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert not (left & set(db.metadata.tables))
        upgrade(revision="heads")
        assert set(db.metadata.tables) <= set(sa.inspect(db.engine).get_table_names())


@pytest.mark.slow  # a subprocess: runs in `make test`, not in `make check`
def test_plain_flask_db_upgrade_migrates_every_branch(tmp_path, monkeypatch):
    """`flask db upgrade` (no target) upgrades core and every plugin branch, not just one head."""
    import subprocess
    import sys

    target = tmp_path / "plain.sqlite3"
    env = {
        **__import__("os").environ,
        "DATABASE_URL": f"sqlite:///{target}",
        "FORUM_INSTANCE_PATH": str(tmp_path),
        "FLASK_APP": "forum",
    }
    result = subprocess.run(
        [sys.executable, "-m", "flask", "db", "upgrade"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    engine = sa.create_engine(f"sqlite:///{target}")
    with engine.connect() as conn:
        heads = {r[0] for r in conn.execute(sa.text("SELECT version_num FROM alembic_version"))}
    engine.dispose()
    assert len(heads) >= 2  # core plus the bundled plugins' branches
