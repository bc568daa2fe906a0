"""Quoting out of the space needs consent: the other party approves the exact text first."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext
from sqlalchemy import select

from forum.sdk import ValidationError, db, utcnow
from forum_pair_spaces.models import Pair, QuoteRequest
from forum_pair_spaces.services.common import clean_text, notify_other, require_active
from forum_pair_spaces.statuses import QuoteStatus


def quotes(pair: Pair) -> list[QuoteRequest]:
    return (
        db.session.execute(
            select(QuoteRequest)
            .where(QuoteRequest.pair_id == pair.id)
            .order_by(QuoteRequest.id.desc())
        )
        .scalars()
        .all()
    )


def ask(pair: Pair, actor, text: str, purpose: str) -> QuoteRequest:
    require_active(pair)
    quote = QuoteRequest(
        pair_id=pair.id,
        requester_id=actor.id,
        text=clean_text(text, "Text to quote", limit=5000),
        purpose=clean_text(purpose, "Where and why", limit=1000),
        status="pending",
        created_at=utcnow(),
    )
    db.session.add(quote)
    notify_other(pair, actor, url_for("pair_spaces.quotes", pair_id=pair.id))
    return quote


def decide(pair: Pair, quote: QuoteRequest, actor, approve: bool) -> QuoteRequest:
    """Only the other party decides, once; the text itself can never change after asking."""
    if quote.pair_id != pair.id or quote.status != QuoteStatus.PENDING:
        raise ValidationError(gettext("This request has already been decided."))
    if quote.requester_id == actor.id:
        raise ValidationError(gettext("The other party decides on your request."))
    quote.status = QuoteStatus.APPROVED if approve else QuoteStatus.REFUSED
    quote.decided_at = utcnow()
    notify_other(pair, actor, url_for("pair_spaces.quotes", pair_id=pair.id))
    return quote
