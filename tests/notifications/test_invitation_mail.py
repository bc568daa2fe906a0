"""An invited expert gets the invitation by e-mail: an absolute, working link on the configured
site, sent through the outbox (and a real SMTP conversation), not only shown once on a page."""

import re

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.notifications.models import OutboxMail

SITE = {
    "SERVER_NAME": "forum.example",
    "PREFERRED_URL_SCHEME": "https",
}
LINK = re.compile(r"https://forum\.example/invite/[A-Za-z0-9_-]{20,}")


@pytest.fixture
def app_config(smtp_server):
    return {"MAIL_URL": smtp_server.url, **SITE}


@pytest.fixture
def moderator(make_user):
    return make_user("mod", roles=("member", "moderator"))


def _invite(client, **slot):
    return client.post(
        "/invitations/new",
        data={"email": "dana@example.org", "role": "expert", "expires_in_days": 10, **slot},
    )


def test_the_calendar_slot_preselects_the_invitation_form(
    client, login_as, moderator, make_characteristic
):
    trust = make_characteristic(slug="trust", title="Trust")
    login_as(client, moderator)
    calendar = client.get("/moderation/calendar").get_data(as_text=True)
    slot = f"/invitations/new?characteristic_id={trust.id}&amp;part_number=1"
    assert f'href="{slot}"' in calendar
    form = client.get(slot.replace("&amp;", "&")).get_data(as_text=True)
    assert re.search(rf'<option selected value="{trust.id}">', form)
    assert re.search(r'id="part_number"[^>]*value="1"', form)


def test_invitation_mail_holds_the_slot_and_a_link_that_works(
    app, client, login_as, moderator, make_characteristic, smtp_server
):
    trust = make_characteristic(slug="trust", title="Trust")
    login_as(client, moderator)
    response = _invite(client, characteristic_id=trust.id, part_number=3)
    assert response.status_code == 200
    assert "on its way to <strong>dana@example.org</strong>" in response.get_data(as_text=True)
    mail = db.session.execute(select(OutboxMail)).scalar_one()
    assert mail.to == "dana@example.org" and mail.kind == ""  # account mail: no unsubscribe
    assert "invited expert" in mail.body and "KMC" in mail.body and "Trust, part 3" in mail.body
    [link] = LINK.findall(mail.body)

    result = app.test_cli_runner().invoke(args=["forum", "send-mail"])
    assert result.exit_code == 0 and "1 sent, 0 failed" in result.output, result.output
    [msg] = smtp_server.received.messages
    assert smtp_server.received.recipients == [["dana@example.org"]]
    assert msg["Subject"] == "You are invited to the Mentorship Forum"
    assert link in msg.get_content()

    listed = client.get("/invitations/new").get_data(as_text=True)
    assert "Open invitations" in listed and "<td>dana@example.org</td>" in listed

    client.post("/logout")
    path = link.removeprefix("https://forum.example")
    accept = client.get(path)
    assert accept.status_code == 200 and "dana@example.org" in accept.get_data(as_text=True)
