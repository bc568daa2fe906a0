"""Leaving: export what the member may see; deletion when both ask or after the set time; quotes."""

import json
from datetime import timedelta

from forum_pair_spaces.models import (
    SPACE_MODELS,
    GuidanceMessage,
    GuidanceRequest,
    Pair,
    QuoteRequest,
)
from forum_pair_spaces.services.leaving import purge_expired
from pair_kit import fill_space, rows, text_of
from sqlalchemy import select

from forum.sdk import db, utcnow
from forum.testing import AuditEntry


def test_export_contains_everything_the_member_may_see_and_not_the_others_journal(kit, make_user):
    supervisor = make_user(roles=("member", "supervisor"))
    pair, mentor, mentee = kit.pair()
    fill_space(kit, pair, mentor, mentee, "EXPCANARY", supervisor=supervisor)
    data = json.loads(
        kit.get(mentor, f"/p/pair_spaces/{pair.id}/export.json").get_data(as_text=True)
    )
    blob = json.dumps(data)
    for piece in (
        "edited",
        "roleplay",
        "note-title",
        "note-body",
        "goal",
        "meeting",
        "journal-mentor",
        "agreement-suitability",
        "issue",
        "resp",
        "proposal",
        "refusal",
        "notice-what",
        "notice-whom",
        "quote",
        "purpose",
        "guidance-ask",
        "guidance-reply",
    ):
        assert f"EXPCANARY-{piece}" in blob, piece
    assert "EXPCANARY-journal-mentee" not in blob
    assert any(m["role_play"] for m in data["messages"])
    # the mentee's export has the mentee's journal, and not the mentor's guidance thread
    markdown = kit.get(mentee, f"/p/pair_spaces/{pair.id}/export.md")
    assert markdown.mimetype == "text/markdown" and markdown.headers["Cache-Control"] == "no-store"
    text = markdown.get_data(as_text=True)
    assert "EXPCANARY-journal-mentee" in text and "EXPCANARY-journal-mentor" not in text
    assert "EXPCANARY-guidance-ask" not in text and "EXPCANARY-note-body" in text


def _space_rows(pair_id):
    count = sum(len(rows(model, model.pair_id == pair_id)) for model in SPACE_MODELS)
    return count + len(rows(GuidanceRequest)) + len(rows(GuidanceMessage))


def test_deletion_when_both_ask_is_audited_without_content(kit, make_user, client):
    supervisor = make_user(roles=("member", "supervisor"))
    pair, mentor, mentee = kit.pair()
    fill_space(kit, pair, mentor, mentee, "DELCANARY", supervisor=supervisor)
    base = f"/p/pair_spaces/{pair.id}"
    kit.post(mentor, f"{base}/delete-request", {"confirm": "y"}, status=422)  # end the pair first
    kit.post(mentor, f"{base}/end", {"confirm": "y"}, status=303)
    kit.post(mentor, f"{base}/delete-request", {"confirm": "y"}, status=303)
    assert _space_rows(pair.id) > 10 and rows(Pair)[0].space_deleted_at is None
    kit.post(mentee, f"{base}/delete-request", {"confirm": "y"}, status=303)
    assert _space_rows(pair.id) == 0
    assert rows(Pair)[0].space_deleted_at is not None
    entries = db.session.execute(select(AuditEntry)).scalars().all()
    deleted = [e for e in entries if e.action == "pair_space.deleted"]
    assert (
        len(deleted) == 1 and deleted[0].target_id == pair.id and deleted[0].actor_id == mentee.id
    )
    assert "DELCANARY" not in json.dumps(
        [e.reason for e in entries] + [e.before for e in entries] + [e.after for e in entries],
        default=str,
    )
    kit.get(mentor, base, status=410)
    assert "Ended" in client.get("/p/pair_spaces/pairs").get_data(as_text=True)  # existence stays


def test_deletion_after_the_set_time_once_one_has_asked(kit, app):
    pair, mentor, mentee = kit.pair()
    other, m2, _ = kit.pair()
    for p, user in ((pair, mentor), (other, m2)):
        kit.post(user, f"/p/pair_spaces/{p.id}/messages", {"body": "x"}, status=303)
        kit.post(user, f"/p/pair_spaces/{p.id}/end", {"confirm": "y"}, status=303)
    kit.post(mentee, f"/p/pair_spaces/{pair.id}/delete-request", {"confirm": "y"}, status=303)
    assert purge_expired() == []  # too soon
    for p in rows(Pair):
        p.ended_at = utcnow() - timedelta(days=91)  # shift time in the DB, no sleeping
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["forum", "pair-spaces", "purge"])
    assert result.exit_code == 0 and "Deleted 1 space(s)." in result.output
    by_id = {p.id: p for p in rows(Pair)}
    assert by_id[pair.id].space_deleted_at is not None and by_id[other.id].space_deleted_at is None
    audit = (
        db.session.execute(select(AuditEntry).where(AuditEntry.action == "pair_space.deleted"))
        .scalars()
        .all()
    )
    assert [(a.target_id, a.actor_id) for a in audit] == [(pair.id, None)]


def test_quote_needs_the_other_party_to_approve_the_exact_text(kit):
    pair, mentor, mentee = kit.pair()
    base = f"/p/pair_spaces/{pair.id}"
    kit.post(
        mentee, f"{base}/quotes", {"text": "Listen first.", "purpose": "a blog comment"}, status=303
    )
    quote = rows(QuoteRequest)[0]
    kit.post(mentee, f"{base}/quotes/{quote.id}/decide", {"decision": "approve"}, status=422)
    kit.post(mentor, f"{base}/quotes/{quote.id}/decide", {"decision": "perhaps"}, status=400)
    kit.post(mentor, f"{base}/quotes/{quote.id}/decide", {"decision": "approve"}, status=303)
    assert rows(QuoteRequest)[0].status == "approved"
    kit.post(mentor, f"{base}/quotes/{quote.id}/decide", {"decision": "refuse"}, status=422)
    assert "approved" in text_of(kit.get(mentee, f"{base}/quotes"))


def test_run_jobs_purges_expired_spaces_through_the_plugins_own_job(kit, app):
    """Core calls the purge only through ``register_periodic_jobs``; a disabled plugin's job waits."""
    from forum.testing import set_enabled

    pair, mentor, mentee = kit.pair()
    kit.post(mentor, f"/p/pair_spaces/{pair.id}/messages", {"body": "JOBCANARY"}, status=303)
    kit.post(mentor, f"/p/pair_spaces/{pair.id}/end", {"confirm": "y"}, status=303)
    kit.post(mentee, f"/p/pair_spaces/{pair.id}/delete-request", {"confirm": "y"}, status=303)
    rows(Pair)[0].ended_at = utcnow() - timedelta(days=91)
    set_enabled("pair_spaces", False)
    db.session.commit()
    runner = app.test_cli_runner()
    assert "pair_spaces.purge" not in runner.invoke(args=["forum", "run-jobs"]).output
    assert rows(Pair)[0].space_deleted_at is None
    set_enabled("pair_spaces", True)
    db.session.commit()
    result = runner.invoke(args=["forum", "run-jobs", "--only", "pair_spaces.purge"])
    assert result.exit_code == 0 and "pair_spaces.purge: ran (Deleted 1 space(s).)" in result.output
    assert "JOBCANARY" not in result.output
    db.session.expire_all()
    assert rows(Pair)[0].space_deleted_at is not None
    again = runner.invoke(args=["forum", "run-jobs", "--only", "pair_spaces.purge"])
    assert "pair_spaces.purge: not due" in again.output
