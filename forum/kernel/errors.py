"""Clear error pages (HTML, or problem-detail JSON under /api/); never a traceback to the client."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from forum.extensions import db
from forum.kernel.types import ValidationError

log = logging.getLogger("forum.errors")

TITLES = {
    400: "Bad request",
    401: "Please log in",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Too large",
    414: "Address too long",
    415: "Unsupported content type",
    422: "Cannot process this",
    429: "Too many requests",
    500: "Something went wrong",
}


def wants_json() -> bool:
    return request.path.startswith("/api/") or (
        request.accept_mimetypes.best == "application/json"
        and not request.accept_mimetypes.accept_html
    )


def error_response(status: int, detail: str, headers=None):
    title = TITLES.get(status, "Error")
    if wants_json():
        body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
        response = jsonify(body)
        response.mimetype = "application/problem+json"
    else:
        response = render_template("errors/error.html", status=status, title=title, detail=detail)
    response = _as_response(response, status)
    for key, value in (headers or {}).items():
        if key.lower() not in {"content-type", "content-length"}:
            response.headers[key] = value
    return response


def _as_response(rv, status):

    response = make_response(rv)
    response.status_code = status
    return response


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):
        return error_response(
            400,
            "The form was out of date or forged (missing CSRF token). "
            "Go back, reload the page and try again.",
        )

    @app.errorhandler(ValidationError)
    def _validation(error: ValidationError):

        db.session.rollback()  # a refused change stores nothing, and the page can still read
        return error_response(422, error.message)

    @app.errorhandler(SecurityError)
    def _untrusted_host(error: SecurityError):
        """A Host outside TRUSTED_HOSTS: no page (nothing can link back to that host), plain text."""
        return app.response_class(
            "Bad request: this site does not answer to that host name.\n",
            status=400,
            mimetype="text/plain",
        )

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        if isinstance(error, InternalServerError):
            return _internal(error)
        status = error.code or 500
        detail = error.description if error.description else TITLES.get(status, "")
        if status == 429:
            detail = "You are doing that too often. Please wait a moment and try again."
        headers = dict(error.get_response().headers) if status in (405, 429) else None
        return error_response(status, detail, headers)

    @app.errorhandler(Exception)
    def _internal(error: Exception):

        db.session.rollback()
        log.error(
            "unhandled %s on %s %s",
            type(error).__name__,
            request.method,
            request.path,
            exc_info=not app.config.get("FORUM_REDACT_TRACEBACKS", False),
        )
        if app.testing and app.config.get("PROPAGATE_EXCEPTIONS_IN_TESTS", True):
            raise error
        return error_response(500, "The error has been logged. Please try again later.")
