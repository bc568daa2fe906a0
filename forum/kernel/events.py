"""Lifecycle events are fired after the transaction commits, so plugins never see rolled-back data.

``emit("content_approved", content=part, actor=user)`` queues the call on the session; it runs
once the session commits (after the transaction has closed, so hooks may query and commit) and
is dropped if it rolls back.

The handlers of one commit's events share one follow-up transaction, committed once after the
last of them: a post that fires ``content_created`` and ``content_published`` to search and
notifications costs one write transaction more, not four. Each event runs inside a savepoint, so
a handler that raises (logged in production) undoes only its own event's writes.
"""

from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from forum.extensions import db
from forum.kernel.hooks import hook

log = logging.getLogger("forum.kernel.events")
_KEY = "forum_pending_events"
_READY = "forum_ready_events"


def emit(hook_name: str, **kwargs) -> None:
    db.session().info.setdefault(_KEY, []).append((hook_name, kwargs))


def queued(session: Session, hook_name: str) -> list[dict]:
    """The arguments of the ``hook_name`` events this session will fire if it commits."""
    return [kwargs for name, kwargs in session.info.get(_KEY, ()) if name == hook_name]


def _after_commit(session: Session) -> None:
    """The commit succeeded: mark its events ready. The session cannot run SQL yet. (SQLAlchemy
    calls this for a savepoint's release too: what a handler emits waits for the real commit.)"""
    if session.in_nested_transaction():
        return
    pending = session.info.pop(_KEY, [])
    if pending:
        session.info.setdefault(_READY, []).extend(pending)


def _after_transaction_end(session: Session, transaction) -> None:
    """Fire ready events once the root transaction is closed, then commit their writes together."""
    if transaction.parent is not None or transaction.nested:
        return
    ready = session.info.pop(_READY, [])
    if not ready:
        return
    for name, kwargs in ready:
        _fire(session, name, kwargs)
    try:
        session.commit()  # events the handlers emitted fire after this, in their own batch
    except Exception:
        # the request's own commit has succeeded: its answer must not become an error
        session.rollback()
        _log_or_raise("the after-commit handlers' writes could not be committed")


def _log_or_raise(message: str) -> None:
    log.exception(message)

    if current_app.testing or current_app.debug:
        raise


def _fire(session: Session, name: str, kwargs: dict) -> None:
    queued_before = len(session.info.get(_KEY, ()))
    try:
        with session.begin_nested():  # flushed on leaving: a write that fails is the handler's too
            getattr(hook, name)(**kwargs)
    except Exception:
        del session.info.get(_KEY, [])[queued_before:]  # what it emitted goes with its writes
        _log_or_raise(f"event {name}: a plugin raised after commit")


def _after_rollback(session: Session) -> None:
    session.info.pop(_KEY, None)


def install() -> None:
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_transaction_end", _after_transaction_end)
        # (a savepoint's rollback keeps the events queued before it: see _fire)
        event.listen(
            Session,
            "after_soft_rollback",
            lambda s, rolled_back: None if rolled_back.nested else _after_rollback(s),
        )
