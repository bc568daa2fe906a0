"""A comment's shared part, rendered once per content version and reused for every reader.

Above its footer a comment looks the same to every reader who may see it (author, date, status
note, body), except the quoted reply, which the policy shows one reader and not another: the key
names the reply and author this reader's page loaded, and the reader's language and time zone. The footer (reply, edit, the plugins'
``comment.footer`` slot) is per reader and rendered live. The relative date ("3 hours ago") is
kept fresh by the page's script, as on pages from the anonymous page cache.
"""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_babel import get_locale, get_timezone
from markupsafe import Markup

from forum.pagecache.versioned import cached

TEMPLATE = "discussion/_comment_main.html"
#: Per worker: 100 pages of 20 comments, about 1.5 MB (a bench comment renders to ~670 characters)
LIMIT = 2_000


def reader_language_and_zone() -> tuple[str, str]:
    """Part of every shared fragment's key: its words are in the reader's language and its exact
    times in the reader's zone, so each language and zone has its own copy."""
    return str(get_locale()), str(get_timezone())


def comment_main(comment) -> Markup:
    """The comment above its footer, as HTML."""
    reply = comment.reply_to
    key = (
        comment.id,
        reply.id if reply is not None else None,
        comment.author is not None,
        *reader_language_and_zone(),
    )
    return cached(
        "forum.discussion.fragments",
        key,
        lambda: Markup(current_app.jinja_env.get_template(TEMPLATE).render(comment=comment)),
        LIMIT,
    )


def comment_fields(form) -> Markup:
    """The comment form's format choice and text box. Blank (a GET, nothing typed, no error) they
    look the same to every reader offered the same formats, so each worker renders them once per
    set of formats; a form shown again after an error is rendered with what was typed."""

    def render() -> Markup:
        return Markup(render_template("discussion/_comment_fields.html", form=form))

    if request.method != "GET" or form.errors or form.body.data:
        return render()
    blank = current_app.extensions.setdefault("forum.discussion.blank_fields", {})
    key = (
        type(form).__name__,
        tuple(tuple(choice) for choice in form.body_format.choices),
        *reader_language_and_zone(),
    )
    if key not in blank:
        blank[key] = render()
    return blank[key]
