"""The audit log for admins: who did what, on what, when, why, before and after. Read-only."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from flask import render_template, request
from flask_babel import gettext
from sqlalchemy import func, select

from forum.accounts.models import User
from forum.audit.models import AuditEntry
from forum.extensions import db
from forum.moderation.blueprint import bp
from forum.moderation.forms import AuditFilterForm
from forum.routing import page_arg
from forum.visibility.permissions import require

PAGE_SIZE = 50


def _rows(stmt):
    """(entry, actor username or None) pairs, newest first."""
    return db.session.execute(
        stmt.add_columns(User.username)
        .outerjoin(User, User.id == AuditEntry.actor_id)
        .order_by(AuditEntry.id.desc())
    ).all()


def entries_for(target_type: str, target_id: int, limit: int = 50):
    """The latest entries about one target, for moderation pages."""
    return _rows(
        select(AuditEntry)
        .where(AuditEntry.target_type == target_type, AuditEntry.target_id == target_id)
        .limit(limit)
    )


def _day_start(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _filtered(form: AuditFilterForm):
    stmt = select(AuditEntry)
    if form.actor.data:
        stmt = stmt.where(
            AuditEntry.actor_id.in_(
                select(User.id).where(User.username_key == form.actor.data.strip().lower())
            )
        )
    if form.action.data:
        stmt = stmt.where(AuditEntry.action == form.action.data)
    if form.target_type.data:
        stmt = stmt.where(AuditEntry.target_type == form.target_type.data)
    if form.since.data:
        stmt = stmt.where(AuditEntry.created_at >= _day_start(form.since.data))
    if form.until.data:
        stmt = stmt.where(AuditEntry.created_at < _day_start(form.until.data) + timedelta(days=1))
    return stmt


def _choices(column) -> dict[str, str]:
    values = db.session.execute(select(column).distinct().order_by(column)).scalars()
    return {"": gettext("Any"), **{v: v for v in values}}


@bp.get("/admin/audit")
@require("audit.view")
def audit_log():
    form = AuditFilterForm(request.args)
    form.action.choices = _choices(AuditEntry.action)
    form.target_type.choices = _choices(AuditEntry.target_type)
    if request.args and not form.validate():
        return render_template(
            "admin/audit.html", form=form, rows=[], page=1, last_page=1, total=0, query={}
        ), 400
    stmt = _filtered(form)
    total = db.session.execute(select(func.count()).select_from(stmt.subquery())).scalar() or 0
    last = max(1, -(-total // PAGE_SIZE))
    page = page_arg(last=last)
    rows = _rows(stmt.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE))
    query = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "admin/audit.html",
        form=form,
        rows=rows,
        page=page,
        last_page=last,
        total=total,
        query=query,
    )
