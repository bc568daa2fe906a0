"""Accounts and roles. Roles are rows, so plugins add roles and permissions without migrations."""

from __future__ import annotations

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.db import UTCDateTime, utcnow
from forum.extensions import db

ROLE_NAMES = ("member", "expert", "supervisor", "moderator", "admin")
STAFF_ROLES = frozenset({"moderator", "admin"})

user_roles = Table(
    "user_roles",
    db.metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("role_id", Integer, ForeignKey("roles.id", ondelete="CASCADE"), primary_key=True),
)


class Role(db.Model):
    __tablename__ = "roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)


def new_session_token() -> str:
    return secrets.token_urlsafe(16)


class User(UserMixin, db.Model):
    """A registered account. ``session_token`` is part of the login id: rotating it ends sessions."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40))
    username_key: Mapped[str] = mapped_column(String(40), unique=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(80), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    trusted_override: Mapped[bool | None] = mapped_column()
    approved_comment_count: Mapped[int] = mapped_column(default=0)
    rejected_comment_count: Mapped[int] = mapped_column(default=0)
    suspended_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    suspension_reason: Mapped[str | None] = mapped_column(Text)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    locale: Mapped[str | None] = mapped_column(String(8))  # None: the browser's, else the site's
    timezone: Mapped[str | None] = mapped_column(String(64))  # an IANA zone; None reads UTC

    roles: Mapped[list[Role]] = relationship(secondary=user_roles, lazy="selectin")

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def role_names(self) -> frozenset[str]:
        return frozenset(r.name for r in self.roles)

    def has_role(self, *names: str) -> bool:
        return bool(self.role_names & set(names))

    @property
    def is_staff(self) -> bool:
        return bool(self.role_names & STAFF_ROLES)

    @property
    def name(self) -> str:
        """What pages show: the display name, else the username."""
        return self.display_name or self.username

    @property
    def is_suspended(self) -> bool:
        return self.suspended_until is not None and self.suspended_until > utcnow()

    @property
    def is_active(self) -> bool:
        return self.deleted_at is None

    @property
    def initials(self) -> str:
        words = [w for w in self.name.replace("_", " ").split() if w]
        return "".join(w[0] for w in words[:2]).upper() or "?"

    def __repr__(self) -> str:
        return f"<User {self.username}>"
