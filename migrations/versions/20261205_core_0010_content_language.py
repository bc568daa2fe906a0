"""content language: parts and comments carry one; search stems each entry in its own language

``parts.language`` (en, fi, fr) defaults to English for existing parts; ``comments.language`` is
the author's locale when they wrote (NULL: the site's default). SQLite: a second FTS5
table, ``search_fts_plain``, holds entries in any language but English, accent-folded and not
stemmed (``unicode61 remove_diacritics 2``); ``search_fts`` keeps porter for English.
PostgreSQL: ``search_fts_documents.config`` is each entry's text search configuration
(english, finnish, french, simple) and the generated ``tsv`` is built with it; text is folded
(``translate``, the same letters as ``forum.search.languages``) except for Finnish, whose stemmer
needs its accents. Existing entries are English, as they were indexed.

SQLite adds and drops the columns in place (ALTER TABLE, SQLite 3.35+): a batch copy of
``users``, ``parts`` or ``comments`` would trip the foreign keys that point at them.

Revision ID: core_0010_content_language
Revises: core_0009_locale_timezone
"""
from alembic import op
import sqlalchemy as sa

revision = "core_0010_content_language"
down_revision = "core_0009_locale_timezone"
branch_labels = None
depends_on = None

ACCENTED = "àáâãäåæçèéêëìíîïñòóôõöøœùúûüýÿÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØŒÙÚÛÜÝ"
PLAIN = "aaaaaaaceeeeiiiinooooooouuuuyyAAAAAAACEEEEIIIINOOOOOOOUUUUY"


def _vector(column: str, own_language: bool) -> str:
    if not own_language:
        return f"to_tsvector('english', coalesce({column}, ''))"
    text = f"coalesce({column}, '')"
    folded = f"translate({text}, '{ACCENTED}', '{PLAIN}')"
    return (
        f"to_tsvector(config, CASE WHEN config = 'finnish'::regconfig THEN {text} ELSE {folded} END)"
    )


def _tsv(own_language: bool) -> None:
    op.execute("DROP INDEX IF EXISTS search_fts_documents_tsv")
    op.execute("ALTER TABLE search_fts_documents DROP COLUMN tsv")
    op.execute(
        "ALTER TABLE search_fts_documents ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
        f"setweight({_vector('title', own_language)}, 'A') || "
        f"setweight({_vector('body', own_language)}, 'B')) STORED"
    )
    op.execute("CREATE INDEX search_fts_documents_tsv ON search_fts_documents USING GIN (tsv)")


def upgrade():
    op.add_column(
        "parts", sa.Column("language", sa.String(length=8), nullable=False, server_default="en")
    )
    op.add_column("comments", sa.Column("language", sa.String(length=8), nullable=True))
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE search_fts_plain USING fts5("
            "title, body, content_type UNINDEXED, object_id UNINDEXED, "
            "characteristic_id, author_id, published_at UNINDEXED, "
            "url UNINDEXED, tokenize='unicode61 remove_diacritics 2')"
        )
        return
    op.execute(
        "ALTER TABLE search_fts_documents ADD COLUMN config regconfig NOT NULL DEFAULT 'english'"
    )
    _tsv(own_language=True)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS search_fts_plain")
    else:
        _tsv(own_language=False)
        op.execute("ALTER TABLE search_fts_documents DROP COLUMN config")
    op.drop_column("comments", "language")
    op.drop_column("parts", "language")
