"""Permissions for single objects and actions: hooks first (deny wins), then role defaults."""

from __future__ import annotations

import logging
from functools import wraps

from flask import abort, current_app, g

from forum.kernel.hooks import hook
from forum.kernel.security import is_safe_request
from forum.visibility.actor import current_actor

log = logging.getLogger("forum.visibility")


def can(action: str, resource=None, actor=None) -> bool:
    """May ``actor`` (default: the current one) do ``action`` on ``resource``?

    Without a resource the answer depends on the actor alone, so a read-only request (which
    changes no role) asks the hooks once per action: a page of 20 comments asks "may this reader
    flag?" once, not 20 times."""
    actor = actor if actor is not None else current_actor()
    memo = _memo() if resource is None else None
    if memo is None:
        return _decide(action, resource, actor)
    key = (action, _identity(actor))
    if key not in memo:
        memo[key] = _decide(action, None, actor)
    return memo[key]


def _memo() -> dict | None:
    if not is_safe_request():
        return None
    return g.setdefault("forum_permission_memo", {})


def _identity(actor) -> tuple:
    actor = actor._get_current_object() if hasattr(actor, "_get_current_object") else actor
    return type(actor), getattr(actor, "id", None)


def _decide(action: str, resource, actor) -> bool:
    try:
        answers = hook.check_permission(actor=actor, action=action, resource=resource)
    except Exception:
        log.error("check_permission raised for %s; denying", action, exc_info=False)
        return False
    if False in answers:
        return False
    if True in answers:
        return True
    permission = current_app.extensions["forum.permissions"].get(action)
    if permission is None:
        return False
    return bool(set(getattr(actor, "role_names", ())) & set(permission.default_roles))


def require(action: str):
    """View decorator: 401 for anonymous readers (login page), 403 for others without ``action``."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            actor = current_actor()
            if not can(action):
                if not getattr(actor, "is_authenticated", False):
                    return current_app.login_manager.unauthorized()
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
