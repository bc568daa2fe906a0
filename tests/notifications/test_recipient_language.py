"""A notice and its e-mail are written in the language of whoever receives them, whatever the
language of whoever caused them: one comment names three members, each reads it in their own."""

import pytest

from forum.accounts.models import User
from forum.discussion import services as comments
from forum.extensions import db
from forum.notifications.models import Notification


@pytest.fixture
def app_config(smtp_server):
    """This module's ``app`` sends through the test's own SMTP server."""
    return {"MAIL_URL": smtp_server.url}


def test_each_member_is_told_in_their_own_language(
    app, smtp_server, make_user, make_characteristic
):
    alice = make_user("alice", trusted_override=True, locale="fr")  # (writes in French)
    make_user("carol", email="carol@example.org", locale="fi")
    make_user("dave", email="dave@example.org", locale="fr")
    make_user("erin", email="erin@example.org")  # no setting: the site's default, English
    thread = make_characteristic(title="Luottamus")
    comments.create_comment(thread, alice, "@carol @dave @erin lisää ajatuksia.")
    db.session.commit()
    names = {u.id: u.username for u in db.session.query(User).all()}
    notes = {names[n.user_id]: n.text for n in db.session.query(Notification).all()}
    assert notes["carol"] == "alice mainitsi sinut kommentissa keskustelussa Luottamus."
    assert notes["dave"] == "alice vous a mentionné dans un commentaire sur Luottamus."
    assert notes["erin"] == "alice mentioned you in a comment on Luottamus."

    result = app.test_cli_runner().invoke(args=["forum", "send-mail"])
    assert "3 sent, 0 failed" in result.output, result.output
    mails = {m["To"]: m for m in smtp_server.received.messages}
    carol, dave, erin = (mails[f"{n}@example.org"] for n in ("carol", "dave", "erin"))
    assert str(carol["Subject"]).strip() == "[Mentorship Forum] " + notes["carol"]
    assert carol.get_content().startswith("Hei carol,")
    assert "Mentorointifoorumin ilmoitusasetustesi" in carol.get_content()
    assert dave.get_content().startswith("Bonjour dave,")
    assert "vos paramètres de notification" in dave.get_content()
    assert erin.get_content().startswith("Hello erin,")
    assert "because of your notification settings" in erin.get_content()


def test_a_moderators_decision_reaches_the_author_in_their_language(
    app, make_user, make_characteristic
):
    """A French moderator rejects a Finnish member's comment: she reads why, in Finnish."""
    author = make_user("aino", locale="fi")
    moderator = make_user("luc", roles=("member", "moderator"), locale="fr")
    comment = comments.create_comment(make_characteristic(title="Luottamus"), author, "Hei.")
    db.session.commit()
    comments.reject_comment(comment, moderator, "Liian lyhyt.")
    db.session.commit()
    [note] = db.session.query(Notification).filter_by(user_id=author.id).all()
    assert note.text == (
        "Moderaattori ei hyväksynyt: kommenttisi keskustelussa Luottamus. Syy: Liian lyhyt."
    )
