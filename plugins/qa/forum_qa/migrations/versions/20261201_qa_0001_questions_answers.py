"""Q&A plugin: questions, answers and answer votes.

Revision ID: qa_0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from forum.sdk import UTCDateTime

revision = "qa_0001"
down_revision = None
branch_labels = ("qa",)
depends_on = "core_0001"


def upgrade():
    op.create_table(
        "qa_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("characteristic_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body_source", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("rejection_reason", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("hidden_at", UTCDateTime(), nullable=True),
        sa.Column("deleted_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_qa_questions_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["characteristic_id"],
            ["characteristics.id"],
            name=op.f("fk_qa_questions_characteristic_id_characteristics"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_qa_questions")),
    )
    op.create_index(op.f("ix_qa_questions_author_id"), "qa_questions", ["author_id"], unique=False)
    op.create_index(
        "ix_qa_questions_listing",
        "qa_questions",
        ["characteristic_id", "status", "id"],
        unique=False,
    )
    op.create_table(
        "qa_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("body_source", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("rejection_reason", sa.Text(), nullable=True),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("accepted_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("hidden_at", UTCDateTime(), nullable=True),
        sa.Column("deleted_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_qa_answers_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["qa_questions.id"],
            name=op.f("fk_qa_answers_question_id_qa_questions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_qa_answers")),
    )
    op.create_index(op.f("ix_qa_answers_author_id"), "qa_answers", ["author_id"], unique=False)
    op.create_index(
        "ix_qa_answers_question", "qa_answers", ["question_id", "status", "score"], unique=False
    )
    op.create_table(
        "qa_answer_votes",
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.SmallInteger(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["qa_answers.id"],
            name=op.f("fk_qa_answer_votes_answer_id_qa_answers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_qa_answer_votes_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("answer_id", "user_id", name=op.f("pk_qa_answer_votes")),
    )


def downgrade():
    op.drop_table("qa_answer_votes")
    op.drop_index("ix_qa_answers_question", table_name="qa_answers")
    op.drop_index(op.f("ix_qa_answers_author_id"), table_name="qa_answers")
    op.drop_table("qa_answers")
    op.drop_index("ix_qa_questions_listing", table_name="qa_questions")
    op.drop_index(op.f("ix_qa_questions_author_id"), table_name="qa_questions")
    op.drop_table("qa_questions")
