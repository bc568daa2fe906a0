"""Without MAIL_URL, ``flask forum send-mail`` prints each mail decoded: links can be copied."""

from forum.extensions import db
from forum.mail.outbox import queue_mail

LINK = "https://forum.example.org/account/reset/" + "Zm9v" * 30 + "=.token-with=equals"


def test_printed_mail_shows_the_body_decoded(app, runner):
    with app.app_context():
        queue_mail(
            "reader@example.org",
            "Réinitialiser — ünïcödé subject",
            f"Bonjour, voilà le lien — ouvrez-le :\n{LINK}\n",
        )
        db.session.commit()
    result = runner.invoke(args=["forum", "send-mail"])
    assert result.exit_code == 0, result.output
    assert LINK in result.output
    assert "Bonjour, voilà le lien — ouvrez-le" in result.output
    assert "Subject: Réinitialiser — ünïcödé subject" in result.output
    assert "=3D" not in result.output and "=\n" not in result.output
    assert "Content-Transfer-Encoding" not in result.output
    assert "1 sent, 0 failed" in result.output
