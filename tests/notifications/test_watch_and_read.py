"""Watching a thread's comments (a choice per watch), unread tracking with "Jump to first
unread", @name links and suggestions, and the Quote control."""

import re

from sqlalchemy import select

from forum.discussion import services as comments
from forum.extensions import db
from forum.notifications.models import Notification, ThreadRead, Watch


def _kinds(user):
    return (
        db.session.execute(select(Notification.kind).where(Notification.user_id == user.id))
        .scalars()
        .all()
    )


def test_the_watch_choice_decides_whether_comments_notify(
    client, login_as, make_user, make_characteristic
):
    ch = make_characteristic(slug="trust", title="Trust")
    carol, alice = make_user("carol"), make_user("alice", trusted_override=True)
    login_as(client, carol)
    page = client.get("/watch/trust").get_data(as_text=True)
    assert 'value="parts"' in page and 'value="all"' in page
    assert 'href="/c/trust/unread"' in page
    assert (
        client.post("/watch/trust", data={"action": "watch", "scope": "parts"}).status_code == 302
    )
    assert db.session.get(Watch, (carol.id, ch.id)).scope == "parts"
    comments.create_comment(ch, alice, "Parts-only watchers are not told.")
    db.session.commit()
    assert _kinds(carol) == []
    assert client.post("/watch/trust", data={"action": "watch", "scope": "all"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Watch, (carol.id, ch.id)).scope == "all"
    comments.create_comment(ch, alice, "Now carol hears of it.")
    db.session.commit()
    assert _kinds(carol) == ["watched_comment"]
    bad = client.post("/watch/trust", data={"action": "watch", "scope": "everything"})
    assert bad.status_code == 400


def test_unread_count_jump_and_mark_read(client, login_as, make_user, make_characteristic):
    ch = make_characteristic(slug="trust", title="Trust")
    carol, alice = make_user("carol"), make_user("alice", trusted_override=True)
    first = comments.create_comment(ch, alice, "One.")
    comments.create_comment(ch, alice, "Two.")
    db.session.commit()
    first_id = first.id
    anonymous = client.get("/c/trust").get_data(as_text=True)
    assert "first unread" not in anonymous and "data-mark-read" not in anonymous
    assert "members.js" not in anonymous
    login_as(client, carol)
    page = client.get("/c/trust").get_data(as_text=True)
    tab = f'href="/comments/{first_id}">Jump to first unread <span class="badge">2</span>'
    assert tab in page
    assert "members.js" in page and "data-mark-read" in page
    jump = client.get("/c/trust/unread")
    assert jump.status_code == 302 and jump.headers["Location"].endswith(f"/comments/{first_id}")
    assert db.session.get(ThreadRead, (carol.id, ch.id)) is None  # GETs never write
    upto = re.search(r'name="upto" value="(\d+)"', page).group(1)
    read = client.post("/c/trust/read", data={"upto": upto}, headers={"X-Requested-With": "fetch"})
    assert read.status_code == 204
    assert db.session.get(ThreadRead, (carol.id, ch.id)).last_comment_id == int(upto)
    assert "first unread" not in client.get("/c/trust").get_data(as_text=True)
    third = comments.create_comment(ch, alice, "Three.")
    db.session.commit()
    assert client.get("/c/trust/unread").headers["Location"].endswith(f"/comments/{third.id}")
    assert client.post("/c/trust/read", data={"upto": "999999"}).status_code == 422
    assert client.post("/c/trust/read", data={"upto": str(first_id)}).status_code == 302
    db.session.expire_all()
    assert db.session.get(ThreadRead, (carol.id, ch.id)).last_comment_id == int(upto)  # never back


def test_own_comments_are_never_unread(client, login_as, make_user, make_characteristic):
    ch = make_characteristic(slug="trust")
    carol = make_user("carol", trusted_override=True)
    comments.create_comment(ch, carol, "Mine.")
    db.session.commit()
    login_as(client, carol)
    assert "first unread" not in client.get("/c/trust").get_data(as_text=True)
    assert client.get("/c/trust/unread").headers["Location"].endswith("/c/trust#comments")


def test_a_published_mention_links_to_the_profile(make_user, make_characteristic):
    ch = make_characteristic(slug="trust")
    make_user("carol")
    alice = make_user("alice", trusted_override=True)
    comment = comments.create_comment(
        ch, alice, "Thanks @carol and @nobody; `@carol` in code stays, [@carol](https://x.org)."
    )
    db.session.commit()
    html = comment.body_html
    assert html.count('<a href="/u/carol"') == 1 and "@carol</a>" in html
    assert "@nobody" in html and '"/u/nobody"' not in html
    assert "<code>@carol</code>" in html


def test_member_names_need_login_and_show_public_names_only(client, login_as, make_user):
    make_user("carol", display_name="Carol Price", email="carol-secret@example.org")
    make_user("carlos")
    make_user("dave")
    assert client.get("/members/names?q=car").status_code == 302
    login_as(client, make_user("alice"))
    names = client.get("/members/names?q=car").get_json()
    assert names == [
        {"username": "carlos", "name": "carlos"},
        {"username": "carol", "name": "Carol Price"},
    ]
    assert "secret" not in client.get("/members/names?q=car").get_data(as_text=True)
    assert client.get("/members/names?q=Carol%20P").get_json()[0]["username"] == "carol"
    assert client.get("/members/names?q=%25").get_json() == []
    assert client.get("/members/names").get_json() == []


def test_quote_prefills_the_form(client, login_as, make_user, make_characteristic):
    ch = make_characteristic(slug="trust")
    alice = make_user("alice", trusted_override=True, display_name="Alice A")
    quoted = comments.create_comment(ch, alice, "Trust is *earned*.\nSlowly.")
    db.session.commit()
    thread = client.get("/c/trust").get_data(as_text=True)
    link = f"/c/trust?reply_to={quoted.id}&amp;quote={quoted.id}#comment-form"
    assert f'href="{link}"' in thread  # guests see it too: it leads to the guest form
    guest = client.get(f"/c/trust?reply_to={quoted.id}&quote={quoted.id}").get_data(as_text=True)
    assert f"/c/trust/comments/new?reply_to={quoted.id}&amp;quote={quoted.id}" in guest
    guest_form = client.get(f"/c/trust/comments/new?reply_to={quoted.id}&quote={quoted.id}")
    assert (
        "&gt; Alice A wrote:\n&gt;\n&gt; Trust is *earned*.\n&gt; Slowly."
        in guest_form.get_data(as_text=True)
    )
    login_as(client, make_user("carol"))
    page = client.get(f"/c/trust?reply_to={quoted.id}&quote={quoted.id}").get_data(as_text=True)
    assert (
        "&gt; Alice A wrote:" in page
        and f'name="reply_to" type="hidden" value="{quoted.id}"' in page
    )
    assert "wrote:" not in client.get("/c/trust?quote=99999").get_data(as_text=True)
