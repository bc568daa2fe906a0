"""two-factor: sealed TOTP secrets, the last used time step, single-use recovery codes

``users.totp_secret`` held the base32 secret as it is; it becomes a text column holding the secret
sealed with the "account" key ring (``forum.crypto``, AES-GCM bound to the column), and existing
secrets are sealed in place. ``users.totp_last_step`` remembers the last accepted TOTP time step,
so a code cannot be used twice. ``recovery_codes`` holds the scrypt hashes of each member's
single-use recovery codes. Downgrading opens the secrets again (the key must still be there).

SQLite cannot change a column's type, so batch mode copies ``users``; foreign keys are off while
it does (dropping the old copy would otherwise delete every row that references a member).

Revision ID: core_0008_two_factor
Revises: core_0007_mail_reading
"""

from alembic import op
import sqlalchemy as sa

from forum import crypto
from forum.db import UTCDateTime, sqlite_foreign_keys_off

revision = "core_0008_two_factor"
down_revision = "core_0007_mail_reading"
branch_labels = None
depends_on = None

#: as ``forum.accounts.models.User.totp_secret`` seals it (written out: a migration stays as it was)
RING = "account"
PURPOSE = "users.totp_secret"


def upgrade():
    with sqlite_foreign_keys_off(op, revision):
        with op.batch_alter_table("users") as batch:
            batch.alter_column("totp_secret", type_=sa.Text(), existing_type=sa.String(64))
            batch.add_column(sa.Column("totp_last_step", sa.BigInteger(), nullable=True))
    _reseal(
        lambda plain: (
            plain if plain.startswith(crypto.PREFIX + ":") else crypto.encrypt(RING, plain, PURPOSE)
        )
    )
    op.create_table(
        "recovery_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=200), nullable=False),
        sa.Column("used_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_recovery_codes_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_codes")),
    )
    op.create_index("ix_recovery_codes_user_id", "recovery_codes", ["user_id"], unique=False)


def downgrade():
    op.drop_table("recovery_codes")
    _reseal(
        lambda sealed: (
            crypto.decrypt(RING, sealed, PURPOSE)
            if sealed.startswith(crypto.PREFIX + ":")
            else sealed
        )
    )
    with sqlite_foreign_keys_off(op, revision):
        with op.batch_alter_table("users") as batch:
            batch.drop_column("totp_last_step")
            batch.alter_column("totp_secret", type_=sa.String(64), existing_type=sa.Text())


def _reseal(change):
    """Rewrite every stored secret through ``change`` (seal on the way up, open on the way down)."""
    bind = op.get_bind()
    rows = bind.execute(
        sa.text("SELECT id, totp_secret FROM users WHERE totp_secret IS NOT NULL")
    ).all()
    for user_id, value in rows:
        bind.execute(
            sa.text("UPDATE users SET totp_secret = :value WHERE id = :id"),
            {"value": change(value), "id": user_id},
        )
