"""Q&A forms never lose what was typed: refusals come back on the same page (422), beside the
field, with the input kept; never a bare error page."""

import html

from forum_qa import services
from forum_qa.models import Answer, Question
from sqlalchemy import func, select

from forum.sdk import as_actor, db


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def count(model) -> int:
    with as_actor(None):
        return db.session.execute(
            select(func.count()).select_from(model).execution_options(include_hidden=True)
        ).scalar_one()


def test_a_question_without_a_title_keeps_its_body(client, login_as, trusted, characteristic):
    login_as(client, trusted)
    body = "Here is the long *context* I wrote before forgetting the title."
    response = client.post("/p/qa/c/confidentiality/questions", data={"title": "", "body": body})
    page = text(response)
    assert response.status_code == 422
    assert "<h1" in page and "Questions" in page  # the questions page, not an error page
    assert 'id="title-help"' in page and f"{body}</textarea>" in page


def test_an_empty_answer_comes_back_on_the_question_page(
    client, login_as, expert, published_question
):
    login_as(client, expert)
    response = client.post(f"/p/qa/q/{published_question.id}/answers", data={"body": "  "})
    page = text(response)
    assert response.status_code == 422
    assert published_question.title in page and 'id="body-help"' in page


def test_rejecting_without_a_reason_marks_the_reason_field(
    client, login_as, member, moderator, characteristic
):
    with as_actor(member):
        question = services.ask(characteristic, member, "Is this question any good?", "")
    db.session.commit()
    login_as(client, moderator)
    response = client.post(f"/p/qa/moderation/question/{question.id}/reject", data={"reason": " "})
    page = text(response)
    assert response.status_code == 422
    assert "Q&amp;A review" in response.get_data(as_text=True)
    assert f'id="reason-question-{question.id}-help"' in page
    assert "Give a reason for the rejection." in page
    with as_actor(moderator):
        assert db.session.get(Question, question.id).status == "pending"


def test_an_incomplete_interview_keeps_every_turn(client, login_as, trusted, characteristic):
    login_as(client, trusted)
    data = {
        "interview-interviewer": "Ada",
        "interview-interviewees": "",
        "interview-intro": "An intro I typed",
        "interview-turns-0-speaker": "0",
        "interview-turns-0-text": "A question worth keeping",
        "post": "1",
    }
    response = client.post("/p/qa/interview/new?characteristic=confidentiality", data=data)
    page = text(response)
    assert response.status_code == 422
    assert "A question worth keeping</textarea>" in page and "An intro I typed" in page
    assert "Name at least one interviewee." in page
    assert count(Answer) == 0


def test_deleting_a_question_asks_first(client, login_as, trusted, published_question):
    login_as(client, trusted)
    page = client.get(f"/p/qa/q/{published_question.id}").get_data(as_text=True)
    assert f'href="/p/qa/q/{published_question.id}/delete"' in page
    confirm = client.get(f"/p/qa/q/{published_question.id}/delete")
    assert confirm.status_code == 200 and 'name="confirm"' in confirm.get_data(as_text=True)
    refused = client.post(f"/p/qa/q/{published_question.id}/delete")
    assert refused.status_code == 422
    assert "Tick the box to confirm; nothing was deleted." in refused.get_data(as_text=True)
    assert client.get(f"/p/qa/q/{published_question.id}").status_code == 200
