"""``flask forum import FILE.json`` and ``flask forum export``."""

from __future__ import annotations

import json
import sys

import click
from sqlalchemy import select

from forum.extensions import db
from forum.interchange.exporter import export_series
from forum.interchange.importer import import_series
from forum.interchange.validation import InterchangeError, load
from forum.series.models import Series


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
def import_command(path: str) -> None:
    """Import a series from PATH (see docs/import-format.md); nothing is written if it is invalid."""
    if path == "-":
        raw = sys.stdin.buffer.read()
    else:
        with open(path, "rb") as fh:
            raw = fh.read()
    try:
        doc = load(raw)
    except InterchangeError as error:
        for line in error.errors:
            click.echo(line, err=True)
        raise click.ClickException(
            f"{len(error.errors)} problem(s); nothing was imported."
        ) from None
    report = import_series(doc)
    click.echo(f"Imported series {doc['slug']!r}: {report.summary()}.")


@click.command("export")
@click.option("--series", "slug", help="The series slug (default: the only or first series).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, allow_dash=True), default="-")
def export_command(slug: str | None, output: str) -> None:
    """Export a series in the interchange format (approved content only)."""
    if slug is None:
        slug = db.session.execute(select(Series.slug).order_by(Series.id)).scalars().first()
    doc = export_series(slug) if slug else None
    if doc is None:
        raise click.ClickException("No such series.")
    text = json.dumps(doc, ensure_ascii=False, indent=2)
    if output == "-":
        click.echo(text)
    else:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
        click.echo(f"Wrote {output}.")
