"""The confidentiality agreement: versions from the admin's template; in force once both accept."""

from __future__ import annotations

import json

from flask import url_for
from flask_babel import gettext
from sqlalchemy import select

from forum.sdk import N_, ValidationError, db, get_setting, utcnow
from forum_pair_spaces.models import AgreementVersion, Pair
from forum_pair_spaces.services.common import clean_text, log_event, notify_other
from forum_pair_spaces.statuses import PairStatus

TEMPLATE_KEY = "pair_spaces.agreement_template"

#: (key, heading, hint): the protocols for third parties, then the acknowledged exceptions.
SECTIONS = (
    (
        "suitability",
        N_("If the mentor is asked about the mentee's suitability for a role"),
        N_("What the mentor may say, and what stays between you."),
    ),
    (
        "line_manager_advice",
        N_("What the mentee may tell a line manager about the mentor's advice"),
        N_("How the mentor's advice may be passed on, if at all."),
    ),
    (
        "line_manager_meeting",
        N_("A meeting with the mentee's line manager"),
        N_("What is shared in such a meeting, and who decides."),
    ),
    (
        "duty_of_care",
        N_("Exception: duty of care"),
        N_(
            "When someone may be in danger, confidentiality can be broken after telling the other first."
        ),
    ),
    ("duties_in_law", N_("Exception: duties in law"), N_("Where the law requires disclosure.")),
    (
        "duties_to_organisation",
        N_("Exception: duties to the organisation"),
        N_("Obligations either of you has to an employer or institution."),
    ),
    ("other", N_("Anything else you agree"), N_("Optional.")),
)
SECTION_KEYS = tuple(key for key, _h, _t in SECTIONS)

DEFAULT_TEMPLATE = {
    "suitability": "The mentor says only whether mentoring took place and, with the mentee's "
    "consent, general strengths. Nothing said in the space is repeated.",
    "line_manager_advice": "The mentee may share the gist of advice as their own learning, "
    "without attributing private remarks to the mentor.",
    "line_manager_meeting": "Both agree beforehand, in the space, what will be raised; the mentee "
    "leads and nothing else is brought up.",
    "duty_of_care": "If either believes someone is in danger, they raise it here first and say "
    "who they will tell, unless waiting would put someone at risk.",
    "duties_in_law": "Neither will hide what the law obliges them to report.",
    "duties_to_organisation": "Each keeps the obligations they have to their own organisation "
    "and names them here when they apply.",
    "other": "",
}


def template() -> dict[str, str]:
    """The admin-editable starting text (a JSON setting), with defaults for missing keys."""
    raw = get_setting(TEMPLATE_KEY, "")
    try:
        stored = json.loads(raw) if raw else {}
    except (TypeError, ValueError):
        stored = {}
    return {k: str(stored.get(k, DEFAULT_TEMPLATE[k])) for k in SECTION_KEYS}


def template_json(sections: dict[str, str]) -> str:
    return json.dumps(
        {k: clean_text(sections.get(k), k, required=False, limit=5000) for k in SECTION_KEYS}
    )


def versions(pair: Pair) -> list[AgreementVersion]:
    return (
        db.session.execute(
            select(AgreementVersion)
            .where(AgreementVersion.pair_id == pair.id)
            .order_by(AgreementVersion.number.desc())
        )
        .scalars()
        .all()
    )


def in_force(pair: Pair) -> AgreementVersion | None:
    """The latest version both have accepted (None: the space stays closed)."""
    for version in versions(pair):
        if version.accepted:
            return version
    return None


def pending(pair: Pair) -> AgreementVersion | None:
    for version in versions(pair):
        if version.accepted:
            return None
        if version.superseded_at is None:
            return version
    return None


def sections_of(version: AgreementVersion) -> dict[str, str]:
    data = json.loads(version.sections)
    return {k: data.get(k, "") for k in SECTION_KEYS}


def start(pair: Pair) -> AgreementVersion:
    version = AgreementVersion(
        pair_id=pair.id, number=1, sections=json.dumps(template()), created_at=utcnow()
    )
    db.session.add(version)
    return version


def propose(pair: Pair, actor, sections: dict[str, str]) -> AgreementVersion:
    """A change: a new version that needs both to accept; the one in force stays until then."""
    if pair.status != PairStatus.ACTIVE:
        raise ValidationError(gettext("This pair has ended; its agreement can no longer change."))
    body = {
        k: clean_text(sections.get(k), k, required=k != "other", limit=5000) for k in SECTION_KEYS
    }
    existing = versions(pair)
    now = utcnow()
    for version in existing:
        if not version.accepted and version.superseded_at is None:
            version.superseded_at = now
    version = AgreementVersion(
        pair_id=pair.id,
        number=(existing[0].number + 1) if existing else 1,
        sections=json.dumps(body),
        proposed_by_id=actor.id,
        created_at=now,
    )
    db.session.add(version)
    log_event(pair, actor, "agreement_proposed")
    notify_other(pair, actor, url_for("pair_spaces.agreement", pair_id=pair.id))
    return version


def accept(pair: Pair, actor, version: AgreementVersion) -> AgreementVersion:
    if version.pair_id != pair.id or version.accepted or version.superseded_at is not None:
        raise ValidationError(gettext("This version can no longer be accepted."))
    field = "mentor_accepted_at" if actor.id == pair.mentor_id else "mentee_accepted_at"
    if getattr(version, field) is not None:
        raise ValidationError(gettext("You have accepted this version already."))
    setattr(version, field, utcnow())
    if version.accepted:
        log_event(pair, actor, "agreement_in_force")
    notify_other(pair, actor, url_for("pair_spaces.agreement", pair_id=pair.id))
    return version
