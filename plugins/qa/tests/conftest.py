"""Q&A plugin test helpers, built on forum.testing's fixtures only."""

import pytest


@pytest.fixture
def member(make_user):
    """An untrusted new member: their questions and answers wait for a moderator."""
    return make_user("newbie", roles=("member",))


@pytest.fixture
def trusted(make_user):
    return make_user("regular", roles=("member",), trusted_override=True)


@pytest.fixture
def expert(make_user):
    return make_user("expertise", roles=("member", "expert"), display_name="Dr Expert")


@pytest.fixture
def moderator(make_user):
    return make_user("mod", roles=("member", "moderator"))


@pytest.fixture
def characteristic(make_characteristic):
    return make_characteristic(slug="confidentiality", title="Confidentiality")


@pytest.fixture
def published_question(characteristic, trusted):
    """A public question asked by ``trusted``."""
    from forum_qa import services

    from forum.sdk import db

    question = services.ask(
        characteristic, trusted, "How do I start a mentoring pair?", "Some *detail*."
    )
    db.session.commit()
    assert question.status == "approved"
    return question
