"""What each lifecycle event tells whom: replies, new parts for watchers, decisions, @mentions.

Texts name people, titles and the thread, never bodies. A notice about content that is not
public (a plugin's members-only type) goes through the ``redact`` hook, channel "notification".
"""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext
from sqlalchemy import select

from forum.accounts.models import User
from forum.db import utcnow
from forum.discussion.models import Comment
from forum.extensions import db
from forum.kernel.hooks import hook
from forum.kernel.locales import N_
from forum.mail.outbox import queue_mail
from forum.mail.text import absolute_url, written_in
from forum.notifications.delivery import SUBJECT_PREFIX
from forum.notifications.mentions import mentioned_users
from forum.notifications.models import Watch
from forum.notifications.services import in_language_of, notify_once
from forum.series import links
from forum.series.models import Characteristic, Part, PartRevision
from forum.visibility import as_actor, bypass, content_type_for, is_public

RECENT = timedelta(days=30)

REPLY, NEW_PART, MODERATION, MENTION_KIND = "reply", "new_part", "moderation", "mention"
WATCHED_COMMENT = "watched_comment"
ROLE_CHANGED = "role_changed"


def _characteristic(cid: int) -> Characteristic:
    return db.session.get(Characteristic, cid)


def _name(comment: Comment) -> str:
    if comment.author_id is None:
        return comment.guest_name or "A guest"
    user = db.session.get(User, comment.author_id)
    return user.name if user else "A member"


def comment_watchers(characteristic_id: int) -> list[int]:
    """Members whose watch of the thread covers its comments too."""
    return list(
        db.session.execute(
            select(Watch.user_id).where(
                Watch.characteristic_id == characteristic_id, Watch.scope == "all"
            )
        ).scalars()
    )


def comment_public(comment: Comment) -> None:
    """A comment became public: tell the author of the comment it answers, those it names, and
    those watching the thread's comments.
    (Who to tell is worked out first: most comments name nobody, and then nothing more is read.)"""
    told, notices = {comment.author_id}, []
    if comment.reply_to_id is not None:
        parent = db.session.execute(
            select(Comment)
            .where(Comment.id == comment.reply_to_id)
            .execution_options(**bypass("core", "notify the author of a replied-to comment"))
        ).scalar_one_or_none()
        if parent is not None and parent.author_id not in told:
            notices.append(
                (parent.author_id, REPLY, N_("%(who)s replied to your comment on %(title)s."))
            )
            told.add(parent.author_id)
    for user in mentioned_users(comment.body_source):
        if user.id not in told:
            notices.append(
                (user.id, MENTION_KIND, N_("%(who)s mentioned you in a comment on %(title)s."))
            )
            told.add(user.id)
    for user_id in comment_watchers(comment.characteristic_id):
        if user_id not in told:
            notices.append((user_id, WATCHED_COMMENT, N_("%(who)s commented on %(title)s.")))
            told.add(user_id)
    if not notices or not is_public(comment):
        return
    ch = _characteristic(comment.characteristic_id)
    url, who = links.comment_url(comment, ch), _name(comment)
    for user_id, kind, message in notices:
        with in_language_of(user_id):
            notify_once(user_id, kind, gettext(message, who=who, title=ch.title), url)


def part_public(part: Part) -> None:
    """A part is live: tell everyone watching its characteristic since before it went live."""
    if not is_public(part):
        return
    ch = _characteristic(part.characteristic_id)
    url = links.part_url(part, ch)
    watchers = db.session.execute(
        select(Watch.user_id).where(
            Watch.characteristic_id == ch.id, Watch.created_at <= part.publish_at
        )
    ).scalars()
    for user_id in watchers:
        if user_id != part.author_id:
            with in_language_of(user_id):
                text = gettext(
                    "New part in %(thread)s: %(title)s", thread=ch.title, title=part.title
                )
                notify_once(user_id, NEW_PART, text, url)


def deliver_due_parts() -> int:
    """Parts whose publish time passed without an event: notify their watchers once."""
    with as_actor(None):
        parts = (
            db.session.execute(
                select(Part)
                .join(Watch, Watch.characteristic_id == Part.characteristic_id)
                .where(Part.publish_at <= utcnow(), Part.publish_at >= utcnow() - RECENT)
                .distinct()
            )
            .scalars()
            .all()
        )
    for part in parts:
        part_public(part)
    return len(parts)


def _describe(content) -> tuple[int | None, str, str] | None:
    """``(author_id, what, url)`` of content a moderator decided on, or None (``what`` in the
    language of the moment: ``decided`` asks in the author's)."""
    if isinstance(content, Comment):
        ch = _characteristic(content.characteristic_id)
        what = gettext("your comment on %(title)s", title=ch.title)
        return content.author_id, what, links.comment_url(content, ch)
    if isinstance(content, Part):
        ch = _characteristic(content.characteristic_id)
        what = gettext("your part “%(title)s”", title=content.title)
        return content.author_id, what, links.part_url(content, ch)
    if isinstance(content, PartRevision):
        part = db.session.execute(
            select(Part)
            .where(Part.id == content.part_id)
            .execution_options(**bypass("core", "notify the author of a part revision"))
        ).scalar_one_or_none()
        if part is None:
            return None
        ch = _characteristic(part.characteristic_id)
        what = gettext("your edit of the part “%(title)s”", title=part.title)
        return content.author_id, what, links.part_url(part, ch)
    ct = content_type_for(type(content))
    if ct is None:
        return None
    what = gettext("your %(kind)s", kind=gettext(ct.label or ct.name).lower())
    if not ct.is_public:
        what = hook.redact(resource=content, channel="notification") or gettext(
            "your private content"
        )
    return getattr(content, "author_id", None), what, ct.path(content) if ct.path else ""


#: A moderator's decision, as its author reads it (``%(what)s``: ``_describe``'s phrase)
VERDICTS = {
    "approved": N_("A moderator approved %(what)s."),
    "did not approve": N_("A moderator did not approve %(what)s."),
    "hid": N_("A moderator hid %(what)s."),
    "removed": N_("A moderator removed %(what)s."),
}


def decided(content, actor, verdict: str, reason: str = "") -> None:
    """Tell an author what a moderator did with their content (not their own actions), in the
    author's language."""
    author_id = getattr(content, "author_id", None)
    if author_id is None or author_id == getattr(actor, "id", None):
        return
    with in_language_of(author_id):
        described = _describe(content)
        if described is None:
            return
        _author, what, url = described
        if actor is None:  # the flag threshold, not a person
            text = gettext("%(what)s was hidden after readers flagged it.", what=what)
        else:
            text = gettext(VERDICTS.get(verdict, VERDICTS["hid"]), what=what)
        if reason and verdict != "approved":
            text += " " + gettext("Reason: %(reason)s", reason=reason.strip()[:200])
        notify_once(author_id, MODERATION, text[0].upper() + text[1:], url)


def guest_rejected(content, reason: str) -> None:
    """A guest who left an e-mail learns why their comment was not published (the review form
    tells moderators "the author reads it"). One message, about this comment only."""
    if not isinstance(content, Comment) or content.author_id is not None:
        return
    if not content.guest_email:
        return
    ch = _characteristic(content.characteristic_id)
    with written_in(getattr(content, "language", None)):  # (the language the guest wrote in)
        body = gettext(
            "Hello %(name)s,\n\n"
            "A moderator did not publish the comment you left on %(title)s.\n\n"
            "Reason: %(reason)s\n\n"
            "You are welcome to write again: %(link)s\n\n"
            "-- \nYou get this one e-mail because you left your address with a guest comment "
            "on the Mentorship Forum. It is never shown and we send nothing else.\n",
            name=content.guest_name or gettext("there"),
            title=ch.title,
            reason=reason.strip()[:1000] or gettext("No reason was given."),
            link=absolute_url(links.characteristic_url(ch)),
        )
        subject = gettext(
            "%(prefix)s Your comment on %(title)s was not published",
            prefix=SUBJECT_PREFIX,
            title=ch.title,
        )
        queue_mail(content.guest_email, subject, body)


def role_changed(user: User, role: str, granted: bool, reason: str) -> None:
    """An admin granted or revoked a role: the member reads which, and why."""
    with in_language_of(user.id):
        if granted:
            text = gettext(
                "An admin gave you the %(role)s role. Reason: %(reason)s", role=role, reason=reason
            )
        else:
            text = gettext(
                "An admin removed your %(role)s role. Reason: %(reason)s", role=role, reason=reason
            )
        notify_once(
            user.id, ROLE_CHANGED, text, links.build("accounts.profile", username=user.username)
        )
