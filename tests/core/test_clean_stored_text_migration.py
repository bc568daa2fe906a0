"""core_0004_clean_text and qa_0003 clean text stored before the input rule: control characters
removed everywhere, line breaks of single-line columns turned into spaces."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from forum.discussion.models import Comment
from forum.extensions import db
from forum.visibility import bypass


def test_migrations_clean_core_and_plugin_tables(
    app, make_characteristic, make_comment, make_part, make_user
):
    from forum_qa import services
    from forum_qa.models import Question

    # The rows are written with today's models, then the schema goes back to before the rule
    # (the columns added since are dropped, the rows kept) and forward again.
    try:
        trait = make_characteristic()
        author = make_user(display_name="Dr\x0bAda\nLovelace", bio="Line one\r\nline\x01 two")
        comment = make_comment(
            characteristic=trait, author=None, guest_name="Ann\x01\nLee", body="a\x0bb\r\nc\x85d\re"
        )
        part = make_part(
            characteristic=trait, author=author, title="Title\x0b\nnext", body="Body\x1f\n\tok"
        )
        question = services.ask(trait, author, "Why\x01\nnow?", "Detail\x7f\nmore")
        db.session.commit()
        ids = comment.id, part.id, question.id, author.id
        db.session.remove()
        downgrade(revision="core_0003_search_filters")
        downgrade(revision="qa_0002")
        upgrade(revision="heads")
    finally:
        upgrade(revision="heads")
    from forum.accounts.models import User
    from forum.series.models import Part

    options = bypass("core", "test")
    comment = db.session.execute(
        select(Comment).where(Comment.id == ids[0]).execution_options(**options)
    ).scalar_one()
    assert comment.guest_name == "Ann Lee"
    assert comment.body_source == "ab\ncde"
    part = db.session.execute(
        select(Part).where(Part.id == ids[1]).execution_options(**options)
    ).scalar_one()
    assert part.title == "Title next"
    assert part.body_source == "Body\n\tok"
    question = db.session.execute(
        select(Question).where(Question.id == ids[2]).execution_options(**bypass("qa", "test"))
    ).scalar_one()
    assert question.title == "Why now?"
    assert question.body_source == "Detail\nmore"
    user = db.session.get(User, ids[3])
    assert user.display_name == "DrAda Lovelace"
    assert user.bio == "Line one\nline two"
