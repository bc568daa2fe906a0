"""Response headers that make every page safer: CSP with no inline script, nosniff, and friends."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, abort, has_request_context, request
from flask_babel import gettext
from flask_login import current_user
from flask_login.mixins import AnonymousUserMixin

from forum.db import write_intent, write_lock_at_first_write
from forum.kernel.hooks import hook
from forum.kernel.types import ValidationError

BASE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "https:", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "form-action": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
}


def _signed_in() -> bool:
    """Whether this request has a user, without reloading one a commit has expired."""

    user = current_user._get_current_object()
    return user is not None and not isinstance(user, AnonymousUserMixin)


def build_csp() -> str:
    policy = {k: list(v) for k, v in BASE_CSP.items()}
    for extra in hook.csp_sources():
        for directive, sources in (extra or {}).items():
            if directive in {"script-src", "object-src", "base-uri"}:
                continue  # never widened by plugins
            policy.setdefault(directive, []).extend(
                s for s in sources if s not in policy.get(directive, [])
            )
    return "; ".join(f"{k} {' '.join(v)}" for k, v in policy.items())


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def is_safe_request() -> bool:
    """Inside a request that may read but never write (GET, HEAD, OPTIONS)."""
    return has_request_context() and request.method in SAFE_METHODS


def foreign_origin() -> str | None:
    """The Origin (else Referer) of an unsafe request when it is not this site; None when fine.

    Browsers send Origin on every cross-site POST, so a forged form is refused even before its
    CSRF token is looked at. Requests without either header (scripts, old clients) rely on the
    CSRF token alone; bearer-token API calls carry no cookie and are not subject to it.
    """
    if request.method in SAFE_METHODS or request.headers.get("Authorization", "").startswith(
        "Bearer "
    ):
        return None
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if not source:
        return None
    # The host must match; the scheme is not compared, because behind a TLS-terminating proxy the
    # app sees http while the browser says https (the proxy must pass the Host header through).
    if source == "null" or urlsplit(source).netloc.lower() != request.host.lower():
        return source
    return None


def refuse_nul_bytes() -> None:
    """PostgreSQL cannot store NUL in text, so a NUL reaching an INSERT was a 500: no name in a
    path has one (404), and no form or JSON body may carry one (422). Reads with NUL in the query
    string are left to the views, which only compare or search with them."""
    if "\x00" in request.path:
        abort(404)
    if request.method in SAFE_METHODS:
        return
    if request.mimetype == "application/json":
        found = b"\\u0000" in request.get_data(cache=True)
    else:
        found = any("\x00" in v for vs in request.form.listvalues() for v in vs)
    if found:
        raise ValidationError(gettext("The text contains a NUL character, which is not allowed."))


def init_app(app: Flask) -> None:
    def _intent():
        write_intent.set(request.method not in SAFE_METHODS)
        write_lock_at_first_write.set(True)
        if foreign_origin() is not None:
            abort(403, description=gettext("This request came from another site and was refused."))
        refuse_nul_bytes()

    # First of all before_request functions: the login check before it already reads the database,
    # and a sync worker keeps the previous request's value, so a POST after a GET began DEFERRED
    # and its first write failed with "database is locked" under concurrency.
    app.before_request_funcs.setdefault(None, []).insert(0, _intent)

    @app.after_request
    def _headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", build_csp())
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.is_secure or app.config.get("SESSION_COOKIE_SECURE"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if _signed_in() and "Cache-Control" not in headers:
            headers["Cache-Control"] = "no-store"
        elif request.endpoint != "static":
            headers.setdefault("Cache-Control", "no-cache")
        return response
