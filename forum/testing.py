"""Pytest fixtures and factories for the forum and its plugins (registered as a pytest plugin).

Plugin tests use only these: ``app``, ``client``, ``runner``, ``db_session``, ``make_app``,
``make_user``, ``make_series``, ``make_characteristic``, ``make_part``, ``make_comment``,
``login_as``, ``register_plugin``; and, to count what a request sends to the database,
``sql_statements()`` with ``writes(seen)`` and ``reads(seen)``. The database is real: SQLite in a
temporary file by default, or a fresh PostgreSQL database when ``DATABASE_URL`` names a
PostgreSQL server (one database per test session, dropped at the end), with the migrations
applied (``upgrade heads``).
"""

from __future__ import annotations

import html
import itertools
import json
import os
import re
import subprocess
import sys
import uuid
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from babel.messages.extract import extract_from_file
from flask import current_app, has_app_context
from flask.testing import FlaskClient
from flask_babel import force_locale, gettext
from flask_migrate import downgrade, upgrade
from jinja2 import BytecodeCache
from sqlalchemy.engine import make_url
from werkzeug.routing import Rule

from forum import create_app
from forum.accounts import services
from forum.content import render_markdown
from forum.db import utcnow
from forum.discussion.models import Comment
from forum.extensions import db, limiter
from forum.i18n.catalogs import compile_all
from forum.kernel.hooks import plugin_manager
from forum.kernel.migrations import locations_of
from forum.series.models import Characteristic, Part, PromptQuestion, Series

_counter = itertools.count(1)


WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


@contextmanager
def sql_statements(app=None):
    """Collect every SQL statement the engine of ``app`` (default: the current app's) sends
    while the block runs, whitespace folded: ``with sql_statements() as seen: client.get(url)``."""
    seen: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        seen.append(" ".join(statement.split()))

    if app is not None:
        with app.app_context():
            engines, readers = _engines(), _readers()
    else:
        engines, readers = _engines(), _readers()
    for engine in engines:
        sa.event.listen(engine, "before_cursor_execute", listener)

    def collect(sql: str) -> None:
        seen.append(" ".join(sql.split()))

    for pool in readers:
        pool.listeners.append(collect)
    try:
        yield seen
    finally:
        for engine in engines:
            sa.event.remove(engine, "before_cursor_execute", listener)
        for pool in readers:
            pool.listeners.remove(collect)


def _engines() -> list:
    """The app's engine."""
    return [db.engine]


def _readers() -> list:
    """The page cache's pools for its version reads and its members' kept pages (they run bare
    DB-API statements, which pass no SQLAlchemy event)."""
    extensions = current_app.extensions
    pools = [
        getattr(extensions.get(name), "readers", None)
        for name in ("forum.pagecache", "forum.member_pages")
    ]
    return list({id(pool): pool for pool in pools if pool is not None}.values())


def writes(seen: list[str]) -> list[str]:
    """The INSERT/UPDATE/DELETE statements among ``seen``."""
    return [s for s in seen if s.lstrip("( ").upper().startswith(WRITES)]


def reads(seen: list[str]) -> list[str]:
    """Statements other than transaction control (BEGIN/COMMIT/SAVEPOINT are not queries)."""
    return [s for s in seen if not s.upper().startswith(_CONTROL)]


def _is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql"))


def _normalise(url: str) -> str:
    if url.startswith("postgres://"):
        return "postgresql+psycopg://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


@contextmanager
def fresh_postgres_database(server: str, prefix: str = "forum_test"):
    """A new, empty database on the PostgreSQL ``server`` (a URL) for the block, dropped after
    it (its connections ended first); yields the database's URL."""
    server = _normalise(server)
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"
                ),
                {"n": name},
            )
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def run_flask(env: dict, *args: str, timeout: float = 120) -> str:
    """``flask ARGS`` in a subprocess with environment ``env``, as an admin runs it on a host;
    returns its output, failing the test (with the output) if the command failed."""

    flask = Path(sys.executable).with_name("flask")
    result = subprocess.run(
        [str(flask), *args],
        env={"FLASK_APP": "forum", **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, f"flask {' '.join(args)}: {result.stdout}{result.stderr}"
    return result.stdout


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """A fresh, empty database for this test session."""
    server = os.environ.get("DATABASE_URL", "")
    if not _is_postgres(server):
        path = tmp_path_factory.mktemp("db") / "forum-test.sqlite3"
        yield f"sqlite:///{path}"
        return
    with fresh_postgres_database(server) as url:
        yield url


#: The installed plugins a suite loads (pytest ini ``forum_plugins``); None: every installed one
NAMED_PLUGINS: tuple[str, ...] | None = None


def pytest_addoption(parser) -> None:
    parser.addini(
        "forum_plugins",
        "installed forum plugins (entry-point names) the suite loads; others are ignored",
        type="args",
        default=None,
    )


def pytest_configure(config) -> None:
    global NAMED_PLUGINS
    named = config.getini("forum_plugins")
    NAMED_PLUGINS = tuple(named) if named is not None else None
    _share_url_builders()
    _share_engines()


def _share_url_builders() -> None:
    """Compile each URL rule's builder once per test process, not once per app.

    Every test builds an app, and Werkzeug compiles two Python functions for each of its ~150
    URL rules when they are added: two thirds of ``create_app``'s time in the suite. A builder
    depends only on the rule's parsed parts and its defaults' names (the rule itself is an
    argument), so rules alike share one; a default that fills a variable of the rule is
    resolved at compile time, and such rules keep their own.
    """
    compile_builder = Rule._compile_builder
    if getattr(compile_builder, "shared", False):
        return
    builders: dict = {}

    def shared(self, append_unknown: bool = True):
        defaults = self.defaults or {}
        if defaults and any(dynamic and part in defaults for dynamic, part in self._trace):
            return compile_builder(self, append_unknown)
        key = (tuple(self._trace), tuple(defaults), append_unknown)
        if key not in builders:
            builders[key] = compile_builder(self, append_unknown)
        return builders[key]

    shared.shared = True  # type: ignore[attr-defined]
    shared.original = compile_builder  # type: ignore[attr-defined]
    Rule._compile_builder = shared  # type: ignore[method-assign]


def _share_engines() -> None:
    """One engine per database and engine options for the test process, not one per app.

    A new engine starts with an empty cache of compiled SQL, so every test compiled each of its
    statements again (a fifth of the suite's time). Apps on the same database and options share
    one engine; each test's teardown still returns its connections (``make_app``).
    """
    make_engine = db._make_engine
    if getattr(make_engine, "shared", False):
        return
    engines: dict = {}

    def shared(bind_key, options, app):
        key = (bind_key, repr(sorted(options.items(), key=repr)))
        if key not in engines:
            engines[key] = make_engine(bind_key, options, app)
        return engines[key]

    shared.shared = True  # type: ignore[attr-defined]
    db._make_engine = shared  # type: ignore[method-assign]


def base_config(database_url: str, tmp_dir) -> dict:
    return {
        "FORUM_ENTRY_POINTS": NAMED_PLUGINS,
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret-key",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        # on, as readers get pages: a guest's page that a change did not invalidate is a bug
        "FORUM_PAGE_CACHE": True,
        "FORUM_PAGE_CACHE_DIR": str(tmp_dir / "page-cache"),
        "FORUM_REQUIRE_2FA": False,
        "SERVER_NAME": None,
        "FORUM_TEST_TMP": str(tmp_dir),
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # scrypt costs 0.1 s an account
    }


@pytest.fixture(scope="session")
def _migrated(database_url, tmp_path_factory):
    """Apply every migration (core and all installed plugins) once per session, after compiling
    the translation catalogs a fresh checkout lacks."""
    compile_all()

    app = create_app(base_config(database_url, tmp_path_factory.mktemp("migrate")))
    with app.app_context():
        upgrade(revision="heads")

        db.engine.dispose()
    return database_url


FTS5_SHADOW_TABLES = ("data", "idx", "content", "docsize", "config")


def _wipe(app) -> None:
    """Empty every table between tests (faster than re-migrating)."""

    engine = db.engine
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            _wipe_postgresql(conn)
        else:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")  # a no-op inside the transaction, so:
            conn.exec_driver_sql(
                "PRAGMA defer_foreign_keys=ON"
            )  # check FKs at commit, when all is empty
            rows = conn.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type='table' "
                "AND name NOT LIKE 'sqlite_%' AND name <> 'alembic_version'"
            ).all()
            virtual = {n for n, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL")}
            # (FTS5's own tables; search_fts_plain is a table of its own, not one of search_fts's)
            shadow = {f"{v}_{part}" for v in virtual for part in FTS5_SHADOW_TABLES}
            for name, _sql in rows:
                if name not in shadow:
                    conn.exec_driver_sql(f'DELETE FROM "{name}"')
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")


def _wipe_postgresql(conn) -> None:
    """TRUNCATE only the tables a test filled, then rewind every sequence it moved.

    TRUNCATE costs PostgreSQL a new file per table: all 39 tables took ~300 ms a test, most of the
    suite's PostgreSQL time, while a test fills a handful of them."""
    names = [
        r[0]
        for r in conn.execute(
            sa.text(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                "AND tablename <> 'alembic_version'"
            )
        )
    ]
    if not names:
        return
    filled = (
        conn.execute(
            sa.text(
                " UNION ALL ".join(
                    f"SELECT '{n}' WHERE EXISTS (SELECT 1 FROM \"{n}\")" for n in names
                )
            )
        )
        .scalars()
        .all()
    )
    if filled:
        conn.execute(sa.text("TRUNCATE " + ", ".join(f'"{n}"' for n in filled) + " CASCADE"))
    conn.execute(
        sa.text(
            "SELECT setval(format('%I.%I', schemaname, sequencename), start_value, false) "
            "FROM pg_sequences WHERE schemaname = current_schema() AND last_value IS NOT NULL"
        )
    )


class ForumTestClient(FlaskClient):
    """Each request gets its own app context (fresh ``g`` and DB session), like production.

    Without this, a request would reuse the test's pushed app context: ``g`` (and the login
    state) and the session's identity map would leak between requests and actors.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            db.session.commit()  # the test's own transaction must not hold SQLite's write lock
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        if has_app_context():
            db.session.expire_all()
        return response


class _SessionBytecode(BytecodeCache):
    """Compiled templates shared by every app of a test session.

    Each test builds a new app, whose Jinja environment would parse and compile every template it
    renders again (a large share of a quick test's time). Jinja keys the code by template name and
    file and checks the source's checksum, so a changed or overridden template is compiled afresh."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


_BYTECODE = _SessionBytecode()


@pytest.fixture
def make_app(_migrated, tmp_path):
    """Build an app on the test database; ``make_app(extra_plugins=[obj], **config)``."""

    apps = []
    branches = []  # (app, label): extra plugins' migration branches applied for this test

    def factory(extra_plugins=(), **config):
        cfg = base_config(_migrated, tmp_path)
        cfg["FORUM_EXTRA_PLUGINS"] = tuple(extra_plugins)
        cfg.update(config)
        app = create_app(cfg)
        app.test_client_class = ForumTestClient
        app.jinja_env.bytecode_cache = _BYTECODE
        apps.append(app)
        labels = _extra_branches(app, extra_plugins)
        if labels:
            with app.app_context():
                upgrade(revision="heads")
            branches.extend((app, label) for label in labels)
        return app

    yield factory
    for app in apps:
        with app.app_context():
            try:
                limiter.reset()
            except Exception:
                pass
            _wipe(app)
            db.session.remove()
    for app, label in reversed(branches):
        with app.app_context():
            try:
                downgrade(revision=f"{label}@base")
            except Exception:  # the test already took the branch down (e.g. uninstall)
                pass
            db.session.remove()
    for app in apps:
        with app.app_context():
            _release_engine(app)


def _release_engine(app) -> None:
    """Close the test's connections; the engine itself serves the next test (``_share_engines``),
    without the page cache's hook on it for an app that is gone."""
    db.engine.dispose()
    readers = getattr(app.extensions.get("forum.pagecache"), "readers", None)
    if readers is not None and sa.event.contains(db.engine, "engine_disposed", readers.dispose):
        sa.event.remove(db.engine, "engine_disposed", readers.dispose)


def _extra_branches(app, extra_plugins) -> list[str]:
    """Migration branches of plugins given to ``make_app`` that the session did not apply."""
    if not extra_plugins:
        return []

    pm = app.extensions["forum.plugins"]
    labels = []
    with app.app_context():
        for entry in extra_plugins:
            obj = entry[1] if isinstance(entry, tuple) else entry
            name = pm.get_name(obj)
            if name is None or pm.infos[name].source == "entry point":
                continue  # installed plugins' branches are applied once per session
            labels.extend(loc.label for loc in locations_of(name))
    return labels


@pytest.fixture
def app_config():
    """Extra configuration for the ``app`` fixture; override it in a test module or class:

    ``@pytest.fixture`` / ``def app_config(): return {"FORUM_PAGE_CACHE": False}``
    """
    return {}


@pytest.fixture
def app(make_app, app_config):
    """The app with every installed plugin; an app context is pushed for factories."""
    app = make_app(**app_config)
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db_session(app):
    return db.session


# --- factories -----------------------------------------------------------------------------


@pytest.fixture
def make_user(app):
    """``make_user("ann", roles=("member",), password=...)`` returns a committed User."""

    def factory(username=None, roles=("member",), password="correct horse battery", **fields):
        username = username or f"user{next(_counter)}"
        services.ensure_roles()
        user = services.create_user(
            username,
            fields.pop("email", f"{username}@example.org"),
            password,
            roles=roles,
            check_strength=False,
        )
        for key, value in fields.items():
            setattr(user, key, value)
        db.session.commit()
        return user

    return factory


@pytest.fixture
def make_series(app):
    def factory(slug=None, title="Key Mentorship Characteristics"):
        series = Series(slug=slug or f"series-{next(_counter)}", title=title, description="")
        db.session.add(series)
        db.session.commit()
        return series

    return factory


@pytest.fixture
def make_characteristic(app, make_series):
    def factory(
        series=None,
        number=None,
        title=None,
        slug=None,
        prompts=("What does it mean to you?",),
        definition="A *definition*.",
    ):
        series = series or make_series()
        n = next(_counter)
        ch = Characteristic(
            series_id=series.id,
            number=number or n,
            title=title or f"Trait {n}",
            slug=slug or f"trait-{n}",
            definition_md=definition,
            definition_html=render_markdown(definition),
        )
        ch.prompts = [PromptQuestion(position=i, text=t) for i, t in enumerate(prompts)]
        db.session.add(ch)
        db.session.commit()
        return ch

    return factory


@pytest.fixture
def make_part(app, make_characteristic, make_user):
    """A part; by default approved and published an hour ago."""

    def factory(
        characteristic=None,
        author=None,
        status="approved",
        publish_at="past",
        body="Expert **text**.",
        title=None,
        part_number=None,
        **fields,
    ):
        characteristic = characteristic or make_characteristic()
        author = author or make_user(roles=("member", "expert"))
        if publish_at == "past":
            publish_at = utcnow() - timedelta(hours=1)
        elif publish_at == "future":
            publish_at = utcnow() + timedelta(days=7)
        n = next(_counter)
        part = Part(
            characteristic_id=characteristic.id,
            author_id=author.id,
            status=status,
            publish_at=publish_at,
            title=title or f"Part {n}",
            part_number=part_number or n,
            body_source=body,
            body_html=render_markdown(body),
            **fields,
        )
        db.session.add(part)
        db.session.commit()
        return part

    return factory


@pytest.fixture
def make_comment(app, make_characteristic):
    """A comment; approved by default. ``author=None`` with ``guest_name`` makes a guest one."""

    def factory(characteristic=None, author=None, body="A comment.", status="approved", **fields):
        characteristic = characteristic or make_characteristic()
        comment = Comment(
            characteristic_id=characteristic.id,
            author_id=author.id if author else None,
            body_source=body,
            body_html=render_markdown(body, "comment"),
            status=status,
            **fields,
        )
        if author is None and not comment.guest_name:
            comment.guest_name = "Guest"
        db.session.add(comment)
        db.session.commit()
        return comment

    return factory


@pytest.fixture
def login_as():
    """``login_as(client, user)`` logs ``client`` in as ``user`` without a form round trip."""

    def do(client, user):
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return client

    return do


@pytest.fixture
def register_plugin(app):
    """Register a plugin object for the hooks called at run time (slots, events, visibility).

    For hooks read at start-up (blueprints, content types, CLI), build an app with
    ``make_app(extra_plugins=[obj])`` instead.
    """

    pm = plugin_manager(app)
    names = []

    @contextmanager
    def do(obj, name=None):
        name = name or f"test-plugin-{next(_counter)}"
        pm.register_plugin(obj, name)
        names.append(name)
        try:
            yield obj
        finally:
            pm.unregister_plugin(name)
            names.remove(name)

    yield do
    for name in names:
        pm.unregister_plugin(name)


#: Core names a plugin's own tests may use beside ``forum.sdk`` (``from forum.testing import
#: Notification``): name -> (module, attribute; None for the module itself). Resolved on first use,
#: so loading this pytest plugin imports no models.
TEST_NAMES = {
    "AuditEntry": ("forum.audit.models", "AuditEntry"),
    "Comment": ("forum.discussion.models", "Comment"),
    "ConfigError": ("forum.config", "ConfigError"),
    "Notification": ("forum.notifications.models", "Notification"),
    "OutboxMail": ("forum.mail.models", "OutboxMail"),
    "available_formats": ("forum.content.formats", "available"),
    "call_all": ("forum.kernel.hooks", "call_all"),
    "content_types": ("forum.visibility", "registry"),
    "create_app": ("forum", "create_app"),
    "crypto": ("forum.crypto", None),
    "flatten": ("forum.kernel.hooks", "flatten"),
    "plugin_locations": ("forum.kernel.migrations", "plugin_locations"),
    "set_enabled": ("forum.kernel.state", "set_enabled"),
    "text_fallback": ("forum.content.formats", "text_fallback"),
}


def __getattr__(name: str):
    if name not in TEST_NAMES:
        raise AttributeError(f"module 'forum.testing' has no attribute {name!r}")
    import importlib  # (here: only when a test asks, see TEST_NAMES)

    module, attribute = TEST_NAMES[name]
    found = importlib.import_module(module)
    return found if attribute is None else getattr(found, attribute)


# --- languages -----------------------------------------------------------------------------

_CHECKOUT = Path(__file__).resolve().parent.parent
_I18N_KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def write_content_version(app, value: dict) -> None:
    """Write the page cache's content version past the app, as another host (or the clock, in
    a test) would, and tell this process's version watcher at once: its LISTEN notice may come a
    moment after the commit, and a test must not race it."""
    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(
                sa.text("UPDATE site_setting SET value = :v WHERE key = 'content_version'"),
                {"v": json.dumps(value)},
            )
        store = app.extensions.get("forum.pagecache")
        if getattr(store, "watcher", None) is not None:
            store.watcher.forget()


def english_ids(files: list[str]) -> set[str]:
    """The message ids of ``files`` (paths from the checkout's top: templates and Python; a
    pattern such as ``templates/admin/*.html`` names every file it matches)."""
    ids = set()
    names = [
        str(path.relative_to(_CHECKOUT)) for pattern in files for path in _CHECKOUT.glob(pattern)
    ]
    for name in names:
        method = "python" if name.endswith(".py") else "jinja2"
        options = {} if method == "python" else {"trim_blocks": "true", "lstrip_blocks": "true"}
        for _line, message, _c, _ctx in extract_from_file(
            method, str(_CHECKOUT / name), keywords=_I18N_KEYWORDS, options=options
        ):
            ids.add(message if isinstance(message, str) else message[0])
    return ids


def english_pieces(files: list[str], language: str) -> set[str]:
    """The visible words of each id in ``files`` (placeholders and tags cut out) that
    ``language`` changes. Needs an app or request context (the catalogs)."""
    pieces = set()
    for message in english_ids(files):
        with force_locale(language):
            translated = gettext(message).lower()
        for piece in re.split(r"%\(\w+\)[sd]|<[^>]+>", message):
            piece = piece.strip(" .:;,()")
            # ("Discussion" and "Format" are French words too)
            if len(piece) >= 4 and piece.lower() not in translated:
                pieces.add(piece)
    return pieces


def visible_text(page: str) -> str:
    """A page's text and the attributes people read, tags, scripts and styles cut out."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    attributes = " ".join(  # (a URL in og:url and the like is no text)
        value
        for value in re.findall(r'(?:aria-label|title|placeholder|content)="([^"]*)"', page)
        if not value.startswith(("http://", "https://", "/"))
    )
    return html.unescape(re.sub(r"<[^>]+>", " ", page) + " " + attributes)


def english_left(app, page: str, files: list[str], language: str) -> tuple[int, list[str]]:
    """(how many English pieces ``files`` have that ``language`` changes, those still on
    ``page``): a page in another language should leave none of its strings in English."""
    text = visible_text(page)
    with app.test_request_context():
        pieces = english_pieces(files, language)
    left = sorted(p for p in pieces if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text))
    return len(pieces), left
