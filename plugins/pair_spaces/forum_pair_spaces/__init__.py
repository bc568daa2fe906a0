"""Private pair spaces: a mentor and a mentee share a space whose existence is public and whose
content is theirs alone (the series' "Confidentiality" characteristic, enforced by the software).

Every hook the plugin implements is on this screen. Content types are ``audience="members"``
with a visibility rule that admits only the pair's two members (the journal: its owner; guidance:
requester and supervisor). There is no moderator or admin bypass.
"""

from __future__ import annotations

import json
from pathlib import Path

from flask import render_template, url_for
from flask_babel import gettext
from markupsafe import Markup
from sqlalchemy import false, or_, select

from forum.sdk import (
    N_,
    ContentType,
    MigrationLocation,
    NavItem,
    NonCacheablePath,
    NotificationKind,
    PeriodicJob,
    Permission,
    Setting,
    can,
    hookimpl,
    require_shared_key,
)
from forum_pair_spaces import models
from forum_pair_spaces.cli import pair_spaces_cli, purge_job
from forum_pair_spaces.services.agreement import DEFAULT_TEMPLATE, TEMPLATE_KEY
from forum_pair_spaces.services.concerns import NOTICE_DAYS_KEY
from forum_pair_spaces.services.leaving import DELETE_AFTER_KEY
from forum_pair_spaces.services.mentoring import (
    PROPOSALS_PER_DAY_KEY,
    profile_of,
    shown_availability,
)
from forum_pair_spaces.services.pairing import pairs_of
from forum_pair_spaces.statuses import PairStatus
from forum_pair_spaces.views import bp

NAME = "pair_spaces"
HERE = Path(__file__).resolve().parent
REDACTED = "a private pair-space item"


def _models():
    return models


def _member_types():
    m = _models()
    return {
        "pair_spaces.event": m.SpaceEvent,
        "pair_spaces.agreement": m.AgreementVersion,
        "pair_spaces.roleplay": m.RolePlay,
        "pair_spaces.message": m.Message,
        "pair_spaces.note": m.Note,
        "pair_spaces.goal": m.Goal,
        "pair_spaces.meeting": m.Meeting,
        "pair_spaces.journal": m.JournalEntry,
        "pair_spaces.concern": m.Concern,
        "pair_spaces.concern_response": m.ConcernResponse,
        "pair_spaces.notice": m.DisclosureNotice,
        "pair_spaces.quote": m.QuoteRequest,
        "pair_spaces.guidance": m.GuidanceRequest,
        "pair_spaces.guidance_message": m.GuidanceMessage,
    }


@hookimpl
def app_created(app):
    """Several hosts must share the key: refuse to start where each would generate its own."""
    require_shared_key(_models().RING, app)


@hookimpl
def register_content_types():
    types = [
        ContentType(
            "pair_spaces.pair",
            _models().Pair,
            owner=NAME,
            audience="public",
            label=N_("Mentoring pair"),
        ),
        ContentType(
            "pair_spaces.mentor_profile",
            _models().MentorProfile,
            owner=NAME,
            audience="public",
            searchable=False,
            feedable=False,
            api_exposed=False,
            label=N_("Mentoring profile"),
        ),
    ]
    types += [
        ContentType(
            name,
            model,
            owner=NAME,
            audience="members",
            searchable=False,
            feedable=False,
            api_exposed=False,
            label=N_("Private pair-space item"),
        )
        for name, model in _member_types().items()
    ]
    return types


def _member_pair_ids(m, uid):
    return select(m.Pair.id).where(
        or_(m.Pair.mentor_id == uid, m.Pair.mentee_id == uid),
        m.Pair.status.in_((PairStatus.ACTIVE, PairStatus.ENDED)),
        m.Pair.space_deleted_at.is_(None),
    )


@hookimpl
def visibility_filter(actor, content_type):
    """Members only, whoever else asks (moderators and admins included)."""
    if not content_type.name.startswith("pair_spaces."):
        return None
    m = _models()
    uid = getattr(actor, "id", None)
    if content_type.name == "pair_spaces.pair":
        formed = m.Pair.status.in_((PairStatus.ACTIVE, PairStatus.ENDED))
        return (
            formed if uid is None else or_(formed, m.Pair.mentor_id == uid, m.Pair.mentee_id == uid)
        )
    if content_type.name == "pair_spaces.mentor_profile":
        published = m.MentorProfile.published.is_(True)
        return published if uid is None else or_(published, m.MentorProfile.user_id == uid)
    if uid is None:
        return false()
    model = content_type.model
    if model is m.GuidanceRequest:
        return or_(model.requester_id == uid, model.supervisor_id == uid)
    if model is m.GuidanceMessage:
        threads = select(m.GuidanceRequest.id).where(
            or_(m.GuidanceRequest.requester_id == uid, m.GuidanceRequest.supervisor_id == uid)
        )
        return model.request_id.in_(threads)
    clause = model.pair_id.in_(_member_pair_ids(m, uid))
    if model is m.JournalEntry:
        clause = clause & (model.owner_id == uid)
    return clause


@hookimpl
def redact(resource, channel):
    """Any space object on any side channel becomes a content-free stand-in."""
    if isinstance(resource, tuple(_member_types().values())):
        return REDACTED
    return None


@hookimpl
def search_exclude(content_type, obj):
    name = getattr(content_type, "name", content_type) or ""
    return True if str(name).startswith("pair_spaces.") else None


@hookimpl
def register_permissions():
    return [
        Permission(
            "pair_spaces.join",
            "Form mentoring pairs and use pair spaces",
            ("member", "expert", "supervisor", "moderator", "admin"),
        ),
        Permission("pair_spaces.supervise", "Answer guidance requests from pairs", ("supervisor",)),
        Permission(
            "pair_spaces.manage_template", "Edit the confidentiality agreement template", ("admin",)
        ),
        Permission(
            "pair_spaces.view_programme",
            "See mentoring programme counts (never content or identities)",
            ("admin",),
        ),
    ]


@hookimpl
def register_settings():
    return [
        Setting(
            TEMPLATE_KEY,
            str,
            json.dumps(DEFAULT_TEMPLATE),
            N_("Confidentiality agreement template"),
            N_("JSON object of agreement sections; edit it on the pair spaces admin page."),
        ),
        Setting(
            DELETE_AFTER_KEY,
            int,
            90,
            N_("Delete a space this many days after the pair ended"),
            N_("Applies once a member has asked for deletion; both asking deletes at once."),
            minimum=1,
            maximum=3650,
        ),
        Setting(
            NOTICE_DAYS_KEY,
            int,
            1,
            N_("Minimum notice (days) before a disclosure"),
            N_("Except immediate danger, which may be the same day (still shown first)."),
            minimum=1,
            maximum=60,
        ),
        Setting(
            PROPOSALS_PER_DAY_KEY,
            int,
            5,
            N_("Pair proposals a member may send per 24 hours"),
            N_("Withdrawn and declined proposals count too, so nobody can flood mentors."),
            minimum=1,
            maximum=100,
        ),
    ]


@hookimpl
def register_notification_kinds():
    return [
        NotificationKind("pair_spaces.activity", N_("Pair space activity")),
        NotificationKind(
            "pair_spaces.urgent",
            N_("Confidentiality concerns and disclosure notices in your pair space"),
            urgent=True,
        ),
    ]


@hookimpl
def register_blueprints(app):
    return [bp]


@hookimpl
def register_page_declarations():
    """Every page of a pair space is private: the shared page cache never holds one."""
    return [NonCacheablePath("/p/pair_spaces/")]


@hookimpl
def register_template_folders():
    return [HERE / "templates"]


@hookimpl
def register_translation_folders():
    """The plugin's own fi and fr catalogs (``make i18n`` extracts and compiles them)."""
    return [HERE / "translations"]


@hookimpl
def register_migrations():
    return [MigrationLocation(NAME, str(HERE / "migrations" / "versions"))]


@hookimpl
def register_cli_commands(cli):
    cli.add_command(pair_spaces_cli)


@hookimpl
def register_periodic_jobs():
    """The retention purge, hourly (``flask forum run-jobs``); the summary is a count only."""

    return [
        PeriodicJob(
            f"{NAME}.purge", 3600, purge_job, "Delete spaces whose retention period has passed"
        )
    ]


@hookimpl
def extra_css_urls(page, actor):
    if page and page.startswith("pair_spaces."):
        return [url_for("pair_spaces.static", filename="pair_spaces.css")]
    return None


@hookimpl
def slot_layout_nav(request, actor):
    items = [NavItem(gettext("Pairs"), url_for("pair_spaces.directory"), order=40)]
    if can("pair_spaces.join", actor=actor):
        items.append(
            NavItem(gettext("Find a mentor"), url_for("pair_spaces.find_mentor"), order=41)
        )
    return items


@hookimpl
def slot_profile_sections(user, actor):
    """The public line: with whom the user is (or was) paired, since when. Nothing else."""

    profile = profile_of(user)  # None unless published, or the viewer's own
    can_propose = can("pair_spaces.join", actor=actor) and getattr(actor, "id", None) != user.id
    pairs = pairs_of(user)
    if not (pairs or profile or can_propose):
        return None
    return Markup(
        render_template(
            "pair_spaces/_profile_section.html",
            user=user,
            pairs=pairs,
            profile=profile,
            shown=shown_availability(profile) if profile else None,
            can_propose=can_propose,
        )
    )


@hookimpl
def slot_admin_menu(actor):
    items = []
    if can("pair_spaces.manage_template", actor=actor):
        items.append(
            NavItem(
                gettext("Pair agreement template"), url_for("pair_spaces.admin_template"), order=60
            )
        )
    if can("pair_spaces.view_programme", actor=actor):
        items.append(
            NavItem(gettext("Mentoring programme"), url_for("pair_spaces.programme"), order=61)
        )
    return items or None
