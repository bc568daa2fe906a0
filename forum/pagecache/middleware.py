"""The WSGI layer that answers anonymous GETs from the shared page cache."""

from __future__ import annotations

import hashlib
import json
import logging
import time

from flask import Flask, current_app, request
from werkzeug.exceptions import SecurityError
from werkzeug.http import is_resource_modified
from werkzeug.wsgi import get_host

from forum.extensions import db
from forum.kernel.locales import COOKIE as LOCALE_COOKIE
from forum.kernel.locales import cookie_value, negotiate, query_value
from forum.kernel.pages import noncacheable_prefixes
from forum.kernel.security import is_safe_request
from forum.kernel.state import prefetch_version_with
from forum.pagecache import invalidation
from forum.pagecache.kept import KeptPage, KeptPages
from forum.pagecache.layer import PAGE_LOCALE_ENVIRON, PUBLIC_PAGE_ENVIRON
from forum.pagecache.member_pages import MEMBER_PAGES_EXTENSION, MemberPages, keepable
from forum.pagecache.store import FileStore, RedisStore

log = logging.getLogger("forum.pagecache")
PERSONAL_COOKIES = ("session=", "remember_token=")
SKIP_PREFIXES = (
    "/static/",
    "/api/",
    "/preview",
    "/notifications",
    "/account",
    "/healthz",
    "/readyz",
)  # (the probes: no version read, no scheduled-part bump)
# plus what plugins declare with ``NonCacheablePath`` (``register_page_declarations``)
PLUGINS_VERSION_ENVIRON = "forum.plugins_version"  # see forum.kernel.state.current_version
CONTENT_VERSION_ENVIRON = "forum.content_version"
CONTENT_NEXT_ENVIRON = "forum.content_version_next"  # when a scheduled part goes live (or None)
#: Pages a member gets as the public page plus their layer (``forum.series.member_page``)
LAYERED_ENDPOINTS = ("series.thread", "series.part")
KEPT_BYTES = 16 * 1024 * 1024  # a worker's own copies of guests' pages, at most
CACHEABLE_TYPES = ("text/html", "application/atom+xml", "application/json", "application/xml")


def _is_anonymous_get(environ, skip: tuple[str, ...] = SKIP_PREFIXES) -> bool:
    if environ.get("REQUEST_METHOD") != "GET" or environ.get("HTTP_AUTHORIZATION"):
        return False
    cookies = environ.get("HTTP_COOKIE", "")
    if any(name in cookies for name in PERSONAL_COOKIES):
        return False
    return not environ.get("PATH_INFO", "").startswith(skip)


def _cacheable_response(status: str, headers: list[tuple[str, str]]) -> bool:
    if not status.startswith("200"):
        return False
    for name, value in headers:
        lower = name.lower()
        if lower == "set-cookie":
            return False
        if lower == "cache-control" and ("no-store" in value or "private" in value):
            return False
        if lower == "content-type" and not value.startswith(CACHEABLE_TYPES):
            return False
    return True


def _not_modified(environ, headers) -> bool:
    """Whether a stored page's validators (``forum.ops.conditional``) satisfy this revalidation."""
    if not (environ.get("HTTP_IF_NONE_MATCH") or environ.get("HTTP_IF_MODIFIED_SINCE")):
        return False
    found = {k.lower(): v for k, v in headers if k.lower() in ("etag", "last-modified")}
    if "etag" not in found:
        return False
    return not is_resource_modified(
        environ, etag=found["etag"], last_modified=found.get("last-modified")
    )


def _remember(environ, version: dict) -> None:
    """Keep what the version query read for the app (so it need not read it again)."""
    environ[CONTENT_VERSION_ENVIRON] = version["v"]
    environ[CONTENT_NEXT_ENVIRON] = version.get("next")
    if "plugins" in version:
        environ[PLUGINS_VERSION_ENVIRON] = version["plugins"]


def content_version():
    """This request's shared content version, or None when the page cache is off.

    Anything public that the app caches per process (e.g. a thread's public comment count) is
    keyed by it: every commit that changes content changes it. Read once per request, together
    with ``plugins_version`` (FileStore), or taken from the middleware's own read."""

    store = current_app.extensions.get("forum.pagecache")
    if store is None or not is_safe_request():
        # (an unsafe request's session holds SQLite's write lock: the store's own connection
        # would wait for it; such requests change content and are never cached anyway)
        return None
    environ = request.environ
    if CONTENT_VERSION_ENVIRON not in environ:
        try:
            # FileStore: through the session, so a count cached under this version was read in
            # the same snapshot as the version (never an older one filed under a newer version)
            in_session = getattr(store, "bump_in_transaction", False)
            _remember(
                environ,
                store.get_version(db.session.connection()) if in_session else store.get_version(),
            )
        except Exception:  # the cache must never take the site down
            return None
    return environ[CONTENT_VERSION_ENVIRON]


def _read_version_first() -> None:
    content_version()


class PageCacheMiddleware:
    def __init__(
        self,
        wsgi_app,
        store,
        max_age: float,
        trusted_hosts=None,
        skip_prefixes=(),
        url_map=None,
        layered_endpoints=(),
        app_context=None,
        default_locale: str = "en",
        member_pages: MemberPages | None = None,
    ):
        self.wsgi_app = wsgi_app
        self.kept = KeptPages(KEPT_BYTES)
        self.app_context = app_context
        self.url_map = url_map
        self.layered_endpoints = (
            frozenset(layered_endpoints) if url_map and app_context else frozenset()
        )
        self.default_locale = default_locale
        self.member_pages = member_pages if self.layered_endpoints else None
        self.skip = SKIP_PREFIXES + tuple(skip_prefixes)
        self.store = store
        self.max_age = max_age
        self.trusted_hosts = trusted_hosts

    def _origin(self, environ) -> str | None:
        """``scheme://host/prefix`` the page was asked for, part of its key: a page holds absolute
        links (canonical, feeds, share links), so two origins never share one. None for a host
        outside ``TRUSTED_HOSTS``."""
        try:
            host = get_host(environ, self.trusted_hosts)
        except SecurityError:
            return None
        return f"{environ.get('wsgi.url_scheme', 'http')}://{host.lower()}{environ.get('SCRIPT_NAME', '')}"

    def _locale(self, environ) -> str:
        """The language the app will answer in (``forum.kernel.locales``): part of the key, so
        each language has its own copy of a page."""
        return negotiate(
            query_value(environ.get("QUERY_STRING", "")),
            None,
            cookie_value(environ.get("HTTP_COOKIE", "")),
            environ.get("HTTP_ACCEPT_LANGUAGE"),
            self.default_locale,
        )

    def _version(self) -> dict:
        version = self.store.get_version()
        if version.get("next") and version["next"] <= time.time():
            # a scheduled part went live: that changes public pages exactly like a commit
            with self.store.engine.begin() as conn:
                self.store.bump(conn)
            self.store.bump_committed()
            version = self.store.get_version()
        return version

    def _key(self, environ, version: dict) -> str | None:
        """The page's key under ``version`` (None for a host outside ``TRUSTED_HOSTS``)."""
        origin = self._origin(environ)
        if origin is None:
            return None
        locale = environ[PAGE_LOCALE_ENVIRON] = self._locale(environ)
        raw_key = (
            f"{version['v']}|{locale}|{origin}{environ.get('PATH_INFO', '')}"
            f"?{environ.get('QUERY_STRING', '')}"
        )
        return hashlib.sha256(raw_key.encode("utf-8", "surrogateescape")).hexdigest()

    def _layered_slug(self, environ) -> str | None:
        """The thread's slug, for a member's GET of a page built on its public rendering
        (``forum.pagecache.layer``); None for any other request."""
        if environ.get("REQUEST_METHOD") != "GET" or environ.get("HTTP_AUTHORIZATION"):
            return None
        try:
            endpoint, args = self.url_map.bind_to_environ(environ).match()
        except Exception:  # a 404, a redirect, a bad host: the app answers as usual
            return None
        slug = args.get("slug")
        return slug if endpoint in self.layered_endpoints and isinstance(slug, str) else None

    def _member_page(self, environ, start_response, slug: str):
        """The member's kept page (``member_pages``); else hand the app this page's public
        rendering (from the cache, or rendered for a guest and stored now), which the member's
        view splices their layer into, and keep what it answers."""
        try:
            version = self._version()
            key = self._key(environ, version)
            member_key = (
                self.member_pages.key(environ, key, slug) if self.member_pages and key else None
            )
        except Exception:  # the cache must never take the site down
            log.warning("page cache: a member's page is rendered without it", exc_info=True)
            return self.wsgi_app(environ, start_response)
        if key is None:
            return self.wsgi_app(environ, start_response)
        kept = self.member_pages.get(member_key, version["v"]) if member_key else None
        if kept is not None:
            status, headers, body = kept
            start_response(status, [*headers, ("X-Member-Cache", "hit")])
            return [body]
        page = self._stored_page(key, version)
        if page is not None:
            status, body = page.status, page.body
        else:
            status, body = self._render_for_a_guest(environ, key, version)
        if status.startswith("200"):
            environ[PUBLIC_PAGE_ENVIRON] = body
        _remember(environ, version)  # (the app need not read the version again)
        if member_key is None:
            return self.wsgi_app(environ, start_response)
        return self._answer_and_keep(environ, start_response, (key, slug, member_key, version))

    def _answer_and_keep(self, environ, start_response, keys):
        """The app's answer, kept for the member when it is their spliced page and their state
        did not change while it was made (read again: a miss costs one more statement)."""
        key, slug, member_key, version = keys
        status, headers, body = self._capture(environ)
        if keepable(status, headers) and self.member_pages.key(environ, key, slug) == member_key:
            self.member_pages.put(member_key, version["v"], status, headers, body)
        start_response(status, headers)
        return [body]

    def _capture(self, environ) -> tuple[str, list, bytes]:
        """The app's status, headers and body, whole."""
        captured: dict = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        app_iter = self.wsgi_app(environ, capture)
        try:
            body = b"".join(app_iter)
        finally:
            if hasattr(app_iter, "close"):
                app_iter.close()
        return captured["status"], list(captured["headers"]), body

    def _render_for_a_guest(self, environ, key, version) -> tuple[str, bytes]:
        guest = {k: v for k, v in environ.items() if k not in ("HTTP_COOKIE", "HTTP_AUTHORIZATION")}
        language = cookie_value(environ.get("HTTP_COOKIE", ""))
        if language:  # the page's language is part of its key: the guest's copy speaks it too
            guest["HTTP_COOKIE"] = f"{LOCALE_COOKIE}={language}"
        guest.pop(PUBLIC_PAGE_ENVIRON, None)
        _remember(guest, version)
        seen: dict = {}

        def capture(status, headers, exc_info=None):
            seen["status"] = status
            return lambda data: None

        # its own app context: the guest's request must share no ``g`` (login state) and no
        # database session with the member's that follows (under a test client, or any caller
        # that already pushed one, Flask would otherwise reuse it)
        with self.app_context():
            body = b"".join(self._render_and_store(guest, capture, key, version))
        return seen["status"], body

    def __call__(self, environ, start_response):
        if not _is_anonymous_get(environ, self.skip):
            slug = self._layered_slug(environ) if self.layered_endpoints else None
            if slug is not None:
                return self._member_page(environ, start_response, slug)
            return self.wsgi_app(environ, start_response)
        try:
            version = self._version()
        except Exception:  # the cache must never take the site down
            return self.wsgi_app(environ, start_response)
        key = self._key(environ, version)
        if key is None:  # an untrusted host: the app answers 400, nothing is cached
            return self.wsgi_app(environ, start_response)
        page = self._stored_page(key, version)
        if page is not None:
            if _not_modified(environ, page.headers):  # the reader's copy is current
                start_response(
                    "304 Not Modified",
                    [h for h in page.headers if h[0].lower() != "content-length"],
                )
                return [b""]
            start_response(page.status, list(page.headers))
            return [page.body]
        _remember(environ, version)
        return self._render_and_store(environ, start_response, key, version)

    def _stored_page(self, key: str, version: dict) -> KeptPage | None:
        """The page under ``key``: this process's copy, else the shared store's (kept here)."""
        page = self.kept.get(key, version["v"])
        if page is None:
            entry = self.store.get_entry(key)
            if entry is None:
                return None
            head, _, body = entry[1].partition(b"\n")
            status, headers = json.loads(head)
            page = self._keep(key, version, entry[0], status, headers, body)
        return page

    def _keep(self, key: str, version: dict, expires: float, status, headers, body) -> KeptPage:
        """Keep a stored page in this process, as its next hits answer it."""
        hit_headers = [tuple(h) for h in headers] + [("X-Page-Cache", "hit")]
        page = KeptPage(expires, status, hit_headers, body)
        self.kept.put(key, version["v"], page)
        return page

    def _render_and_store(self, environ, start_response, key, version):
        status, headers, body = self._capture(environ)
        if _cacheable_response(status, headers):
            ttl = self.max_age
            if version.get("next"):
                ttl = min(ttl, version["next"] - time.time())
            if ttl > 0:
                self.store.set(key, json.dumps([status, headers]).encode() + b"\n" + body, ttl)
                self._keep(key, version, time.time() + ttl, status, headers, body)
        start_response(status, list(headers) + [("X-Page-Cache", "miss")])
        return [body]


def init_app(app: Flask) -> None:
    """Wrap the app when ``FORUM_PAGE_CACHE`` is on (default on; the test kit turns it off)."""
    if not app.config.get("FORUM_PAGE_CACHE", True):
        return

    with app.app_context():
        engine = db.engine
    if app.config.get("REDIS_URL"):
        store = RedisStore(app.config["REDIS_URL"], engine)
    else:
        store = FileStore(
            app.config.get("FORUM_PAGE_CACHE_DIR") or f"{app.instance_path}/page-cache", engine
        )
    app.extensions["forum.pagecache"] = store
    member_pages = app.extensions[MEMBER_PAGES_EXTENSION] = MemberPages(app, store)
    prefetch_version_with(app, content_version)
    if not store.bump_in_transaction:
        # Redis: read the version before the request's first query, so nothing the request reads
        # is older than the version it is filed under (SQLite fixes its snapshot at that query)
        app.before_request_funcs.setdefault(None, []).insert(0, _read_version_first)
    invalidation.install()
    app.wsgi_app = PageCacheMiddleware(
        app.wsgi_app,
        store,
        float(app.config.get("FORUM_PAGE_CACHE_SECONDS", 120)),
        app.config.get("TRUSTED_HOSTS"),
        noncacheable_prefixes(app),
        app.url_map,
        LAYERED_ENDPOINTS,
        app.app_context,
        app.config.get("FORUM_DEFAULT_LOCALE") or "en",
        member_pages,
    )
