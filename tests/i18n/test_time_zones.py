"""Time zones: each member has one (guessed at registration, editable), publish times are typed in
the writer's zone and stored as UTC, and every time is shown in the reader's zone, named."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from forum.accounts.models import User
from forum.extensions import db
from forum.kernel.locales import local_to_utc, utc_to_local
from forum.series.models import Part
from forum.visibility import as_actor


def test_conversions_follow_the_zone_rules():
    winter = datetime(2027, 1, 15, 9, 0)
    assert local_to_utc(winter, "Europe/Helsinki") == datetime(2027, 1, 15, 7, 0, tzinfo=UTC)
    summer = datetime(2027, 7, 15, 9, 0)
    assert local_to_utc(summer, "Europe/Helsinki") == datetime(2027, 7, 15, 6, 0, tzinfo=UTC)
    stored = datetime(2027, 1, 15, 7, 0, tzinfo=UTC)
    assert utc_to_local(stored, "America/Toronto") == datetime(2027, 1, 15, 2, 0)
    assert local_to_utc(winter, "Not/AZone") == datetime(2027, 1, 15, 9, 0, tzinfo=UTC)


def test_the_scheduling_round_trip(client, make_user, make_characteristic, login_as, part_form):
    """An expert in Helsinki schedules 09:00 on a winter day: stored 07:00 UTC; a reader in
    Toronto (UTC-5 in winter) sees 02:00, the zone named. (The issue says 03:00, which would be
    UTC-4, Toronto's summer offset; in January it is 02:00.)"""
    trust = make_characteristic(slug="trust", title="Trust")
    expert = make_user("aino", roles=("member", "expert"), timezone="Europe/Helsinki")
    moderator = make_user("mod", roles=("member", "moderator"), timezone="Europe/London")
    reader = make_user("claire", timezone="America/Toronto", locale="fr")

    login_as(client, expert)
    form = client.get("/parts/new").text
    assert "Europe/Helsinki" in form
    response = client.post(
        "/parts/new",
        data=part_form(
            trust,
            title="Pienet lupaukset",
            publish_at="2027-01-15T09:00",
            submit_review="Submit for review",
        ),
    )
    assert response.status_code == 302, response.text
    with as_actor(expert):
        part = db.session.execute(select(Part)).scalar_one()
    assert part.publish_at == datetime(2027, 1, 15, 7, 0, tzinfo=UTC)
    assert 'value="2027-01-15T09:00"' in client.get(f"/parts/{part.id}/edit").text

    login_as(client, moderator)
    queue = client.get("/moderation/queue").text
    assert "your time, Europe/London" in queue
    client.post("/moderation/queue", data={"decide": f"approve:part:{part.id}"})
    db.session.refresh(part)
    assert part.status == "approved"
    assert part.publish_at == datetime(2027, 1, 15, 7, 0, tzinfo=UTC)

    login_as(client, reader)
    coming = client.get("/").text
    assert "15 janvier 2027, 02:00 (America/Toronto)" in coming


def test_a_moderator_types_the_date_in_their_own_zone(client, make_user, make_part, login_as):
    moderator = make_user("mod", roles=("member", "moderator"), timezone="Europe/Helsinki")
    part = make_part(status="submitted", publish_at=None)
    login_as(client, moderator)
    client.post(
        "/moderation/queue",
        data={
            "decide": f"approve:part:{part.id}",
            f"publish_at-part:{part.id}": "2027-01-15T09:00",
        },
    )
    db.session.refresh(part)
    assert part.publish_at == datetime(2027, 1, 15, 7, 0, tzinfo=UTC)


def register(client, username: str, zone: str, **headers):
    password = "correct horse battery"
    return client.post(
        "/register",
        data={"username": username, "email": f"{username}@example.org", "password": password}
        | {"confirm": password, "timezone": zone},
        headers=headers,
    )


def test_registration_keeps_the_browsers_zone(client):
    page = client.get("/register").text
    assert "js/timezone.js" in page and "data-timezone-guess" in page
    register(client, "aino", "Europe/Helsinki", **{"Accept-Language": "fi"})
    user = db.session.execute(select(User).where(User.username == "aino")).scalar_one()
    assert user.timezone == "Europe/Helsinki" and user.locale == "fi"


def test_a_bad_browser_guess_is_dropped_not_refused(client):
    assert register(client, "bob", "Mars/Olympus").status_code == 302


@pytest.mark.parametrize("zone", ["Mars/Olympus", "../../etc/passwd", "x" * 80])
def test_profile_refuses_an_unknown_zone_beside_the_field(client, make_user, login_as, zone):
    member = make_user("claire")
    login_as(client, member)
    response = client.post("/account/profile", data={"display_name": "Claire", "timezone": zone})
    assert response.status_code == 422
    page = response.text
    assert "Choose a time zone such as" in page or "Field cannot be longer" in page
    assert 'value="Claire"' in page
    db.session.refresh(member)
    assert member.timezone is None


def test_profile_saves_a_known_zone(client, make_user, login_as):
    member = make_user("claire")
    login_as(client, member)
    assert 'list="timezone-names"' in client.get("/account/profile").text
    response = client.post("/account/profile", data={"timezone": "America/Toronto"})
    assert response.status_code == 302
    db.session.refresh(member)
    assert member.timezone == "America/Toronto"


def test_the_part_page_shows_the_readers_zone(
    client, make_user, make_part, make_characteristic, login_as
):
    trust = make_characteristic(slug="trust", title="Trust")
    make_part(trust, publish_at=datetime(2020, 1, 15, 7, 0, tzinfo=UTC), part_number=1)
    url = "/c/trust/part/1"
    assert "January 15, 2020, 7:00\u202fAM (UTC)" in client.get(url).text
    login_as(client, make_user("aino", timezone="Europe/Helsinki", locale="fi"))
    assert "15. tammikuuta 2020, 9.00 (Europe/Helsinki)" in client.get(url).text
