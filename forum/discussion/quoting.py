"""The "Quote" control: a reply form that starts with the quoted comment.

Without scripts, ``?reply_to=<id>&quote=<id>`` opens the form with the whole comment quoted;
the members' script quotes only the selected text instead. The quoted comment is read through
the visibility policy, so nobody can quote what they may not see.
"""

from __future__ import annotations

from flask import request
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.content.markup import plain_text
from forum.discussion.models import Comment
from forum.extensions import db
from forum.routing import MAX_ID, is_number

MAX_QUOTE = 4000


def quote_text(comment: Comment) -> str:
    """``> name wrote:`` and the comment as Markdown quote lines (its source if Markdown)."""
    text = comment.body_source if comment.body_format == "markdown" else ""
    text = (text or plain_text(comment.body_html))[:MAX_QUOTE].strip()
    lines = [f"> {line}".rstrip() for line in text.splitlines()]
    return f"> {comment.display_author} wrote:\n>\n" + "\n".join(lines) + "\n\n"


def quoted_comment(characteristic_id: int) -> Comment | None:
    """The comment ``?quote=`` names, if it is in this thread and the reader may see it."""
    raw = request.args.get("quote", "")
    if request.method != "GET" or not is_number(raw) or int(raw) > MAX_ID:
        return None
    return db.session.execute(
        select(Comment)
        .options(joinedload(Comment.author))
        .where(
            Comment.id == int(raw),
            Comment.characteristic_id == characteristic_id,
            Comment.deleted_at.is_(None),
        )
    ).scalar_one_or_none()


def prefill_quote(form, characteristic) -> None:
    """Start the form's body with the quoted comment (GET only; a posted body is kept)."""
    comment = quoted_comment(characteristic.id)
    if comment is not None and not form.body.data:
        form.body.data = quote_text(comment)
