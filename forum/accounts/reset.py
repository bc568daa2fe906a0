"""Password reset through a single-use, expiring link sent via the mail outbox.

The token signs the user id and the current session token: a successful reset (or any password
change) rotates the session token, so the link works once; it also expires after an hour.
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from forum.accounts.models import User
from forum.extensions import db

MAX_AGE = 3600


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def make_token(user: User) -> str:
    return _serializer().dumps({"u": user.id, "s": user.session_token})


def user_for_token(token: str) -> User | None:
    """The user the token was made for, if it is genuine, unexpired and unused."""
    try:
        data = _serializer().loads(token, max_age=MAX_AGE)
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(data, dict):
        return None
    user = db.session.get(User, int(data.get("u", 0) or 0))
    if user is None or user.deleted_at is not None or user.session_token != data.get("s"):
        return None
    return user
