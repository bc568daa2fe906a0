"""``flask forum qa seed-demo``: an interview comment and an answered question on the demo series.

Run after core's ``flask forum seed-demo``. Every person it creates is fictional and marked as
demo data; running it twice changes nothing.
"""

from __future__ import annotations

import secrets

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from forum.sdk import (
    SYSTEM,
    Characteristic,
    Part,
    User,
    approve_part,
    as_actor,
    bypass,
    create_comment,
    create_user,
    db,
    ensure_roles,
    save_part,
    submit_part,
)
from forum_qa import services
from forum_qa.interview import Interview
from forum_qa.models import Question

qa_group = AppGroup("qa", help="Q&A formats: interviews and questions.")

DEMO_QUESTION = "How do I keep a mentee's confidence when their manager asks how they are doing?"
DEMO_PEOPLE = {
    "demo-asker": ("Robin Vale (demo)", ("member",)),
    "demo-interviewer": ("Sam Okafor (demo)", ("member", "expert")),
    "demo-qa-expert": ("Dr. Mira Castell (demo)", ("member", "expert")),
}


def _demo_user(username: str) -> User:
    user = db.session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if user is not None:
        return user
    display, roles = DEMO_PEOPLE[username]
    ensure_roles()
    user = create_user(
        username,
        f"{username}@demo.invalid",
        secrets.token_urlsafe(24),
        roles=roles,
        check_strength=False,
    )
    user.display_name = display
    user.bio = "Demo data: a fictional person."
    user.trusted_override = True  # demo people skip the review queue
    db.session.flush()
    return user


def demo_interview() -> Interview:
    """A short, fictional interview written for the demo (not quoted from anyone)."""
    return Interview(
        intro="*Demo data.* Our fictional interviewer put the prompt questions to a fictional expert.",
        speakers=["Sam Okafor", "Mira Castell"],
        turns=[
            (0, "What does confidentiality mean to you in a mentoring pair?"),
            (
                1,
                "It is a promise about **where a conversation may travel**. Both people agree on "
                "it early, and both can name the few cases where it has limits.",
            ),
            (0, "How do you build it?"),
            (
                1,
                "- Agree the ground rules in the first meeting\n- Revisit them when something "
                "changes\n- Never surprise the other person with a disclosure",
            ),
        ],
    )


def _characteristic(slug: str | None) -> Characteristic | None:
    stmt = select(Characteristic).order_by(Characteristic.series_id, Characteristic.number)
    if slug:
        stmt = select(Characteristic).where(Characteristic.slug == slug)
    return db.session.execute(stmt.limit(1)).scalar_one_or_none()


@qa_group.command("seed-demo")
@click.option("--characteristic", "slug", default=None, help="Slug; default: the first one.")
def seed_demo(slug: str | None) -> None:
    """Add a demo interview comment and a question with an expert's accepted answer."""
    characteristic = _characteristic(slug)
    if characteristic is None:
        raise click.ClickException("No characteristic yet: run `flask forum seed-demo` first.")
    asker, interviewer, expert = (_demo_user(n) for n in DEMO_PEOPLE)
    exists = db.session.execute(
        select(Question.id)
        .where(Question.title == DEMO_QUESTION)
        .execution_options(**_own("seed-demo idempotence"))
    ).first()
    if exists:
        click.echo("Q&A demo content is already there.")
        return
    with as_actor(interviewer):
        _seed_interview(characteristic, interviewer)
        _seed_interview_part(characteristic, interviewer)
    with as_actor(asker):
        question = services.ask(
            characteristic,
            asker,
            DEMO_QUESTION,
            "*Demo data.* My mentee's line manager keeps asking me for updates.",
        )
    with as_actor(expert):
        answer = services.answer(
            question,
            expert,
            "*Demo data.* Agree with your mentee, before anyone asks, what you "
            "will say: usually that you meet and that it is going well, never what "
            "was said. Then say exactly that, and tell your mentee you did.",
        )
    with as_actor(asker):
        services.accept(answer, asker)
    db.session.commit()
    click.echo(f"Q&A demo content added to {characteristic.title}.")


def _own(reason: str) -> dict:
    return bypass("qa", reason)


def _seed_interview(characteristic, author) -> None:
    create_comment(characteristic, author, demo_interview().to_source(), "interview")


def _seed_interview_part(characteristic, author) -> None:
    """A live part in interview format, written, submitted and approved through core's services."""

    with as_actor(SYSTEM):
        last = (
            db.session.execute(
                select(func.max(Part.part_number)).where(
                    Part.characteristic_id == characteristic.id
                )
            ).scalar()
            or 0
        )
        part, _ = save_part(
            None,
            author,
            characteristic_id=characteristic.id,
            part_number=last + 1,
            title="In conversation: where a confidence may travel",
            teaser="A fictional interviewer and a fictional expert on the ground rules.",
            body_format="interview",
            body_source=demo_interview().to_source(),
        )
        db.session.flush()
        submit_part(part, author)
        approve_part(part, SYSTEM, None)
