"""Q&A in Finnish and French: the questions list, a question with its answers and the answer
form, the unanswered list, the interview editor and the moderators' Q&A review, with no English
left from the plugin's strings. What people wrote stays as written."""

import pytest
from forum_qa import services

from forum.sdk import db
from forum.testing import english_left

FILES = [
    "templates/base.html",
    "plugins/qa/forum_qa/forms.py",
    "plugins/qa/forum_qa/templates/qa/*.html",
]


@pytest.fixture
def asked(characteristic, trusted, member, make_user):
    question = services.ask(characteristic, trusted, "Miten aloitan?", "Yksityiskohtia.")
    services.ask(characteristic, member, "Odottava kysymys?", "Teksti.")
    services.answer(question, make_user("vastaaja", trusted_override=True), "Tapaa kuukausittain.")
    db.session.commit()
    return question


@pytest.mark.parametrize("language", ["fi", "fr"])
def test_the_q_and_a_pages_have_no_english_left(app, login_as, asked, trusted, moderator, language):
    pages = {
        trusted: [
            "/p/qa/c/confidentiality/questions",
            f"/p/qa/q/{asked.id}",
            "/p/qa/unanswered",
            "/p/qa/interview/new?characteristic=confidentiality",
            f"/p/qa/q/{asked.id}/edit",
        ],
        moderator: ["/p/qa/moderation"],
    }
    for person, paths in pages.items():
        person.locale = language
        db.session.commit()
        client = login_as(app.test_client(), person)
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            pieces, left = english_left(app, response.get_data(as_text=True), FILES, language)
            assert pieces > 100  # (the real set)
            assert not left, f"English on {path} in {language}: {left}"


@pytest.mark.parametrize(
    ("language", "approved", "hidden"),
    [
        ("fi", "Kysymys hyväksytty.", "Vastaus piilotettu."),
        ("fr", "Question approuvée.", "Réponse masquée."),
    ],
)
def test_the_moderators_read_what_they_did_in_their_language(
    app, login_as, asked, member, moderator, language, approved, hidden
):
    from forum_qa.models import Answer, Question
    from sqlalchemy import select

    from forum.sdk import as_actor

    with as_actor(moderator):
        pending = db.session.execute(
            select(Question).where(Question.status == "pending")
        ).scalar_one()
        answer = db.session.execute(select(Answer)).scalars().first()
    moderator.locale = language
    db.session.commit()
    client = login_as(app.test_client(), moderator)
    done = client.post(f"/p/qa/moderation/question/{pending.id}/approve", follow_redirects=True)
    assert approved in done.get_data(as_text=True)
    done = client.post(
        f"/p/qa/moderation/answer/{answer.id}/hide", data={"reason": "x"}, follow_redirects=True
    )
    assert hidden in done.get_data(as_text=True)
