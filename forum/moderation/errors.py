"""Errors of moderation services, answered 409 Conflict by a handler the plugin registers."""

from __future__ import annotations

from forum.kernel.types import ValidationError


class InvalidTransition(ValidationError):
    """The action does not apply to the target's current state (a double click, a stale page)."""

    shown_on_form = False


class AlreadyFlagged(InvalidTransition):
    """A member flags each part or comment at most once."""
