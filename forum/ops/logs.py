"""Logs as one JSON object per line on stderr, each carrying the request's id.

The request id comes from a well-formed ``X-Request-ID`` header (a proxy's) or is made here
(32 random hex digits); it is echoed in the response's ``X-Request-ID`` so a reader's report, the access
log (gunicorn: ``%({x-request-id}o)s``) and these lines can be matched. Only the method and
path are logged, never a query string or a body; a path holding a secret (a reset or
invitation token) is logged as its route pattern.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import time
from contextvars import ContextVar
from datetime import UTC, datetime

from flask import Flask, request

REQUEST_ID_HEADER = "X-Request-ID"
REQUEST_ID_ENVIRON = "forum.request_id"
LOG_PATH_ENVIRON = "forum.log_path"  # the path as it may be logged (see ``_note_loggable_path``)
_VALID_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_SECRET_ARGS = ("token", "secret", "key")
QUIET_PATHS = ("/healthz", "/readyz")  # probes are polled every few seconds: no access line

_request: ContextVar[dict | None] = ContextVar("forum_log_request", default=None)
access_log = logging.getLogger("forum.access")


def request_id_from(header: str | None) -> str:
    """The caller's id when it is short and made of safe characters, else a new one."""
    if header and _VALID_ID.fullmatch(header):
        return header
    return os.urandom(16).hex()


def current_request_fields() -> dict:
    """request_id, method and path of the request being served (empty outside one)."""
    return dict(_request.get() or {})


class JsonFormatter(logging.Formatter):
    """timestamp, level, logger, message, then the request's fields and ``status`` when known."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update(current_request_fields())
        for extra in ("status", "duration_ms"):
            if hasattr(record, extra):
                line[extra] = getattr(record, extra)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


class RequestIdMiddleware:
    """Outermost WSGI layer: gives each request its id, echoes it, logs one access line."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        request_id = request_id_from(environ.get("HTTP_X_REQUEST_ID"))
        environ[REQUEST_ID_ENVIRON] = request_id
        path = environ.get("PATH_INFO", "")
        token = _request.set(
            {"request_id": request_id, "method": environ.get("REQUEST_METHOD", ""), "path": path}
        )
        seen: dict = {}

        def respond(status, headers, exc_info=None):
            seen["status"] = status
            headers = [(k, v) for k, v in headers if k.lower() != "x-request-id"]
            headers.append((REQUEST_ID_HEADER, request_id))
            return start_response(status, headers, exc_info)

        started = time.perf_counter()
        try:
            return self.wsgi_app(environ, respond)
        finally:
            _log_access(environ, seen.get("status"), started)
            _request.reset(token)


def _log_access(environ, status: str | None, started: float) -> None:
    if not access_log.isEnabledFor(logging.INFO) or environ.get("PATH_INFO", "").startswith(
        QUIET_PATHS
    ):
        return
    path = environ.get(LOG_PATH_ENVIRON) or environ.get("PATH_INFO", "")
    code = int(status.split(" ", 1)[0]) if status else None
    # (made and handed over directly: ``Logger.info`` would also walk the stack for the caller,
    # which no access line prints -- a tenth of a cached page's cost)
    record = access_log.makeRecord(
        access_log.name,
        logging.INFO,
        __file__,
        0,
        "%s %s %s",
        (environ.get("REQUEST_METHOD", ""), path, code if code is not None else "-"),
        None,
        extra={"status": code, "duration_ms": round((time.perf_counter() - started) * 1000, 1)},
    )
    access_log.handle(record)


def _note_loggable_path() -> None:
    """A route whose arguments hold a secret is logged as its pattern (``/account/reset/<token>``)."""
    rule, args = request.url_rule, request.view_args or {}
    if rule is not None and any(s in name for name in args for s in _SECRET_ARGS):
        request.environ[LOG_PATH_ENVIRON] = rule.rule
        fields = _request.get()
        if fields is not None:
            fields["path"] = rule.rule


def _handler_installed(logger: logging.Logger) -> bool:
    return any(isinstance(h.formatter, JsonFormatter) for h in logger.handlers)


def configure_logging(app: Flask) -> None:
    """Send JSON lines to stderr, unless the host already configured logging.

    ``FORUM_LOG_JSON``: ``auto`` (default) installs the handler on the root logger only when the
    root has no handler yet (gunicorn and ``flask run`` leave it bare; pytest's caplog and a host
    that called ``logging.basicConfig`` or ``dictConfig`` do not, and are left alone); ``1``
    always installs it; ``0`` never does. Runs before anything touches ``app.logger``, so
    Flask adds no second, plain-text handler of its own.
    """
    mode = str(app.config.get("FORUM_LOG_JSON", "auto")).lower()
    root = logging.getLogger()
    wanted = mode in ("1", "true", "yes") or (mode == "auto" and not root.handlers)
    if wanted and not _handler_installed(root):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        root.addHandler(handler)
        if root.level > logging.INFO or root.level == logging.NOTSET:
            root.setLevel(logging.INFO)


def init_app(app: Flask) -> None:
    """Wrap the app, outside the page cache: a cached page carries this request's id."""
    # first of all before_request functions: no line of this request may name the secret
    app.before_request_funcs.setdefault(None, []).insert(0, _note_loggable_path)
    app.wsgi_app = RequestIdMiddleware(app.wsgi_app)
