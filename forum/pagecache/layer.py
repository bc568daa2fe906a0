"""The member layer: a member's page is the cached public page with their own parts spliced in.

The public rendering of a page (what a guest gets, from the shared page cache) marks every place
where a member's page differs: *regions* (the account links, the menu with its counts, flashed
messages, the thread's tabs, the comment form) and *items* (the controls under each comment or
part, marked with its author). A member's view renders only those regions and item controls, from
a few cheap statements, and puts them in place server-side: one request, no script.

Markers carry a token derived from ``SECRET_KEY``, so nothing a reader can write (bodies are
sanitised, names escaped) is ever taken for one.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from flask import current_app, request
from markupsafe import Markup

#: The middleware hands the view the public page's body under this environ key.
PUBLIC_PAGE_ENVIRON = "forum.public_page"
#: The language the page cache keyed (and a guest's copy was rendered in) for this request
PAGE_LOCALE_ENVIRON = "forum.page_locale"


def _token() -> str:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    token = app.extensions.get("forum.layer_token")
    if token is None:
        secret = str(app.config.get("SECRET_KEY") or "").encode()
        token = hmac.new(secret, b"forum member layer", hashlib.sha256).hexdigest()[:12]
        app.extensions["forum.layer_token"] = token
    return token


def layer_open(name: str, author_id: int | None = None) -> Markup:
    """Where region (or item) ``name`` starts; an item names its author."""
    author = f" a{author_id}" if author_id is not None else ""
    return Markup(f"<!--L{_token()}:{name}{author}-->")


def layer_close(name: str) -> Markup:
    return Markup(f"<!--/L{_token()}:{name}-->")


def _pattern() -> re.Pattern:
    token = _token()
    return re.compile(rf"<!--L{token}:(\w+)(?: a(\d+))?-->(.*?)<!--/L{token}:\1-->", re.DOTALL)


@dataclass(frozen=True)
class Item:
    """A comment or part the public page shows: what its controls depend on."""

    kind: str  # "comment" or "part"
    id: int
    author_id: int | None


def public_page() -> str | None:
    """The public page this member request may build on (the middleware found it), or None."""
    body = request.environ.get(PUBLIC_PAGE_ENVIRON)
    return body.decode() if body is not None else None


def items(page: str) -> list[Item]:
    """The comments and parts the public page marks, in page order."""
    kinds = {"c": "comment", "p": "part"}
    found = []
    for name, author, _ in _pattern().findall(page):
        if name[0] in kinds and name[1:].isdigit():
            found.append(Item(kinds[name[0]], int(name[1:]), int(author) if author else None))
    return found


def regions(html: str) -> dict[str, str]:
    """The regions of a rendering, by name (the member's layer, rendered as marked regions)."""
    return {name: body for name, _, body in _pattern().findall(html)}


def splice(page: str, layer: dict[str, str]) -> str | None:
    """The public page with every marked region replaced by the member's; None when the page
    marks a region the layer lacks (the view then renders the page in full)."""
    missing = False

    def replace(match: re.Match) -> str:
        nonlocal missing
        name = match.group(1)
        if name not in layer:
            missing = True
            return ""
        return (
            match.group(0)[: match.start(3) - match.start(0)]
            + layer[name]
            + (match.group(0)[match.end(3) - match.start(0) :])
        )

    out = _pattern().sub(replace, page)
    return None if missing else out


#: Functions ``(user_id, characteristic_id) -> list of SQL column expressions`` naming per-reader
#: state a member's page shows besides the content (e.g. the unread count, the watch): their
#: values are part of the key under which a member's page is kept (``member_pages``).
_STATE_COLUMNS: list = []


def member_state_columns(fn):
    """Register ``fn`` (a decorator): the columns it gives join the one statement that keys a
    member's kept page. Both arguments are SQL expressions (bound parameters)."""
    _STATE_COLUMNS.append(fn)
    return fn


def state_columns(user_id, characteristic_id) -> list:
    return [column for fn in _STATE_COLUMNS for column in fn(user_id, characteristic_id)]


def install(app) -> None:
    app.jinja_env.globals.update(layer_open=layer_open, layer_close=layer_close)
