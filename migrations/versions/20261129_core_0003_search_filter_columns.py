"""search: the filters reach the newest matches in order (the ranking window)

Search ranks only the newest N matches of each type, and those must be the newest matches that
pass the filters, or a filtered search finds nothing once its matches are older than the newest
N of all. SQLite: characteristic_id and author_id become indexed FTS5 columns, so the filters
join the MATCH and FTS5 still walks rowids newest first. PostgreSQL: an index per filter ending
in (content_type, object_id), walked backwards, replaces (characteristic_id, author_id,
published_at), which sorted every filtered match and could not serve an author alone.

Revision ID: core_0003_search_filters
Revises: core_0002_search
"""
from alembic import op

revision = "core_0003_search_filters"
down_revision = "core_0002_search"
branch_labels = None
depends_on = None

COLUMNS = "title, body, content_type, object_id, characteristic_id, author_id, published_at, url"


def _rebuild(filters_indexed: bool) -> None:
    """Recreate ``search_fts`` with the filter columns indexed or not, keeping every entry and
    its rowid (FTS5 cannot alter a column)."""
    flag = "" if filters_indexed else " UNINDEXED"
    op.execute("ALTER TABLE search_fts RENAME TO search_fts_previous")
    op.execute(
        "CREATE VIRTUAL TABLE search_fts USING fts5("
        "title, body, content_type UNINDEXED, object_id UNINDEXED, "
        f"characteristic_id{flag}, author_id{flag}, published_at UNINDEXED, "
        "url UNINDEXED, tokenize='porter unicode61 remove_diacritics 2')"
    )
    op.execute(f"INSERT INTO search_fts (rowid, {COLUMNS}) SELECT rowid, {COLUMNS} FROM search_fts_previous")
    op.execute("DROP TABLE search_fts_previous")


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade():
    if _sqlite():
        _rebuild(filters_indexed=True)
        return
    op.execute("DROP INDEX IF EXISTS search_fts_documents_filters")
    op.execute("CREATE INDEX search_fts_documents_characteristic ON search_fts_documents "
               "(characteristic_id, content_type, object_id)")
    op.execute("CREATE INDEX search_fts_documents_author ON search_fts_documents "
               "(author_id, content_type, object_id)")


def downgrade():
    if _sqlite():
        _rebuild(filters_indexed=False)
        return
    op.execute("DROP INDEX IF EXISTS search_fts_documents_author")
    op.execute("DROP INDEX IF EXISTS search_fts_documents_characteristic")
    op.execute("CREATE INDEX search_fts_documents_filters ON search_fts_documents "
               "(characteristic_id, author_id, published_at)")
