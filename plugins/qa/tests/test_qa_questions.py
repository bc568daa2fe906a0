"""Questions and answers: asking, moderation, visibility, notifications, listings and feeds."""

import feedparser
from forum_qa import services
from forum_qa.models import Answer, Question
from sqlalchemy import select

from forum.sdk import as_actor, db


def _ask(
    client, slug="confidentiality", title="What is a good first meeting?", body="Tips *please*"
):
    return client.post(f"/p/qa/c/{slug}/questions", data={"title": title, "body": body})


def test_pending_questions_are_invisible_to_the_public(
    client, login_as, member, make_user, characteristic
):
    login_as(client, member)
    _ask(client, title="A pending question here")
    with as_actor(member):
        question = db.session.execute(select(Question)).scalar_one()
    assert question.status == "pending"
    # pages: the author sees it with a note; the public and other members do not
    page = client.get(f"/p/qa/q/{question.id}")
    assert page.status_code == 200 and b"waiting for a moderator" in page.data
    assert b"A pending question here" in client.get("/p/qa/c/confidentiality/questions").data
    for viewer in (None, make_user("other")):
        reader = client.application.test_client()
        if viewer:
            login_as(reader, viewer)
        assert reader.get(f"/p/qa/q/{question.id}").status_code == 404
        assert (
            b"A pending question here" not in reader.get("/p/qa/c/confidentiality/questions").data
        )
        assert b"A pending question here" not in reader.get("/p/qa/unanswered").data
        assert b"A pending question here" not in reader.get("/p/qa/questions.atom").data
    # a raw ORM query as the anonymous actor does not return it either
    question_id = question.id
    db.session.expunge_all()
    with as_actor(None):
        assert db.session.execute(select(Question)).scalars().all() == []
        assert db.session.get(Question, question_id) is None
    from forum.testing import call_all, flatten

    sources = {s.content_type: s for s in flatten(call_all("register_search_sources"))}
    assert list(sources["question"].documents()) == []


def test_moderator_approves_once_and_it_is_audited(
    client, login_as, member, moderator, characteristic
):
    from forum.testing import AuditEntry

    with as_actor(member):
        question = services.ask(characteristic, member, "Should I keep notes of our talks?", "")
    db.session.commit()
    login_as(client, moderator)
    queue = client.get("/p/qa/moderation")
    assert queue.status_code == 200 and b"Should I keep notes" in queue.data
    url = f"/p/qa/moderation/question/{question.id}/approve"
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302  # approving twice approves once
    db.session.expire_all()
    entries = (
        db.session.execute(select(AuditEntry).where(AuditEntry.target_type == "question"))
        .scalars()
        .all()
    )
    assert [(e.action, e.target_id) for e in entries] == [("qa.question.approve", question.id)]
    with as_actor(None):
        assert db.session.get(Question, question.id).status == "approved"
    anonymous = client.application.test_client()
    assert anonymous.get(f"/p/qa/q/{question.id}").status_code == 200
    # the author hears of it with a link to the question (the content type's path)
    from forum.testing import Notification

    notice = db.session.execute(
        select(Notification).where(Notification.user_id == member.id)
    ).scalar_one()
    assert notice.text == "A moderator approved your question."
    assert notice.url == f"/p/qa/q/{question.id}"


def test_an_approved_answer_s_notice_links_to_it(
    client, login_as, member, moderator, published_question
):
    from forum.testing import Notification

    with as_actor(member):
        answer = services.answer(published_question, member, "Meet once a month.")
    db.session.commit()
    login_as(client, moderator)
    assert client.post(f"/p/qa/moderation/answer/{answer.id}/approve").status_code == 302
    notice = db.session.execute(
        select(Notification).where(Notification.user_id == member.id)
    ).scalar_one()
    assert notice.url == f"/p/qa/q/{published_question.id}#answer-{answer.id}"


def test_reject_needs_a_reason_and_others_cannot_moderate(
    client, login_as, member, moderator, characteristic
):
    with as_actor(member):
        question = services.ask(characteristic, member, "Is this question any good?", "")
    db.session.commit()
    login_as(client, member)
    assert client.get("/p/qa/moderation").status_code == 403
    assert client.post(f"/p/qa/moderation/question/{question.id}/approve").status_code == 403
    login_as(client, moderator)
    assert client.post(f"/p/qa/moderation/question/{question.id}/reject").status_code == 422
    rejected = client.post(
        f"/p/qa/moderation/question/{question.id}/reject", data={"reason": "Off topic"}
    )
    assert rejected.status_code == 302
    assert "Question rejected." in client.get(rejected.location).get_data(as_text=True)
    assert client.post(f"/p/qa/moderation/nothing/{question.id}/approve").status_code == 404
    assert client.post("/p/qa/moderation/question/99999/approve").status_code == 404
    db.session.expire_all()
    with as_actor(moderator):
        assert db.session.get(Question, question.id).rejection_reason == "Off topic"


def test_hidden_questions_leave_public_pages_and_feeds(
    client, login_as, moderator, published_question
):
    anonymous = client.application.test_client()
    assert b"How do I start" in anonymous.get("/p/qa/questions.atom").data
    login_as(client, moderator)
    hidden = client.post(f"/p/qa/moderation/question/{published_question.id}/hide")
    assert hidden.status_code == 302
    assert "Question hidden." in client.get(hidden.location).get_data(as_text=True)
    assert anonymous.get(f"/p/qa/q/{published_question.id}").status_code == 404
    assert b"How do I start" not in anonymous.get("/p/qa/questions.atom").data
    assert b"How do I start" not in anonymous.get("/p/qa/c/confidentiality/questions").data


def test_answers_notify_the_asker_and_experts_carry_a_badge(
    client, login_as, expert, member, trusted, published_question
):
    from forum.testing import Notification

    login_as(client, expert)
    response = client.post(
        f"/p/qa/q/{published_question.id}/answers", data={"body": "Start with *goals*."}
    )
    assert response.status_code == 302
    notes = (
        db.session.execute(select(Notification).where(Notification.user_id == trusted.id))
        .scalars()
        .all()
    )
    assert [n.kind for n in notes] == ["qa.answer"]
    assert f"/p/qa/q/{published_question.id}" in notes[0].url
    # an untrusted member's answer waits, and the asker hears of it only once approved
    login_as(client, member)
    client.post(f"/p/qa/q/{published_question.id}/answers", data={"body": "My pending answer"})
    assert len(db.session.execute(select(Notification)).scalars().all()) == 1
    page = client.application.test_client().get(f"/p/qa/q/{published_question.id}").data.decode()
    assert "<em>goals</em>" in page and "My pending answer" not in page
    assert 'class="qa-expert-badge">Expert</span>' in page


def test_answer_validation_and_unknown_ids(client, login_as, member, published_question):
    assert client.post(
        f"/p/qa/q/{published_question.id}/answers", data={"body": "x"}
    ).status_code in (302, 401)
    login_as(client, member)
    assert (
        client.post(f"/p/qa/q/{published_question.id}/answers", data={"body": "  "}).status_code
        == 422
    )
    assert client.post("/p/qa/q/99999/answers", data={"body": "hello"}).status_code == 404
    assert client.get("/p/qa/q/99999999999").status_code == 404
    assert client.get("/p/qa/c/nope/questions").status_code == 404
    assert client.get("/p/qa/c/confidentiality/questions?page=abc").status_code == 400
    assert client.get("/p/qa/c/confidentiality/questions?page=99").status_code == 404
    assert client.get("/p/qa/c/confidentiality/questions?sort=bogus").status_code == 400
    assert _ask(client, title="x").status_code == 422


def test_sort_answers_by_votes_or_newest(client, make_user, trusted, published_question):
    a, b, voter = (
        make_user("aa", trusted_override=True),
        make_user("bb", trusted_override=True),
        make_user("cc"),
    )
    with as_actor(a):
        first = services.answer(published_question, a, "FIRST answer")
    with as_actor(b):
        second = services.answer(published_question, b, "SECOND answer")
    db.session.commit()
    services.vote(first, voter, 1)
    db.session.commit()
    by_votes = client.get(f"/p/qa/q/{published_question.id}?sort=votes").data.decode()
    newest = client.get(f"/p/qa/q/{published_question.id}?sort=newest").data.decode()
    assert by_votes.index("FIRST answer") < by_votes.index("SECOND answer")
    assert newest.index("SECOND answer") < newest.index("FIRST answer")
    assert second.id > first.id


def test_unanswered_lists_questions_across_the_series(
    client, make_characteristic, make_user, characteristic, published_question
):
    other = make_characteristic(series=None, slug="trust", title="Trust")
    asker = make_user("asker2", trusted_override=True)
    answerer = make_user("answerer", trusted_override=True)
    with as_actor(asker):
        open_question = services.ask(other, asker, "Nobody has answered this yet", "")
        services.answer(published_question, answerer, "An answer")
    db.session.commit()
    page = client.get("/p/qa/unanswered").data.decode()
    assert "Nobody has answered this yet" in page and "Trust" in page
    assert "How do I start a mentoring pair?" not in page
    assert open_question.status == "approved"


def test_feeds_are_valid_atom_with_public_questions_only(
    client, member, characteristic, published_question
):
    with as_actor(member):
        services.ask(characteristic, member, "Pending one, not in feeds", "")
    db.session.commit()
    for url in ("/p/qa/questions.atom", "/p/qa/c/confidentiality/questions.atom"):
        response = client.get(url)
        assert response.status_code == 200 and response.mimetype == "application/atom+xml"
        feed = feedparser.parse(response.data)
        assert not feed.bozo, feed.bozo_exception
        assert [e.title for e in feed.entries] == ["How do I start a mentoring pair?"]
        assert feed.entries[0].link.endswith(f"/p/qa/q/{published_question.id}")
        assert feed.entries[0].published


def test_search_sources_offer_public_questions_and_answers(app, make_user, published_question):
    from forum.testing import call_all, flatten

    answerer = make_user("helper", trusted_override=True)
    with as_actor(answerer):
        services.answer(published_question, answerer, "Agree on **confidentiality** first.")
    db.session.commit()
    sources = {s.content_type: s for s in flatten(call_all("register_search_sources"))}
    [question_doc] = sources["question"].documents()
    [answer_doc] = sources["answer"].documents()
    assert question_doc.title == "How do I start a mentoring pair?"
    assert "confidentiality" in answer_doc.body and "<strong>" not in answer_doc.body
    assert answer_doc.url.endswith(f"#answer-{db.session.execute(select(Answer.id)).scalar_one()}")


def test_public_questions_are_found_by_search_and_pending_ones_are_not(
    client, member, make_user, characteristic, published_question
):
    helper = make_user("helper", trusted_override=True)
    with as_actor(helper):
        services.answer(published_question, helper, "Agree on zygomorphic ground rules first.")
    with as_actor(member):
        services.ask(characteristic, member, "A pending xylophone question", "")
    db.session.commit()
    found = client.get("/search?q=mentoring+pair").data.decode()
    assert (
        f'<a href="/p/qa/q/{published_question.id}">How do I start a <mark>mentoring</mark>'
        in found
    )
    assert "zygomorphic" in client.get("/search?q=zygomorphic").data.decode()
    assert "xylophone question" not in client.get("/search?q=xylophone").data.decode()


def test_answer_counts_and_accepted_marks_follow_the_visibility_policy(
    client, login_as, member, moderator, make_user, published_question
):
    """The listing counts only the answers its reader may see: a pending answer counts for its
    author and the moderators, not for guests or other members, and a hidden accepted answer
    leaves no "accepted" mark behind."""
    answerer = make_user("helper", trusted_override=True)
    with as_actor(answerer):
        shown = services.answer(published_question, answerer, "A public answer")
    with as_actor(member):
        services.answer(published_question, member, "A pending answer")
    db.session.commit()
    services.accept(shown, published_question.author)
    db.session.commit()
    url = "/p/qa/c/confidentiality/questions?sort=answers"

    def counts(viewer):
        reader = client.application.test_client()
        if viewer is not None:
            login_as(reader, viewer)
        page = reader.get(url).get_data(as_text=True)
        return page.split('class="qa-counts">')[1].split("</p>")[0]

    assert counts(None).startswith('1 answer <span class="qa-accepted-mark">')
    assert counts(make_user("other")).startswith("1 answer <span")
    assert counts(member).startswith("2 answers <span")
    assert counts(moderator).startswith("2 answers <span")
    services.set_hidden(shown, moderator, True, "off topic")
    db.session.commit()
    assert counts(None) == "0 answers"
    assert counts(moderator).startswith("2 answers <span")
