"""Helpers for the mentoring tests: publish a profile through the page members use."""

from __future__ import annotations

PROFILE = {
    "published": "y",
    "offers": "y",
    "areas": "career",
    "languages": "english",
    "country": "France",
    "time_zone": "Europe/Paris",
    "availability": "open",
    "max_active_pairs": "3",
    "introduction": "I help with careers.",
}


def publish(kit, user, **fields):
    """Save ``user``'s mentoring profile (PROFILE overridden by ``fields``; None drops a key)."""
    data = {k: v for k, v in {**PROFILE, **fields}.items() if v is not None}
    kit.post(user, "/p/pair_spaces/mentoring/profile", data, status=303)


def names_in(page: str, *users) -> list[str]:
    return [u.username for u in users if u.username in page]
