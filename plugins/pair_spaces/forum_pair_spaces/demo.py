"""``flask forum pair-spaces seed-demo``: a few fictional mentors in the directory, so a
newcomer's "Find a mentor" has someone to find. Running it twice changes nothing."""

from __future__ import annotations

import secrets

from sqlalchemy import select

from forum.sdk import User, create_user, db, ensure_roles
from forum_pair_spaces.services.mentoring import profile_of, save_profile

#: username -> (display name, profile fields); all fictional
DEMO_MENTORS = {
    "demo-mentor-aino": (
        "Aino Virtanen (demo)",
        {
            "areas": "confidentiality, first-time managers, career change",
            "languages": "Finnish, English",
            "country": "Finland",
            "time_zone": "Europe/Helsinki",
            "introduction": "*Demo data.* A fictional mentor of new team leads. I listen first, "
            "and we agree early on what stays between us.",
        },
    ),
    "demo-mentor-luc": (
        "Luc Tremblay (demo)",
        {
            "areas": "trust, feedback, nonprofit leadership",
            "languages": "French, English",
            "country": "Canada",
            "time_zone": "America/Toronto",
            "introduction": "*Demo data.* A fictional mentor who helps people give and take "
            "honest feedback.",
        },
    ),
    "demo-mentor-ruth": (
        "Ruth Adebayo (demo)",
        {
            "areas": "goal setting, confidentiality, research careers",
            "languages": "English",
            "country": "United Kingdom",
            "time_zone": "Europe/London",
            "introduction": "*Demo data.* A fictional mentor for early-career researchers.",
        },
    ),
}


def _demo_user(username: str, display: str) -> User:
    user = db.session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if user is not None:
        return user
    ensure_roles()
    user = create_user(
        username,
        f"{username}@demo.invalid",
        secrets.token_urlsafe(24),
        roles=("member",),
        check_strength=False,
    )
    user.display_name = display
    user.bio = "Demo data: a fictional person."
    db.session.flush()
    return user


def seed_mentors() -> int:
    """Create the demo mentors' published profiles; returns how many were new."""
    created = 0
    for username, (display, fields) in DEMO_MENTORS.items():
        user = _demo_user(username, display)
        if profile_of(user) is not None:
            continue
        save_profile(
            user,
            {
                "published": True,
                "offers": True,
                "seeks": False,
                "availability": "open",
                "max_active_pairs": 3,
                **fields,
            },
        )
        created += 1
    db.session.commit()
    return created
