"""Announcing scheduled parts when their time comes.

Visibility needs no job: a part is public once ``publish_at`` has passed. But listeners of
``content_published`` (watchers' notifications, e-mail) need the moment itself, so
``flask forum publish-due`` — run it every minute from cron or a systemd timer — emits the
event once per part. Each part is claimed with a conditional UPDATE, so several workers or
hosts running it at once still announce it exactly once.
"""

from __future__ import annotations

import click
from sqlalchemy import select, update

from forum.db import utcnow
from forum.extensions import db
from forum.kernel.events import emit
from forum.series.models import Part, PartStatus
from forum.visibility import SYSTEM, as_actor


def announce_due() -> int:
    """Emit ``content_published`` for every part that went live unannounced; returns how many."""
    now = utcnow()
    announced = 0
    with as_actor(SYSTEM):
        due = (
            db.session.execute(
                select(Part.id).where(
                    Part.status == PartStatus.APPROVED,
                    Part.publish_at <= now,
                    Part.announced_at.is_(None),
                    Part.hidden_at.is_(None),
                    Part.deleted_at.is_(None),
                )
            )
            .scalars()
            .all()
        )
        for part_id in due:
            claimed = db.session.execute(
                update(Part)
                .where(Part.id == part_id, Part.announced_at.is_(None))
                .values(announced_at=now)
                .execution_options(synchronize_session=False)
            ).rowcount
            if claimed:
                emit("content_published", content=db.session.get(Part, part_id))
                announced += 1
            db.session.commit()
    return announced


@click.command("publish-due")
def publish_due_command() -> None:
    """Announce scheduled parts whose time has come (run every minute from cron)."""
    click.echo(f"{announce_due()} part(s) announced.")
