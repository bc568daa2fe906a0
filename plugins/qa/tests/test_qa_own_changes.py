"""Authors edit their own questions and answers for a while and delete them at any time; a
moderator deletes anyone's (audited); what a hidden or deleted question takes with it; trust."""

from datetime import timedelta

from forum_qa import services
from forum_qa.models import Answer, Question
from sqlalchemy import select

from forum.sdk import as_actor, bypass, db

YES = {"confirm": "y"}  # deleting asks first: the confirmation box, ticked

EVERY = bypass("qa", "test: what is stored")


def _stored(model, obj_id):
    return db.session.execute(
        select(model).where(model.id == obj_id).execution_options(**EVERY)
    ).scalar_one()


def _answer(question, author, body="Start with a short agreement."):
    item = services.answer(question, author, body)
    db.session.commit()
    return item


def test_the_asker_edits_title_and_details_and_the_page_says_edited(
    client, login_as, trusted, published_question
):
    login_as(client, trusted)
    url = f"/p/qa/q/{published_question.id}/edit"
    form = client.get(url)
    assert form.status_code == 200 and b"How do I start a mentoring pair?" in form.data
    response = client.post(
        url, data={"title": "How do we start a mentoring pair?", "body": "More *detail*."}
    )
    assert response.status_code == 302
    stored = _stored(Question, published_question.id)
    assert (stored.title, stored.body_source, stored.status) == (
        "How do we start a mentoring pair?",
        "More *detail*.",
        "approved",
    )
    assert "<em>detail</em>" in stored.body_html and stored.edited_at is not None
    page = client.application.test_client().get(f"/p/qa/q/{published_question.id}").data.decode()
    assert "How do we start a mentoring pair?" in page and "· edited" in page


def test_a_bad_edit_is_a_422_that_keeps_what_was_typed_and_changes_nothing(
    client, login_as, trusted, published_question
):
    login_as(client, trusted)
    response = client.post(
        f"/p/qa/q/{published_question.id}/edit", data={"title": "Hm", "body": "kept text"}
    )
    assert response.status_code == 422 and b"kept text" in response.data
    assert _stored(Question, published_question.id).title == "How do I start a mentoring pair?"


def test_an_untrusted_answer_edit_goes_back_to_review(
    client, login_as, member, moderator, published_question
):
    item = _answer(published_question, member)
    assert services.decide(item, moderator, True) is True
    db.session.commit()
    login_as(client, member)
    assert (
        client.post(f"/p/qa/a/{item.id}/edit", data={"body": "A changed answer."}).status_code
        == 302
    )
    stored = _stored(Answer, item.id)
    assert (stored.body_source, stored.status) == ("A changed answer.", "pending")
    assert (
        b"A changed answer."
        not in client.application.test_client().get(f"/p/qa/q/{published_question.id}").data
    )


def test_others_may_not_edit_and_the_window_closes(
    client, login_as, make_user, trusted, moderator, published_question
):
    url = f"/p/qa/q/{published_question.id}/edit"
    for outsider in (make_user("other"), moderator):
        login_as(client, outsider)
        assert client.get(url).status_code == 403
        assert (
            client.post(url, data={"title": "Taken over by someone", "body": ""}).status_code == 403
        )
    assert client.application.test_client().get(url).status_code == 401
    published_question.created_at -= timedelta(minutes=31)
    db.session.commit()
    login_as(client, trusted)
    assert client.get(url).status_code == 403
    assert b"Edit</a>" not in client.get(f"/p/qa/q/{published_question.id}").data
    assert client.get("/p/qa/x/1/edit").status_code == 404


def test_an_author_deletes_their_answer_and_it_is_gone_for_everyone_but_moderators(
    client, login_as, trusted, make_user, moderator, published_question
):
    from forum.testing import AuditEntry

    answerer = make_user("answerer", trusted_override=True)
    item = _answer(published_question, answerer, "An answer to delete.")
    login_as(client, answerer)
    assert b"An answer to delete." in client.get(f"/p/qa/q/{published_question.id}").data
    assert client.post(f"/p/qa/a/{item.id}/delete", data=YES).status_code == 302
    assert (
        client.post(f"/p/qa/a/{item.id}/delete", data=YES).status_code == 404
    )  # gone for its author too
    for reader in (None, answerer, trusted):
        with as_actor(reader):
            assert (
                db.session.execute(select(Answer).where(Answer.id == item.id)).scalar_one_or_none()
                is None
            )
    assert b"An answer to delete." not in client.get(f"/p/qa/q/{published_question.id}").data
    assert db.session.execute(select(AuditEntry)).scalars().all() == []  # one's own: no audit entry
    login_as(client, moderator)
    assert b"An answer to delete." in client.get(f"/p/qa/q/{published_question.id}").data
    login_as(client, make_user("stranger"))
    assert client.post(f"/p/qa/q/{published_question.id}/delete", data=YES).status_code == 403


def test_a_moderator_deletes_a_question_audited_and_its_answers_leave_search(
    client, login_as, trusted, make_user, moderator, published_question
):
    from forum.testing import AuditEntry

    answerer = make_user("answerer", trusted_override=True)
    item = _answer(published_question, answerer, "Zanzibarian advice on first meetings.")
    hit = f"#answer-{item.id}"
    readers = {None: client.application.test_client()}
    for user in (trusted, answerer):
        readers[user] = client.application.test_client()
        login_as(readers[user], user)
    for reader in readers.values():
        assert hit in reader.get("/search?q=zanzibarian").data.decode()
    login_as(client, moderator)
    assert (
        client.post(
            f"/p/qa/q/{published_question.id}/delete", data={"reason": "off topic", **YES}
        ).status_code
        == 302
    )
    entries = db.session.execute(select(AuditEntry)).scalars().all()
    assert [(e.action, e.target_id, e.reason) for e in entries] == [
        ("qa.question.delete", published_question.id, "off topic")
    ]
    for user, reader in readers.items():
        assert hit not in reader.get("/search?q=zanzibarian").data.decode(), user
    assert readers[None].get(f"/p/qa/q/{published_question.id}").status_code == 404


def test_a_hidden_question_hides_its_answers_and_unhiding_brings_them_back(
    make_user, moderator, published_question
):
    from forum.sdk import User

    answerer = make_user("answerer", trusted_override=True)
    item_id, answerer_id, question_id = (
        _answer(published_question, answerer).id,
        answerer.id,
        published_question.id,
    )
    moderator_id = moderator.id

    def visible_to(user_id):
        db.session.expunge_all()
        with as_actor(db.session.get(User, user_id) if user_id else None):
            return db.session.get(Answer, item_id) is not None

    assert visible_to(None)
    assert services.set_hidden(
        _stored(Question, question_id), db.session.get(User, moderator_id), True, "check"
    )
    db.session.commit()
    assert not visible_to(None)
    assert visible_to(answerer_id)  # its author still sees their own
    assert services.set_hidden(
        _stored(Question, question_id), db.session.get(User, moderator_id), False
    )
    db.session.commit()
    assert visible_to(None)


def test_decisions_on_questions_and_answers_count_towards_trust(
    member, moderator, characteristic, published_question
):
    from forum.sdk import is_trusted

    for n in range(3):
        with as_actor(member):
            question = services.ask(characteristic, member, f"My question number {n}", "")
        db.session.commit()
        assert question.status == "pending"
        services.decide(question, moderator, True)
        db.session.commit()
    db.session.refresh(member)
    assert member.approved_comment_count == 3 and is_trusted(member)
    assert (
        services.answer(published_question, member, "Now published at once.").status == "approved"
    )


def test_waiting_questions_and_answers_show_in_the_core_review_queue(
    client, login_as, member, make_user, moderator, characteristic, published_question
):
    with as_actor(member):
        services.ask(characteristic, member, "A question that waits", "")
        services.answer(published_question, member, "An answer that waits.")
    db.session.commit()
    login_as(client, moderator)
    page = client.get("/moderation/queue").get_data(as_text=True)
    assert (
        '<a href="/p/qa/moderation">Questions and answers</a> <span class="count">2</span>' in page
    )
    assert 'Review queue <span class="badge">2</span>' in page
    login_as(client, make_user("plain"))
    assert client.get("/moderation/queue").status_code == 403


def test_an_asker_deletes_their_question_and_lands_on_the_list(
    client, login_as, trusted, published_question
):
    login_as(client, trusted)
    response = client.post(f"/p/qa/q/{published_question.id}/delete", data=YES)
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/p/qa/c/confidentiality/questions"
    )
    assert client.get(f"/p/qa/q/{published_question.id}").status_code == 404
    assert "How do I start a mentoring pair?" not in client.get(
        "/p/qa/c/confidentiality/questions"
    ).get_data(as_text=True)


def test_a_pending_question_its_author_deleted_leaves_the_review(
    client, login_as, member, moderator, characteristic
):
    with as_actor(member):
        question = services.ask(characteristic, member, "Withdrawn before review", "")
    db.session.commit()
    login_as(client, member)
    assert client.post(f"/p/qa/q/{question.id}/delete", data=YES).status_code == 302
    login_as(client, moderator)
    assert "Withdrawn before review" not in client.get("/p/qa/moderation").get_data(as_text=True)
    queue = client.get("/moderation/queue").get_data(as_text=True)
    assert 'Questions and answers</a> <span class="count">0</span>' in queue  # linked, empty
