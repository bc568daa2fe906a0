"""Consistent backups of a live SQLite database (PostgreSQL: use pg_dump, see README)."""
