"""Arbitrary Unicode (unpaired surrogates, control characters, bidi overrides, very long lines)
through every form the site shows and every API write: never a 5xx, every feed still parses
strictly, every page still renders, and ``send-mail`` still sends every other message."""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode
from xml.etree import ElementTree as ET

import feedparser
import pytest
from cast import Cast
from form_crawl import Form, crawl
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from forum.content.text_rules import problem
from forum.extensions import db
from forum.series.models import ExpertProfile, Series

SPECIAL = [
    "\ud800",
    "\udfff",
    "\x01",
    "\x0b",
    "\x1f",
    "\x7f",
    "\x85",
    "\x9f",
    "\r",
    "\n",
    "\r\n",
    "\t",
    "\u202e",
    "\u2066",
    "\u200f",
    "\ufeff",
    "\ufffe",
    "\uffff",
    "<",
    "&",
    "]]>",
]
CHAR = st.one_of(st.characters(), st.sampled_from(SPECIAL))
HOSTILE = st.one_of(
    st.lists(CHAR, max_size=30).map("".join),
    st.tuples(CHAR, st.integers(2_000, 12_000), CHAR).map(lambda t: t[0] + "x" * t[1] + t[2]),
)
SETTINGS = settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

#: Roles in the order their forms are used (the first role that sees a form posts it).
ROLES = (
    "member",
    "expert",
    "moderator",
    "admin",
    "mentor",
    "mentee",
    "supervisor",
    "other_mentor",
    "anonymous",
)
SEEDS = {
    "anonymous": ["/", "/login", "/register", "/account/reset", "/c/trust/comments/new", "/search"],
    "member": [
        "/",
        "/c/trust",
        "/c/trust/part/1",
        "/p/qa/q/1",
        "/account/profile",
        "/account/tokens",
        "/account/password",
        "/account/2fa",
        "/notifications",
        "/comments/1/edit",
        "/p/qa/q/1/edit",
        "/p/qa/interview/new?characteristic=trust",
        "/flag/comment/1",
        "/watch/trust",
        "/u/member1",
    ],
    "expert": ["/parts/new", "/parts/1/edit", "/p/qa/a/1/edit", "/c/trust", "/p/pair_spaces/pairs"],
    "moderator": [
        "/moderation/queue",
        "/moderation/users/member2",
        "/moderation/users/other_mentee",
        "/moderation/content/comment/1",
        "/moderation/comments/1/edit",
        "/c/trust",
        "/p/qa/q/1",
    ],
    "admin": [
        "/admin/plugins",
        "/admin/mail",
        "/invitations/new",
        "/admin/audit",
        "/p/pair_spaces/admin/template",
        "/u/member2",
    ],
    "mentor": ["/p/pair_spaces/pairs", "/p/pair_spaces/1", "/p/pair_spaces/1/concerns/3"],
    "mentee": ["/p/pair_spaces/pairs", "/p/pair_spaces/1", "/p/pair_spaces/1/concerns/1"],
    "supervisor": ["/p/pair_spaces/guidance/1", "/p/pair_spaces/pairs"],
    "other_mentor": ["/p/pair_spaces/2/leave"],
}
#: Forms that would end the session or the world the other forms need when the text happens
#: to be valid: posted with a forbidden character in every field, so they must refuse it.
ENDING = {
    "accounts.logout",
    "admin.switch",
    "moderation.suspend",
    "pair_spaces.end",
    "pair_spaces.delete_request",
    "pair_spaces.decline",
    "accounts.change_password",
    "moderation.set_trust",
    "discussion.delete",
    "qa.delete",
    "moderation.content_action",
    "qa.moderate",
}
#: POST endpoints no page offers as a form here, and why.
NOT_A_PAGE_FORM = {
    "api.create_comment": "JSON: posted by the API part of the test",
    "accounts.reset_password": "needs a mailed reset token",
    "series.accept_invitation": "needs a mailed invitation token",
    "accounts.two_factor": "needs a login half-way through two-factor",
    "content.preview": "the editor's script posts it; posted directly below",
    "notifications.unsubscribe": "needs a mailed unsubscribe token",
    "moderation.reset_two_factor": "offered only for a member with two-factor on (none here); "
    "tests/accounts/test_two_factor_hardening.py posts it",
    "accounts.new_recovery_codes": "offered only once two-factor is on (nobody here); "
    "tests/accounts/test_two_factor_hardening.py posts it",
}
FEEDS = [
    "/feeds/site.atom",
    "/feeds/series/{series}.atom",
    "/feeds/c/trust.atom",
    "/feeds/c/trust/comments.atom",
    "/feeds/experts/expert1.atom",
    "/p/qa/questions.atom",
    "/p/qa/c/trust/questions.atom",
]


@pytest.fixture
def app_config():
    return {"MAIL_URL": "console://", "GUEST_MIN_FILL_SECONDS": 0}


@pytest.fixture
def world(app, make_user, make_characteristic, make_part, make_comment, login_as):
    cast = Cast(app, make_user, make_characteristic, make_part, make_comment, login_as)
    _more_to_see(cast)
    clients = {role: cast.client(role) for role in ROLES}
    forms: dict[tuple, Form] = {}
    pages: dict[str, list[str]] = {}
    for role in ROLES:
        found, pages[role] = crawl(app, clients[role], role, SEEDS[role])
        for form in found:
            forms.setdefault((form.endpoint, form.method, tuple(form.text_fields)), form)
    series_slug = db.session.get(Series, cast.c.series_id).slug
    return series_slug, clients, list(forms.values()), pages


def _more_to_see(cast: Cast) -> None:
    """What makes the remaining forms appear: a token to revoke, a suspension to lift, a pair
    proposal to accept, a concern in immediate danger (its notice form), an agreement version
    waiting for the mentee, an ended pair (its delete request); the expert's public profile; a
    failed e-mail (its retry and drop buttons)."""
    from forum_pair_spaces.services.agreement import SECTIONS

    from forum.db import utcnow
    from forum.notifications.models import OutboxMail

    db.session.add(ExpertProfile(user_id=cast.users["expert"].id))  # for the expert's feed
    db.session.add(
        OutboxMail(
            to="gone@example.org",
            subject="Undeliverable",
            body="b",
            attempts=5,
            failed_at=utcnow(),
            last_error="550 no such user",
        )
    )
    db.session.commit()
    cast._post("member", "/account/tokens", {"name": "laptop"})
    cast._post(
        "moderator",
        "/moderation/users/other_mentee/suspend",
        {"until": "2099-01-01", "reason": "r", "confirm": "y"},
    )
    cast._post("member", "/p/pair_spaces/propose", {"username": "expert1", "role": "mentor"})
    cast._post(
        "mentee",
        "/p/pair_spaces/1/concerns",
        {"issue": "i", "responsibilities": "r", "proposal": "p", "immediate_danger": "y"},
    )
    cast._post(
        "mentor", "/p/pair_spaces/1/agreement/propose", {key: "as agreed" for key, *_ in SECTIONS}
    )
    cast._post("other_mentor", "/p/pair_spaces/2/end", {"confirm": "y"})


@pytest.mark.slow  # the crawl of every page for every role: ~2 s
def test_every_post_endpoint_is_a_form_the_crawl_found(app, world):
    _cast, _clients, forms, _pages = world
    posted = {f.endpoint for f in forms if f.method == "POST"}
    every = {r.endpoint for r in app.url_map.iter_rules() if "POST" in r.methods}
    missing = sorted(every - posted - set(NOT_A_PAGE_FORM))
    assert not missing, " ".join(missing)
    assert set(NOT_A_PAGE_FORM) <= every


def _encoded(pairs) -> bytes:
    """Form-encoded like a browser, except that unpaired surrogates go through as their bytes."""
    return urlencode(pairs, encoding="utf-8", errors="surrogatepass").encode("ascii")


def _fillable(forms: list[Form]) -> list[Form]:
    """The forms to fill: an ending form without text to refuse (a button) is left alone."""
    return [f for f in forms if f.text_fields or f.endpoint not in ENDING]


def _fill(form: Form, texts: list[str]) -> list[tuple[str, str]]:
    values = [t if form.endpoint not in ENDING else t + "\x01" for t in texts]
    return [(name, values[i % len(values)]) for i, name in enumerate(form.text_fields)] + form.fixed


def _submit(client, form: Form, texts: list[str]):
    pairs = _fill(form, texts)
    if form.method == "GET":
        sep = "&" if "?" in form.action else "?"
        return client.get(form.action + sep + urlencode(pairs, errors="surrogatepass"))
    return client.post(
        form.action, data=_encoded(pairs), content_type="application/x-www-form-urlencoded"
    )


def _api_writes(client, texts: list[str]):
    body = {
        "body": texts[0],
        "format": texts[-1] if len(texts) > 1 else "markdown",
        "reply_to": None,
    }
    for payload in (body, {"body": texts[0]}, {texts[0]: texts[-1], "body": "x"}):
        yield client.post(
            "/api/v1/characteristics/trust/comments",
            data=json.dumps(payload),
            content_type="application/json",
        )
    yield client.post(
        "/preview",
        data=_encoded([("body", texts[0]), ("kind", texts[-1]), ("format", "markdown")]),
        content_type="application/x-www-form-urlencoded",
    )


def _feeds_parse(client, series_slug: str) -> None:
    for path in FEEDS:
        response = client.get(path.format(series=series_slug))
        assert response.status_code == 200, path
        ET.fromstring(response.data)
        parsed = feedparser.parse(response.data)
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))


#: Pages that show what the forms above stored, and who reads them.
SHOWING = [
    ("anonymous", "/"),
    ("anonymous", "/c/trust"),
    ("anonymous", "/c/trust/part/1"),
    ("anonymous", "/p/qa/q/1"),
    ("anonymous", "/u/member1"),
    ("anonymous", "/u/expert1"),
    ("member", "/notifications"),
    ("member", "/account/tokens"),
    ("moderator", "/moderation/queue"),
    ("admin", "/admin/audit"),
    ("mentor", "/p/pair_spaces/1"),
    ("mentee", "/p/pair_spaces/1/notes"),
    ("mentee", "/p/pair_spaces/1/concerns/1"),
    ("anonymous", "/search?q=x"),
]


def _pages_render(clients, pages) -> None:
    for role, url in SHOWING:
        response = clients[role].get(url)
        assert response.status_code == 200, (role, url, response.status_code)
    for role in ("anonymous", "member", "moderator", "mentor"):
        for url in pages[role]:  # every page the crawl saw: it may now refuse, never fail
            response = clients[role].get(url)
            assert response.status_code < 500, (role, url, response.status_code)


@pytest.mark.slow
@SETTINGS
@given(texts=st.lists(HOSTILE, min_size=1, max_size=4))
def test_hostile_text_through_every_form_and_api_write(world, texts):
    series_slug, clients, forms, pages = world
    for form in _fillable(forms):
        response = _submit(clients[form.role], form, texts)
        assert response.status_code < 500, (form.role, form.endpoint, response.status_code)
    for response in _api_writes(clients["member"], texts):
        assert response.status_code < 500, (response.request.path, response.status_code)
    db.session.remove()
    _feeds_parse(clients["anonymous"], series_slug)
    _pages_render(clients, pages)


@pytest.mark.slow
def test_send_mail_sends_every_other_message_after_hostile_input(world, runner):
    from forum.mail.outbox import queue_mail
    from forum.notifications.models import OutboxMail

    _series, clients, forms, _pages = world
    texts = ["Line one\nline two\r\nthree", "Name\x01", "\u202eevil", "tab\tbed"]
    for form in _fillable(forms):
        if form.endpoint != "notifications.email_settings":  # (sent empty, it turns mail off)
            _submit(clients[form.role], form, texts)
    queue = clients["moderator"].get("/moderation/queue").get_data(as_text=True)
    keys = re.findall(r'value="reject:([^"]+)"', queue)
    assert keys, "nothing waits for a moderator"
    for key in keys:  # the reason's line break reaches the author's e-mail
        clients["moderator"].post(
            "/moderation/queue",
            data={"decide": f"reject:{key}", f"reason-{key}": "Off topic.\nSee the rules."},
        )
    db.session.remove()
    plain = queue_mail("reader@example.org", "A plain message", "Queued after the hostile ones.")
    db.session.commit()
    plain_id = plain.id
    result = runner.invoke(args=["forum", "send-mail"])
    db.session.remove()
    mails = db.session.execute(select(OutboxMail)).scalars().all()
    assert len(mails) > 1  # the hostile input made some mail too
    clean_unsent = [
        (m.id, m.subject)
        for m in mails
        if m.sent_at is None
        and problem(m.subject, single_line=True) is None
        and problem(m.body) is None
    ]
    assert db.session.get(OutboxMail, plain_id).sent_at is not None, (
        result.output[-2000:],
        result.exception,
    )
    assert clean_unsent == [], result.output[-2000:]
