"""The states a pair and its records move through, as StrEnums the database enforces (each
column has a CHECK constraint built from its enum; migration pair_0003)."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import CheckConstraint

from forum.sdk import one_of_sql


class PairStatus(StrEnum):
    """Proposed until both accept; then active; then ended (or declined before it formed)."""

    PROPOSED = "proposed"
    ACTIVE = "active"
    ENDED = "ended"
    DECLINED = "declined"


class GoalStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    ACHIEVED = "achieved"
    DROPPED = "dropped"


class ConcernStatus(StrEnum):
    """A raised concern: open until the other member agrees, counters or refuses."""

    OPEN = "open"
    AGREED = "agreed"
    COUNTERED = "countered"
    REFUSED = "refused"


class QuoteStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


class Availability(StrEnum):
    """What a mentor's profile says; the directory shows OPEN as full at their pair limit."""

    OPEN = "open"
    FULL = "full"
    PAUSED = "paused"


def check(table: str, column: str, values: type[StrEnum]) -> CheckConstraint:
    """The constraint that keeps ``table.column`` to ``values``; the metadata's naming
    convention names it ``ck_<table>_<column>``."""
    return CheckConstraint(one_of_sql(column, values), name=column)
