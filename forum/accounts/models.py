"""Accounts and roles. Roles are rows, so plugins add roles and permissions without migrations."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import cast

from flask_login import UserMixin
from sqlalchemy import BigInteger, Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, MappedColumn, column_property, mapped_column, relationship

from forum.crypto import EncryptedText
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
    #: sealed with the "account" key ring: a copy of the database does not give the second factor
    #: (deferred: opened only where a code is checked, never when a member is merely loaded)
    totp_secret: Mapped[str | None] = mapped_column(
        EncryptedText("account", "users.totp_secret"), deferred=True
    )
    #: whether two-factor is on, read in SQL without opening the secret
    has_two_factor: Mapped[bool] = column_property(
        cast(MappedColumn, totp_secret).column.is_not(None)  # (in the class body: the column)
    )
    #: the last TOTP time step accepted, so a code (seen over a shoulder, say) works only once
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger, deferred=True)
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


class RecoveryCode(db.Model):
    """One single-use code that stands in for a TOTP code at login; only its scrypt hash is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(200))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
