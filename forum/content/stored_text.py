"""Clean text stored before the text rule, for migrations (core's and each plugin's own tables).

Columns are found by reflection, so a migration names only its tables: ``VARCHAR(n)`` columns
are single-line (names, titles: line breaks become spaces), ``TEXT`` columns may hold line
breaks. Forbidden characters are removed (``text_rules.clean``); rows already clean are left
alone, so running it twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from forum.content.text_rules import clean_text

BATCH = 500


def _text_columns(inspector, table: str) -> dict[str, bool]:
    """``{column: single_line}`` of the table's text columns."""
    found = {}
    for column in inspector.get_columns(table):
        kind = column["type"]
        if isinstance(kind, sa.String) and not isinstance(kind, sa.Enum):
            found[column["name"]] = not isinstance(kind, sa.Text) and kind.length is not None
    return found


def _changes(bind, table: sa.Table, key: list[str], columns: dict[str, bool]) -> list[dict]:
    changes = []
    query = sa.select(*[table.c[name] for name in key + list(columns)])
    result = bind.execute(query.execution_options(stream_results=True))  # this query only
    for rows in result.partitions(BATCH):
        for row in rows:
            values = row._mapping
            new = {
                name: clean_text(values[name], single_line)
                for name, single_line in columns.items()
                if isinstance(values[name], str)
            }
            new = {name: text for name, text in new.items() if text != values[name]}
            if new:
                changes.append(
                    {
                        **{f"key_{k}": values[k] for k in key},
                        **{f"new_{c}": text for c, text in new.items()},
                    }
                )
    return changes


def clean_table(bind, name: str) -> int:
    """Clean one table's text columns; the number of rows changed."""
    inspector = sa.inspect(bind)
    key = inspector.get_pk_constraint(name).get("constrained_columns") or []
    columns = {
        c: one_line for c, one_line in _text_columns(inspector, name).items() if c not in key
    }
    if not key or not columns:
        return 0
    table = sa.Table(name, sa.MetaData(), *[sa.Column(c) for c in key + list(columns)])
    changes = _changes(bind, table, key, columns)
    for change in changes:
        where = sa.and_(*[table.c[k] == sa.bindparam(f"key_{k}") for k in key])
        values: dict[str, sa.BindParameter] = {
            c[4:]: sa.bindparam(c) for c in change if c.startswith("new_")
        }
        bind.execute(table.update().where(where).values(values), change)
    return len(changes)


def clean_tables(bind, names: Iterable[str]) -> int:
    """Clean each existing table of ``names``; the number of rows changed."""
    existing = set(sa.inspect(bind).get_table_names())
    return sum(clean_table(bind, name) for name in names if name in existing)
