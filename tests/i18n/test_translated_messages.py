"""What the forum tells a person in a flash message, a refusal or an API problem reaches them in
their language: the member's setting, else the browser's."""

from datetime import timedelta

from sqlalchemy import select

from forum.db import utcnow
from forum.discussion.models import Comment
from forum.discussion.services import create_comment, reject_comment
from forum.extensions import db
from forum.notifications.models import Notification, OutboxMail
from forum.visibility import ANONYMOUS, as_actor


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


def test_a_password_reset_is_mailed_in_the_members_language(client, make_user):
    """Asked for from an English page, the reset reaches a French-speaking member in French."""
    make_user("camille", email="camille@example.org", locale="fr")
    assert client.post("/account/reset", data={"email": "camille@example.org"}).status_code == 302
    mail = db.session.scalars(select(OutboxMail).filter_by(to="camille@example.org")).one()
    assert mail.subject == "Réinitialisez votre mot de passe"
    assert "Quelqu’un a demandé la réinitialisation du mot de passe de camille." in mail.body


def test_a_rejected_guest_reads_why_in_the_language_they_wrote_in(
    app, make_characteristic, make_user
):
    """A guest has no setting: the page's language when they wrote is theirs (and their
    comment's), and the moderator's decision reaches them in it, whatever the moderator reads."""
    trust = make_characteristic(slug="luottamus", title="Luottamus")
    moderator = make_user("mod", roles=("member", "moderator"), locale="en")
    with app.test_request_context("/c/luottamus", headers={"Accept-Language": "fi"}):
        create_comment(
            trust, ANONYMOUS, "Hei kaikki.", guest_name="Vieras", guest_email="vieras@example.org"
        )
    db.session.commit()
    with as_actor(moderator):
        comment = db.session.scalars(select(Comment).filter_by(characteristic_id=trust.id)).one()
    assert comment.language == "fi"
    reject_comment(comment, moderator, "Pysy aiheessa.")
    db.session.commit()
    mail = db.session.scalars(select(OutboxMail).filter_by(to="vieras@example.org")).one()
    assert mail.subject == "[Mentorship Forum] Kommenttiasi keskustelussa Luottamus ei julkaistu"
    assert "Perustelu: Pysy aiheessa." in mail.body and "Hei Vieras," in mail.body


def test_a_feed_is_titled_in_the_readers_language(client, make_characteristic):
    make_characteristic(slug="luottamus", title="Luottamus")
    feed = client.get("/feeds/site.atom", headers={"Accept-Language": "fr"}).text
    assert "Forum du mentorat : nouvelles parties</title>" in feed
    assert "Les parties d’experts de la série" in feed
