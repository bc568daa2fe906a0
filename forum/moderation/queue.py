"""The review queue: what waits for a moderator, read straight from the models.

Pending expert parts (submitted), pending revisions of live parts, pending comments (guests and
untrusted members) and content with open flags. Only core types appear; the visibility policy
still applies to every query, so a plugin's private content can never be listed here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from flask import g, has_request_context, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import selectinload

from forum.accounts.models import User
from forum.discussion.models import Comment, CommentStatus
from forum.extensions import db
from forum.kernel.hooks import flatten, hook
from forum.moderation.models import Flag
from forum.moderation.targets import KINDS, kind_of
from forum.series.models import Part, PartRevision, PartStatus, RevisionStatus

QUEUE_KINDS = {  # (lazy: each page shows them in its reader's language)
    "part": _l("Expert parts"),
    "revision": _l("Edits of live parts"),
    "comment": _l("Comments"),
    "flagged": _l("Flagged content"),
}


@dataclass
class QueueItem:
    """One row of the queue; ``key`` ("comment:12") names it in bulk forms."""

    kind: str
    obj: object
    created_at: datetime | None
    part: Part | None = None
    flags: list = field(default_factory=list)

    @property
    def key(self) -> str:
        if self.kind == "flagged":
            return f"flagged:{kind_of(self.obj)}:{self.obj.id}"
        return f"{self.kind}:{self.obj.id}"

    @property
    def content_kind(self) -> str:
        """part, revision or comment: what the item itself is."""
        return kind_of(self.obj) if self.kind == "flagged" else self.kind

    @property
    def characteristic_id(self) -> int:
        return (self.part or self.obj).characteristic_id

    @property
    def flag_reasons(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for flag, _name in self.flags:
            counts[flag.reason] += 1
        return dict(counts)


# --- pending statements (shared by the listing and the header count) -------------------------


def _pending_parts():
    return select(Part).where(Part.status == PartStatus.SUBMITTED, Part.deleted_at.is_(None))


def _pending_revisions():
    return (
        select(PartRevision, Part)
        .join(Part, Part.id == PartRevision.part_id)
        .where(PartRevision.status == RevisionStatus.PENDING, Part.deleted_at.is_(None))
    )


def _pending_comments():
    return select(Comment).where(
        Comment.status == CommentStatus.PENDING, Comment.deleted_at.is_(None)
    )


def _open_flag_targets():
    return (
        select(Flag.target_type, Flag.target_id)
        .where(Flag.resolved_at.is_(None), Flag.target_type.in_(tuple(KINDS)))
        .group_by(Flag.target_type, Flag.target_id)
    )


def _count(stmt) -> object:
    return select(func.count()).select_from(stmt.subquery()).scalar_subquery()


def _once_per_request(name: str, compute):
    """``compute()``, kept in ``g`` for the rest of the request (the badge and the page both ask)."""
    if not has_request_context():
        return compute()
    if name not in g:
        setattr(g, name, compute())
    return g.get(name)


def waiting_count() -> int:
    """Everything waiting, in one SELECT; cached for the rest of the request."""
    return int(
        _once_per_request(
            "_forum_queue_count",
            lambda: (
                db.session.execute(
                    select(
                        _count(_pending_parts())
                        + _count(_pending_revisions())
                        + _count(_pending_comments())
                        + _count(_open_flag_targets())
                    )
                ).scalar()
                or 0
            ),
        )
    )


def review_sections(actor) -> list:
    """Every review queue (``review_queue_sections``: the core's parts and comments, and each
    enabled plugin's own), empty ones too, so the queue page links every one; once per request."""
    return _once_per_request(
        "_forum_queue_sections", lambda: list(flatten(hook.review_queue_sections(actor=actor)))
    )


def sections_elsewhere(actor) -> list:
    """The queues other than the core's own page (for its "Also waiting for review" list)."""
    here = url_for("moderation.queue")
    return [s for s in review_sections(actor) if s.url != here]


def waiting_total(actor) -> int:
    """What waits in every queue: the navigation's badge."""
    return sum(section.count for section in review_sections(actor))


# --- the listing --------------------------------------------------------------------------------


def _characteristic(stmt, model, characteristic_id):
    return (
        stmt
        if characteristic_id is None
        else stmt.where(model.characteristic_id == characteristic_id)
    )


def _window(stmt, page: int, size: int):
    return stmt.limit(size).offset((page - 1) * size)


def counts(characteristic_id: int | None) -> dict[str, int]:
    """How many items of each kind wait (optionally in one characteristic's thread)."""
    stmts = {
        "part": _characteristic(_pending_parts(), Part, characteristic_id),
        "revision": _characteristic(_pending_revisions(), Part, characteristic_id),
        "comment": _characteristic(_pending_comments(), Comment, characteristic_id),
    }
    row = db.session.execute(select(*(_count(s) for s in stmts.values()))).one()
    counts = dict(zip(stmts, row, strict=True))
    counts["flagged"] = len(_flagged_targets(characteristic_id))
    return counts


def _flagged_targets(characteristic_id) -> list[tuple[str, int]]:
    rows = db.session.execute(
        _open_flag_targets().add_columns(func.min(Flag.created_at).label("first")).order_by("first")
    ).all()
    targets = [(kind, target_id) for kind, target_id, _first in rows]
    if characteristic_id is None:
        return targets
    keep = set()
    for kind, model in KINDS.items():
        ids = [i for k, i in targets if k == kind]
        if ids:
            keep |= {
                (kind, i)
                for i in db.session.execute(
                    select(model.id).where(
                        model.id.in_(ids), model.characteristic_id == characteristic_id
                    )
                ).scalars()
            }
    return [t for t in targets if t in keep]


def _flagged_items(targets: list[tuple[str, int]]) -> list[QueueItem]:
    if not targets:
        return []
    flags = db.session.execute(
        select(Flag, User.username)
        .join(User, User.id == Flag.user_id)
        .where(Flag.resolved_at.is_(None), tuple_(Flag.target_type, Flag.target_id).in_(targets))
        .order_by(Flag.id)
    ).all()
    by_target = defaultdict(list)
    for flag, username in flags:
        by_target[(flag.target_type, flag.target_id)].append((flag, username))
    objects = {}
    for kind, model in KINDS.items():
        ids = [i for k, i in targets if k == kind]
        if ids:
            rows = db.session.execute(
                select(model).where(model.id.in_(ids)).options(selectinload(model.author))
            ).scalars()
            objects.update({(kind, o.id): o for o in rows})
    return [
        QueueItem("flagged", objects[t], by_target[t][0][0].created_at, flags=by_target[t])
        for t in targets
        if t in objects
    ]


def _kind_items(kind, characteristic_id, page, size) -> list[QueueItem]:
    if kind == "part":
        stmt = (
            _characteristic(_pending_parts(), Part, characteristic_id)
            .options(selectinload(Part.author))
            .order_by(Part.submitted_at, Part.id)
        )
        return [
            QueueItem("part", p, p.submitted_at or p.created_at)
            for p in db.session.execute(_window(stmt, page, size)).scalars()
        ]
    if kind == "revision":
        stmt = (
            _characteristic(_pending_revisions(), Part, characteristic_id)
            .options(selectinload(Part.author))
            .order_by(PartRevision.id)
        )
        return [
            QueueItem("revision", rev, rev.created_at, part=part)
            for rev, part in db.session.execute(_window(stmt, page, size)).all()
        ]
    stmt = (
        _characteristic(_pending_comments(), Comment, characteristic_id)
        .options(selectinload(Comment.author))
        .order_by(Comment.id)
    )
    return [
        QueueItem("comment", c, c.created_at)
        for c in db.session.execute(_window(stmt, page, size)).scalars()
    ]


def last_page(counts: dict[str, int], kind: str | None, size: int) -> int:
    shown = [counts[k] for k in ([kind] if kind else QUEUE_KINDS)]
    return max(1, -(-max(shown) // size))


def listing(
    kind: str | None, characteristic_id: int | None, page: int, size: int
) -> list[QueueItem]:
    """Page ``page`` of each wanted kind (``size`` of each), oldest first within a kind."""
    items: list[QueueItem] = []
    for k in [kind] if kind else list(QUEUE_KINDS):
        if k == "flagged":
            targets = _flagged_targets(characteristic_id)[(page - 1) * size : page * size]
            items.extend(_flagged_items(targets))
        else:
            items.extend(_kind_items(k, characteristic_id, page, size))
    return items
