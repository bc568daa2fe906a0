"""The admin programme view (counts only, CSV, permission-checked) and the readable export."""

import csv
import io
import json

from forum_pair_spaces.models import MentorProfile
from mentor_kit import publish
from pair_kit import fill_space, rows, text_of

from forum.sdk import db


def test_admins_see_counts_only_and_can_download_them(kit, make_user):
    admin = make_user(roles=("member", "admin"))
    supervisor = make_user(roles=("member", "supervisor"))
    pair, mentor, mentee = kit.pair()
    fill_space(kit, pair, mentor, mentee, "PROGCANARY", supervisor=supervisor)
    ended, *_ = kit.pair()
    kit.post(ended.mentor, f"/p/pair_spaces/{ended.id}/end", {"confirm": "y"}, status=303)
    kit.post(
        kit.make_user(),
        "/p/pair_spaces/propose",
        {"username": mentee.username, "role": "mentor"},
        status=303,
    )
    assert "Mentoring programme" in text_of(kit.get(admin, "/admin/"))
    page = text_of(kit.get(admin, "/p/pair_spaces/admin/programme"))
    for label, count in (
        ("Pairs active", 1),
        ("Pairs ended", 1),
        ("Proposals waiting", 1),
        ("Guidance requests open", 1),
    ):
        assert f'<th scope="row">{label}</th><td>{count}</td>' in page, label
    body = kit.get(admin, "/p/pair_spaces/admin/programme.csv").get_data(as_text=True)
    table = list(csv.reader(io.StringIO(body)))
    assert table[0] == ["measure", "key", "count", "as_of_utc"]
    assert {row[1]: row[2] for row in table[1:]} == {
        "pairs_active": "1",
        "pairs_ended": "1",
        "proposals_waiting": "1",
        "guidance_open": "1",
    }
    for text in (page, body):
        assert "PROGCANARY" not in text and supervisor.username not in text
        assert mentor.username not in text and mentee.username not in text
    for user in (mentor, supervisor, make_user(roles=("member", "moderator"))):
        kit.get(user, "/p/pair_spaces/admin/programme", status=403)
        kit.get(user, "/p/pair_spaces/admin/programme.csv", status=403)
    assert "Mentoring programme" not in text_of(kit.get(mentor, "/"))


def test_the_markdown_export_uses_labels_headings_and_the_members_time_zone(kit, make_user):
    supervisor = make_user(roles=("member", "supervisor"))
    pair, mentor, mentee = kit.pair()
    fill_space(kit, pair, mentor, mentee, "LBL", supervisor=supervisor)
    text = kit.get(mentor, f"/p/pair_spaces/{pair.id}/export.md").get_data(as_text=True)
    for heading in (
        "## Confidentiality agreement",
        "## Conversation",
        "## Shared notes",
        "## Goals",
        "## Meetings",
        "## My journal",
        "## Confidentiality concerns",
        "## My guidance requests",
        "## Quote requests",
    ):
        assert f"\n{heading}\n" in text, heading
    assert "#### If the mentor is asked about the mentee's suitability for a role" in text
    assert "— In progress" in text and "in_progress" not in text
    assert "refuses: LBL-refusal" in text and "— Approved" in text
    assert "**suitability**" not in text and "[in_progress]" not in text  # no internal keys
    assert "All times are in UTC." in text and "T" not in text.split("Formed: ")[1][:12]
    assert "January 15, 2026" in text  # the meeting date, written for people (Babel, English)
    publish(kit, mentor, time_zone="Asia/Tokyo")
    local = kit.get(mentor, f"/p/pair_spaces/{pair.id}/export.md").get_data(as_text=True)
    assert "All times are in Asia/Tokyo." in local
    assert rows(MentorProfile)[0].time_zone == "Asia/Tokyo"
    mentor.locale = "fr"  # the export speaks the exporter's language
    db.session.commit()
    french = kit.get(mentor, f"/p/pair_spaces/{pair.id}/export.md").get_data(as_text=True)
    assert "\n## Notes partagées\n" in french and "15 janvier 2026" in french
    assert "Tous les horaires sont en Asia/Tokyo." in french
    data = json.loads(kit.get(mentor, f"/p/pair_spaces/{pair.id}/export.json").get_data())
    assert data["goals"][0]["status"] == "in_progress"  # JSON keeps the documented keys
    assert data["guidance"][0]["asked_as"] == "mentor" and data["guidance"][0]["signed"] is False
    db.session.rollback()
