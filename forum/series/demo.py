"""``flask forum seed-demo``: a believable demo series, idempotent (a second run changes nothing).

Every person and organisation here is a fictional demo persona, marked as such; the text is the
project's own. Websites use example.org / example.com.
"""

from __future__ import annotations

from datetime import timedelta

import click
from sqlalchemy import select

from forum.accounts import services as accounts
from forum.accounts.models import User
from forum.content import render_markdown
from forum.db import utcnow
from forum.discussion.models import Comment, CommentStatus
from forum.extensions import db
from forum.series.models import (
    Characteristic,
    ExpertProfile,
    Part,
    PartStatus,
    PromptQuestion,
    Series,
)
from forum.visibility import SYSTEM, as_actor

SERIES_SLUG = "key-mentorship-characteristics"
ADMIN = ("admin", "admin@example.org", "demo-admin-password")
MODERATOR = ("moderator", "moderator@example.org", "demo-moderator-password")
MEMBER = ("reader", "reader@example.org", "demo-reader-password")

EXPERTS = [
    # username, display name, organisation, country, website, bio
    (
        "amara.demo",
        "Dr Amara Osei (demo)",
        "Harbourlight Mentoring Collective (fictional)",
        "Ghana",
        "https://example.org/harbourlight",
        "Demo persona. Amara designs peer-mentoring schemes for hospital staff and trains new mentors "
        "to set clear agreements in their first meeting.",
    ),
    (
        "lukas.demo",
        "Lukas Brandt (demo)",
        "Northbridge Leadership Studio (fictional)",
        "Germany",
        "https://example.com/northbridge",
        "Demo persona. Lukas coached engineering managers for fifteen years and now runs reverse-"
        "mentoring programmes in which junior staff mentor senior leaders.",
    ),
    (
        "maya.demo",
        "Maya Fernández (demo)",
        "Open Lantern Foundation (fictional)",
        "Chile",
        "https://example.org/open-lantern",
        "Demo persona. Maya mentors first-generation university students and writes about the small "
        "rituals that make a mentoring relationship safe.",
    ),
    (
        "kenji.demo",
        "Kenji Morita (demo)",
        "Tidewater Careers Network (fictional)",
        "Japan",
        "https://example.com/tidewater",
        "Demo persona. Kenji matches mid-career professionals with mentors across industries and "
        "studies why some pairs thrive while others fade.",
    ),
]

CHARACTERISTICS = [
    (
        "confidentiality",
        "Confidentiality",
        "An agreement between a small number of people about how far what they share stays among them, "
        "and when, how and by whom it may be passed on. What is said in confidence is handled with care.",
        "Confidentiality",
    ),
    (
        "trust",
        "Trust",
        "The belief, built over time, that the other person will act in good faith: keep their word, "
        "protect what they are told and have your growth at heart.",
        "Trust",
    ),
    (
        "respect",
        "Respect",
        "Taking the other person's experience, choices and limits seriously, including where they differ "
        "from your own, and letting that show in how you listen and respond.",
        "Respect",
    ),
    (
        "honesty",
        "Honesty",
        "Saying what you actually think and know, kindly and at the right time, and admitting what you "
        "do not know, so that the relationship rests on what is real.",
        "Honesty",
    ),
]

PROMPTS = [
    "What part does {w} play in a mentoring relationship?",
    "What does {w} mean to you, in your own practice?",
    "How do mentor and mentee build {w} between them?",
]

PARTS = {
    "confidentiality": [
        (
            "amara.demo",
            "Agree the edges before you need them",
            "Why the first meeting is the right time to talk about what stays private.",
            "Most breaches of confidence I have seen were not betrayals. They were surprises: one person "
            "assumed a conversation was private, the other assumed it was not.\n\n"
            "## What we agree at the start\n\n"
            "- **What stays between us.** By default, everything.\n"
            "- **What the mentor may say to others.** For example, if a line manager asks whether the "
            "mentee is ready for a new role:\n"
            "    - the mentor may say that they meet, and how often;\n"
            "    - the mentor does not comment on readiness unless the mentee asks them to.\n"
            "- **The exceptions.** Danger to someone, a duty in law, a serious duty to the organisation.\n\n"
            "Writing this down takes ten minutes. It saves months of quiet doubt.\n\n"
            "*Amara (demo persona)*",
        ),
        (
            "lukas.demo",
            "When a senior leader is the mentee",
            "Reverse mentoring puts confidentiality under unusual pressure.",
            "In reverse mentoring, the junior colleague often hears things about the organisation that "
            "their own manager does not know yet. That is a heavy thing to carry.\n\n"
            "1. Name the imbalance openly in the first session.\n"
            "2. Agree what the mentor does if they hear something that affects their own team.\n"
            "3. Review the agreement after three months; the relationship will have changed.\n\n"
            "Confidentiality protects the mentor too: their honest feedback about senior people must "
            "never come back to them as a career risk.\n\n*Lukas (demo persona)*",
        ),
    ],
    "trust": [
        (
            "maya.demo",
            "Small promises, kept",
            "Trust grows from many small, visible acts of reliability.",
            "Students I mentor rarely test me with big questions first. They test me with small ones: "
            "will I reply when I said I would? Will I remember what they told me last time?\n\n"
            "> Trust is the sum of the small promises you kept.\n\n"
            "So I keep a short note after each meeting, and I start the next one with it.\n\n*Maya (demo persona)*",
        ),
        (
            "kenji.demo",
            "Why some pairs never get going",
            "What we learned from pairs that faded after two meetings.",
            "When we asked pairs that stopped meeting early what went wrong, few mentioned a conflict. "
            "Most said they never felt sure the other person *wanted* to be there.\n\n"
            "- Say why you said yes to mentoring.\n- Ask what the other person hopes for.\n"
            "- Agree how you will tell each other if it is not working.\n\n*Kenji (demo persona)*",
        ),
    ],
    "respect": [
        (
            "lukas.demo",
            "Listening past the job title",
            "Respect means the mentee's view counts even when it is not yours.",
            "A mentor's experience is a resource, not a verdict. The most respectful thing I learned to "
            'say is: *"That is not what I would do, and it might be right for you."*\n\n*Lukas (demo persona)*',
        ),
        (
            "amara.demo",
            "Boundaries are a form of respect",
            "Respecting limits of time, topic and role.",
            "Respect includes the limits we set: how often we meet, which topics are off the table, and "
            "the difference between mentoring and managing.\n\n*Amara (demo persona)*",
        ),
    ],
    "honesty": [
        (
            "maya.demo",
            "Kind, clear and on time",
            "Honest feedback that the mentee can actually use.",
            "Honesty that arrives too late is just a verdict. I try to say the hard thing early, in "
            "private, and with one concrete suggestion attached.\n\n*Maya (demo persona)*",
        ),
        (
            "kenji.demo",
            'Saying "I don\'t know"',
            "A mentor's honesty about the limits of their own knowledge.",
            "Mentees learn as much from watching how we handle uncertainty as from our advice. "
            "\"I don't know, let's find out\" is one of the most useful sentences in mentoring.\n\n"
            "*Kenji (demo persona)*",
        ),
    ],
}

COMING_SOON = (
    "kenji.demo",
    "confidentiality",
    3,
    "Confidentiality across cultures",
    "How expectations of privacy differ between countries, and how international pairs "
    "can agree on one standard.",
)

COMMENTS = {
    "confidentiality": [
        (
            "reader",
            "The written agreement idea is great. We tried it in our programme and the first "
            "meeting felt far less awkward.",
            False,
        ),
        (
            "reader",
            "INTERVIEWER: We asked a mentor in our programme (a demo persona) what confidentiality "
            "means to her.\n\nEXPERT: It means my mentee never has to wonder who else is in the "
            "room. If I ever had to break it, she would hear it from me first.\n\n"
            "INTERVIEWER: Has that ever happened?\n\nEXPERT: Once, and we agreed together how to "
            "handle it.",
            True,
        ),
    ],
    "trust": [
        ("reader", "Keeping notes between meetings is such a simple habit. Stealing it!", False)
    ],
}


def _user(
    username: str, email: str, password: str, roles, display_name: str = ""
) -> tuple[User, bool]:
    user = accounts.find_user(username)
    if user is not None:
        return user, False
    return accounts.create_user(
        username, email, password, roles=roles, display_name=display_name, check_strength=False
    ), True


def _experts() -> dict[str, User]:
    users = {}
    for username, name, org, country, site, bio in EXPERTS:
        user, created = _user(username, f"{username}@example.org", None, ("member", "expert"), name)
        if created:
            db.session.add(
                ExpertProfile(
                    user_id=user.id,
                    bio_md=bio,
                    bio_html=render_markdown(bio, "profile"),
                    affiliation=org,
                    country=country,
                    website=site,
                    is_demo=True,
                )
            )
        users[username] = user
    return users


def _characteristics(series: Series) -> dict[str, Characteristic]:
    out = {}
    for number, (slug, title, definition, word) in enumerate(CHARACTERISTICS, start=1):
        ch = db.session.execute(
            select(Characteristic).where(Characteristic.slug == slug)
        ).scalar_one_or_none()
        if ch is None:
            ch = Characteristic(
                series_id=series.id,
                number=number,
                slug=slug,
                title=title,
                definition_md=definition,
                definition_html=render_markdown(definition),
            )
            ch.prompts = [
                PromptQuestion(position=i, text=q.format(w=word.upper()))
                for i, q in enumerate(PROMPTS)
            ]
            db.session.add(ch)
            db.session.flush()
        out[slug] = ch
    return out


def _part(ch, author, number, title, teaser, body, publish_at) -> None:
    exists = db.session.execute(
        select(Part.id).where(Part.characteristic_id == ch.id, Part.part_number == number)
    ).first()
    if exists is None:
        db.session.add(
            Part(
                characteristic_id=ch.id,
                part_number=number,
                title=title,
                teaser=teaser,
                body_source=body,
                body_html=render_markdown(body),
                author_id=author.id,
                status=PartStatus.APPROVED,
                publish_at=publish_at,
            )
        )


def seed() -> list[str]:
    """Create whatever of the demo is missing; returns lines to print (credentials once)."""
    lines = []
    accounts.ensure_roles()
    for username, email, password, roles in (
        (*ADMIN, ("member", "moderator", "admin")),
        (*MODERATOR, ("member", "moderator")),
        (*MEMBER, ("member",)),
    ):
        user, created = _user(username, email, password, roles)
        if created:
            if username == MEMBER[0]:
                user.trusted_override = True
            lines.append(f"demo account {username} / {password} ({', '.join(roles)})")
    series = db.session.execute(
        select(Series).where(Series.slug == SERIES_SLUG)
    ).scalar_one_or_none()
    if series is None:
        series = Series(
            slug=SERIES_SLUG,
            title="Key Mentorship Characteristics",
            description="A comment-driven series on what makes mentoring relationships healthy. "
            "Each characteristic gets its own thread, with posts by invited experts "
            "and your comments. All experts shown here are fictional demo personas.",
        )
        db.session.add(series)
        db.session.flush()
        lines.append("demo series created")
    experts = _experts()
    chars = _characteristics(series)
    start = utcnow().replace(microsecond=0) - timedelta(weeks=10)
    week = 0
    for slug, _title, _definition, _word in CHARACTERISTICS:
        for number, (username, title, teaser, body) in enumerate(PARTS[slug], start=1):
            _part(
                chars[slug],
                experts[username],
                number,
                title,
                teaser,
                body,
                start + timedelta(weeks=week),
            )
            week += 1
    username, slug, number, title, teaser = COMING_SOON
    _part(
        chars[slug],
        experts[username],
        number,
        title,
        teaser,
        "The full post appears on its publish date.",
        utcnow().replace(microsecond=0) + timedelta(days=7),
    )
    reader = accounts.find_user(MEMBER[0])
    for slug, comments in COMMENTS.items():
        has_any = db.session.execute(
            select(Comment.id).where(Comment.characteristic_id == chars[slug].id).limit(1)
        ).first()
        if has_any is None:
            previous = None
            for _who, body, replies in comments:
                comment = Comment(
                    characteristic_id=chars[slug].id,
                    author_id=reader.id,
                    body_source=body,
                    body_html=render_markdown(body, "comment"),
                    status=CommentStatus.APPROVED,
                    reply_to_id=previous.id if replies and previous else None,
                )
                db.session.add(comment)
                db.session.flush()
                previous = comment
            if slug == "confidentiality":
                guest = "Would this also work for group mentoring? (a guest comment waiting for a moderator)"
                db.session.add(
                    Comment(
                        characteristic_id=chars[slug].id,
                        guest_name="Sam (demo guest)",
                        guest_email="sam@example.com",
                        body_source=guest,
                        body_html=render_markdown(guest, "comment"),
                        status=CommentStatus.PENDING,
                    )
                )
    db.session.commit()
    return lines


@click.command("seed-demo")
def seed_demo() -> None:
    """Create the demo series (fictional experts, parts, comments) and demo accounts; idempotent."""
    with as_actor(SYSTEM):
        lines = seed()
    for line in lines:
        click.echo(line)
    click.echo(
        "Demo content is in place." if lines else "Demo content already present; nothing changed."
    )
