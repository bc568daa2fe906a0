"""The review queue never loses what a moderator typed: a refused decision comes back (422) with
its message beside the field and the reasons, dates and ticks as they were."""

import html

from sqlalchemy import select

from forum.discussion.models import Comment
from forum.extensions import db
from forum.visibility import bypass


def status_of(comment_id):
    db.session.expire_all()
    return db.session.execute(
        select(Comment.status)
        .where(Comment.id == comment_id)
        .execution_options(**bypass("core", "test check"))
    ).scalar_one()


def test_reject_without_a_reason_keeps_the_queue_and_the_other_reasons(
    mod_client, make_comment, audit_count
):
    first = make_comment(status="pending", body="First waiting comment")
    second = make_comment(status="pending", body="Second waiting comment")
    response = mod_client.post(
        "/moderation/queue",
        data={
            "decide": f"reject:comment:{first.id}",
            f"reason-comment:{first.id}": "   ",
            f"reason-comment:{second.id}": "Half-written reason for the other one",
            "item": [f"comment:{second.id}"],
        },
    )
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert "First waiting comment" in page  # the queue itself, not an error page
    assert (
        f'name="reason-comment:{first.id}" rows="2" aria-invalid="true"' in page
        and "Give a reason for rejecting; the author will read it." in page
    )
    assert ">Half-written reason for the other one</textarea>" in page
    assert f'value="comment:{second.id}" id="check-2" checked' in page
    assert status_of(first.id) == "pending" and audit_count() == 0


def test_bulk_reject_without_a_reason_marks_the_bulk_field(mod_client, make_comment):
    waiting = make_comment(status="pending", body="Waiting")
    response = mod_client.post(
        "/moderation/queue", data={"action": "reject", "item": [f"comment:{waiting.id}"]}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="bulk-reason-help" class="field-help"><p class="error">Give a reason' in page
    assert f'value="comment:{waiting.id}" id="check-1" checked' in page


def test_a_publish_date_that_is_not_one_is_shown_beside_it(mod_client, make_part):
    part = make_part(status="submitted", publish_at=None)
    response = mod_client.post(
        "/moderation/queue",
        data={
            "decide": f"approve:part:{part.id}",
            f"publish_at-part:{part.id}": "next tuesday",
            f"reason-part:{part.id}": "kept note",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The publish date is not a date and time." in page
    assert 'value="next tuesday" aria-invalid="true"' in page and ">kept note</textarea>" in page


def test_the_refused_queue_keeps_its_filter(mod_client, make_comment):
    waiting = make_comment(status="pending", body="Filtered")
    response = mod_client.post(
        "/moderation/queue?kind=comment", data={"decide": f"reject:comment:{waiting.id}"}
    )
    assert response.status_code == 422
    assert 'action="/moderation/queue?kind=comment"' in response.get_data(as_text=True)
    good = mod_client.post(
        "/moderation/queue?kind=comment",
        data={"decide": f"reject:comment:{waiting.id}", f"reason-comment:{waiting.id}": "Spam"},
    )
    assert good.status_code == 303 and status_of(waiting.id) == "rejected"


def test_hiding_without_a_reason_shows_the_item_page_again(mod_client, make_comment):
    comment = make_comment(body="Borderline words")
    response = mod_client.post(f"/moderation/content/comment/{comment.id}/hide", data={})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Borderline words" in page and 'id="reason-help"' in page
    assert comment.hidden_at is None
