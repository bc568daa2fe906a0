"""``flask forum seed-demo`` builds the demo series once; a second run changes nothing."""

from sqlalchemy import func, select

from forum.accounts.models import User
from forum.discussion.models import Comment
from forum.extensions import db
from forum.series.models import Characteristic, ExpertProfile, Part
from forum.visibility import SYSTEM, as_actor


def _counts():
    with as_actor(SYSTEM):
        return tuple(
            db.session.execute(select(func.count()).select_from(m)).scalar_one()
            for m in (User, Characteristic, Part, Comment, ExpertProfile)
        )


def test_seed_demo_is_idempotent_and_believable(app, runner, client):
    first = runner.invoke(args=["forum", "seed-demo"])
    assert first.exit_code == 0, first.output
    assert "admin / demo-admin-password" in first.output
    counts = _counts()
    second = runner.invoke(args=["forum", "seed-demo"])
    assert second.exit_code == 0 and "demo-admin-password" not in second.output
    assert _counts() == counts

    titles = (
        db.session.execute(select(Characteristic.title).order_by(Characteristic.number))
        .scalars()
        .all()
    )
    assert titles[0] == "Confidentiality" and len(titles) >= 4
    assert all(
        p.is_demo and "example." in p.website
        for p in db.session.execute(select(ExpertProfile)).scalars()
    )

    home = client.get("/").data.decode()
    assert "Confidentiality" in home and "Coming soon" in home
    thread = client.get("/c/confidentiality").data.decode()
    assert "INTERVIEWER:" in thread and "EXPERT:" in thread
    assert "What part does CONFIDENTIALITY play" in thread
    assert "group mentoring" not in thread  # the demo guest comment waits for a moderator
    part = client.get("/c/confidentiality/part/2").data.decode()
    assert "Next part" in part and "Previous part" in part
