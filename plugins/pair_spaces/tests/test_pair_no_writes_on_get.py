"""Opening a pair's pages writes nothing, for its members and its consulted supervisor too (the
core walk of every GET route sees pair pages only from outside a pair)."""

from flask import url_for
from forum_pair_spaces.models import GuidanceRequest, Note
from pair_kit import fill_space, rows

from forum.testing import sql_statements, writes


def test_every_pair_page_writes_nothing_on_get_for_the_people_in_it(app, kit):
    supervisor = kit.make_user(roles=("member", "supervisor"))
    pair, mentor, mentee = kit.pair()
    planted = fill_space(kit, pair, mentor, mentee, "NOWRITE", supervisor=supervisor)
    ids = {
        "pair_id": pair.id,
        "concern_id": planted["concern"].id,
        "message_id": planted["message"].id,
        "note_id": rows(Note, Note.pair_id == pair.id)[0].id,
        "request_id": rows(GuidanceRequest, GuidanceRequest.pair_id == pair.id)[0].id,
        "username": supervisor.username,  # the "propose a pair" page of another member
    }
    rules = [
        r
        for r in app.url_map.iter_rules()
        if r.endpoint.startswith("pair_spaces.")
        and "GET" in r.methods
        and "filename" not in r.arguments
    ]
    with app.test_request_context():
        urls = [url_for(r.endpoint, **{a: ids[a] for a in r.arguments}) for r in rules]
    found, seen_ok = [], 0
    for user in (mentor, mentee, supervisor):
        client = kit.client(user)
        for url in urls:
            with sql_statements() as seen:
                status = client.get(url).status_code
            assert status < 500, url
            seen_ok += status == 200
            found += [(user.username, url, s[:80]) for s in writes(seen)]
    assert seen_ok >= 2 * 18  # both members reached their pages, not a wall of 404s
    assert not found, found
