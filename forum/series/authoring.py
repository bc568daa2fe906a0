"""The expert's side: my parts, the editor with preview, submitting, and the revision history."""

from __future__ import annotations

import difflib

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.content.formats import available, get_format, render_body, submitted_source
from forum.extensions import db
from forum.kernel.locales import local_to_utc, utc_to_local
from forum.kernel.types import ValidationError
from forum.series import services
from forum.series.forms import PartForm, zone_help
from forum.series.models import Characteristic, Part, PartRevision, PartStatus, RevisionStatus
from forum.series.views import bp
from forum.visibility import current_actor
from forum.visibility.permissions import can, require


def own_part_or_404(part_id: int) -> Part:
    """A part the reader may see (visibility policy), then only its author may go on."""
    part = db.session.execute(select(Part).where(Part.id == part_id)).scalar_one_or_none()
    if part is None:
        abort(404)
    if part.author_id != getattr(current_user, "id", None):
        abort(403, description=gettext("Only the part's author can edit it."))
    return part


def _characteristic_choices() -> dict[int, str]:
    rows = db.session.execute(
        select(Characteristic.id, Characteristic.number, Characteristic.title).order_by(
            Characteristic.number
        )
    ).all()
    return {cid: f"{number}) {title}" for cid, number, title in rows}


@bp.route("/parts")
@require("part.create")
def my_parts():
    parts = (
        db.session.execute(
            select(Part)
            .where(Part.author_id == current_user.id, Part.deleted_at.is_(None))
            .options(joinedload(Part.characteristic))
            .order_by(Part.id.desc())
        )
        .scalars()
        .all()
    )
    return render_template("series/my_parts.html", parts=parts)


@bp.route("/parts/new", methods=["GET", "POST"])
@require("part.create")
def new_part():
    return _editor(None)


@bp.route("/parts/<id:part_id>/edit", methods=["GET", "POST"])
@require("part.edit")
def edit_part(part_id: int):
    return _editor(own_part_or_404(part_id))


def _editor(part: Part | None):
    if part is not None and request.method == "GET":
        pending = services.pending_revision(part)
        source = pending or part
        form = PartForm(
            data={
                "characteristic_id": part.characteristic_id,
                "part_number": part.part_number,
                "title": source.title,
                "teaser": source.teaser,
                "body_format": source.body_format,
                "body": source.body_source,
                "publish_at": part.publish_at
                and utc_to_local(part.publish_at, current_actor().timezone),
                "language": part.language,
            }
        )
    else:
        form = PartForm()
        if request.method == "GET":  # a new part is in its author's language until she says
            form.language.data = getattr(current_actor(), "locale", None) or form.language.data
    form.publish_at.description = zone_help(current_actor().timezone)
    form.characteristic_id.choices = _characteristic_choices()
    formats = available("part")
    form.body_format.choices = {name: gettext(fmt.label) for name, fmt in formats.items()}
    preview = None
    if form.validate_on_submit():
        try:
            fmt = get_format(form.body_format.data, "part")
            body = submitted_source(fmt, form)
            if form.preview.data:
                preview = render_body(fmt.name, body, "part")
            else:
                return _save(part, form, fmt.name, body)
        except ValidationError as error:
            db.session.rollback()
            error.show_on(form, fallback="body")
    status = 422 if form.errors else 200
    return render_template(
        "series/part_form.html", form=form, part=part, preview=preview, formats=formats
    ), status


def _save(part: Part | None, form: PartForm, fmt: str, body: str):
    actor = current_actor()
    part, revision = services.save_part(
        part,
        actor,
        characteristic_id=form.characteristic_id.data,
        part_number=form.part_number.data,
        title=form.title.data,
        teaser=form.teaser.data or "",
        body_format=fmt,
        body_source=body,
    )
    if part.status != PartStatus.APPROVED:  # approved: the moderator's date stands
        # the expert's wished date, typed in her own zone; a moderator's empty field keeps it
        wished = form.publish_at.data
        part.publish_at = wished and local_to_utc(wished, actor.timezone)
        part.language = form.language.data
    if revision is not None and revision.status == RevisionStatus.PENDING:
        flash(
            gettext(
                "Your edit waits for a moderator; the published version stays until it is approved."
            ),
            "success",
        )
    elif form.submit_review.data:
        if services.submit_part(part, actor):
            flash(
                gettext("Submitted. A moderator will review it and set its publish date."),
                "success",
            )
        else:
            flash(gettext("Saved. It already waits for a moderator."), "success")
    else:
        flash(gettext("Draft saved."), "success")
    db.session.commit()
    return redirect(url_for("series.edit_part", part_id=part.id))


def _diff(old: str, new: str) -> list[tuple[str, str]]:
    """Unified diff lines with a kind (add, del, hunk, same) for styling."""
    lines = []
    for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=2):
        if line.startswith(("---", "+++")):
            continue
        kind = {"+": "add", "-": "del", "@": "hunk"}.get(line[:1], "same")
        lines.append((kind, line))
    return lines


@bp.route("/parts/<id:part_id>/history")
def history(part_id: int):
    part = db.session.execute(select(Part).where(Part.id == part_id)).scalar_one_or_none()
    actor = current_actor()
    if part is None:
        abort(404)
    if part.author_id != getattr(actor, "id", None) and not can("part.read_history", actor=actor):
        abort(
            403,
            description=gettext("Only the author and the moderators can read a part's history."),
        )
    revisions = (
        db.session.execute(
            select(PartRevision)
            .where(PartRevision.part_id == part.id)
            .order_by(PartRevision.number)
        )
        .scalars()
        .all()
    )
    entries, previous = [], None
    for rev in revisions:
        old = f"{previous.title}\n\n{previous.body_source}" if previous else ""
        entries.append((rev, _diff(old, f"{rev.title}\n\n{rev.body_source}")))
        previous = rev
    characteristic = db.session.get(Characteristic, part.characteristic_id)
    return render_template(
        "series/history.html", part=part, c=characteristic, entries=list(reversed(entries))
    )
