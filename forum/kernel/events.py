"""Lifecycle events are fired after the transaction commits, so plugins never see rolled-back data.

``emit("content_approved", content=part, actor=user)`` queues the call on the session; it runs
once the session commits (after the transaction has closed, so hooks may query and commit) and
is dropped if it rolls back.

The handlers of one commit's events share one follow-up transaction, committed once after the
last of them. Each event runs inside a savepoint, so a handler that raises (logged in production)
undoes only its own event's writes.

A plugin that only writes rows of this database (search entries, notices, queued mail) may set
``forum_events_in_transaction = True``: its event hooks run inside the emitting transaction, just
before it commits, and their writes commit or roll back with the content. Core's search and
notifications do, so a trusted member's post is one transaction, not two. Should that batch
raise, its savepoint is undone and the same events reach those plugins after the commit instead.
"""

from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from forum.extensions import db
from forum.kernel.hooks import disabled_names, hook, plugin_manager

log = logging.getLogger("forum.kernel.events")
_KEY = "forum_pending_events"
_READY = "forum_ready_events"
_HANDLED = "forum_events_handled_in_transaction"  # how many queued events the batch has run
IN_TRANSACTION = "forum_events_in_transaction"


def emit(hook_name: str, **kwargs) -> None:
    db.session().info.setdefault(_KEY, []).append((hook_name, kwargs))


def queued(session: Session, hook_name: str) -> list[dict]:
    """The arguments of the ``hook_name`` events this session will fire if it commits."""
    return [kwargs for name, kwargs in session.info.get(_KEY, ()) if name == hook_name]


def _caller(name: str, in_transaction: bool):
    """``hook.<name>`` limited to the enabled plugins that run events in (or after) the
    transaction; None when no such plugin implements it."""
    pm = plugin_manager()
    plugins = pm.get_plugins()
    chosen = {p for p in plugins if bool(getattr(p, IN_TRANSACTION, False)) == in_transaction}
    if any(not _is_core(pm, p) for p in chosen):  # (core plugins are never off: no need to ask)
        off = disabled_names()
        chosen = {p for p in chosen if pm.get_name(p) not in off}
    removed = list(plugins - chosen)
    return _implemented(
        pm.subset_hook_caller(name, remove_plugins=removed) if removed else getattr(pm.hook, name)
    )


def _implemented(caller):
    """``caller``, or None when no plugin it reaches implements the hook (nothing to run)."""
    return caller if caller.get_hookimpls() else None


def _is_core(pm, plugin) -> bool:
    info = pm.infos.get(pm.get_name(plugin))
    return info is not None and info.is_core


def _before_commit(session: Session) -> None:
    """Run the queued events for the in-transaction plugins, in one savepoint, before the commit."""
    if session.in_nested_transaction():
        return
    pending = session.info.get(_KEY)
    start = session.info.get(_HANDLED, 0)
    if not pending or start >= len(pending):
        return
    callers: dict = {}

    def caller_of(name: str):
        if name not in callers:
            callers[name] = _caller(name, in_transaction=True)
        return callers[name]

    if all(caller_of(name) is None for name, _kwargs in pending[start:]):
        session.info[_HANDLED] = len(pending)  # nobody to run: no savepoint either
        return
    queued_before = len(pending)
    try:
        with session.begin_nested():
            done = start
            while done < len(pending):  # (what a handler emits joins this batch)
                name, kwargs = pending[done]
                caller = caller_of(name)
                if caller is not None:
                    caller(**kwargs)
                done += 1
    except Exception:
        del pending[queued_before:]  # what the batch emitted goes with its writes
        _log_or_raise("in-transaction event handlers raised: they run after the commit instead")
        return
    session.info[_HANDLED] = done


def _after_commit(session: Session) -> None:
    """The commit succeeded: mark its events ready. The session cannot run SQL yet. (SQLAlchemy
    calls this for a savepoint's release too: what a handler emits waits for the real commit.)"""
    if session.in_nested_transaction():
        return
    pending = session.info.pop(_KEY, [])
    handled = session.info.pop(_HANDLED, 0)
    if pending:
        ready = session.info.setdefault(_READY, [])
        ready.extend((name, kwargs, i < handled) for i, (name, kwargs) in enumerate(pending))


def _after_transaction_end(session: Session, transaction) -> None:
    """Fire ready events once the root transaction is closed, then commit their writes together."""
    if transaction.parent is not None or transaction.nested:
        return
    ready = session.info.pop(_READY, [])
    fired = False
    for name, kwargs, handled in ready:
        # handled in the transaction: the others still hear of it; else everybody does
        caller = _caller(name, in_transaction=False) if handled else _everyone(name)
        if caller is not None:
            _fire(session, name, caller, kwargs)
            fired = True
    if not fired:
        return
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


def _everyone(name: str):
    """``hook.<name>`` for every enabled plugin; None when none implements it."""
    return _implemented(getattr(hook, name))


def _fire(session: Session, name: str, caller, kwargs: dict) -> None:
    queued_before = len(session.info.get(_KEY, ()))
    try:
        with session.begin_nested():  # flushed on leaving: a write that fails is the handler's too
            caller(**kwargs)
    except Exception:
        del session.info.get(_KEY, [])[queued_before:]  # what it emitted goes with its writes
        _log_or_raise(f"event {name}: a plugin raised after commit")


def _after_rollback(session: Session) -> None:
    session.info.pop(_KEY, None)
    session.info.pop(_HANDLED, None)


def install() -> None:
    if not event.contains(Session, "after_commit", _after_commit):
        # first of the before_commit listeners: the page cache's decides after these writes
        event.listen(Session, "before_commit", _before_commit, insert=True)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_transaction_end", _after_transaction_end)
        # (a savepoint's rollback keeps the events queued before it: see _fire)
        event.listen(
            Session,
            "after_soft_rollback",
            lambda s, rolled_back: None if rolled_back.nested else _after_rollback(s),
        )
