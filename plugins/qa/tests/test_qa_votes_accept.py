"""Vote rules (one per member, none on one's own, changing works) and who may accept an answer."""

import pytest
from forum_qa import services
from forum_qa.models import Answer, AnswerVote
from sqlalchemy import func, select

from forum.sdk import as_actor, db


@pytest.fixture
def answerer(make_user):
    return make_user("answerer", trusted_override=True)


@pytest.fixture
def answer(published_question, answerer):
    with as_actor(answerer):
        item = services.answer(published_question, answerer, "Meet monthly and agree the rules.")
    db.session.commit()
    assert item.status == "approved"
    return item


def _score(answer_id):
    db.session.expire_all()
    with as_actor(None):
        return db.session.get(Answer, answer_id).score


def _vote_rows(answer_id):
    return db.session.execute(
        select(func.count()).select_from(AnswerVote).where(AnswerVote.answer_id == answer_id)
    ).scalar_one()


def test_one_vote_per_member_and_changing_it(client, login_as, make_user, answer):
    voter = make_user("voter")
    login_as(client, voter)
    url = f"/p/qa/a/{answer.id}/vote"
    assert client.post(url, data={"value": "up"}).status_code == 302
    assert client.post(url, data={"value": "up"}).status_code == 302  # a double vote counts once
    assert _score(answer.id) == 1 and _vote_rows(answer.id) == 1
    assert client.post(url, data={"value": "down"}).status_code == 302  # changing the vote
    assert _score(answer.id) == -1 and _vote_rows(answer.id) == 1
    assert client.post(url, data={"value": "clear"}).status_code == 302  # withdrawing it
    assert _score(answer.id) == 0 and _vote_rows(answer.id) == 0
    second = make_user("second")
    login_as(client, voter)
    client.post(url, data={"value": "up"})
    login_as(client, second)
    client.post(url, data={"value": "up"})
    assert _score(answer.id) == 2 and _vote_rows(answer.id) == 2


def test_no_votes_on_your_own_answer(client, login_as, answerer, answer):
    login_as(client, answerer)
    assert client.post(f"/p/qa/a/{answer.id}/vote", data={"value": "up"}).status_code == 403
    assert _score(answer.id) == 0 and _vote_rows(answer.id) == 0
    page = client.get(f"/p/qa/q/{answer.question_id}").data
    assert b"Vote up" not in page


def test_bad_votes_are_clear_4xx(client, login_as, make_user, answer):
    assert client.post(f"/p/qa/a/{answer.id}/vote", data={"value": "up"}).status_code in (302, 401)
    login_as(client, make_user("voter"))
    assert client.post(f"/p/qa/a/{answer.id}/vote", data={"value": "sideways"}).status_code == 400
    assert client.post("/p/qa/a/99999/vote", data={"value": "up"}).status_code == 404
    assert client.get(f"/p/qa/a/{answer.id}/vote").status_code == 405
    assert _vote_rows(answer.id) == 0


def test_suspended_members_cannot_vote(client, login_as, make_user, answer):
    from datetime import timedelta

    from forum.sdk import utcnow

    login_as(client, make_user("banned", suspended_until=utcnow() + timedelta(days=1)))
    assert client.post(f"/p/qa/a/{answer.id}/vote", data={"value": "up"}).status_code == 403
    assert _vote_rows(answer.id) == 0


def test_pending_answers_cannot_be_voted(client, login_as, make_user, member, published_question):
    with as_actor(member):
        pending = services.answer(published_question, member, "Pending answer")
    db.session.commit()
    login_as(client, make_user("voter"))
    assert client.post(f"/p/qa/a/{pending.id}/vote", data={"value": "up"}).status_code == 404


def _accepted(question_id):
    db.session.expire_all()
    with as_actor(None):
        return [
            a.id
            for a in db.session.execute(
                select(Answer).where(
                    Answer.question_id == question_id, Answer.accepted_at.is_not(None)
                )
            ).scalars()
        ]


def test_asker_accepts_one_answer(client, login_as, trusted, make_user, published_question, answer):
    other_author = make_user("other", trusted_override=True)
    with as_actor(other_author):
        other = services.answer(published_question, other_author, "Another view")
    db.session.commit()
    login_as(client, trusted)
    assert client.post(f"/p/qa/a/{answer.id}/accept").status_code == 302
    assert _accepted(published_question.id) == [answer.id]
    assert client.post(f"/p/qa/a/{other.id}/accept").status_code == 302  # switching: still one
    assert _accepted(published_question.id) == [other.id]
    page = client.get(f"/p/qa/q/{published_question.id}").data.decode()
    assert page.index("Another view") < page.index(
        "Meet monthly"
    )  # the accepted answer comes first
    assert "Accepted answer" in page
    assert client.post(f"/p/qa/a/{other.id}/accept", data={"accepted": "0"}).status_code == 302
    assert _accepted(published_question.id) == []


def test_moderator_accepts_and_it_is_audited(
    client, login_as, moderator, published_question, answer
):
    from forum.testing import AuditEntry

    login_as(client, moderator)
    assert client.post(f"/p/qa/a/{answer.id}/accept").status_code == 302
    assert _accepted(published_question.id) == [answer.id]
    entries = db.session.execute(select(AuditEntry)).scalars().all()
    assert [(e.action, e.target_type, e.target_id) for e in entries] == [
        ("qa.answer.accept", "answer", answer.id)
    ]


def test_others_may_not_accept(client, login_as, make_user, answerer, published_question, answer):
    for who in (make_user("stranger"), answerer, make_user("expert2", roles=("member", "expert"))):
        login_as(client, who)
        assert client.post(f"/p/qa/a/{answer.id}/accept").status_code == 403
    anonymous = client.application.test_client()
    assert anonymous.post(f"/p/qa/a/{answer.id}/accept").status_code == 401
    assert _accepted(published_question.id) == []
