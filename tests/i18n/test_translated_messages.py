"""What the forum tells a person in a flash message, a refusal or an API problem reaches them in
their language: the member's setting, else the browser's."""

from datetime import timedelta

from forum.db import utcnow
from forum.extensions import db
from forum.notifications.models import Notification


def test_a_suspended_member_reads_why_in_finnish(client, login_as, make_characteristic, make_user):
    thread = make_characteristic()
    bob = make_user(
        "bob",
        locale="fi",
        suspension_reason="Rauhoittumisaika",
        suspended_until=utcnow() + timedelta(hours=1),
    )
    login_as(client, bob)
    refused = client.post(f"/c/{thread.slug}/comments", data={"body": "Liian aikaisin"})
    assert refused.status_code == 403
    assert "voit lukea mutta et kirjoittaa" in refused.text and "Rauhoittumisaika" in refused.text


def test_marking_notifications_read_says_how_many_in_french(client, login_as, make_user):
    claire = make_user("claire", locale="fr")
    for text in ("Une", "Deux"):
        db.session.add(Notification(user_id=claire.id, kind="reply", text=text, url="/"))
    db.session.commit()
    login_as(client, claire)
    page = client.post("/notifications/read-all", follow_redirects=True).text
    assert "2 notifications marquées comme lues." in page


def test_an_api_problem_speaks_the_browsers_language(client):
    response = client.post(
        "/preview",
        data={"body": "x", "kind": "nonsense"},
        headers={"Accept": "application/json", "Accept-Language": "fi"},
    )
    assert response.status_code == 422
    assert response.get_json()["detail"] == "Tuntematon laji 'nonsense'."
