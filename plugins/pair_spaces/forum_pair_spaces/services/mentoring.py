"""Mentoring profiles and the "Find a mentor" directory.

A profile is public only while ``published`` is true; the plugin's visibility rule (not this
module) keeps unpublished profiles out of every query, so opting out removes a member at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import url_for
from flask_babel import gettext
from sqlalchemy import ColumnElement, func, select

from forum.sdk import (
    User,
    ValidationError,
    db,
    get_setting,
    in_language_of,
    notify,
    render_markdown,
    utcnow,
)
from forum_pair_spaces.models import MentorProfile, Pair
from forum_pair_spaces.services.common import KIND, clean_text
from forum_pair_spaces.statuses import Availability, PairStatus

AVAILABILITY = {Availability.OPEN: "Open", Availability.FULL: "Full", Availability.PAUSED: "Paused"}
SUGGESTED_AREAS = ("career", "writing", "research", "leadership", "wellbeing", "teaching")
PROPOSALS_PER_DAY_KEY = "pair_spaces.proposals_per_day"
PER_PAGE = 20


def tags(text: str | None) -> list[str]:
    """Free tags from a comma-separated field: trimmed, lower case, unique, in order."""
    seen: list[str] = []
    for raw in (text or "").split(","):
        tag = raw.strip().lower()[:40]
        if tag and tag not in seen:
            seen.append(tag)
    return seen


def _stored(values: list[str]) -> str:
    """``,a,b,`` so a filter can match one whole tag with LIKE '%,a,%'."""
    return f",{','.join(values)}," if values else ""


def profile_of(user) -> MentorProfile | None:
    uid = getattr(user, "id", None)
    if uid is None:
        return None
    return db.session.execute(
        select(MentorProfile).where(MentorProfile.user_id == uid)
    ).scalar_one_or_none()


def save_profile(user, data: dict) -> MentorProfile:
    """Create or update the member's profile from validated form data."""
    if data["availability"] not in AVAILABILITY:
        raise ValidationError(gettext("Choose open, full or paused."), field="availability")
    profile = profile_of(user) or MentorProfile(user_id=user.id)
    profile.published = bool(data["published"])
    profile.offers = bool(data["offers"])
    profile.seeks = bool(data["seeks"])
    profile.areas = _stored(tags(data["areas"]))[:400]
    profile.languages = _stored(tags(data["languages"]))[:200]
    profile.country = (data["country"] or "").strip()[:60]
    profile.time_zone = (data["time_zone"] or "").strip()[:60]
    profile.availability = data["availability"]
    profile.introduction = clean_text(
        data["introduction"], "introduction", required=False, limit=2000
    )
    profile.introduction_html = render_markdown(profile.introduction)
    profile.max_active_pairs = int(data["max_active_pairs"])
    profile.accepts_guidance = bool(data.get("accepts_guidance", True))
    profile.updated_at = utcnow()
    db.session.add(profile)
    return profile


def active_pair_count(user_id: int) -> int:
    return db.session.execute(
        select(func.count(Pair.id)).where(
            Pair.mentor_id == user_id, Pair.status == PairStatus.ACTIVE
        )
    ).scalar_one()


def shown_availability(profile: MentorProfile) -> str:
    """What the directory says: a mentor at their maximum of active pairs shows as full."""
    if profile.availability == "open" and active_pair_count(profile.user_id) >= (
        profile.max_active_pairs or 0
    ):
        return "full"
    return profile.availability


@dataclass(frozen=True)
class DirectoryQuery:
    area: str = ""
    language: str = ""
    country: str = ""
    availability: str = ""
    q: str = ""


def _filters(query: DirectoryQuery) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [MentorProfile.offers.is_(True)]
    if query.area:
        conditions.append(MentorProfile.areas.like(f"%,{_escape(query.area.lower())},%", "\\"))
    if query.language:
        conditions.append(
            MentorProfile.languages.like(f"%,{_escape(query.language.lower())},%", "\\")
        )
    if query.country:
        conditions.append(func.lower(MentorProfile.country) == query.country.strip().lower())
    if query.availability in AVAILABILITY:
        conditions.append(MentorProfile.availability == query.availability)
    for word in query.q.split()[:8]:
        conditions.append(MentorProfile.introduction.ilike(f"%{_escape(word)}%", "\\"))
    return conditions


def _escape(text: str) -> str:
    return text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def directory(query: DirectoryQuery, page: int) -> tuple[list[MentorProfile], bool]:
    """Published mentor profiles matching every filter; the visibility rule drops unpublished ones.

    Returns the page and whether a next page exists.
    """
    stmt = (
        select(MentorProfile)
        .join(User, User.id == MentorProfile.user_id)
        .where(User.deleted_at.is_(None), *_filters(query))
        .order_by(MentorProfile.updated_at.desc(), MentorProfile.id.desc())
        .limit(PER_PAGE + 1)
        .offset((page - 1) * PER_PAGE)
    )
    rows = list(db.session.execute(stmt).scalars().all())
    return rows[:PER_PAGE], len(rows) > PER_PAGE


def known_areas() -> list[str]:
    """Suggestions for the area field: the defaults plus tags published profiles use."""
    found = set(SUGGESTED_AREAS)
    for areas in db.session.execute(select(MentorProfile.areas)).scalars():
        found.update(tags(areas))
    return sorted(found)


def proposals_today(user) -> int:
    since = utcnow() - timedelta(days=1)
    return db.session.execute(
        select(func.count(Pair.id)).where(Pair.initiated_by_id == user.id, Pair.created_at >= since)
    ).scalar_one()


def check_proposal_limit(user) -> None:
    """At most the configured number of proposals in any 24 hours, withdrawn ones included."""
    limit = int(get_setting(PROPOSALS_PER_DAY_KEY))
    if proposals_today(user) >= limit:
        raise ValidationError(
            gettext(
                "You have sent %(num)s proposals in the last 24 hours; try again later.", num=limit
            ),
            field="message",
        )


def check_mentor_open(mentor: User) -> None:
    profile = profile_of(mentor)
    if profile is not None and profile.offers and shown_availability(profile) != "open":
        raise ValidationError(
            gettext("This mentor is not taking new mentees now."), field="message"
        )


def decline_with_reason(pair: Pair, reason: str) -> None:
    """Keep the optional reason (sealed) and tell the proposer it is there to read."""
    text = clean_text(reason, "reason", required=False, limit=1000)
    pair.decline_reason = text or None
    with in_language_of(pair.initiated_by_id):
        message = (
            gettext("Your pair proposal was declined: %(reason)s", reason=text)
            if text
            else gettext("Your pair proposal was declined")
        )
        notify(pair.initiated_by_id, KIND, message, url_for("pair_spaces.mine"))
