"""The plugin API version, and the check of what a plugin says it needs (``requires_api``)."""

from __future__ import annotations

import operator

#: Raised by one minor step for each added SDK name or hook, by a major step for a removal or an
#: incompatible change; ``CHANGELOG.md`` ("Plugin API") records each change.
PLUGIN_API_VERSION = "1.0"

_OPERATORS = {
    ">=": operator.ge,
    "<=": operator.le,
    "==": operator.eq,
    ">": operator.gt,
    "<": operator.lt,
}


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.strip().split("."))


def _clause_holds(clause: str, have: tuple[int, ...]) -> bool:
    for symbol in (">=", "<=", "==", ">", "<"):
        if clause.startswith(symbol):
            want = _version(clause[len(symbol) :])
            width = max(len(want), len(have))
            return _OPERATORS[symbol](
                have + (0,) * (width - len(have)), want + (0,) * (width - len(want))
            )
    raise ValueError(f"unreadable requires_api clause {clause!r} (use e.g. '>=1.0,<2')")


def api_satisfies(requirement: str, version: str = PLUGIN_API_VERSION) -> bool:
    """Whether ``version`` meets ``requirement``, comma-separated clauses like ``">=1.0,<2"``.

    Raises ValueError for a requirement it cannot read."""
    have = _version(version)
    return all(
        _clause_holds(clause.strip(), have) for clause in requirement.split(",") if clause.strip()
    )


def incompatibility(module) -> str | None:
    """Why a plugin module's ``requires_api`` refuses this forum, or None when it fits (or says nothing)."""
    requirement = getattr(module, "requires_api", None)
    if not requirement:
        return None
    try:
        fits = api_satisfies(str(requirement))
    except ValueError as error:
        return str(error)
    if fits:
        return None
    return f"needs plugin API {requirement}; this forum has {PLUGIN_API_VERSION}"
