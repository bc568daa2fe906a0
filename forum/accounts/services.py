"""Account logic the views and CLI call: registration, authentication, passwords, roles."""

from __future__ import annotations

import hmac
from functools import lru_cache

from flask import current_app
from flask_babel import gettext
from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from forum.accounts.forms import MIN_PASSWORD
from forum.accounts.models import ROLE_NAMES, Role, User, new_session_token
from forum.extensions import db
from forum.kernel.types import ValidationError
from forum.routing import is_number

COMMON_PASSWORDS = {
    "password12",
    "password123",
    "1234567890",
    "qwertyuiop",
    "iloveyou12",
    "letmein123",
    "administrator",
    "welcome123",
    "passw0rd12",
    "abcdefghij",
    "0123456789",
    "mentorship",
}


def hash_password(password: str) -> str:
    """A hash by the site's method (``PASSWORD_HASH_METHOD``: scrypt; the tests' fixtures use a
    cheap one, since scrypt's 0.1 s an account was a third of the suite's time)."""
    return generate_password_hash(password, current_app.config["PASSWORD_HASH_METHOD"])


@lru_cache(maxsize=4)
def _dummy_hash(method: str) -> str:
    """What an unknown user's login is checked against: it costs what a real check costs."""
    return generate_password_hash("not-a-real-password-used-for-timing", method)


def check_password_strength(password: str, username: str = "") -> None:
    """Refuse short, common or trivially patterned passwords with a clear message."""
    if len(password) < MIN_PASSWORD:
        raise ValidationError(
            gettext("Use at least %(num)s characters.", num=MIN_PASSWORD), field="password"
        )
    if password.lower() in COMMON_PASSWORDS or len(set(password)) < 5:
        raise ValidationError(gettext("That password is too easy to guess."), field="password")
    if username and username.lower() in password.lower():
        raise ValidationError(
            gettext("The password must not contain your username."), field="password"
        )


def get_role(name: str) -> Role:
    role = db.session.execute(select(Role).where(Role.name == name)).scalar_one_or_none()
    if role is None:
        role = Role(name=name)
        db.session.add(role)
        db.session.flush()
    return role


def ensure_roles() -> None:
    for name in ROLE_NAMES:
        get_role(name)


def find_user(login: str) -> User | None:
    key = (login or "").strip().lower()
    return db.session.execute(
        select(User).where(or_(User.username_key == key, func.lower(User.email) == key))
    ).scalar_one_or_none()


def username_taken(username: str) -> bool:
    return (
        db.session.execute(
            select(User.id).where(User.username_key == username.strip().lower())
        ).first()
        is not None
    )


def email_taken(email: str) -> bool:
    return (
        db.session.execute(
            select(User.id).where(func.lower(User.email) == email.strip().lower())
        ).first()
        is not None
    )


def create_user(
    username: str,
    email: str,
    password: str | None,
    roles=("member",),
    display_name: str = "",
    check_strength: bool = True,
) -> User:
    """Create an account (``password=None`` makes an unusable one, e.g. for imported authors)."""
    username = username.strip()
    if username_taken(username):
        raise ValidationError(gettext("That username is taken."), field="username")
    if email_taken(email):
        raise ValidationError(gettext("That e-mail address already has an account."), field="email")
    if password is not None and check_strength:
        check_password_strength(password, username)
    user = User(
        username=username,
        username_key=username.lower(),
        email=email.strip(),
        password_hash=hash_password(password) if password else "!unusable",
        display_name=display_name,
        bio="",
    )
    user.roles = [get_role(r) for r in roles]
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(login: str, password: str) -> User | None:
    """The user if the password matches; unknown users cost the same hash check (timing)."""
    user = find_user(login)
    if user is None or user.deleted_at is not None or user.password_hash.startswith("!"):
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def change_password(user: User, current: str, new: str) -> None:
    """Set a new password and rotate the session token, which ends every other session."""
    if not check_password_hash(user.password_hash, current):
        raise ValidationError(gettext("The current password is wrong."), field="current")
    set_password(user, new)


def set_password(user: User, new: str) -> None:
    check_password_strength(new, user.username)
    user.password_hash = hash_password(new)
    end_sessions(user)


def end_sessions(user: User) -> None:
    """Rotate the session token: every session cookie and remember token of ``user`` stops working.

    Sessions are signed cookies, so a server-side token is the only way to end them (logout).
    """
    user.session_token = new_session_token()


@lru_cache(maxsize=1)
def _user_with_roles():
    """(Built once: building it and its cache key on every request cost ~150 µs.)"""
    return select(User).where(User.id == bindparam("user_id")).options(joinedload(User.roles))


def load_user(login_id: str) -> User | None:
    """Flask-Login loader: ``"<id>:<session token>"``; a rotated token logs the session out."""
    user_id, _, token = (login_id or "").partition(":")
    if not is_number(user_id) or len(user_id) > 18:
        return None
    user = (  # one statement per request
        db.session.execute(_user_with_roles(), {"user_id": int(user_id)})
        .unique()
        .scalar_one_or_none()
    )
    if user is None or user.deleted_at is not None:
        return None
    if not hmac.compare_digest(user.session_token, token):
        return None
    return user


def grant_role(user: User, role: str) -> None:
    if role not in user.role_names:
        user.roles.append(get_role(role))


def revoke_role(user: User, role: str) -> None:
    user.roles = [r for r in user.roles if r.name != role]
