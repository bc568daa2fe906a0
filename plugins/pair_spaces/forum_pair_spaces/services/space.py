"""The space itself: conversation (with role play), shared notes, goals, meetings, journals."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext
from sqlalchemy import select

from forum.sdk import ValidationError, db, render_markdown, utcnow
from forum_pair_spaces.models import Goal, JournalEntry, Meeting, Message, Note, Pair, RolePlay
from forum_pair_spaces.services.common import clean_text, log_event, notify_other, require_active
from forum_pair_spaces.statuses import GoalStatus

GOAL_STATUSES = tuple(GoalStatus)
CONTEXT = "comment"  # the sanitiser context for Markdown written in a space


def _markdown(source: str, label: str) -> tuple[str, str]:
    source = clean_text(source, label)
    return source, render_markdown(source, CONTEXT)


def _ordered(model, pair: Pair, *order):
    return (
        db.session.execute(select(model).where(model.pair_id == pair.id).order_by(*order))
        .scalars()
        .all()
    )


# --- conversation ---------------------------------------------------------------------------


def messages(pair: Pair) -> list[Message]:
    return _ordered(Message, pair, Message.created_at, Message.id)


def active_roleplay(pair: Pair) -> RolePlay | None:
    return (
        db.session.execute(
            select(RolePlay).where(RolePlay.pair_id == pair.id, RolePlay.ended_at.is_(None))
        )
        .scalars()
        .first()
    )


def roleplays(pair: Pair) -> dict[int, RolePlay]:
    return {r.id: r for r in _ordered(RolePlay, pair, RolePlay.id)}


def post_message(pair: Pair, actor, source: str) -> Message:
    require_active(pair)
    source, html = _markdown(source, "Message")
    play = active_roleplay(pair)
    message = Message(
        pair_id=pair.id,
        author_id=actor.id,
        body_source=source,
        body_html=html,
        roleplay_id=play.id if play else None,
        created_at=utcnow(),
    )
    db.session.add(message)
    notify_other(pair, actor)
    return message


def own_message(pair: Pair, actor, message_id: int) -> Message:
    message = db.session.get(Message, message_id)
    if message is None or message.pair_id != pair.id or message.deleted_at is not None:
        raise LookupError(message_id)
    if message.author_id != actor.id:
        raise PermissionError(message_id)
    return message


def edit_message(message: Message, pair: Pair, source: str) -> Message:
    require_active(pair)
    message.body_source, message.body_html = _markdown(source, "Message")
    message.edited_at = utcnow()
    return message


def delete_message(message: Message) -> None:
    """Soft delete that also forgets the words (the row only says a message was removed)."""
    message.body_source = ""
    message.body_html = ""
    message.deleted_at = utcnow()


def start_roleplay(pair: Pair, actor) -> RolePlay:
    require_active(pair)
    if active_roleplay(pair) is not None:
        raise ValidationError(gettext("A role play is already running."))
    play = RolePlay(pair_id=pair.id, started_by_id=actor.id, started_at=utcnow())
    db.session.add(play)
    log_event(pair, actor, "roleplay_started")
    notify_other(pair, actor)
    return play


def end_roleplay(pair: Pair, actor) -> RolePlay:
    play = active_roleplay(pair)
    if play is None:
        raise ValidationError(gettext("No role play is running."))
    play.ended_at = utcnow()
    log_event(pair, actor, "roleplay_ended")
    return play


# --- notes, goals, meetings, journal --------------------------------------------------------


def notes(pair: Pair) -> list[Note]:
    return _ordered(Note, pair, Note.updated_at.desc(), Note.id.desc())


def save_note(pair: Pair, actor, title: str, source: str, note: Note | None = None) -> Note:
    require_active(pair)
    title = clean_text(title, "Title", limit=200)
    source, html = _markdown(source, "Note")
    if note is None:
        note = Note(pair_id=pair.id, author_id=actor.id, created_at=utcnow())
        db.session.add(note)
    note.title, note.body_source, note.body_html = title, source, html
    note.updated_at = utcnow()
    notify_other(pair, actor)
    return note


def goals(pair: Pair) -> list[Goal]:
    return _ordered(Goal, pair, Goal.created_at, Goal.id)


def add_goal(pair: Pair, actor, title: str) -> Goal:
    require_active(pair)
    goal = Goal(
        pair_id=pair.id,
        author_id=actor.id,
        title=clean_text(title, "Goal", limit=500),
        status="open",
        created_at=utcnow(),
        updated_at=utcnow(),
    )
    db.session.add(goal)
    notify_other(pair, actor)
    return goal


def set_goal_status(pair: Pair, actor, goal: Goal, status: str) -> Goal:
    require_active(pair)
    if status not in GOAL_STATUSES:
        raise ValidationError(gettext("Unknown goal status."), field="status")
    goal.status = status
    goal.updated_at = utcnow()
    notify_other(pair, actor)
    return goal


def meetings(pair: Pair) -> list[Meeting]:
    return _ordered(Meeting, pair, Meeting.held_at.desc(), Meeting.id.desc())


def log_meeting(pair: Pair, actor, held_at: datetime, summary: str) -> Meeting:
    require_active(pair)
    meeting = Meeting(
        pair_id=pair.id,
        author_id=actor.id,
        held_at=held_at,
        summary=clean_text(summary, "Summary"),
        created_at=utcnow(),
    )
    db.session.add(meeting)
    notify_other(pair, actor)
    return meeting


def journal(pair: Pair) -> list[JournalEntry]:
    """The actor's own entries: the visibility policy hides the other party's journal."""
    return _ordered(JournalEntry, pair, JournalEntry.created_at.desc(), JournalEntry.id.desc())


def write_journal(pair: Pair, actor, source: str) -> JournalEntry:
    source, html = _markdown(source, "Entry")
    entry = JournalEntry(
        pair_id=pair.id, owner_id=actor.id, body_source=source, body_html=html, created_at=utcnow()
    )
    db.session.add(entry)
    return entry  # private: nobody is notified
