"""Conditional GET: ``ETag``/``Last-Modified`` validators and ``304 Not Modified``.

Only responses that are the same for everyone who could send the validator get one:

- anonymous GETs (no session or remember cookie, no ``Authorization``): pages, feeds, the
  sitemap and API reads. Their validator is derived from the shared *content version* (every
  commit that changes public content changes it, see ``forum.pagecache``), the site's build,
  the host and the full path, so a matching ``If-None-Match`` is answered ``304`` before
  anything is rendered;
- API reads with a bearer token: a hash of the token's user and the body (that user's own
  pending comments do not move the content version), ``Cache-Control: private, no-cache``.

A member's pages get none (they vary by user, CSRF token, flashes and counters), nor does any
response that sets a cookie or touched the session, and nothing but a ``200`` does.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from flask import Flask, Response, current_app, g, request, session
from werkzeug.http import http_date, is_resource_modified

from forum.pagecache.middleware import CONTENT_NEXT_ENVIRON, PERSONAL_COOKIES, content_version

#: Relative dates ("3 hours ago") drift without a commit: validators roll over this often.
FRESHNESS_WINDOW = 3600
LATE_BLUEPRINTS = ("api",)
PROBES = ("ops.healthz", "ops.readyz")
_BUILD_KEY = "forum.ops.build_id"


def _anonymous_request() -> bool:
    environ = request.environ
    if request.method not in ("GET", "HEAD") or environ.get("HTTP_AUTHORIZATION"):
        return False
    cookies = environ.get("HTTP_COOKIE", "")
    return not any(name in cookies for name in PERSONAL_COOKIES)


def build_id() -> str:
    """What a deployment changes: plugin versions and the newest code or template file.

    Read once per app. Two hosts of one release agree when their files' times agree (an image or
    ``rsync -a``); when not, a reader merely gets a 200 instead of a 304 when switching hosts."""
    found = current_app.extensions.get(_BUILD_KEY)
    if found is None:
        newest = 0.0
        code, templates = (
            current_app.root_path,
            str(current_app.template_folder),
        )  # forum/, templates/
        for folder, pattern in ((code, "*.py"), (templates, "*.html")):
            for path in Path(folder).rglob(pattern):
                newest = max(newest, path.stat().st_mtime)
        plugins = sorted(
            (i.name, i.version) for i in current_app.extensions["forum.plugins"].infos.values()
        )
        found = hashlib.sha256(repr((newest, plugins)).encode()).hexdigest()[:16]
        current_app.extensions[_BUILD_KEY] = found
    return found


def _public_validators() -> tuple[str, float | None] | None:
    """(etag, last-modified time) for this anonymous GET, or None when it gets none."""
    if not _anonymous_request():
        return None
    version = content_version()
    if version is None:
        return None
    due = request.environ.get(CONTENT_NEXT_ENVIRON)
    if (
        due is not None and due <= time.time()
    ):  # a scheduled part is live, the version not moved yet
        return None
    window = int(time.time() // FRESHNESS_WINDOW)
    raw = repr((build_id(), version, window, request.host, request.full_path))
    etag = hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()[:24]
    changed = max(
        version / 1e9 if isinstance(version, int) and version > 1e15 else 0.0,
        float(window * FRESHNESS_WINDOW),
    )
    # A Last-Modified less than a second old could hide a second change within that second.
    return etag, (changed if time.time() - changed >= 1 else None)


def _exempt(endpoint: str | None) -> bool:
    """Static files (their own validators) and the probes (which read nothing) get none."""
    return endpoint is None or endpoint in PROBES or endpoint.rsplit(".", 1)[-1] == "static"


def _not_modified_early():
    """Answer a matching revalidation of an anonymous GET before the view renders anything."""
    if request.routing_exception is not None or _exempt(request.endpoint):
        return None
    found = g._forum_validators = _public_validators()
    if found is None or (request.blueprint or "").split(".")[0] in LATE_BLUEPRINTS:
        return (
            None  # (the API's read limits sit on its views: they run, then after_request answers)
        )
    response = Response(status=200)
    _set_validators(response, *found)
    return _revalidated(response) if _not_modified(response) else None


def _set_validators(response, etag: str, changed: float | None) -> None:
    response.set_etag(etag, weak=True)
    if changed is not None:
        response.headers["Last-Modified"] = http_date(changed)
    response.vary.add("Cookie")
    response.headers.setdefault("Cache-Control", "no-cache")


def _token_read() -> bool:
    return bool(g.get("api_token")) and request.method in ("GET", "HEAD")


def _add_validators(response):
    """Give a shareable 200 its validators, then answer the revalidation (``If-Modified-Since``
    on a miss; a matching ``If-None-Match`` was answered before the view ran)."""
    if (
        response.status_code != 200
        or response.direct_passthrough
        or request.method not in ("GET", "HEAD")
    ):
        return response
    if "Set-Cookie" in response.headers or session.modified or "ETag" in response.headers:
        return response
    found = g.get("_forum_validators")
    if found is not None:
        _set_validators(response, *found)
    elif _token_read():
        user_id = getattr(g.get("_login_user"), "id", None)
        digest = hashlib.sha256(f"{user_id}|".encode() + response.get_data()).hexdigest()[:24]
        response.set_etag(f"u{user_id}-{digest}", weak=True)
        response.headers["Cache-Control"] = "private, no-cache"
        response.vary.add("Authorization")
    else:
        return response
    return _revalidated(response) if _not_modified(response) else response


def _not_modified(response) -> bool:
    """Whether the reader's copy (``If-None-Match``, else ``If-Modified-Since``) is current."""
    environ = request.environ
    if not (environ.get("HTTP_IF_NONE_MATCH") or environ.get("HTTP_IF_MODIFIED_SINCE")):
        return False
    if request.if_none_match.star_tag:  # "any version you have": not a validator we gave out
        return False
    return not is_resource_modified(
        environ, etag=response.headers["ETag"], last_modified=response.headers.get("Last-Modified")
    )


def _revalidated(response):
    """The response as an empty 304 (werkzeug sends no body for it). No ``Date`` is added here:
    gunicorn sends its own, and a cached page would replay a stale one."""
    response.status_code = 304
    response.set_data(b"")
    return response


def init_app(app: Flask) -> None:
    """After the limiter and the plugin gate (registered earlier), and last of all after_request."""
    app.before_request(_not_modified_early)
    app.after_request_funcs.setdefault(None, []).insert(0, _add_validators)
