"""The confidentiality agreement: admin template, re-acceptance of every change, all versions kept."""

import json

from forum_pair_spaces.models import AgreementVersion
from pair_kit import rows, text_of

SECTIONS = (
    "suitability",
    "line_manager_advice",
    "line_manager_meeting",
    "duty_of_care",
    "duties_in_law",
    "duties_to_organisation",
    "other",
)


def _version(pair, number):
    return [
        v for v in rows(AgreementVersion, AgreementVersion.pair_id == pair.id) if v.number == number
    ][0]


def test_a_change_needs_both_to_accept_again_and_every_version_is_kept(kit):
    pair, mentor, mentee = kit.pair()
    base = f"/p/pair_spaces/{pair.id}"
    proposal = {k: f"revised {k}" for k in SECTIONS}
    kit.post(mentee, f"{base}/agreement/propose", proposal, status=303)
    v1, v2 = _version(pair, 1), _version(pair, 2)
    assert v1.accepted and not v2.accepted and v2.proposed_by_id == mentee.id
    page = text_of(kit.get(mentor, f"{base}/agreement"))
    assert "In force: version 1" in page and "Waiting for acceptance: version 2" in page
    kit.get(mentor, base)  # the space stays open under version 1 meanwhile
    kit.post(mentee, f"{base}/agreement/{v2.id}/accept", status=303)
    assert "In force: version 1" in text_of(kit.get(mentor, f"{base}/agreement"))
    kit.post(mentee, f"{base}/agreement/{v2.id}/accept", status=422)  # once is enough
    kit.post(mentor, f"{base}/agreement/{v2.id}/accept", status=303)
    page = text_of(kit.get(mentee, f"{base}/agreement"))
    assert "In force: version 2" in page and "revised suitability" in page
    v1, v2 = _version(pair, 1), _version(pair, 2)
    assert v1.mentor_accepted_at and v1.mentee_accepted_at  # history keeps who accepted when
    assert v2.mentor_accepted_at > v2.mentee_accepted_at


def test_a_newer_proposal_replaces_an_unaccepted_one(kit):
    pair, mentor, mentee = kit.pair()
    base = f"/p/pair_spaces/{pair.id}"
    kit.post(mentee, f"{base}/agreement/propose", {k: "a" for k in SECTIONS}, status=303)
    kit.post(mentor, f"{base}/agreement/propose", {k: "b" for k in SECTIONS}, status=303)
    v2, v3 = _version(pair, 2), _version(pair, 3)
    assert v2.superseded_at is not None and v3.superseded_at is None
    kit.post(mentor, f"{base}/agreement/{v2.id}/accept", status=422)
    kit.post(mentor, f"{base}/agreement/propose", {"suitability": ""}, status=422)


def test_admin_edits_the_template_new_pairs_start_from(kit, make_user):
    admin = make_user(roles=("member", "admin"))
    member = make_user()
    kit.get(member, "/p/pair_spaces/admin/template", status=403)
    data = {k: f"house rule for {k}" for k in SECTIONS}
    kit.post(admin, "/p/pair_spaces/admin/template", data, status=303)
    pair, _mentor, _mentee = kit.pair(agree=False)
    sections = json.loads(_version(pair, 1).sections)
    assert sections["suitability"] == "house rule for suitability"
