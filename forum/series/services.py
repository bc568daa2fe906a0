"""State changes of expert parts: writing, submitting, and the moderator's decisions.

Views, the moderation queue and the CLI call these; each decision writes one audit entry and
emits its lifecycle event (fired after commit). Callers commit.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext
from sqlalchemy import func, select

from forum.audit import log as audit
from forum.content.formats import render_body
from forum.db import lock_for_decision, utcnow
from forum.extensions import db
from forum.kernel.events import emit
from forum.kernel.hooks import hook
from forum.kernel.types import ValidationError
from forum.series.models import Part, PartRevision, PartStatus, RevisionStatus


def _state(part: Part) -> dict:
    return {
        "status": part.status,
        "publish_at": part.publish_at.isoformat() if part.publish_at else None,
    }


def _next_revision_number(part: Part) -> int:
    if part.id is None:
        return 1
    latest = db.session.execute(
        select(func.max(PartRevision.number)).where(PartRevision.part_id == part.id)
    ).scalar()
    return (latest or 0) + 1


def _snapshot(
    part: Part,
    author_id: int,
    status: str,
    title: str,
    teaser: str,
    body_format: str,
    body_source: str,
    body_html: str,
) -> PartRevision:
    revision = PartRevision(
        part_id=part.id,
        number=_next_revision_number(part),
        title=title,
        teaser=teaser,
        body_format=body_format,
        body_source=body_source,
        body_html=body_html,
        author_id=author_id,
        status=status,
    )
    db.session.add(revision)
    return revision


def save_part(
    part: Part | None,
    actor,
    *,
    characteristic_id: int,
    part_number: int,
    title: str,
    teaser: str,
    body_format: str,
    body_source: str,
) -> tuple[Part, PartRevision | None]:
    """Create or edit an expert's part and keep the version as a ``PartRevision``.

    A part that is not approved yet is changed in place (a rejected one returns to draft). An
    approved part (live or scheduled) is not touched: the edit becomes a *pending* revision that
    a moderator approves with :func:`approve_revision`. Returns ``(part, revision)``.
    """
    title = (title or "").strip()
    if not title:
        raise ValidationError(gettext("Give the part a title."), field="title")
    body_html = render_body(body_format, body_source or "", "part")
    creating = part is None
    if creating:
        part = Part(
            characteristic_id=characteristic_id,
            part_number=part_number,
            author_id=actor.id,
            status=PartStatus.DRAFT,
            title=title,
        )
    if (
        part.status == PartStatus.APPROVED
    ):  # the live part stays as it is; the edit waits as a revision
        db.session.flush()
        revision = _snapshot(
            part,
            actor.id,
            RevisionStatus.PENDING,
            title,
            teaser or "",
            body_format,
            body_source or "",
            body_html,
        )
        hook.before_content_saved(content=revision, actor=actor, action="edited")
        return part, revision
    part.characteristic_id = characteristic_id
    part.part_number = part_number
    part.title, part.teaser = title, (teaser or "").strip()
    part.body_format, part.body_source, part.body_html = body_format, body_source or "", body_html
    hook.before_content_saved(content=part, actor=actor, action="created" if creating else "edited")
    if part.status == PartStatus.REJECTED:
        part.status = PartStatus.DRAFT
    if creating:
        db.session.add(part)
    db.session.flush()
    revision = _snapshot(
        part,
        actor.id,
        RevisionStatus.SAVED,
        part.title,
        part.teaser,
        body_format,
        part.body_source,
        body_html,
    )
    if creating:
        emit("content_created", content=part, actor=actor)
    return part, revision


def submit_part(part: Part, actor) -> bool:
    """Send a draft (or rejected) part to the moderators; False if it already waits or is approved."""
    if part.status not in (PartStatus.DRAFT, PartStatus.REJECTED):
        return False
    if not (part.body_source or "").strip():
        raise ValidationError(gettext("Write the part before submitting it."), field="body")
    part.status = PartStatus.SUBMITTED
    part.submitted_at = utcnow()
    emit("content_submitted", content=part, actor=actor)
    return True


def approve_part(part: Part, actor, publish_at: datetime | None) -> bool:
    """Approve ``part`` to go live at ``publish_at`` (None: now; for an approved part: keep). Idempotent.

    Writes one audit entry and emits ``content_approved``; when the part is public at once it
    also emits ``content_published``. A later ``publish_at`` makes it "coming soon" until then:
    the visibility clause compares ``publish_at`` with the clock, no job is needed.
    Returns False when nothing changed (already approved for that time).
    """
    lock_for_decision(part)
    if part.status == PartStatus.APPROVED and (publish_at is None or part.publish_at == publish_at):
        return False
    publish_at = publish_at or utcnow()
    if publish_at.tzinfo is None:
        raise ValidationError(gettext("The publish date needs a time zone."), field="publish_at")
    before = _state(part)
    part.status = PartStatus.APPROVED
    part.publish_at = publish_at
    part.rejection_reason = None
    audit.record("part.approve", actor, "part", part.id, "", before, _state(part))
    emit("content_approved", content=part, actor=actor)
    if publish_at <= utcnow():
        part.announced_at = utcnow()
        emit("content_published", content=part)
    return True


def reject_part(part: Part, actor, reason: str) -> bool:
    """Send ``part`` back to its author with ``reason`` (required, shown to the author). Idempotent."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            gettext("Say why the part is rejected; the expert will read it."), field="reason"
        )
    lock_for_decision(part)
    if part.status == PartStatus.REJECTED and part.rejection_reason == reason:
        return False
    before = _state(part)
    part.status = PartStatus.REJECTED
    part.rejection_reason = reason
    audit.record("part.reject", actor, "part", part.id, reason, before, _state(part))
    emit("content_rejected", content=part, actor=actor, reason=reason)
    return True


def _mark_reviewed(revision: PartRevision, actor, status: str) -> None:
    revision.status = status
    revision.reviewed_by_id = getattr(actor, "id", None)
    revision.reviewed_at = utcnow()


def approve_revision(revision: PartRevision, actor) -> bool:
    """Make a pending edit of a live part the live version. Idempotent (False if not pending).

    Emits ``content_approved`` with the *part* (its public text changed).
    """
    lock_for_decision(revision)
    if revision.status != RevisionStatus.PENDING:
        return False
    part = db.session.get(Part, revision.part_id)
    part.title, part.teaser = revision.title, revision.teaser
    part.body_format, part.body_source, part.body_html = (
        revision.body_format,
        revision.body_source,
        revision.body_html,
    )
    _mark_reviewed(revision, actor, RevisionStatus.APPROVED)
    audit.record(
        "part.revision.approve",
        actor,
        "part_revision",
        revision.id,
        "",
        {"status": RevisionStatus.PENDING},
        {"status": RevisionStatus.APPROVED, "part_id": part.id},
    )
    emit("content_approved", content=part, actor=actor)
    return True


def reject_revision(revision: PartRevision, actor, reason: str) -> bool:
    """Refuse a pending edit; the live version stays. Idempotent (False if not pending).

    Emits ``content_rejected`` with the *revision* (``revision.part_id`` names the part), so
    listeners never mistake it for the live part being withdrawn.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(gettext("Say why the edit is rejected."), field="reason")
    lock_for_decision(revision)
    if revision.status != RevisionStatus.PENDING:
        return False
    _mark_reviewed(revision, actor, RevisionStatus.REJECTED)
    revision.reason = reason
    audit.record(
        "part.revision.reject",
        actor,
        "part_revision",
        revision.id,
        reason,
        {"status": RevisionStatus.PENDING},
        {"status": RevisionStatus.REJECTED, "part_id": revision.part_id},
    )
    emit("content_rejected", content=revision, actor=actor, reason=reason)
    return True


def pending_revision(part: Part) -> PartRevision | None:
    """The latest edit of ``part`` still waiting for a moderator."""
    return db.session.execute(
        select(PartRevision)
        .where(PartRevision.part_id == part.id, PartRevision.status == RevisionStatus.PENDING)
        .order_by(PartRevision.number.desc())
        .limit(1)
    ).scalar_one_or_none()
