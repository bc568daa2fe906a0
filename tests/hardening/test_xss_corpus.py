"""No script from user text: the corpus goes into every user-writable field, through the forms
people use, and every page that shows it is parsed and checked for anything executable."""

from __future__ import annotations

import itertools
import re
from urllib.parse import quote

import pytest
from corpus import CORPUS, EVALUATED, SWEEP
from html_safety import assert_safe, atom_html_fields, problems_in
from sqlalchemy import select

from forum.content import render_markdown
from forum.content.formats import available, render_body
from forum.content.text_rules import problem
from forum.extensions import db
from forum.kernel.types import ValidationError

FORBIDDEN = EVALUATED + ("&lt;Config", "<Config", "test-secret-key")
_n = itertools.count(1)


def test_checker_catches_what_it_should():
    """The checker itself can fail: each of these must be reported."""
    for bad in (
        '<p style="color:red">x</p>',
        "<img src=x onerror=alert(1)>",
        "<script>alert(1)</script>",
        '<a href="jav&#x09;ascript:alert(1)">x</a>',
        '<a href=" data:text/html,x">x</a>',
        "<svg></svg>",
        '<meta http-equiv="refresh" content="0">',
        "<base href=/x>",
        '<form action="https://evil.example"></form>',
        "<script src=/static/../x.js>1</script>",
    ):
        assert problems_in(bad, fragment=True), bad
    assert problems_in("tpl49tpl", fragment=True, forbidden_text=EVALUATED)
    assert not problems_in(
        '<a href="/c/x" rel="nofollow">ok</a><script src="/static/js/forum.js"></script>',
        fragment=True,
    )


@pytest.mark.parametrize("payload", CORPUS)
def test_every_context_and_format_sanitises(app, payload):
    """Every registered body format, in every kind, plus the profile context."""
    for context in ("post", "comment", "profile", "interview"):
        assert_safe(
            render_markdown(payload, context), context, fragment=True, forbidden_text=FORBIDDEN
        )
    for kind in ("part", "comment"):
        for name in available(kind):
            try:
                html = render_body(name, payload, kind)
            except ValidationError:
                continue  # refused with a clear message (a 422 over HTTP) is safe too
            assert_safe(html, f"{name}/{kind}", fragment=True)
    from forum_qa.interview import Interview

    source = Interview(
        speakers=[payload[:50], payload[:50] + "2"],
        intro=payload,
        turns=[(0, payload), (1, payload)],
    )
    assert_safe(render_body("interview", source.to_source(), "comment"), "interview", fragment=True)


def _ok(response, url=""):
    if response.status_code not in (200, 302, 303):
        errors = re.findall(
            r'class="[^"]*error[^"]*"[^>]*>([^<]*)', response.get_data(as_text=True)
        )
        raise AssertionError(f"{url}: {response.status_code} {errors}")
    return response


def _fit(payload: str, limit: int, marker: str) -> str:
    return payload[: limit - len(marker) - 1] + " " + marker


def _one_line(text: str) -> str:
    """For single-line fields and query strings, which refuse line breaks (the text rule)."""
    return re.sub(r"[\r\n]+", " ", text)


def _line(payload: str, limit: int, marker: str) -> str:
    return _fit(_one_line(payload), limit, marker)


class World:
    """People and content made through the real forms, holding one chunk of the corpus."""

    def __init__(self, app, make_user, make_characteristic, login_as):
        from forum.accounts.models import User

        self.app, self.login_as, self.make_user = app, login_as, make_user
        self.User = User
        self.admin = make_user(f"root{next(_n)}", roles=("member", "admin"))
        self.moderator = make_user(f"mod{next(_n)}", roles=("member", "moderator"))
        self.reader = make_user(f"reader{next(_n)}")
        self.c = make_characteristic()
        self.pages: set[str] = set()
        self.feeds: set[str] = {
            "/feeds/site.atom",
            f"/feeds/c/{self.c.slug}.atom",
            f"/feeds/c/{self.c.slug}/comments.atom",
            "/p/qa/questions.atom",
        }
        self.staff_pages = {"/moderation/queue", "/moderation/threads", "/p/qa/moderation"}
        self.markers: list[str] = []
        self.owned: list = []  # (client, url) pages only their owner sees

    def all(self, stmt):
        from forum.visibility import as_actor

        db.session.expire_all()
        with as_actor(self.moderator):
            return db.session.execute(stmt).scalars().all()

    def one(self, stmt):
        (row,) = self.all(stmt)
        return row

    def as_(self, user):
        return self.login_as(self.app.test_client(), user)

    def mod(self):
        return self.as_(self.moderator)

    def queue_decide(self, action, key, reason=""):
        _ok(
            self.mod().post(
                "/moderation/queue", data={"decide": f"{action}:{key}", f"reason-{key}": reason}
            )
        )

    def feed(self, payload: str, i: int) -> None:
        from forum.discussion.models import Comment
        from forum.series import invitations
        from forum.series.models import Part

        marker = f"zq{i}x{next(_n)}"
        self.markers.append(marker)
        # an invited expert: name, organisation, country, website, bio through the invitation form
        _inv, token = invitations.create_invitation(self.admin, f"inv{marker}@example.org")
        db.session.commit()
        expert_client = self.app.test_client()
        username = f"exp{marker}"
        _ok(
            expert_client.post(
                f"/invite/{token}",
                data={
                    "username": username,
                    "password": "correct horse battery",
                    "display_name": _line(payload, 80, marker),
                    "affiliation": _line(payload, 200, marker),
                    "country": _line(payload, 100, marker),
                    "website": "https://example.org/?q=" + quote(payload[:300]),
                    "bio": payload + " " + marker,
                },
            ),
            "invite",
        )
        self.pages |= {f"/experts/{username}", f"/u/{username}"}
        self.feeds.add(f"/feeds/experts/{username}.atom")
        # the expert's part: title and body, submitted and approved
        _ok(
            expert_client.post(
                "/parts/new",
                data={
                    "characteristic_id": self.c.id,
                    "part_number": i + 1,
                    "title": _line(payload, 200, marker),
                    "teaser": _fit(payload, 500, marker),
                    "body_format": "markdown",
                    "body": payload + "\n\n" + marker,
                    "submit_review": "1",
                },
            ),
            "part",
        )
        part = self.one(select(Part).where(Part.title.endswith(marker)))
        self.owned += [
            (expert_client, f"/parts/{part.id}/edit"),
            (expert_client, f"/parts/{part.id}/history"),
            (expert_client, "/parts"),
        ]
        self.queue_decide("approve", f"part:{part.id}")
        self.pages.add(f"/c/{self.c.slug}/part/{part.part_number}")
        # a member: display name and bio, a comment (approved) and one rejected with a reason
        member = self.make_user(f"mem{marker}")
        client = self.as_(member)
        _ok(
            client.post(
                "/account/profile",
                data={"display_name": _line(payload, 80, marker), "bio": payload + " " + marker},
            ),
            "profile",
        )
        self.pages.add(f"/u/{member.username}")
        for _ in range(2):
            _ok(
                client.post(
                    f"/c/{self.c.slug}/comments",
                    data={"body": payload + "\n\n" + marker, "body_format": "markdown"},
                ),
                "comment",
            )
        first, second = self.all(
            select(Comment).where(Comment.author_id == member.id).order_by(Comment.id)
        )
        self.owned += [
            (client, f"/comments/{first.id}/edit"),
            (client, "/account/profile"),
            (client, f"/c/{self.c.slug}"),
        ]
        self.queue_decide("approve", f"comment:{first.id}")
        self.queue_decide("reject", f"comment:{second.id}", _fit(payload, 2000, marker))
        # a guest comment (waits in the queue) and an interview comment with payload speaker names
        _ok(
            self.app.test_client().post(
                f"/c/{self.c.slug}/comments",
                data={
                    "guest_name": _line(payload, 80, marker),
                    "guest_email": f"g{marker}@example.org",
                    "body": payload + " " + marker,
                    "body_format": "markdown",
                    "started": _started(self.app),
                },
            ),
            "guest",
        )
        _ok(
            client.post(
                f"/c/{self.c.slug}/comments",
                data={
                    "body_format": "interview",
                    "interview-interviewer": _line(payload, 60, marker),
                    "interview-interviewees": _line(payload.replace(",", ";"), 60, marker + "b"),
                    "interview-intro": payload,
                    "interview-turns-0-speaker": "0",
                    "interview-turns-0-text": payload,
                    "interview-turns-1-speaker": "1",
                    "interview-turns-1-text": payload + " " + marker,
                },
            ),
            "interview",
        )
        # a flag with a note; rejection of a moderator content action with a reason
        reader = self.as_(self.reader)
        _ok(
            reader.post(
                f"/flag/comment/{first.id}",
                data={"reason": "spam", "note": _fit(payload, 1000, marker)},
            ),
            "flag",
        )
        self.staff_pages.add(f"/moderation/content/comment/{first.id}")
        self.staff_pages.add(f"/moderation/users/{member.username}")
        # a question and an answer (Q&A plugin)
        _ok(
            client.post(
                f"/p/qa/c/{self.c.slug}/questions",
                data={"title": _line(payload, 200, marker), "body": payload + " " + marker},
            ),
            "question",
        )
        # search queries reflected back
        self.pages.add("/search?q=" + quote(_one_line(payload[:200])))
        self.pages.add(f"/p/qa/c/{self.c.slug}/questions")

    def pair_space(self, payload: str) -> list[str]:
        """Pair-space content: only the two members see it; their pages are checked as them."""
        from forum_pair_spaces.models import Pair

        mentor, mentee = self.make_user(), self.make_user()
        m, e = self.as_(mentor), self.as_(mentee)
        _ok(m.post("/p/pair_spaces/propose", data={"username": mentee.username, "role": "mentor"}))
        from forum.visibility import bypass

        pair = db.session.execute(
            select(Pair)
            .where(Pair.mentor_id == mentor.id)
            .execution_options(**bypass("pair_spaces", "test inspection"))
        ).scalar_one()
        _ok(e.post(f"/p/pair_spaces/{pair.id}/accept"))
        base = f"/p/pair_spaces/{pair.id}"
        page = e.get(f"{base}/agreement").get_data(as_text=True)
        version = re.search(r"/agreement/(\d+)/accept", page).group(1)
        for client in (m, e):
            _ok(client.post(f"{base}/agreement/{version}/accept"))
        _ok(m.post(f"{base}/messages", data={"body": payload}))
        _ok(m.post(f"{base}/notes", data={"title": _one_line(payload[:200]), "body": payload}))
        _ok(e.post(f"{base}/goals", data={"title": _one_line(payload[:200])}))
        _ok(e.post(f"{base}/journal", data={"body": payload}))
        _ok(
            m.post(
                f"{base}/concerns",
                data={"issue": payload, "responsibilities": payload, "proposal": payload},
            )
        )
        urls = [
            base,
            f"{base}/notes",
            f"{base}/goals",
            f"{base}/journal",
            f"{base}/concerns",
            f"{base}/agreement",
            "/p/pair_spaces/mine",
            "/p/pair_spaces/pairs",
        ]
        return [(m, u) for u in urls] + [(e, u) for u in urls]


def _started(app) -> str:
    from forum.content.antiabuse import started_token

    return started_token()


@pytest.fixture
def app_config():
    return {"GUEST_MIN_FILL_SECONDS": 0}


@pytest.mark.slow
@pytest.mark.parametrize("payloads", [SWEEP[:8], SWEEP[8:]], ids=["sweep-a", "sweep-b"])
def test_corpus_through_every_form_and_page(
    app, make_user, make_characteristic, login_as, payloads
):
    world = World(app, make_user, make_characteristic, login_as)
    for payload in payloads:
        world.feed(payload, CORPUS.index(payload))
    targets = [(app.test_client(), u) for u in sorted(world.pages)]
    targets += [(world.as_(world.reader), u) for u in ("/", f"/c/{world.c.slug}", "/coming-soon")]
    targets += [(world.mod(), u) for u in sorted(world.staff_pages)]
    targets += [(world.as_(world.admin), "/admin/audit")]
    targets += [(app.test_client(), f"/c/{world.c.slug}")] + world.owned
    targets += world.pair_space(payloads[0])
    seen = ""
    for client, url in targets:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert response.mimetype == "text/html"
        body = response.get_data(as_text=True)
        assert_safe(body, url, forbidden_text=FORBIDDEN)
        seen += body
    for url in sorted(world.feeds):
        response = app.test_client().get(url)
        assert response.status_code == 200, url
        xml = response.get_data(as_text=True)
        for html in atom_html_fields(xml):
            assert_safe(html, url, fragment=True, forbidden_text=FORBIDDEN)
        seen += xml
    missing = [m for m in world.markers if m not in seen]
    assert not missing, f"fields never reached a page: {missing}"


@pytest.mark.slow
def test_whole_corpus_through_comments_and_search(app, make_user, make_characteristic, login_as):
    """Every payload as a live comment (one thread page, its feed) and as a reflected search query."""
    c = make_characteristic()
    member = make_user(trusted_override=True)
    client = login_as(app.test_client(), member)
    anonymous = app.test_client()
    refused = 0
    for payload in CORPUS:
        response = client.post(
            f"/c/{c.slug}/comments", data={"body": payload, "body_format": "markdown"}
        )
        if problem(payload):  # control characters are refused outright (the text rule)
            assert response.status_code == 422
            refused += 1
            continue
        _ok(response)
        response = anonymous.get("/search?q=" + quote(_one_line(payload[:200])))
        assert response.status_code == 200
        assert_safe(response.get_data(as_text=True), "search", forbidden_text=FORBIDDEN)
    pages, page = "", 1
    while True:
        response = anonymous.get(f"/c/{c.slug}?page={page}")
        if response.status_code == 404:
            break
        body = response.get_data(as_text=True)
        assert_safe(body, f"thread page {page}", forbidden_text=FORBIDDEN)
        pages += body
        page += 1
    assert pages.count('id="comment-') >= len(CORPUS) - refused
    for html in atom_html_fields(
        anonymous.get(f"/feeds/c/{c.slug}/comments.atom").get_data(as_text=True)
    ):
        assert_safe(html, "comments feed", fragment=True, forbidden_text=FORBIDDEN)
    api_html, page = [], 1
    while True:  # the API's HTML fields, every page of the thread's comments
        response = anonymous.get(
            f"/api/v1/characteristics/{c.slug}/comments?page={page}&per_page=50"
        )
        if response.status_code != 200:
            break
        api_html += [item["body_html"] for item in response.get_json()["data"]]
        page += 1
    assert len(api_html) >= len(CORPUS) - refused
    for html in api_html:
        assert_safe(html, "API body_html", fragment=True, forbidden_text=FORBIDDEN)
