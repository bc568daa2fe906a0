"""Who is looking: the actor every visibility and permission decision is made for."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import g, has_request_context
from flask_login import AnonymousUserMixin, current_user


class Anonymous(AnonymousUserMixin):
    """A reader without an account: no id, no roles."""

    id = None
    role_names: frozenset[str] = frozenset()
    is_suspended = False
    is_trusted = False

    def has_role(self, *names: str) -> bool:
        return False


ANONYMOUS = Anonymous()


class SystemActor(Anonymous):
    """Maintenance jobs (import, export, reindex checks): sees core content like a moderator.

    It is no bypass: types with a ``members`` audience (pair spaces) stay invisible to it.
    """

    role_names: frozenset[str] = frozenset({"moderator"})

    def has_role(self, *names: str) -> bool:
        return bool(self.role_names & set(names))


SYSTEM = SystemActor()

_override: ContextVar[object | None] = ContextVar("forum_actor_override", default=None)
_resolving: ContextVar[bool] = ContextVar("forum_actor_resolving", default=False)


@contextmanager
def as_actor(actor) -> Iterator[None]:
    """Run a block (CLI command, job, test) as ``actor``; ``None`` means anonymous."""
    token = _override.set(actor if actor is not None else ANONYMOUS)
    try:
        yield
    finally:
        _override.reset(token)


def resolving() -> bool:
    """True while the request's user is being loaded (its queries need no visibility)."""
    return _resolving.get()


def current_actor():
    """The overriding actor, else the logged-in user of this request, else anonymous."""
    actor = _override.get()
    if actor is not None:
        return actor
    if not has_request_context():
        return ANONYMOUS
    if "_login_user" in g:
        return g._login_user or ANONYMOUS

    token = _resolving.set(True)
    try:
        return current_user._get_current_object() or ANONYMOUS
    finally:
        _resolving.reset(token)
