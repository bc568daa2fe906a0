"""The Markdown export people read: human labels, one heading per section, local dates.

Built from ``leaving.export`` (the JSON export, whose keys are documented in the README), so
both always hold the same things. Dates are shown in the exporter's time zone: the one on their
mentoring profile when it is an IANA name (``Europe/Paris``), else UTC; the header says which.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import format_date, gettext

from forum.sdk import N_
from forum_pair_spaces.forms import GOAL_CHOICES
from forum_pair_spaces.models import Pair
from forum_pair_spaces.services import agreement, leaving, mentoring

SECTION_HEADINGS = {key: heading for key, heading, _hint in agreement.SECTIONS}
STATUS_LABELS = {"active": N_("Active"), "ended": N_("Ended"), "proposed": N_("Proposed")}
CONCERN_STATUS = {
    "open": N_("Open"),
    "agreed": N_("Agreed"),
    "countered": N_("Counter-proposal made"),
    "refused": N_("Refused"),
}
RESPONSE_KINDS = {
    "agree": N_("%(who)s agrees: %(text)s"),
    "propose": N_("%(who)s proposes otherwise: %(text)s"),
    "refuse": N_("%(who)s refuses: %(text)s"),
}
QUOTE_STATUS = {
    "pending": N_("Waiting for a decision"),
    "approved": N_("Approved"),
    "refused": N_("Refused"),
}
ROLES = {"mentor": N_("as a mentor"), "mentee": N_("as a mentee")}


def _label(labels: dict[str, str], value: str) -> str:
    label = labels.get(value)
    return gettext(label) if label else value


def zone_of(user) -> tuple[ZoneInfo, str]:
    """The member's zone and its label; UTC when none (or no valid one) is known."""
    profile = mentoring.profile_of(user)
    name = (profile.time_zone if profile else "") or ""
    try:
        return ZoneInfo(name), name
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC"), "UTC"


class _Dates:
    def __init__(self, zone: ZoneInfo, label: str):
        self.zone, self.label = zone, label

    def __call__(self, iso: str | None, with_time: bool = True) -> str:
        if not iso:
            return "—"
        moment = datetime.fromisoformat(iso)
        if moment.tzinfo is not None:
            moment = moment.astimezone(self.zone)
        day = format_date(moment, "long")  # (Babel, in the exporter's language)
        return f"{day}, {moment.strftime('%H:%M')}" if with_time else day


def _section(out: list[str], title: str, rows: list, render: Callable[[dict], str]) -> None:
    out.extend([f"## {title}", ""])
    if rows:
        out.extend(render(r) for r in rows)
    else:
        out.append(gettext("None."))
    out.append("")


def export_markdown(pair: Pair, actor) -> str:
    """The export in the exporter's language (the page's) and time zone."""
    data = leaving.export(pair, actor)
    zone, label = zone_of(actor)
    when = _Dates(zone, label)
    p = data["pair"]
    out = [
        "# "
        + gettext(
            "Pair space of %(mentor)s (mentor) and %(mentee)s (mentee)",
            mentor=p["mentor"],
            mentee=p["mentee"],
        ),
        "",
        "- " + gettext("Status: %(status)s", status=_label(STATUS_LABELS, p["status"])),
        "- " + gettext("Formed: %(date)s", date=when(p["formed_at"])),
        "- " + gettext("Ended: %(date)s", date=when(p["ended_at"])),
        "- "
        + gettext(
            "Exported by %(name)s on %(date)s",
            name=data["exported_by"],
            date=when(data["exported_at"]),
        ),
        "- " + gettext("All times are in %(zone)s.", zone=label),
        "",
        gettext("Private: only the two of you could read this in the forum. Keep it safe."),
        "",
    ]
    _agreement(out, data, when)
    _section(out, gettext("Conversation"), data["messages"], lambda m: _message(m, when))
    _section(out, gettext("Shared notes"), data["notes"], lambda n: _note(n, when))
    _section(out, gettext("Goals"), data["goals"], _goal)
    _section(
        out,
        gettext("Meetings"),
        data["meetings"],
        lambda m: f"- {when(m['held_at'], False)}: {m['summary']}",
    )
    _section(
        out, gettext("My journal"), data["journal"], lambda j: f"- {when(j['at'])}: {j['body']}"
    )
    _section(
        out, gettext("Confidentiality concerns"), data["concerns"], lambda c: _concern(c, when)
    )
    _section(out, gettext("My guidance requests"), data["guidance"], lambda g: _guidance(g, when))
    _section(out, gettext("Quote requests"), data["quotes"], _quote)
    return "\n".join(out)


def _agreement(out: list[str], data: dict, when: _Dates) -> None:
    def version(v: dict) -> str:
        parts = [
            "### " + gettext("Version %(number)s", number=v["number"]),
            "",
            gettext(
                "Accepted by the mentor: %(mentor)s; by the mentee: %(mentee)s",
                mentor=when(v["mentor_accepted_at"]),
                mentee=when(v["mentee_accepted_at"]),
            ),
            "",
        ]
        for key, text in v["sections"].items():
            heading = SECTION_HEADINGS.get(key)
            parts += [f"#### {gettext(heading) if heading else key}", "", text or "—", ""]
        return "\n".join(parts)

    _section(out, gettext("Confidentiality agreement"), data["agreement_versions"], version)


def _message(m: dict, when: _Dates) -> str:
    author = gettext("%(name)s (role play)", name=m["author"]) if m["role_play"] else m["author"]
    body = gettext("(deleted)") if m["deleted"] else m["body"]
    return f"### {author}, {when(m['at'])}\n\n{body}\n"


def _note(n: dict, when: _Dates) -> str:
    changed = gettext("Last changed %(date)s", date=when(n["updated_at"]))
    return f"### {n['title']}\n\n{changed}\n\n{n['body']}\n"


def _goal(g: dict) -> str:
    return f"- {g['title']} — {GOAL_CHOICES.get(g['status'], g['status'])}"


def _concern(c: dict, when: _Dates) -> str:
    danger = " " + gettext("Someone may be in immediate danger.") if c["immediate_danger"] else ""
    raised = gettext("Raised by %(name)s", name=c["raised_by"])
    lines = [
        f"### {raised} — {_label(CONCERN_STATUS, c['status'])}",
        "",
        f"**{gettext('The ethical issue:')}** {c['issue']}{danger}",
        "",
        f"**{gettext('The responsibilities involved:')}** {c['responsibilities']}",
        "",
        f"**{gettext('Proposal:')}** {c['proposal']}",
        "",
    ]
    lines += [
        "- " + gettext(RESPONSE_KINDS[r["kind"]], who=r["by"], text=r["body"] or "—")
        if r["kind"] in RESPONSE_KINDS
        else f"- {r['by']} {r['kind']}: {r['body'] or '—'}"
        for r in c["responses"]
    ]
    lines += [
        "- "
        + gettext(
            "Disclosure notice by %(name)s: will tell %(to_whom)s on %(date)s: %(what)s",
            name=n["by"],
            to_whom=n["to_whom"],
            date=when(n["disclose_on"], False),
            what=n["what"],
        )
        for n in c["notices"]
    ]
    return "\n".join(lines) + "\n"


def _guidance(g: dict, when: _Dates) -> str:
    how = gettext("signed with my name") if g["signed"] else _label(ROLES, g["asked_as"])
    to = gettext(
        "To %(name)s, %(date)s (%(how)s)", name=g["supervisor"], date=when(g["asked_at"]), how=how
    )
    lines = [f"### {to}", ""]
    lines += [f"- {m['by']}, {when(m['at'])}: {m['body']}" for m in g["messages"]]
    return "\n".join(lines) + "\n"


def _quote(q: dict) -> str:
    return "- " + gettext(
        "%(name)s asked to quote “%(text)s” for %(purpose)s — %(status)s",
        name=q["by"],
        text=q["text"],
        purpose=q["purpose"],
        status=_label(QUOTE_STATUS, q["status"]),
    )
