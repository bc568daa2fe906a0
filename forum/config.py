"""Configuration from the environment, with defaults that work on a fresh machine."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def _secret_key(instance_path: Path) -> str:
    """Use SECRET_KEY, else one generated once and kept (owner-only) in the instance folder."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = instance_path / "secret_key"
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


def _database_url(instance_path: Path) -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{instance_path / 'forum.sqlite3'}"
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://") :]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _int_env(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


def _https_cookies() -> dict:
    """Over https (FORUM_HTTPS=1) cookies are Secure and ``__Host-`` prefixed: path /, no domain."""
    if os.environ.get("FORUM_HTTPS") != "1":
        return {}
    return {"SESSION_COOKIE_NAME": "__Host-session", "REMEMBER_COOKIE_NAME": "__Host-remember_token",
            "SESSION_COOKIE_PATH": "/", "REMEMBER_COOKIE_PATH": "/",
            "SESSION_COOKIE_DOMAIN": None, "REMEMBER_COOKIE_DOMAIN": None}


def from_environment(instance_path: str) -> dict:
    """The settings a deployment sets through environment variables."""
    path = Path(instance_path)
    redis_url = os.environ.get("REDIS_URL") or None
    return _https_cookies() | {
        "SECRET_KEY": _secret_key(path),
        "SQLALCHEMY_DATABASE_URI": _database_url(path),
        "REDIS_URL": redis_url,
        "MAIL_URL": os.environ.get("MAIL_URL") or None,
        "MAIL_FROM": os.environ.get("MAIL_FROM") or "Mentorship Forum <noreply@localhost>",
        "MAIL_MAX_ATTEMPTS": max(1, _int_env("MAIL_MAX_ATTEMPTS", 5)),
        "MAIL_RETRY_SECONDS": max(1, _int_env("MAIL_RETRY_SECONDS", 60)),
        "MAX_CONTENT_LENGTH": _int_env("FORUM_MAX_BODY", 1024 * 1024),
        "MAX_FORM_MEMORY_SIZE": _int_env("FORUM_MAX_BODY", 1024 * 1024),
        "MAX_MARKDOWN_CHARS": _int_env("FORUM_MAX_MARKDOWN", 100_000),
        "FORUM_PLUGINS": os.environ.get("FORUM_PLUGINS"),
        "FORUM_PLUGINS_DIR": os.environ.get("FORUM_PLUGINS_DIR"),
        "FORUM_TRACE_HOOKS": os.environ.get("FORUM_TRACE_HOOKS") == "1",
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_ENABLED": os.environ.get("FORUM_RATELIMIT", "1") != "0",
        # a rolling window: a fixed one lets an attacker spend two windows' worth at the boundary
        "RATELIMIT_STRATEGY": "moving-window",
        "FORUM_REQUIRE_2FA": os.environ.get("FORUM_REQUIRE_2FA", "1") != "0",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("FORUM_HTTPS") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": os.environ.get("FORUM_HTTPS") == "1",
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "WTF_CSRF_TIME_LIMIT": None,
        "PASSWORD_HASH_METHOD": "scrypt",  # werkzeug's default; the test fixtures use a cheap one
        "COMMENTS_PER_PAGE": 20,
        "COMMENT_EDIT_WINDOW_MINUTES": 30,
        "TRUST_THRESHOLD": 3,
        "FLAG_HIDE_THRESHOLD": 3,
    }
