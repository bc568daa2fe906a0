"""@mentions: who a text names, and the link a published mention becomes.

The link is made by a Markdown extension (``markdown_extensions`` hook) while the text is
rendered on write, so it passes the sanitiser with the rest of the HTML; a name that is no
member stays plain text.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from sqlalchemy import select

from forum.accounts.models import User
from forum.extensions import db
from forum.series.links import build

MENTION = re.compile(r"(?<![\w@/.])@([A-Za-z0-9_][A-Za-z0-9_.-]{1,39})")
MAX_MENTIONS = 10


def _present(keys: list[str]) -> list[User]:
    """Members (not deleted) whose username is one of ``keys`` (lower case)."""
    return list(
        db.session.execute(
            select(User).where(User.username_key.in_(keys), User.deleted_at.is_(None))
        ).scalars()
    )


def mentioned_users(source: str) -> list[User]:
    names: list[str] = []
    for name in MENTION.findall(source or ""):
        name = name.rstrip(".").lower()
        if name not in names:
            names.append(name)
    return _present(names[:MAX_MENTIONS]) if names else []


class MentionLinks(InlineProcessor):
    """``@name`` of a member becomes a link to their profile; never inside another link."""

    ANCESTOR_EXCLUDES = ("a",)

    def __init__(self, users: dict[str, User]):
        super().__init__(MENTION.pattern)
        self.users = users

    def handleMatch(self, m, data):  # noqa: N802  (Markdown's name)
        name = m.group(1).rstrip(".")
        user = self.users.get(name.lower())
        if user is None:
            return None, None, None
        href = build("accounts.profile", username=user.username) or f"/u/{user.username}"
        link = etree.Element("a", {"href": href})
        link.text = "@" + name
        return link, m.start(0), m.start(0) + len(name) + 1


class MentionExtension(Extension):
    """Looks the source's names up once, when Markdown starts on it (each text's lookup replaces
    the last one's names: a kept converter may reuse it)."""

    forum_reusable = True

    def extendMarkdown(self, md):  # noqa: N802  (Markdown's name)
        md.preprocessors.register(_Lookup(md, self), "forum_mentions_lookup", 1)
        self.processor = MentionLinks({})
        md.inlinePatterns.register(self.processor, "forum_mentions", 5)


class _Lookup(Preprocessor):
    """Reads the members a source names (one query), leaving the text as it is."""

    def __init__(self, md, extension: MentionExtension):
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        users = mentioned_users("\n".join(lines))
        self.extension.processor.users = {u.username_key: u for u in users}
        return lines
