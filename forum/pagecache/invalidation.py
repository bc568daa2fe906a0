"""Bump the content version whenever a commit changes anything a public page may show.

Quiet (no bump): rows of ``QUIET_TABLES``; any write to a ``members``-audience content type
(a pair space, never on a public page); and a new row of a ``quiet_until_public`` type that the
anonymous reader cannot see (a comment waiting for review), asked through the policy just before
the commit. Everything else, including every edit and delete of content, bumps.
"""

from __future__ import annotations

from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from forum.kernel.events import queued
from forum.visibility import content_type_for, public_ids, registry

#: Tables whose rows never appear on a public page: writing them keeps the cache.
QUIET_TABLES = frozenset(
    {
        "audit_log",
        "notifications",
        "mail_outbox",
        "api_tokens",
        "watches",
        "flags",
        "site_setting",
    }
)
_FLAG = "forum_pagecache_touched"
_BUMPED = "forum_pagecache_bumped"  # bumped in this transaction (the store hears of the commit)
_UNSEEN = "forum_pagecache_unseen"  # {content type name: ids} of new rows that may be quiet
_BY_TABLE = "forum.pagecache.types_by_table"  # (app.extensions: the registry it was made from)


def _store():
    if not has_app_context():
        return None
    return current_app.extensions.get("forum.pagecache")


def _types_by_table() -> dict:
    """The registered content types by table (asked at every flush: made once per registry)."""
    if not has_app_context():
        return {}
    types = registry()
    made = current_app.extensions.get(_BY_TABLE)
    if made is None or made[0] is not types or len(made[1]) != len(types):
        made = current_app.extensions[_BY_TABLE] = (
            types,
            {ct.model.__table__.name: ct for ct in types.values()},
        )
    return made[1]


def _quiet_table(table: str, types: dict) -> bool:
    ct = types.get(table)
    return table in QUIET_TABLES or (ct is not None and ct.audience == "members")


def _after_flush(session: Session, _ctx) -> None:
    types = _types_by_table()
    for obj in session.new:
        table = getattr(obj, "__tablename__", None)
        if not table or _quiet_table(table, types):
            continue
        ct = types.get(table)
        if ct is not None and ct.quiet_until_public and getattr(obj, "id", None) is not None:
            session.info.setdefault(_UNSEEN, {}).setdefault(ct.name, set()).add(obj.id)
        else:
            session.info[_FLAG] = True
    for obj in list(session.dirty) + list(session.deleted):
        table = getattr(obj, "__tablename__", None)
        if table and not _quiet_table(table, types):
            session.info[_FLAG] = True


def touch(session: Session) -> None:
    """A write the ORM cannot see (raw SQL, e.g. the search index) changed what public pages
    show: bump the version when this transaction commits."""
    session.info[_FLAG] = True


def _on_execute(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        types = _types_by_table()
        tables = {
            m.local_table.name
            for m in state.all_mappers
            if getattr(m, "local_table", None) is not None
        }
        if any(not _quiet_table(t, types) for t in tables):
            state.session.info[_FLAG] = True


def _changes_public_pages(session: Session) -> bool:
    """Whether this transaction's writes may show on a public page (call after the last flush)."""
    unseen = session.info.pop(_UNSEEN, {})
    if session.info.get(_FLAG):
        return True
    if not unseen:
        return False

    for announced in queued(session, "content_published"):  # public by its emitter's word: bump
        content = announced.get("content")
        ct = content_type_for(type(content))
        if ct is not None and getattr(content, "id", None) in unseen.get(ct.name, ()):
            return True
    # New content entering the review queue is not public by the product's first rule (nothing
    # goes live before a moderator approves it): no query for an untrusted member's post
    for announced in queued(session, "content_submitted"):
        content = announced.get("content")
        ct = content_type_for(type(content))
        if ct is not None:
            unseen.get(ct.name, set()).discard(getattr(content, "id", None))
    types = registry()
    return any(name not in types or public_ids(types[name], ids) for name, ids in unseen.items())


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint's release: the real commit decides
        return
    store = _store()
    if store is None:
        _forget(session)
        return
    session.flush()
    if not _changes_public_pages(session):
        return
    session.info[_FLAG] = True
    if store.bump_in_transaction:
        session.info.pop(_FLAG, None)
        session.info[_BUMPED] = True
        store.bump(session.connection())


def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():  # (not committed yet: a bump now could be cached stale)
        return
    store = _store()
    if session.info.pop(_BUMPED, False) and store is not None:
        store.bump_committed()
    if session.info.pop(_FLAG, False) and store is not None and not store.bump_in_transaction:
        store.bump()


def _forget(session: Session) -> None:
    session.info.pop(_FLAG, None)
    session.info.pop(_BUMPED, None)
    session.info.pop(_UNSEEN, None)


def install() -> None:
    if event.contains(Session, "before_commit", _before_commit):
        return
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "do_orm_execute", _on_execute)
    event.listen(Session, "before_commit", _before_commit)
    event.listen(Session, "after_commit", _after_commit)
    # (a savepoint's rollback keeps the flag: an extra bump is harmless, a missed one is not)
    event.listen(
        Session,
        "after_soft_rollback",
        lambda s, rolled_back: None if rolled_back.nested else _forget(s),
    )
