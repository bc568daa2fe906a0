"""pair_0003: the database itself refuses a pair-space state outside its enum."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from forum_pair_spaces.models import Pair
from forum_pair_spaces.statuses import PairStatus
from sqlalchemy.exc import IntegrityError

from forum.sdk import db


@pytest.fixture
def pair(make_user):
    mentor, mentee = make_user("mentor_x"), make_user("mentee_x")
    row = Pair(mentor_id=mentor.id, mentee_id=mentee.id, initiated_by_id=mentor.id)
    db.session.add(row)
    db.session.commit()
    return row.id


def _status(pair_id):
    """Read past the visibility policy (only the pair's members see it through the model)."""
    return db.session.scalar(
        sa.text("SELECT status FROM pair_pairs WHERE id = :id"), {"id": pair_id}
    )


def _set(pair_id, status):
    db.session.execute(
        sa.text("UPDATE pair_pairs SET status = :s WHERE id = :id"), {"s": status, "id": pair_id}
    )
    db.session.commit()


def test_a_pair_status_outside_the_enum_is_refused_and_every_value_accepted(pair):
    assert _status(pair) == PairStatus.PROPOSED
    with pytest.raises(IntegrityError, match="ck_pair_pairs_status"):
        _set(pair, "paused")
    db.session.rollback()
    for status in PairStatus:
        _set(pair, status)


def test_every_state_column_has_its_check(app):
    inspector = sa.inspect(db.session.connection())
    for table, column in (
        ("pair_pairs", "status"),
        ("pair_goals", "status"),
        ("pair_concerns", "status"),
        ("pair_quote_requests", "status"),
        ("pair_mentor_profiles", "availability"),
    ):
        names = {c["name"] for c in inspector.get_check_constraints(table)}
        assert f"ck_{table}_{column}" in names, table


def test_downgrade_and_upgrade_keep_every_pair(app, pair):
    db.session.remove()
    try:
        downgrade(revision="pair_0002")
        _set(pair, "whatever")  # no check any more
        _set(pair, "active")
    finally:
        db.session.remove()
        upgrade(revision="heads")
    assert _status(pair) == PairStatus.ACTIVE
    with pytest.raises(IntegrityError):
        _set(pair, "whatever")
    db.session.rollback()
