"""full-text search index: FTS5 on SQLite, a tsvector with a GIN index on PostgreSQL

Hand-written (not generated from models): the tables are named ``search_fts*`` so the
models-vs-migrations comparison ignores them. Only public content is ever written here.

Revision ID: core_0002_search
Revises: core_0001
"""
from alembic import op

revision = "core_0002_search"
down_revision = "core_0001"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5("
            "title, body, content_type UNINDEXED, object_id UNINDEXED, "
            "characteristic_id UNINDEXED, author_id UNINDEXED, published_at UNINDEXED, "
            "url UNINDEXED, tokenize='porter unicode61 remove_diacritics 2')"
        )
        return
    op.execute(
        "CREATE TABLE search_fts_documents ("
        "content_type VARCHAR(40) NOT NULL, "
        "object_id INTEGER NOT NULL, "
        "title TEXT NOT NULL, "
        "body TEXT NOT NULL, "
        "url VARCHAR(500) NOT NULL DEFAULT '', "
        "characteristic_id INTEGER, "
        "author_id INTEGER, "
        "published_at TIMESTAMP WITHOUT TIME ZONE, "
        "tsv tsvector GENERATED ALWAYS AS ("
        "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
        "setweight(to_tsvector('english', coalesce(body, '')), 'B')) STORED, "
        "PRIMARY KEY (content_type, object_id))"
    )
    op.execute("CREATE INDEX search_fts_documents_tsv ON search_fts_documents USING GIN (tsv)")
    op.execute(
        "CREATE INDEX search_fts_documents_filters ON search_fts_documents "
        "(characteristic_id, author_id, published_at)"
    )


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS search_fts")
        return
    op.execute("DROP TABLE IF EXISTS search_fts_documents")
