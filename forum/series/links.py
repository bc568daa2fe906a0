"""Where each public thing lives: URLs for series, characteristics, parts, comments and experts.

Search results, feeds, the API, notifications and share links all link through here, so a route
rename in the series pages is fixed in one place. Endpoints are looked up by name among a few
candidates; a missing page falls back to its characteristic's thread (with an anchor). It lives
with the series pages it names and imports no feature, so any package may link through it.
"""

from __future__ import annotations

from flask import current_app, has_request_context, request, url_for
from werkzeug.routing import BuildError

CHARACTERISTIC_ENDPOINTS = ("series.characteristic", "series.thread", "discussion.thread")
PART_ENDPOINTS = ("series.part",)
SERIES_ENDPOINTS = ("series.series", "series.series_page", "series.detail")


def build(endpoint: str, external: bool = False, **values) -> str | None:
    """``url_for`` that works outside a request (CLI, jobs) and answers None for unknown routes."""
    if endpoint not in current_app.view_functions:
        return None
    try:
        if has_request_context():
            return url_for(endpoint, _external=external, **values)
        with current_app.test_request_context("/"):
            return url_for(endpoint, _external=external, **values)
    except (BuildError, ValueError):
        return None


def this_page_url() -> str:
    """The current page's absolute URL, without its query, on the site's own origin: the host of
    ``SERVER_NAME`` when set (never an alias the request came in by), behind its proxy prefix."""
    return url_for(str(request.endpoint), _external=True, **(request.view_args or {}))


def _first(endpoints, external: bool, **values) -> str | None:
    for endpoint in endpoints:
        url = build(endpoint, external, **values)
        if url:
            return url
    return None


def home_url(external: bool = False) -> str:
    return build("series.home", external) or "/"


def series_url(series, external: bool = False) -> str:
    return _first(SERIES_ENDPOINTS, external, slug=series.slug) or home_url(external)


def characteristic_url(characteristic, external: bool = False) -> str:
    return (
        _first(CHARACTERISTIC_ENDPOINTS, external, slug=characteristic.slug)
        or home_url(external) + f"#{characteristic.slug}"
    )


def part_url(part, characteristic, external: bool = False) -> str:
    for values in (
        {"slug": characteristic.slug, "number": part.part_number},
        {"slug": characteristic.slug, "part_number": part.part_number},
        {"part_id": part.id},
        {"id": part.id},
    ):
        url = _first(PART_ENDPOINTS, external, **values)
        if url:
            return url
    return characteristic_url(characteristic, external) + f"#part-{part.part_number}"


def comment_url(comment, characteristic, external: bool = False) -> str:
    return (
        build("discussion.permalink", external, comment_id=comment.id)
        or characteristic_url(characteristic, external) + f"#comment-{comment.id}"
    )


def expert_url(user, external: bool = False) -> str:
    return (
        build("series.expert", external, username=user.username)
        or build("accounts.profile", external, username=user.username)
        or home_url(external)
    )
