"""Members' layered pages, answered by the page-cache middleware without entering Flask.

A member's thread or part page is the public page with their layer spliced in
(``forum.series.member_page``): ~3 ms of Flask, Flask-Login, statements and splicing. Within a
content version it changes only when something of the member's changes, so the middleware keeps
the finished page, per process, under a key naming everything it depends on besides the content:

- the public page's own key (content version, language, origin, path and query);
- the member's session cookie as sent (it carries their user id, session token and CSRF secret;
  a session with flashed messages waiting is never served from here);
- the row of one statement (``MEMBER_STATE_EXTENSION``, given by the series feature): the
  member's name, roles, language, zone, suspension, whether anything of theirs in the thread is
  hidden or still editable, and the columns features register with
  ``layer.member_state_columns`` (unread counts, watch).

A hit costs the version read and that statement; a page is kept only when the app answered it
spliced (``X-Member-Layer: spliced``), set no cookie, and the state read again afterwards is
unchanged. An entry lives at most ``SECONDS``, a bound on anything a permission hook decides
that no key names (the controls link to pages that check permissions again).
"""

from __future__ import annotations

import hashlib
import hmac
import time
from http.cookies import SimpleCookie

from itsdangerous import BadSignature

from forum.pagecache.kept import KeptPage, KeptPages
from forum.pagecache.store import VersionReaders

#: ``app.extensions`` key of the process's ``MemberPages``
MEMBER_PAGES_EXTENSION = "forum.member_pages"
#: ``app.extensions`` key of ``state(run, user_id, slug) -> row | None`` (session token first)
MEMBER_STATE_EXTENSION = "forum.member_state"
SECONDS = 120
LIMIT_BYTES = 48 * 1024 * 1024  # a worker's kept member pages, at most


def _cookie(header: str, name: str) -> str | None:
    if name not in header:
        return None
    try:
        morsel = SimpleCookie(header).get(name)
    except Exception:  # a malformed header: the app answers as usual
        return None
    return morsel.value if morsel is not None else None


class MemberPages:
    """The kept pages of one process, for one content version."""

    def __init__(self, app, store):
        self.extensions = app.extensions
        self.serializer = app.session_interface.get_signing_serializer(app)
        self.cookie_name = app.config["SESSION_COOKIE_NAME"]
        self.max_age = app.permanent_session_lifetime.total_seconds()
        # (the file store's pool for its version reads; the Redis store has none: one of its own)
        self.readers = getattr(store, "readers", None) or VersionReaders(store.engine)
        self.kept = KeptPages(LIMIT_BYTES)

    def key(self, environ, page_key: str, slug: str) -> str | None:
        """This member's key for the page, or None when the page is not theirs to keep."""
        state = self.extensions.get(MEMBER_STATE_EXTENSION)
        cookie = _cookie(environ.get("HTTP_COOKIE", ""), self.cookie_name)
        if state is None or not cookie or self.serializer is None:
            return None
        try:
            session = self.serializer.loads(cookie, max_age=self.max_age)
        except BadSignature:
            return None
        if "_flashes" in session or "csrf_token" not in session:
            return None
        user_id, _, token = str(session.get("_user_id") or "").partition(":")
        if not user_id.isdigit() or len(user_id) > 18:
            return None
        row = state(self.readers.first, int(user_id), slug)
        if row is None or not hmac.compare_digest(str(row[0]), token):
            return None
        raw = repr((page_key, cookie, row[1:]))
        return hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()

    def get(self, key: str, version) -> tuple[str, list, bytes] | None:
        entry = self.kept.get(key, version)
        return None if entry is None else (entry.status, entry.headers, entry.body)

    def put(self, key: str, version, status: str, headers: list, body: bytes) -> None:
        self.kept.put(key, version, KeptPage(time.time() + SECONDS, status, headers, body))


def keepable(status: str, headers: list) -> bool:
    """A spliced member page that set no cookie."""
    names = {name.lower(): value for name, value in headers}
    return (
        status.startswith("200")
        and names.get("x-member-layer") == "spliced"
        and "set-cookie" not in names
    )
