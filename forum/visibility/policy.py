"""The one visibility policy: every ORM SELECT of a registered content type is filtered here.

Plugins contribute clauses through ``visibility_filter``; core ANDs them (deny wins) and attaches
them with ``with_loader_criteria`` from a ``do_orm_execute`` listener, so no view can forget.
A type whose owning plugin is off, or whose hook raises, is invisible to everyone (fail closed).
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from dataclasses import dataclass

from flask import current_app, g, has_app_context, has_request_context
from sqlalchemy import and_, event, false, true
from sqlalchemy.orm import Session, with_loader_criteria

from forum.kernel.hooks import disabled_names, hook
from forum.kernel.types import ContentType
from forum.visibility.actor import ANONYMOUS, Anonymous, current_actor, resolving
from forum.visibility.permissions import can

log = logging.getLogger("forum.visibility")

REGISTRY_KEY = "forum.content_types"
_busy: ContextVar[bool] = ContextVar("forum_visibility_busy", default=False)


@dataclass(frozen=True)
class Bypass:
    """An audited exception: the owning plugin reads its own types unfiltered, for ``reason``."""

    owner: str
    reason: str


def bypass(owner: str, reason: str) -> dict:
    """Execution options that lift the filter for ``owner``'s own types only."""
    return {"skip_visibility": Bypass(owner, reason)}


def registry(app=None) -> dict[str, ContentType]:
    return (app or current_app).extensions.get(REGISTRY_KEY, {})


def content_type_for(model) -> ContentType | None:
    for ct in registry().values():
        if ct.model is model:
            return ct
    return None


def actor_key(actor) -> object:
    """What the policy keys an actor's clauses by: the same key means the same visibility rules
    (search keys its per-request ranking by it too)."""
    return getattr(actor, "id", None), tuple(sorted(getattr(actor, "role_names", ())))


def sees_public_plus_own(actor, ct: ContentType) -> bool:
    """Whether ``actor`` sees exactly "the public rows of ``ct``, plus their own": only the
    owner's rule applies, to them and to the anonymous reader alike. Then what they see of public
    content is what anonymous sees, and public counts and rankings can be shared with them; staff
    (who see everything) or any plugin's extra rule make it False."""
    if type(actor) is Anonymous:
        return True
    if can("content.see_all", actor=actor):  # staff (and the system actor) see everything
        return False
    return all(
        rules is not None and len(rules) == 1
        for rules in (_per_request("_forum_rules", who, ct, _rules) for who in (actor, ANONYMOUS))
    )


def _rules(actor, ct: ContentType) -> list | None:
    """The enabled plugins' clauses for ``actor`` on ``ct``; None when a hook raised."""

    try:
        # Only enabled plugins' rules: disabling a plugin removes its rules on other types.
        return [c for c in hook.visibility_filter(actor=actor, content_type=ct) if c is not None]
    except Exception:
        log.error("visibility_filter raised for type %s; denying", ct.name, exc_info=False)
        return None


def _compute_clause(actor, ct: ContentType):
    if ct.owner != "core" and ct.owner in disabled_names():
        return false()  # a disabled plugin's own types are invisible to everyone (fail closed)
    clauses = _per_request("_forum_rules", actor, ct, _rules)
    if clauses is None:
        return false()
    if not clauses:
        return true() if ct.is_public else false()
    return and_(*clauses)


def visibility_clause(actor, ct: ContentType):
    """The boolean clause limiting ``actor`` to what they may see of ``ct`` (cached per request)."""
    return _per_request("_forum_visibility", actor, ct, _compute_clause)


def visible(model):
    """The current actor's clause for ``model``, for a subquery (a count, an EXISTS) that selects
    ``model`` inside a statement of another type. The listener filters the entities a statement
    selects, not those only its subqueries name; ``visible`` asks the same policy for those."""
    ct = content_type_for(model)
    if ct is None:
        raise LookupError(f"{model.__name__} is not a registered content type")
    return visibility_clause(current_actor(), ct)


def _per_request(memo: str, actor, ct: ContentType, compute):
    """``compute(actor, ct)``, kept for the rest of the request under the actor's policy key."""
    if not has_request_context():
        return compute(actor, ct)
    cache = g.setdefault(memo, {})
    key = (actor_key(actor), ct.name)
    if key not in cache:
        cache[key] = compute(actor, ct)
    return cache[key]


def _on_execute(state) -> None:
    if not state.is_select or state.is_column_load or resolving() or not has_app_context():
        return
    types = registry()
    if not types:
        return
    skip = state.execution_options.get("skip_visibility")
    mappers = {m.class_ for m in state.all_mappers}
    wanted = [ct for ct in types.values() if ct.model in mappers]
    if not wanted or _busy.get():
        return
    token = _busy.set(True)  # loading the actor's own rows must not recurse into the policy
    try:
        actor = current_actor()
        _add_criteria(state, wanted, actor, skip)
    finally:
        _busy.reset(token)


def _add_criteria(state, wanted, actor, skip) -> None:
    options = []
    for ct in wanted:
        if isinstance(skip, Bypass) and skip.owner == ct.owner:
            log.debug("visibility lifted for %s by %s: %s", ct.name, skip.owner, skip.reason)
            continue
        options.append(
            with_loader_criteria(ct.model, visibility_clause(actor, ct), include_aliases=True)
        )
    if options:
        state.statement = state.statement.options(*options)


def install() -> None:
    """Attach the listener to every ORM Session (idempotent)."""
    if not event.contains(Session, "do_orm_execute", _on_execute):
        event.listen(Session, "do_orm_execute", _on_execute)
