"""Bump the content version whenever a commit changes anything a public page may show."""

from __future__ import annotations

from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

#: Tables whose rows never appear on a public page: writing them keeps the cache.
QUIET_TABLES = frozenset({
    "audit_log", "notifications", "mail_outbox", "api_tokens", "watches", "flags", "site_setting",
})
_FLAG = "forum_pagecache_touched"


def _store():
    if not has_app_context():
        return None
    return current_app.extensions.get("forum.pagecache")


def _loud(objects) -> bool:
    for obj in objects:
        table = getattr(obj, "__tablename__", None)
        if table and table not in QUIET_TABLES:
            return True
    return False


def _after_flush(session: Session, _ctx) -> None:
    if _loud(list(session.new) + list(session.dirty) + list(session.deleted)):
        session.info[_FLAG] = True


def _on_execute(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        tables = {m.local_table.name for m in state.all_mappers if getattr(m, "local_table", None) is not None}
        if tables - QUIET_TABLES:
            state.session.info[_FLAG] = True


def _before_commit(session: Session) -> None:
    store = _store()
    if store is None:
        session.info.pop(_FLAG, None)
        return
    session.flush()
    if not session.info.get(_FLAG):
        return
    if store.bump_in_transaction:
        session.info.pop(_FLAG, None)
        store.bump(session.connection())


def _after_commit(session: Session) -> None:
    store = _store()
    if session.info.pop(_FLAG, False) and store is not None and not store.bump_in_transaction:
        store.bump()


def _after_rollback(session: Session) -> None:
    session.info.pop(_FLAG, None)


def install() -> None:
    if event.contains(Session, "before_commit", _before_commit):
        return
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "do_orm_execute", _on_execute)
    event.listen(Session, "before_commit", _before_commit)
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_soft_rollback", lambda s, _t: _after_rollback(s))
