"""``flask forum rerender``: rebuild every stored HTML from its source (after an allow-list change)."""

from __future__ import annotations

import click
from sqlalchemy import select

from forum.content.formats import render_body
from forum.extensions import db
from forum.kernel.hooks import call_all, flatten
from forum.kernel.types import RenderedField
from forum.visibility import SYSTEM, as_actor

BATCH = 500


def rerender_field(field: RenderedField) -> int:
    """Re-render one field of every row; returns how many rows changed."""
    changed = 0
    mapper_pk = field.model.__mapper__.primary_key[0]
    last = None
    while True:
        stmt = select(field.model).order_by(mapper_pk).limit(BATCH)
        if last is not None:
            stmt = stmt.where(mapper_pk > last)
        rows = db.session.execute(stmt).scalars().all()
        if not rows:
            break
        for row in rows:
            fmt = getattr(row, field.format_attr) if field.format_attr else "markdown"
            html = render_body(fmt, getattr(row, field.source) or "", field.kind)
            if html != getattr(row, field.html):
                setattr(row, field.html, html)
                changed += 1
        last = getattr(rows[-1], mapper_pk.key)
        db.session.commit()
    return changed


@click.command("rerender")
def rerender_command() -> None:
    """Rebuild every stored HTML from its Markdown/format source with the current sanitiser."""
    with as_actor(SYSTEM):
        # the core's kinds come through the same hook as the plugins' (series, discussion)
        for field in flatten(call_all("register_rendered_fields")):
            n = rerender_field(field)
            click.echo(f"{field.model.__name__}.{field.html}: {n} re-rendered")
