"""Configuration like any Flask app, with defaults that work on a fresh machine.

Layers, each overriding the one before (``load``):

1. ``DEFAULTS`` (below);
2. the optional instance file ``<instance>/forum.cfg`` (Python, ``KEY = value``, Flask's
   ``from_pyfile``; config keys or the environment's names);
3. the environment: the documented names in ``ALIASES`` (``DATABASE_URL``, ``SECRET_KEY``, ...),
   then ``FORUM_<KEY>`` for every setting (``FORUM_COMMENTS_PER_PAGE=50``; a key that already
   starts with ``FORUM_`` keeps its name: ``FORUM_PLUGINS``). Values are typed by the default
   (int, bool, text); other keys are JSON-parsed as Flask's ``from_prefixed_env`` does;
4. the mapping given to ``create_app(config)``.

Settings nobody set are then derived from the others (``_derived``): the SQLite file, the
generated secret key, the rate-limit storage, the ``FORUM_HTTPS`` cookie flags, the trusted host
of ``SERVER_NAME``. The README's Configuration table lists every key of ``DEFAULTS`` under the name
an admin sets (``admin_names``); a test keeps the two in step.
"""

from __future__ import annotations

import copy
import json
import os
import secrets
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from flask import Config

INSTANCE_FILE = "forum.cfg"
SECRET_KEY_FILE = "secret_key"
ONE_MEGABYTE = 1024 * 1024

#: Every setting the forum reads, with its default. ``None`` means "text, unset".
DEFAULTS: dict[str, Any] = {
    "SECRET_KEY": None,  # generated once into <instance>/secret_key when unset (one host only)
    "SQLALCHEMY_DATABASE_URI": None,  # a SQLite file in the instance folder when unset
    "REDIS_URL": None,
    "MAIL_URL": None,
    "MAIL_FROM": "Mentorship Forum <noreply@localhost>",
    "MAIL_MAX_ATTEMPTS": 5,  # then the message is marked failed and shown to admins
    "MAIL_RETRY_SECONDS": 60,  # the first retry's wait; it doubles each time, up to a day
    "MAIL_DIGEST_HOURS": 24,  # a member's digest goes when their oldest waiting item is this old
    "MAX_CONTENT_LENGTH": ONE_MEGABYTE,
    "MAX_FORM_MEMORY_SIZE": ONE_MEGABYTE,
    "MAX_MARKDOWN_CHARS": 100_000,
    "FORUM_PLUGINS": None,
    "FORUM_ENTRY_POINTS": None,
    "FORUM_PLUGINS_DIR": None,
    "FORUM_PLUGINS_ALLOW_DB": False,
    "FORUM_PLUGINS_VERSION_TTL": 0.0,
    "FORUM_TRACE_HOOKS": False,
    # JSON log lines on stderr: "auto" unless the host configured logging first, "1", "0"
    "FORUM_LOG_JSON": "auto",
    "FORUM_KEYS_DIR": None,
    "FORUM_HTTPS": False,
    "FORUM_PROXY_HOPS": 0,
    "SERVER_NAME": None,
    "PREFERRED_URL_SCHEME": None,  # https when FORUM_HTTPS, else http
    "TRUSTED_HOSTS": None,  # the host of SERVER_NAME when that is set, else any host
    "FORUM_PAGE_CACHE": True,
    "FORUM_PAGE_CACHE_DIR": None,
    "FORUM_PAGE_CACHE_SECONDS": 120.0,
    "FORUM_TAG_AUTHORITY": None,
    "FORUM_REDACT_TRACEBACKS": False,
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": None,  # REDIS_URL, else per-process memory
    # a rolling window: a fixed one lets an attacker spend two windows' worth at the boundary
    "RATELIMIT_STRATEGY": "moving-window",
    "FORUM_REQUIRE_2FA": True,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,  # FORUM_HTTPS
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_SECURE": False,  # FORUM_HTTPS
    "SQLALCHEMY_ENGINE_OPTIONS": {},
    # PostgreSQL: a pooled connection idle this long is tested before use (forum.db.ping_after_idle)
    "FORUM_DB_PING_AFTER_IDLE": 1.0,
    "WTF_CSRF_TIME_LIMIT": None,
    "PASSWORD_HASH_METHOD": "scrypt",  # werkzeug's default; the test fixtures use a cheap one
    "COMMENTS_PER_PAGE": 20,
    "COMMENT_EDIT_WINDOW_MINUTES": 30,
    "TRUST_THRESHOLD": 3,
    "FLAG_HIDE_THRESHOLD": 3,
    "GUEST_MIN_FILL_SECONDS": 3.0,
    "FORUM_DEFAULT_LOCALE": "en",  # en, fi or fr: when neither the member nor the browser chooses
}


class ConfigError(RuntimeError):
    """A setting is missing or malformed: the message names the variable to set."""


def _flag(name: str, text: str) -> bool:
    value = text.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ConfigError(f"{name} must be 1 or 0 (true or false), not {text!r}")


def _number(kind: type) -> Callable[[str, str], Any]:
    def parse(name: str, text: str):
        try:
            return kind(text)
        except ValueError:
            raise ConfigError(
                f"{name} must be a {'whole ' if kind is int else ''}number, not {text!r}"
            ) from None

    return parse


def _text(_name: str, text: str) -> str | None:
    return text or None


def _comma_list(name: str, text: str) -> list[str] | None:
    """``a.example.org, b.example.org`` (or a JSON list)."""
    if text.lstrip().startswith("["):
        items = _json(name, text)
        if isinstance(items, list):
            return [str(item) for item in items] or None
    items = [item.strip() for item in text.split(",") if item.strip()]
    return items or None


def _json(name: str, text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text  # Flask's rule: what is not JSON is a string


#: Documented variable names that are not simply ``FORUM_<KEY>``: name -> (keys, parser).
ALIASES: dict[str, tuple[tuple[str, ...], Callable[[str, str], Any]]] = {
    "SECRET_KEY": (("SECRET_KEY",), _text),
    "DATABASE_URL": (("SQLALCHEMY_DATABASE_URI",), _text),
    "REDIS_URL": (("REDIS_URL",), _text),
    "MAIL_URL": (("MAIL_URL",), _text),
    "MAIL_FROM": (("MAIL_FROM",), _text),
    "MAIL_MAX_ATTEMPTS": (("MAIL_MAX_ATTEMPTS",), _number(int)),
    "MAIL_RETRY_SECONDS": (("MAIL_RETRY_SECONDS",), _number(int)),
    "MAIL_DIGEST_HOURS": (("MAIL_DIGEST_HOURS",), _number(int)),
    "FORUM_MAX_BODY": (("MAX_CONTENT_LENGTH", "MAX_FORM_MEMORY_SIZE"), _number(int)),
    "FORUM_MAX_MARKDOWN": (("MAX_MARKDOWN_CHARS",), _number(int)),
    "FORUM_RATELIMIT": (("RATELIMIT_ENABLED",), _flag),
    "FORUM_TRUSTED_HOSTS": (("TRUSTED_HOSTS",), _comma_list),
}
PREFIX = "FORUM_"


def env_name(key: str) -> str:
    """The ``FORUM_``-prefixed variable that sets ``key`` (``FORUM_PLUGINS`` keeps its name)."""
    return key if key.startswith(PREFIX) else PREFIX + key


def admin_names(key: str) -> list[str]:
    """Every variable name that sets ``key``: its documented aliases, then ``FORUM_<KEY>``."""
    aliases = [name for name, (keys, _) in ALIASES.items() if key in keys]
    return aliases + [env_name(key)] if env_name(key) not in aliases else aliases


def _parser_for(key: str) -> Callable[[str, str], Any]:
    default = DEFAULTS.get(key)
    if isinstance(default, bool):
        return _flag
    if isinstance(default, int | float):
        return _number(type(default))
    if isinstance(default, str):
        return lambda _name, text: text
    return _json


def _key_for(variable: str) -> str:
    """The setting a ``FORUM_`` variable sets: itself if a known key, else the name unprefixed."""
    return variable if variable in DEFAULTS else variable[len(PREFIX) :]


def _set_nested(settings: dict, base: Mapping, key: str, value: Any) -> None:
    """``FORUM_SQLALCHEMY_ENGINE_OPTIONS__pool_size=5`` sets one item of a dict setting."""
    top, *path = key.split("__")
    tree = json.loads(json.dumps(settings.get(top, base.get(top)) or {}))
    node = tree
    for part in path[:-1]:
        node = node.setdefault(part, {})
    node[path[-1]] = value
    settings[top] = tree


def from_env(environ: Mapping[str, str], base: Mapping | None = None) -> dict:
    """The settings the environment sets (aliases first; ``FORUM_<KEY>`` wins over an alias)."""
    settings: dict[str, Any] = {}
    for variable, (keys, parse) in ALIASES.items():
        if variable in environ:
            value = parse(variable, environ[variable])
            settings.update(dict.fromkeys(keys, value))
    for variable in sorted(environ):
        if not variable.startswith(PREFIX) or variable in ALIASES or variable == PREFIX:
            continue
        key = _key_for(variable)
        if "__" in key:
            _set_nested(settings, base or DEFAULTS, key, _json(variable, environ[variable]))
        else:
            settings[key] = _parser_for(key)(variable, environ[variable])
    return settings


def from_instance_file(instance_path: str) -> dict:
    """``<instance>/forum.cfg`` if it exists (Python assignments of UPPERCASE names). It takes
    the config keys (``SQLALCHEMY_DATABASE_URI``) and the names of the environment alike
    (``DATABASE_URL``, ``FORUM_MAX_BODY``, ``FORUM_COMMENTS_PER_PAGE``)."""
    config = Config(instance_path)
    config.from_pyfile(INSTANCE_FILE, silent=True)
    settings: dict[str, Any] = {}
    for name, value in config.items():
        if name in ALIASES and name not in ALIASES[name][0]:
            keys, parse = ALIASES[name]
            settings.update(
                dict.fromkeys(keys, parse(name, value) if isinstance(value, str) else value)
            )
        elif name.startswith(PREFIX) and name not in DEFAULTS:
            settings[_key_for(name)] = value
        else:
            settings[name] = value
    return settings


def _database_url(url: str | None, instance_path: Path) -> str:
    if not url:
        return f"sqlite:///{instance_path / 'forum.sqlite3'}"
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://") :]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _secret_key(instance_path: Path) -> str:
    """The key generated once and kept (owner-only) in the instance folder."""
    key_file = instance_path / SECRET_KEY_FILE
    if not key_file.exists():
        # Several workers may start at once: write a private temp file, then link it into place
        # atomically; whoever links first wins and everyone reads the same key.
        instance_path.mkdir(parents=True, exist_ok=True)
        tmp = instance_path / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
        try:
            os.link(tmp, key_file)
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    return key_file.read_text().strip()


def _https_cookies(https: bool) -> dict:
    """Over https cookies are Secure and ``__Host-`` prefixed: path /, no domain."""
    if not https:
        return {}
    return {
        "SESSION_COOKIE_NAME": "__Host-session",
        "REMEMBER_COOKIE_NAME": "__Host-remember_token",
        "SESSION_COOKIE_PATH": "/",
        "REMEMBER_COOKIE_PATH": "/",
        "SESSION_COOKIE_DOMAIN": None,
        "REMEMBER_COOKIE_DOMAIN": None,
    }


def _server_host(server_name: str) -> str:
    return server_name.rsplit(":", 1)[0] if not server_name.endswith("]") else server_name


def _derived(settings: Mapping) -> dict:
    """Settings that follow from others, unless set themselves (the key is generated later)."""
    https = bool(settings.get("FORUM_HTTPS"))
    server_name = settings.get("SERVER_NAME")
    return _https_cookies(https) | {
        "RATELIMIT_STORAGE_URI": settings.get("REDIS_URL") or "memory://",
        "SESSION_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_SECURE": https,
        "PREFERRED_URL_SCHEME": "https" if https else "http",
        "TRUSTED_HOSTS": [_server_host(server_name)] if server_name else None,
    }


def layered(
    instance_path: str, config: Mapping | None = None, environ: Mapping[str, str] | None = None
) -> tuple[dict, dict]:
    """``(settings, explicit)``: every layer merged and derived; ``explicit`` is what the
    instance file, the environment and ``config`` set themselves."""
    environ = os.environ if environ is None else environ
    explicit = from_instance_file(instance_path)
    explicit |= from_env(environ, DEFAULTS | explicit)
    explicit |= dict(config or {})
    merged = copy.deepcopy(DEFAULTS) | explicit
    derived = {k: v for k, v in _derived(merged).items() if explicit.get(k) is None}
    settings = merged | derived
    settings["SQLALCHEMY_DATABASE_URI"] = _database_url(
        settings.get("SQLALCHEMY_DATABASE_URI"), Path(instance_path)
    )
    return settings, explicit


def load(instance_path: str, config: Mapping | None = None, *, debug: bool = False) -> dict:
    """The app's settings, refusing a key that would differ per host (``check_shared_secret``)."""
    settings, _ = layered(instance_path, config)
    if not settings.get("SECRET_KEY"):
        check_shared_secret(
            settings,
            debug,
            (
                f"SECRET_KEY is not set. On PostgreSQL the forum may run on several hosts, and a key "
                f"generated into {Path(instance_path) / SECRET_KEY_FILE} would differ from theirs: set "
                f"SECRET_KEY (the same value on every host) in the environment or in "
                f"{Path(instance_path) / INSTANCE_FILE}."
            ),
        )
        settings["SECRET_KEY"] = _secret_key(Path(instance_path))
    return settings


def serves_several_hosts(settings: Mapping, debug: bool = False) -> bool:
    """A deployment on PostgreSQL (not debugging or testing) may run on several hosts at once."""
    url = str(settings.get("SQLALCHEMY_DATABASE_URI") or "")
    return url.startswith("postgresql") and not (
        debug or settings.get("DEBUG") or settings.get("TESTING")
    )


def check_shared_secret(settings: Mapping, debug: bool, message: str) -> None:
    """Refuse to start (``message`` names the variable) when a secret would be generated on this
    host alone while the site may run on several."""
    if serves_several_hosts(settings, debug):
        raise ConfigError(message)
