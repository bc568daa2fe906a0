"""Regenerate the core schema revision (``core_0001``) from the models.

Until the first release the core schema is one revision, rebuilt from the models whenever they
change: ``make migration-core``. Later revisions (``core_0002_*``...) are written by hand and
chain onto it; plugin branches depend on ``core_0001``. After the first release this script is
retired and every change gets its own revision.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ["FORUM_DISABLE_PLUGIN_AUTOLOAD"] = "1"
os.environ.setdefault("DATABASE_URL", "sqlite://")

from alembic.autogenerate import produce_migrations, render_python_code  # noqa: E402
from alembic.migration import MigrationContext  # noqa: E402
from sqlalchemy import create_engine  # noqa: E402

from forum import create_app  # noqa: E402
from forum.extensions import db  # noqa: E402

HEADER = '''"""core schema (generated from the models by migrations/regenerate_core.py)

Revision ID: core_0001
Revises:
"""
from alembic import op
import sqlalchemy as sa

import forum.db  # noqa: F401  (column types used below)

revision = "core_0001"
down_revision = None
branch_labels = ("core",)
depends_on = None


'''


def main() -> int:
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.app_context():
        engine = create_engine("sqlite://")
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"render_as_batch": False, "compare_type": True})
            ops = produce_migrations(ctx, db.metadata)
        up = render_python_code(ops.upgrade_ops, migration_context=ctx)
        down = render_python_code(ops.downgrade_ops, migration_context=ctx)
    target = Path(__file__).parent / "versions" / "20261128_core_0001_core_schema.py"
    body = HEADER + "def upgrade():\n" + up + "\n\n\ndef downgrade():\n" + down + "\n"
    target.write_text(body)
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
