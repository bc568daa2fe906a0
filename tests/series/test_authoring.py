"""The expert's cycle: draft with preview, submit, rejection reason, approval with a date,
pending revisions of a live part, and the history with differences."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.audit.models import AuditEntry
from forum.db import utcnow
from forum.extensions import db
from forum.series import services
from forum.series.models import Part, PartRevision
from forum.visibility import as_actor


@pytest.fixture
def expert(make_user):
    return make_user("ada", roles=("member", "expert"), display_name="Ada")


@pytest.fixture
def moderator(make_user):
    return make_user("mod", roles=("member", "moderator"))


@pytest.fixture
def trust(make_characteristic):
    return make_characteristic(slug="trust", title="Trust")


def _form(trust, **extra):
    return {
        "characteristic_id": str(trust.id),
        "part_number": "1",
        "title": "Small promises",
        "teaser": "Why reliability matters",
        "body_format": "markdown",
        "body": "Keep **promises**.",
        **extra,
    }


def _only_part(actor):
    with as_actor(actor):
        return db.session.execute(select(Part)).scalar_one()


def test_preview_renders_without_saving(client, expert, trust, login_as):
    login_as(client, expert)
    response = client.post("/parts/new", data=_form(trust, preview="Preview"))
    assert response.status_code == 200
    assert "Keep <strong>promises</strong>." in response.data.decode()
    with as_actor(expert):
        assert db.session.execute(select(Part)).first() is None


def test_members_cannot_write_parts(client, make_user, login_as, trust):
    login_as(client, make_user("plain"))
    assert client.get("/parts/new").status_code == 403


def test_full_cycle_submit_reject_resubmit_approve_live(client, expert, moderator, trust, login_as):
    login_as(client, expert)
    assert client.post("/parts/new", data=_form(trust, submit_review="Submit")).status_code == 302
    part = _only_part(expert)
    assert part.status == "submitted" and part.submitted_at is not None

    services.reject_part(part, moderator, "Please add an example.")
    db.session.commit()
    page = client.get("/parts").data.decode()
    assert "Please add an example." in page

    client.post(
        f"/parts/{part.id}/edit",
        data=_form(trust, body="Keep promises, e.g. reply on time.", submit_review="Submit"),
    )
    part = _only_part(expert)
    assert part.status == "submitted"

    when = utcnow().replace(microsecond=0) + timedelta(days=3)
    assert services.approve_part(part, moderator, when) is True
    assert services.approve_part(part, moderator, when) is False  # approving twice approves once
    assert services.approve_part(part, moderator, None) is False
    db.session.commit()
    actions = db.session.execute(select(AuditEntry.action)).scalars().all()
    assert actions.count("part.approve") == 1 and actions.count("part.reject") == 1

    client.post("/logout")
    scheduled = client.get("/c/trust/part/1").data.decode()
    assert "Coming soon" in scheduled and "reply on time" not in scheduled
    assert "Small promises" in client.get("/coming-soon").data.decode()
    part.publish_at = utcnow() - timedelta(minutes=1)  # its time has come
    db.session.commit()
    assert "reply on time" in client.get("/c/trust/part/1").data.decode()


def test_editing_a_live_part_creates_a_pending_revision(
    client, expert, moderator, trust, make_part, login_as
):
    part = make_part(trust, author=expert, part_number=1, title="Live title", body="Live body.")
    login_as(client, expert)
    response = client.post(
        f"/parts/{part.id}/edit", data=_form(trust, title="New title", body="Edited body.")
    )
    assert response.status_code == 302
    client.post("/logout")
    public = client.get("/c/trust/part/1").data.decode()
    assert "Live body." in public and "Edited body." not in public

    revision = db.session.execute(
        select(PartRevision).where(PartRevision.status == "pending")
    ).scalar_one()
    assert services.approve_revision(revision, moderator) is True
    assert services.approve_revision(revision, moderator) is False
    db.session.commit()
    public = client.get("/c/trust/part/1").data.decode()
    assert "Edited body." in public and "New title" in public


def test_rejected_revision_keeps_live_version(
    client, expert, moderator, trust, make_part, login_as
):
    part = make_part(trust, author=expert, part_number=1, body="Live body.")
    login_as(client, expert)
    client.post(f"/parts/{part.id}/edit", data=_form(trust, body="Worse body."))
    revision = db.session.execute(
        select(PartRevision).where(PartRevision.status == "pending")
    ).scalar_one()
    services.reject_revision(revision, moderator, "Not an improvement")
    db.session.commit()
    client.post("/logout")
    assert "Live body." in client.get("/c/trust/part/1").data.decode()


def test_history_shows_differences_to_author_and_moderators_only(
    client, expert, moderator, trust, make_user, login_as
):
    login_as(client, expert)
    client.post("/parts/new", data=_form(trust, body="first line"))
    part = _only_part(expert)
    client.post(f"/parts/{part.id}/edit", data=_form(trust, body="second line"))
    history = client.get(f"/parts/{part.id}/history").data.decode()
    assert "-first line" in history and "+second line" in history
    login_as(client, moderator)
    assert client.get(f"/parts/{part.id}/history").status_code == 200
    login_as(client, make_user("nosy"))
    assert client.get(f"/parts/{part.id}/history").status_code == 404  # not theirs to see
    client.post("/logout")
    assert client.get(f"/parts/{part.id}/history").status_code == 404  # nor to a guest


def test_other_experts_cannot_edit(client, expert, make_user, trust, make_part, login_as):
    part = make_part(trust, author=expert, part_number=1)
    login_as(client, make_user("other", roles=("member", "expert")))
    assert client.post(f"/parts/{part.id}/edit", data=_form(trust)).status_code == 403
