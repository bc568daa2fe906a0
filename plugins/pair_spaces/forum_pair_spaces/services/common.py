"""Helpers every pair-space service shares: loading a pair for a member, events, notifications."""

from __future__ import annotations

from flask import abort, url_for
from flask_babel import gettext

from forum.sdk import N_, ValidationError, current_actor, db, in_language_of, notify, utcnow
from forum_pair_spaces.models import Pair, SpaceEvent
from forum_pair_spaces.statuses import PairStatus

KIND = "pair_spaces.activity"
URGENT_KIND = "pair_spaces.urgent"
#: The texts a notification or e-mail about a space may carry: what happened, never what was said.
ACTIVITY_TEXT = N_("New activity in your pair space")
CONCERN_TEXT = N_("A confidentiality concern was raised in your pair space")
NOTICE_TEXT = N_("A disclosure notice was recorded in your pair space")
MAX_TEXT = 20_000


def load_pair(pair_id: int, actor=None) -> Pair:
    """The pair if ``actor`` is one of its two members, else 404 (never 403: no hint of content)."""
    actor = actor if actor is not None else current_actor()
    pair = db.session.get(Pair, pair_id)
    if pair is None or not pair.has_member(actor) or not pair.is_formed:
        abort(404)
    if pair.space_deleted_at is not None:
        abort(410, description=gettext("This pair space was deleted."))
    return pair


def require_active(pair: Pair) -> None:
    if pair.status != PairStatus.ACTIVE:
        raise ValidationError(gettext("This pair has ended; its space is read-only."))


def clean_text(
    value: str | None, label: str, *, required: bool = True, limit: int = MAX_TEXT
) -> str:
    text = (value or "").replace("\x00", "").strip()
    if required and not text:
        raise ValidationError(gettext("This cannot be empty."), field=label)
    if len(text) > limit:
        raise ValidationError(
            gettext("This is too long (at most %(num)s characters).", num=limit), field=label
        )
    return text


def log_event(pair: Pair, actor, kind: str) -> SpaceEvent:
    """A content-free timeline line both members see."""
    event = SpaceEvent(
        pair_id=pair.id, actor_id=getattr(actor, "id", None), kind=kind, created_at=utcnow()
    )
    db.session.add(event)
    return event


def space_url(pair: Pair, endpoint: str = "pair_spaces.space", **values) -> str:
    return url_for(endpoint, pair_id=pair.id, **values)


def notify_user(user_id: int, url: str, text: str = ACTIVITY_TEXT, kind: str = "") -> None:
    """Tell ``user_id`` something happened, and nothing more (urgent for a concern or notice),
    in their own language (``text`` is an ``N_``-marked message)."""
    kind = kind or (KIND if text == ACTIVITY_TEXT else URGENT_KIND)
    with in_language_of(user_id):
        notify(user_id, kind, gettext(text), url)


def notify_other(pair: Pair, actor, url: str | None = None, text: str = ACTIVITY_TEXT) -> None:
    notify_user(pair.other_id(actor), url or space_url(pair), text)
