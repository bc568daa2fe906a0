"""Personal access tokens: created and revoked by their owner; only a SHA-256 hash is stored."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask_babel import gettext
from sqlalchemy import select

from forum.accounts.models import User
from forum.api.models import ApiToken
from forum.db import utcnow
from forum.extensions import db
from forum.kernel.types import ValidationError

PREFIX = "kmc_"
MAX_ACTIVE = 10


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "replace")).hexdigest()


def create_token(user, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user``; the raw value is returned once and never stored."""
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise ValidationError(gettext("Name the token (at most 80 characters)."), field="name")
    if len(active_tokens(user)) >= MAX_ACTIVE:
        raise ValidationError(
            gettext("You may keep at most %(num)s tokens; revoke one first.", num=MAX_ACTIVE),
            field="name",
        )
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=digest(raw))
    db.session.add(token)
    db.session.flush()
    return token, raw


def active_tokens(user) -> list[ApiToken]:
    return list(
        db.session.execute(
            select(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        ).scalars()
    )


def revoke_token(user, token_id: int) -> bool:
    """Revoke one of ``user``'s own tokens; False if it is not theirs or already revoked."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id or token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    return True


def user_for(raw: str) -> User | None:
    """The active, unsuspended-or-not account behind a raw token, or None (revoked, unknown)."""
    if not raw.startswith(PREFIX) or len(raw) > 200:
        return None
    token = db.session.execute(
        select(ApiToken).where(ApiToken.token_hash == digest(raw), ApiToken.revoked_at.is_(None))
    ).scalar_one_or_none()
    if token is None:
        return None
    user = db.session.get(User, token.user_id)
    if user is None or not user.is_active:
        return None
    if token.last_used_at is None or utcnow() - token.last_used_at > timedelta(hours=1):
        token.last_used_at = utcnow()
        db.session.commit()
    return user
