"""The Markdown export people read: human labels, one heading per section, local dates.

Built from ``leaving.export`` (the JSON export, whose keys are documented in the README), so
both always hold the same things. Dates are shown in the exporter's time zone: the one on their
mentoring profile when it is an IANA name (``Europe/Paris``), else UTC; the header says which.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from forum_pair_spaces.forms import GOAL_CHOICES
from forum_pair_spaces.models import Pair
from forum_pair_spaces.services import agreement, leaving, mentoring

SECTION_HEADINGS = {key: heading for key, heading, _hint in agreement.SECTIONS}
STATUS_LABELS = {"active": "Active", "ended": "Ended", "proposed": "Proposed"}
CONCERN_STATUS = {
    "open": "Open",
    "agreed": "Agreed",
    "countered": "Counter-proposal made",
    "refused": "Refused",
}
RESPONSE_KINDS = {"agree": "Agrees", "propose": "Proposes otherwise", "refuse": "Refuses"}
QUOTE_STATUS = {"pending": "Waiting for a decision", "approved": "Approved", "refused": "Refused"}
ROLES = {"mentor": "a mentor", "mentee": "a mentee"}


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
        return moment.strftime("%-d %B %Y, %H:%M" if with_time else "%-d %B %Y")


def _section(out: list[str], title: str, rows: list, render: Callable[[dict], str]) -> None:
    out.extend([f"## {title}", ""])
    if rows:
        out.extend(render(r) for r in rows)
    else:
        out.append("None.")
    out.append("")


def export_markdown(pair: Pair, actor) -> str:
    data = leaving.export(pair, actor)
    zone, label = zone_of(actor)
    when = _Dates(zone, label)
    p = data["pair"]
    out = [
        f"# Pair space of {p['mentor']} (mentor) and {p['mentee']} (mentee)",
        "",
        f"- Status: {STATUS_LABELS.get(p['status'], p['status'])}",
        f"- Formed: {when(p['formed_at'])}",
        f"- Ended: {when(p['ended_at'])}",
        f"- Exported by {data['exported_by']} on {when(data['exported_at'])}",
        f"- All times are in {label}.",
        "",
        "Private: only the two of you could read this in the forum. Keep it safe.",
        "",
    ]
    _agreement(out, data, when)
    _section(out, "Conversation", data["messages"], lambda m: _message(m, when))
    _section(out, "Shared notes", data["notes"], lambda n: _note(n, when))
    _section(out, "Goals", data["goals"], _goal)
    _section(
        out,
        "Meetings",
        data["meetings"],
        lambda m: f"- {when(m['held_at'], False)}: {m['summary']}",
    )
    _section(out, "My journal", data["journal"], lambda j: f"- {when(j['at'])}: {j['body']}")
    _section(out, "Confidentiality concerns", data["concerns"], lambda c: _concern(c, when))
    _section(out, "My guidance requests", data["guidance"], lambda g: _guidance(g, when))
    _section(out, "Quote requests", data["quotes"], _quote)
    return "\n".join(out)


def _agreement(out: list[str], data: dict, when: _Dates) -> None:
    def version(v: dict) -> str:
        parts = [
            f"### Version {v['number']}",
            "",
            f"Accepted by the mentor: {when(v['mentor_accepted_at'])}; "
            f"by the mentee: {when(v['mentee_accepted_at'])}",
            "",
        ]
        for key, text in v["sections"].items():
            parts += [f"#### {SECTION_HEADINGS.get(key, 'Other')}", "", text or "—", ""]
        return "\n".join(parts)

    _section(out, "Confidentiality agreement", data["agreement_versions"], version)


def _message(m: dict, when: _Dates) -> str:
    role_play = " (role play)" if m["role_play"] else ""
    body = "(deleted)" if m["deleted"] else m["body"]
    return f"### {m['author']}{role_play}, {when(m['at'])}\n\n{body}\n"


def _note(n: dict, when: _Dates) -> str:
    return f"### {n['title']}\n\nLast changed {when(n['updated_at'])}\n\n{n['body']}\n"


def _goal(g: dict) -> str:
    return f"- {g['title']} — {GOAL_CHOICES.get(g['status'], g['status'])}"


def _concern(c: dict, when: _Dates) -> str:
    danger = " Someone may be in immediate danger." if c["immediate_danger"] else ""
    lines = [
        f"### Raised by {c['raised_by']} — {CONCERN_STATUS.get(c['status'], c['status'])}",
        "",
        f"**The ethical issue:** {c['issue']}{danger}",
        "",
        f"**The responsibilities involved:** {c['responsibilities']}",
        "",
        f"**Proposal:** {c['proposal']}",
        "",
    ]
    lines += [
        f"- {r['by']} {RESPONSE_KINDS.get(r['kind'], r['kind']).lower()}: {r['body'] or '—'}"
        for r in c["responses"]
    ]
    lines += [
        f"- Disclosure notice by {n['by']}: will tell {n['to_whom']} on "
        f"{when(n['disclose_on'], False)}: {n['what']}"
        for n in c["notices"]
    ]
    return "\n".join(lines) + "\n"


def _guidance(g: dict, when: _Dates) -> str:
    how = "signed with my name" if g["signed"] else f"as {ROLES.get(g['asked_as'], 'a member')}"
    lines = [f"### To {g['supervisor']}, {when(g['asked_at'])} ({how})", ""]
    lines += [f"- {m['by']}, {when(m['at'])}: {m['body']}" for m in g["messages"]]
    return "\n".join(lines) + "\n"


def _quote(q: dict) -> str:
    status = QUOTE_STATUS.get(q["status"], q["status"])
    return f'- {q["by"]} asked to quote "{q["text"]}" for {q["purpose"]} — {status}'
