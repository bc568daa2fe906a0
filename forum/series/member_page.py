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

import time

from flask import Response, g, render_template, request, session
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import not_, select

from forum.db import utcnow
from forum.discussion.forms import comment_form_for
from forum.discussion.models import Comment, public_comment_clause
from forum.discussion.services import edit_window
from forum.extensions import db
from forum.pagecache import layer
from forum.pagecache.middleware import PLUGINS_VERSION_ENVIRON
from forum.pagecache.versioned import versioned_cache
from forum.series.models import Characteristic
from forum.visibility import registry, sees_public_plus_own
from forum.visibility.permissions import can

TEMPLATE = "layer/page.html"
#: How long a member's rendered layer is reused within one content version, and how many are kept
LAYER_SECONDS = 120
LAYER_LIMIT = 2_000  # ~5 KB each: ~10 MB a worker at most
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
    rendered = dict(
        _cached_layer(
            lambda: layer.regions(
                render_template(
                    TEMPLATE,
                    stand_ins=stand_ins,
                    upto=upto,
                    c=c,
                    part_page=part_page,
                    # (only when rendered: a reused layer needs no form, no token, no quote read)
                    form=comment_form_for(current_user, c) if c is not None else None,
                )
            ),
            c,
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


def _layer_key(characteristic) -> tuple:
    """Everything the rendered regions depend on besides the content version (which keys the
    cache itself): the page, who the reader is and their roles, their session's CSRF secret (the
    form's token), the plugins' set, and the reader state the menu and tabs show (unread count,
    watch: ``layer.reader_key``)."""
    user = current_user
    roles = tuple(sorted(getattr(role, "name", str(role)) for role in getattr(user, "roles", ())))
    return (
        request.full_path,
        user.id,
        user.username,
        user.name,
        roles,
        session.get("csrf_token"),
        request.environ.get(PLUGINS_VERSION_ENVIRON),
        layer.reader_key(user, characteristic.id if characteristic is not None else None),
    )


def _cached_layer(render, characteristic) -> dict[str, str]:
    """The member's rendered regions, kept per content version for ``LAYER_SECONDS`` (a bound on
    anything a permission hook decides that no key names); never with flashed messages waiting,
    nor before the session has its CSRF secret."""
    cache = versioned_cache("forum.series.member_layers", LAYER_LIMIT)
    if cache is None or session.get("_flashes") or not session.get("csrf_token"):
        # (no CSRF secret yet: the form makes one now, so this rendering's token is this session's)
        return render()
    key = _layer_key(characteristic)
    now = time.monotonic()
    if key in cache and cache[key][0] > now:
        return cache[key][1]
    regions = render()
    cache[key] = (now + LAYER_SECONDS, regions)
    return regions


def _characteristic_and_own_hidden(slug: str):
    """The characteristic, whether this member has comments in it a guest cannot see, and whether
    one of theirs is still in its edit window (its Edit link counts down, so it is no stand-in's:
    rendered in full). One statement; ``characteristic_id + 0`` keeps the planner off the thread
    index."""
    own_editable = (
        select(Comment.id)
        .where(
            (Comment.characteristic_id + 0) == Characteristic.id,
            Comment.author_id == current_user.id,
            Comment.deleted_at.is_(None),
            Comment.hidden_at.is_(None),
            Comment.created_at > utcnow() - edit_window(),
        )
        .exists()
    )
    own_hidden = (
        select(Comment.id)
        .where(
            (Comment.characteristic_id + 0) == Characteristic.id,
            Comment.deleted_at.is_(None),
            Comment.author_id == current_user.id,
            not_(public_comment_clause(Comment)),
        )
        .exists()
    )
    return db.session.execute(
        select(Characteristic, own_hidden, own_editable).where(Characteristic.slug == slug)
    ).first()


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
