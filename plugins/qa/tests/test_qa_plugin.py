"""The plugin as a whole: registration, the thread tab, core editors, disabling, CLI demo, migrations."""

import json

from forum_qa.models import Question
from sqlalchemy import select

from forum.sdk import as_actor, db


def _disable(name="qa"):
    from forum.testing import set_enabled

    set_enabled(name, False)
    db.session.commit()


def test_thread_has_a_questions_tab(client, characteristic):
    page = client.get("/c/confidentiality")
    assert page.status_code == 200
    assert b'href="/p/qa/c/confidentiality/questions"' in page.data


def test_disabled_plugin_routes_404_and_tab_disappears(client, characteristic, published_question):
    assert client.get("/p/qa/unanswered").status_code == 200
    with client.get("/p/qa/static/qa.css") as css:
        assert css.status_code == 200
    _disable()
    for url in (
        "/p/qa/unanswered",
        "/p/qa/c/confidentiality/questions",
        f"/p/qa/q/{published_question.id}",
        "/p/qa/questions.atom",
        "/p/qa/static/qa.css",
        "/p/qa/interview/new?characteristic=confidentiality",
    ):
        assert client.get(url).status_code == 404, url
    page = client.get("/c/confidentiality").data
    assert b"/p/qa/c/confidentiality/questions" not in page
    assert b"qa.css" not in page
    from forum.testing import available_formats as available

    assert "interview" not in available("comment")
    # fail closed: its content is invisible to everyone while the plugin is off
    db.session.expunge_all()
    with as_actor(None):
        assert db.session.execute(select(Question)).scalars().all() == []


def test_core_comment_form_posts_an_interview(client, login_as, trusted, characteristic):
    from forum.sdk import bypass
    from forum.testing import Comment

    login_as(client, trusted)
    page = client.get("/c/confidentiality").data.decode()
    assert 'name="interview-interviewer"' in page and 'value="interview"' in page
    response = client.post(
        "/c/confidentiality/comments",
        data={
            "body_format": "interview",
            "body": "",
            "interview-interviewer": "Ada",
            "interview-interviewees": "Ben",
            "interview-turns-0-speaker": "0",
            "interview-turns-0-text": "Why?",
            "interview-turns-1-speaker": "1",
            "interview-turns-1-text": "Because.",
        },
    )
    assert response.status_code in (302, 303)
    comment = db.session.execute(
        select(Comment).execution_options(**bypass("core", "test"))
    ).scalar_one()
    assert comment.body_format == "interview"
    assert json.loads(comment.body_source)["speakers"][1]["name"] == "Ben"
    page = client.get("/c/confidentiality").data.decode()
    assert '<dt class="speaker interviewee">Ben</dt>' in page


def test_seed_demo_adds_an_interview_and_an_accepted_expert_answer(
    runner, make_characteristic, client
):
    from forum_qa.models import Answer

    from forum.testing import Comment

    make_characteristic(slug="confidentiality", title="Confidentiality")
    result = runner.invoke(args=["forum", "qa", "seed-demo"])
    assert result.exit_code == 0, result.output
    again = runner.invoke(args=["forum", "qa", "seed-demo"])
    assert "already" in again.output
    db.session.expunge_all()
    with as_actor(None):
        [question] = db.session.execute(select(Question)).scalars().all()
        [answer] = db.session.execute(select(Answer)).scalars().all()
        comments = (
            db.session.execute(select(Comment).where(Comment.body_format == "interview"))
            .scalars()
            .all()
        )
    assert answer.accepted_at is not None and answer.question_id == question.id
    assert (
        len(comments) == 1 and "(demo)" not in comments[0].body_html
    )  # names, marked in the intro
    assert "Demo data" in comments[0].body_html
    page = client.get(f"/p/qa/q/{question.id}").data.decode()
    assert "Accepted answer" in page and "qa-expert-badge" in page and "(demo)" in page
    with as_actor(None):  # an interview-format part, live for the public
        from forum.sdk import Part

        [part] = (
            db.session.execute(select(Part).where(Part.body_format == "interview")).scalars().all()
        )
    thread = client.get(f"/c/confidentiality/part/{part.part_number}").data.decode()
    assert 'class="interview"' in thread and "Mira Castell" in thread


def test_plugin_migration_branch_is_registered(app):
    from forum.testing import plugin_locations

    labels = {loc.label for loc in plugin_locations()}
    assert "qa" in labels


def test_expert_writes_an_interview_part_and_edits_it_again(
    client, login_as, make_user, characteristic
):
    from forum.sdk import Part

    expert = make_user("writer", roles=("member", "expert"))
    login_as(client, expert)
    form = client.get("/parts/new")
    assert form.status_code == 200 and b'name="interview-turns-0-text"' in form.data
    response = client.post(
        "/parts/new",
        data={
            "characteristic_id": str(characteristic.id),
            "part_number": "1",
            "title": "An interview",
            "body_format": "interview",
            "body": "",
            "save": "Save draft",
            "interview-interviewer": "Ada",
            "interview-interviewees": "Ben",
            "interview-turns-0-speaker": "0",
            "interview-turns-0-text": "First question?",
            "interview-turns-1-speaker": "1",
            "interview-turns-1-text": "First answer.",
        },
    )
    assert response.status_code == 302
    with as_actor(expert):
        part = db.session.execute(select(Part)).scalar_one()
    assert part.body_format == "interview" and '<dl class="interview">' in part.body_html
    edit = client.get(f"/parts/{part.id}/edit").data.decode()
    assert (
        'value="Ada"' in edit and "First answer.</textarea>" in edit
    )  # the editor reloads the turns
