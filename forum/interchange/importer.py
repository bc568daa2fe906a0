"""``flask forum import``: a validated document becomes series, characteristics, parts, comments.

Idempotent by slug: existing series and characteristics are updated, parts are matched by part
number, comments by author, time and text, so importing the same file twice adds nothing.
Comments are inserted in bulk, so a 100,000-comment thread imports in seconds.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sqlalchemy import bindparam, insert, select, update

from forum.accounts import services as accounts
from forum.accounts.models import User
from forum.content import render_markdown
from forum.discussion.models import Comment
from forum.extensions import db
from forum.interchange.validation import parse_date
from forum.series.models import Characteristic, ExpertProfile, Part, PromptQuestion, Series
from forum.visibility import SYSTEM, as_actor

BATCH = 5_000


@dataclass
class ImportReport:
    series_created: bool = False
    characteristics: int = 0
    parts_created: int = 0
    parts_updated: int = 0
    comments_created: int = 0
    users_created: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.characteristics} characteristics, {self.parts_created} parts created, "
            f"{self.parts_updated} updated, {self.comments_created} comments, "
            f"{len(self.users_created)} new users"
        )


class _Renderer:
    """Renders each distinct Markdown text once per import."""

    def __init__(self):
        self.cache: dict[tuple[str, str], str] = {}

    def __call__(self, source: str, context: str) -> str:
        key = (source, context)
        if key not in self.cache:
            self.cache[key] = render_markdown(source, context)
        return self.cache[key]


class _Users:
    def __init__(self, report: ImportReport):
        self.report = report
        self.by_key: dict[str, User] = {}

    def get(self, username: str, expert: dict | None = None) -> User:
        key = username.lower()
        user = self.by_key.get(key) or accounts.find_user(username)
        if user is None:
            user = accounts.create_user(
                username,
                f"{key}@imported.invalid",
                None,
                display_name=(expert or {}).get("author_name", ""),
            )
            self.report.users_created.append(username)
        if expert is not None:
            accounts.grant_role(user, "expert")
            if db.session.get(ExpertProfile, user.id) is None:
                db.session.add(
                    ExpertProfile(
                        user_id=user.id,
                        affiliation=expert.get("affiliation", ""),
                        country=expert.get("country", ""),
                        website=expert.get("website", ""),
                        bio_md=expert.get("bio", ""),
                        bio_html=render_markdown(expert.get("bio", ""), "profile"),
                    )
                )
        self.by_key[key] = user
        return user


def import_series(doc: dict) -> ImportReport:
    """Write a document already validated by ``validation.load``; one transaction."""
    report = ImportReport()
    render = _Renderer()
    users = _Users(report)
    with as_actor(SYSTEM):
        series = db.session.execute(
            select(Series).where(Series.slug == doc["slug"])
        ).scalar_one_or_none()
        if series is None:
            series = Series(slug=doc["slug"], title=doc["title"])
            db.session.add(series)
            report.series_created = True
        series.title = doc["title"]
        series.description = doc.get("description", "")
        db.session.flush()
        for ch_doc in doc["characteristics"]:
            characteristic = _characteristic(series, ch_doc, render)
            report.characteristics += 1
            for part_doc in ch_doc.get("parts", []):
                _part(characteristic, part_doc, users, render, report)
            _comments(characteristic, ch_doc.get("comments", []), users, render, report)
        db.session.commit()
    return report


def _characteristic(series: Series, doc: dict, render) -> Characteristic:
    ch = db.session.execute(
        select(Characteristic).where(Characteristic.slug == doc["slug"])
    ).scalar_one_or_none()
    if ch is None:
        ch = Characteristic(
            series_id=series.id, slug=doc["slug"], number=doc["number"], title=doc["title"]
        )
        db.session.add(ch)
    ch.number, ch.title = doc["number"], doc["title"]
    ch.definition_md = doc.get("definition", "")
    ch.definition_html = render(ch.definition_md, "post")
    db.session.flush()
    prompts = doc.get("prompts")
    if prompts is not None:
        existing = (
            db.session.execute(
                select(PromptQuestion).where(PromptQuestion.characteristic_id == ch.id)
            )
            .scalars()
            .all()
        )
        if [p.text for p in sorted(existing, key=lambda p: p.position)] != prompts:
            for p in existing:
                db.session.delete(p)
            db.session.add_all(
                PromptQuestion(characteristic_id=ch.id, position=i, text=t)
                for i, t in enumerate(prompts)
            )
    return ch


def _part(ch: Characteristic, doc: dict, users: _Users, render, report: ImportReport) -> None:
    author = users.get(doc["author"], expert=doc)
    part = db.session.execute(
        select(Part).where(Part.characteristic_id == ch.id, Part.part_number == doc["part_number"])
    ).scalar_one_or_none()
    values = dict(
        title=doc["title"],
        teaser=doc.get("teaser", ""),
        body_format="markdown",
        body_source=doc["markdown"],
        body_html=render(doc["markdown"], "post"),
        author_id=author.id,
        status="approved",
        publish_at=parse_date(doc["publish_at"]),
    )
    if part is None:
        db.session.add(Part(characteristic_id=ch.id, part_number=doc["part_number"], **values))
        report.parts_created += 1
    else:
        changed = any(getattr(part, k) != v for k, v in values.items())
        for key, value in values.items():
            setattr(part, key, value)
        report.parts_updated += int(changed)


def _fingerprint(author_id, guest_name, created_at, body: str) -> tuple:
    return (
        author_id,
        guest_name,
        created_at.replace(microsecond=0),
        hashlib.sha256(body.encode()).hexdigest(),
    )


def _comments(
    ch: Characteristic, docs: list[dict], users: _Users, render, report: ImportReport
) -> None:
    if not docs:
        return
    existing = {
        _fingerprint(a, g, c, b)
        for a, g, c, b in db.session.execute(
            select(
                Comment.author_id, Comment.guest_name, Comment.created_at, Comment.body_source
            ).where(Comment.characteristic_id == ch.id)
        )
    }
    rows, index_of_row, ids_by_index = [], [], {}
    for index, doc in enumerate(docs):
        author_id = users.get(doc["author"]).id if doc.get("author") else None
        guest = None if author_id else doc["guest_name"]
        created = parse_date(doc["created_at"])
        if _fingerprint(author_id, guest, created, doc["markdown"]) in existing:
            continue
        rows.append(
            dict(
                characteristic_id=ch.id,
                author_id=author_id,
                guest_name=guest,
                body_format="markdown",
                body_source=doc["markdown"],
                body_html=render(doc["markdown"], "comment"),
                status="approved",
                created_at=created,
            )
        )
        index_of_row.append(index)
    db.session.flush()
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        ids = db.session.scalars(
            insert(Comment).returning(Comment.id, sort_by_parameter_order=True), chunk
        ).all()
        for offset, new_id in enumerate(ids):
            ids_by_index[index_of_row[start + offset]] = new_id
    report.comments_created += len(rows)
    replies = [
        {"b_id": ids_by_index[i], "b_reply": ids_by_index[docs[i]["reply_to"]]}
        for i in ids_by_index
        if docs[i].get("reply_to") is not None and docs[i]["reply_to"] in ids_by_index
    ]
    if replies:
        table = Comment.__table__
        db.session.execute(
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values(reply_to_id=bindparam("b_reply")),
            replies,
        )
