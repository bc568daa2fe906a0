"""Shared people and helpers for the moderation tests."""

import pytest
from sqlalchemy import func, select

from forum.audit.models import AuditEntry
from forum.extensions import db


@pytest.fixture
def moderator(make_user):
    return make_user("mod", roles=("member", "moderator"))


@pytest.fixture
def admin(make_user):
    return make_user("root", roles=("member", "admin"))


@pytest.fixture
def member(make_user):
    return make_user("ann")


@pytest.fixture
def expert(make_user):
    return make_user("eve", roles=("member", "expert"))


@pytest.fixture
def mod_client(client, login_as, moderator):
    return login_as(client, moderator)


@pytest.fixture
def audit_count():
    """``audit_count(action=None)``: entries in the log, optionally of one action."""

    def count(action=None):
        stmt = select(func.count()).select_from(AuditEntry)
        if action:
            stmt = stmt.where(AuditEntry.action == action)
        return db.session.execute(stmt).scalar()

    return count
