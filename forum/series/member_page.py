"""A member's thread and part pages: the shared public page with the member's layer spliced in.

Rendering a thread page for one member cost ~10 ms of Jinja and ORM work; the public rendering
of the same page is already in the page cache. When what this member sees of the content is
exactly what a guest sees (``sees_public_plus_own`` and none of their own comments waiting or
hidden in this thread), their page is that public page with their regions (menu with counts,
account links, flashed messages, tabs, comment form with their CSRF token, the controls of each
comment and part) rendered and spliced in (``forum.pagecache.layer``): three or four statements.
Anyone else (staff, a plugin's extra rule, a suspended member, a part's author) gets the page
rendered in full, as before.
"""

from __future__ import annotations

from flask import Response, g, render_template, request
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import BigInteger, Integer, String, bindparam, cast, func, literal, not_, select

from forum.accounts.models import User, user_roles
from forum.db import utcnow
from forum.discussion.forms import comment_form_for
from forum.discussion.models import Comment, public_comment_clause
from forum.discussion.services import edit_window
from forum.extensions import db
from forum.pagecache import layer
from forum.series.models import Characteristic
from forum.visibility import registry, sees_public_plus_own
from forum.visibility.permissions import can

TEMPLATE = "layer/page.html"
#: The id an item's controls are rendered for once, then replaced by each item's own
STAND_IN_ID = 9_876_543_210_123


#: The zone guests read times in; a member in another reads the page rendered for them
GUEST_ZONES = (None, "", "UTC", "Etc/UTC")


def _reads_the_page_as_a_guest_would() -> bool:
    """The public page speaks this member's language (the one the page cache keyed it by) and
    shows times in their zone; otherwise their page is rendered in full, for them."""
    page_locale = request.environ.get(layer.PAGE_LOCALE_ENVIRON)
    return (
        str(get_locale()) == page_locale and getattr(current_user, "timezone", None) in GUEST_ZONES
    )


def _sees_what_guests_see() -> bool:
    """A member whose view of comments and parts is the public one plus their own, in the
    public page's language and time zone."""
    if not current_user.is_authenticated or getattr(current_user, "is_suspended", False):
        return False
    if not _reads_the_page_as_a_guest_would():
        return False
    types = [registry().get("comment"), registry().get("part")]
    return all(ct is not None and sees_public_plus_own(current_user, ct) for ct in types)


def _stand_in(kind: str, own: bool) -> layer.Item:
    return layer.Item(kind, STAND_IN_ID, current_user.id if own else None)


def _splice(page: str, c=None, part_page: bool = False) -> Response | None:
    """The public page with this member's regions and item controls in place. An item's controls
    depend only on its kind, its id and whether the reader wrote it (``slot_item_controls``), so
    they are rendered once per kind and authorship for a stand-in id, then filled in per item."""
    items = layer.items(page)
    classes = {(i.kind, i.author_id == current_user.id) for i in items}
    upto = max((i.id for i in items if i.kind == "comment"), default=None)  # (mark as read)
    stand_ins = [
        (f"{kind}_{'own' if own else 'other'}", _stand_in(kind, own)) for kind, own in classes
    ]
    rendered = layer.regions(
        render_template(
            TEMPLATE,
            stand_ins=stand_ins,
            upto=upto,
            c=c,
            part_page=part_page,
            form=comment_form_for(current_user, c) if c is not None else None,
        )
    )
    for item in items:
        own = "own" if item.author_id == current_user.id else "other"
        controls = rendered[f"{item.kind}_{own}"]
        rendered[f"{item.kind[0]}{item.id}"] = controls.replace(str(STAND_IN_ID), str(item.id))
    html = layer.splice(page, rendered)
    if html is None:
        return None
    return Response(html, mimetype="text/html", headers={"X-Member-Layer": "spliced"})


def _own_comments(user_id, characteristic_id, edit_since) -> tuple:
    """Whether the member has comments in the thread a guest cannot see, and whether one of
    theirs is still in its edit window (its Edit link counts down, so it is no stand-in's):
    either way the page is rendered in full. ``characteristic_id + 0`` keeps the planner off the
    thread index."""
    own = (
        (Comment.characteristic_id + 0) == characteristic_id,
        Comment.author_id == user_id,
        Comment.deleted_at.is_(None),
    )
    hidden = select(Comment.id).where(*own, not_(public_comment_clause(Comment))).exists()
    editable = (
        select(Comment.id)
        .where(*own, Comment.hidden_at.is_(None), Comment.created_at > edit_since)
        .exists()
    )
    return hidden, editable


def _own_latest(user_id, edit_since) -> tuple:
    """What fixes ``_own_comments`` within one content version, in two index lookups: the
    member's newest comment anywhere (a new pending one moves no version) and whether it is
    still in its edit window (the newest is, if any is)."""
    mine = Comment.author_id == user_id
    newest = select(func.max(Comment.id)).where(mine).scalar_subquery()
    newest_at = select(Comment.created_at).where(Comment.id == newest).scalar_subquery()
    return newest, newest_at > edit_since


def _characteristic_and_own_hidden(slug: str):
    """The characteristic and ``_own_comments``, in one statement."""
    own = _own_comments(current_user.id, Characteristic.id, utcnow() - edit_window())
    return db.session.execute(
        select(Characteristic, *own).where(Characteristic.slug == slug)
    ).first()


def _state_statement():
    """One statement for everything a member's layered page shows besides the content: who they
    are (name, roles, language, zone, suspension, session token), ``_own_latest`` and the columns
    registered with ``layer.member_state_columns`` (unread notices, watch, read position)."""
    user_id, slug = bindparam("user_id", type_=Integer), bindparam("slug", type_=String)
    roles = (  # (the set of role ids as bits: one integer, the same in SQLite and PostgreSQL)
        select(func.sum(cast(literal(1), BigInteger).op("<<")(user_roles.c.role_id)))
        .where(user_roles.c.user_id == user_id)
        .scalar_subquery()
    )
    characteristic_id = (
        select(Characteristic.id).where(Characteristic.slug == slug).scalar_subquery()
    )
    return select(
        User.session_token,
        User.username,
        User.display_name,
        User.locale,
        User.timezone,
        User.suspended_until,
        roles,
        characteristic_id,
        *_own_latest(user_id, bindparam("edit_since")),
        *layer.state_columns(user_id, characteristic_id),
    ).where(User.id == user_id, User.deleted_at.is_(None))


def member_state():
    """The page cache's key function for members' layered pages (``forum.pagecache.member_pages``):
    ``state(run, user_id, slug)`` runs the state statement through ``run(statement, params)`` and
    gives its row (session token first), or None. Built in an app context (the edit window)."""
    statement, window = _state_statement(), edit_window()

    def state(run, user_id: int, slug: str):
        return run(statement, {"user_id": user_id, "slug": slug, "edit_since": utcnow() - window})

    return state


def thread(slug: str) -> Response | None:
    """The member's thread page from the public one, or None (render it in full)."""
    page = layer.public_page()
    if page is None or len(slug) > 80 or not _sees_what_guests_see():
        return None
    row = _characteristic_and_own_hidden(slug)
    if row is None or row[1] or row[2]:
        return None
    characteristic = row[0]
    g.setdefault("_forum_characteristics", {})[slug] = characteristic  # (slots reuse it)
    return _splice(page, c=characteristic)


def part(slug: str, number: int) -> Response | None:
    """The member's part page from the public one, or None (its author, or a reader of its
    history, gets it in full: the edit note and links are theirs alone)."""
    page = layer.public_page()
    if page is None or not _sees_what_guests_see():
        return None
    parts = [i for i in layer.items(page) if i.kind == "part"]
    if not parts:  # a coming-soon page: its author and moderators read the part itself
        return None
    if can("part.read_history") or any(i.author_id == current_user.id for i in parts):
        return None
    return _splice(page, part_page=True)
