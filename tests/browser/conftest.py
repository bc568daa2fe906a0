"""The browser test kit: the real app on 127.0.0.1, driven by Debian's Chromium through Playwright.

Fixtures:
- ``browser``: one headless Chromium per test session (``/usr/bin/chromium``, never a download).
- ``app``: overridden here with CSRF on, so the browser sends real tokens like a person's would.
- ``live_server``: the app served by werkzeug in a background thread; its ``url``.
- ``open_page(width=1280, scheme="light", user=None)``: a fresh browser context and page that
  records console errors, page errors, failed same-origin requests and CSP violations; ``user``
  logs it in with a signed session cookie. Every recorded problem fails the test at teardown
  unless the test took it with ``page.probe.take_errors()``.
- ``check_page(page, name, rules=None)``: no console errors or CSP violations, no sideways
  scrolling, axe-core finds zero violations (all rules, or only ``rules``), and a screenshot
  lands in ``test-artifacts/browser/``.
- ``world`` / ``full_world``: a small realistic thread (demo personas), and with it an audit
  entry, a formed pair with an open space and a question with an answer when those plugins exist.
- ``PAGES``: the catalogue of page types the sweep visits; ``REQUIRED`` names the ones issue 11
  lists, which must all exist.

Run only these with ``pytest -m browser``; skip them with ``-m "not browser"``.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import threading
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("FORUM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
PHONE, DESKTOP = 360, 1280

#: Reports every CSP violation to the console, where the probe collects it (test code only).
CSP_REPORTER = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline")
                + " at " + e.sourceFile + ":" + e.lineNumber);
});
"""


def _chromium_available() -> bool:
    return Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is not None


@pytest.fixture(scope="session")
def browser():
    if not _chromium_available():
        pytest.skip(f"no Chromium at {CHROMIUM} (make browser-deps installs Debian's)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def app(make_app):
    """The app with CSRF protection on (the core fixture turns it off for the test client).

    The test's own reads begin DEFERRED (as a GET request's do): on SQLite a test that looks at
    a user between two clicks must not hold the write lock the live server needs.
    """
    from forum.db import write_intent

    app = make_app(WTF_CSRF_ENABLED=True)
    token = write_intent.set(False)
    try:
        with app.app_context():
            yield app
    finally:
        write_intent.reset(token)


class LiveServer:
    def __init__(self, app):
        from werkzeug.serving import make_server

        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


@pytest.fixture
def live_server(app):
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    with LiveServer(app) as server:
        yield server


class Probe:
    """What went wrong in one page's life: console errors, page errors, CSP, failed requests."""

    def __init__(self, page, origin: str):
        self.errors: list[str] = []
        self.origin = origin
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        page.on("requestfailed", self._failed)

    def _console(self, message):
        if message.type in ("error", "assert"):
            self.errors.append(
                f"console {message.type}: {message.text} ({message.location.get('url', '')})"
            )

    def _failed(self, request):
        if request.url.startswith(self.origin) and (request.failure or "") != "net::ERR_ABORTED":
            self.errors.append(f"request failed: {request.method} {request.url} {request.failure}")

    def take_errors(self) -> list[str]:
        errors, self.errors = self.errors, []
        return errors


def session_cookie(app, user) -> dict:
    """A signed Flask session cookie that logs ``user`` in (what ``login_as`` does for the client)."""
    serializer = app.session_interface.get_signing_serializer(app)
    value = serializer.dumps({"_user_id": user.get_id(), "_fresh": True})
    return {"name": app.config.get("SESSION_COOKIE_NAME", "session"), "value": value}


@pytest.fixture
def open_page(browser, live_server, app):
    contexts = []
    probes = []

    def do(
        width: int = DESKTOP,
        scheme: str = "light",
        user=None,
        height: int | None = None,
        timezone: str | None = None,
        locale: str | None = None,
    ):
        """A page in a new context; ``timezone`` and ``locale`` are the browser's own."""
        context = browser.new_context(
            viewport={"width": width, "height": height or (780 if width <= 480 else 900)},
            color_scheme=scheme,
            base_url=live_server.url,
            reduced_motion="reduce",
            service_workers="block",
            timezone_id=timezone,
            locale=locale,
        )
        context.set_default_timeout(10_000)
        context.add_init_script(CSP_REPORTER)
        if user is not None:
            context.add_cookies([{**session_cookie(app, user), "url": live_server.url}])
        release_database()  # the test holds no transaction while the browser works
        contexts.append(context)
        page = context.new_page()
        page.probe = Probe(page, live_server.url)
        probes.append(page.probe)
        return page

    yield do
    leftover = [e for probe in probes for e in probe.take_errors()]
    for context in contexts:
        context.close()
    assert not leftover, "browser errors:\n" + "\n".join(leftover)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


#: The axe rules whose outcome depends on layout or colours rather than on the DOM alone; the
#: second view of a page (other width, other colour scheme) runs only these.
LAYOUT_RULES = [
    "color-contrast",
    "target-size",
    "scrollable-region-focusable",
    "meta-viewport",
    "region",
    "link-in-text-block",
]


def axe_violations(page, rules: list[str] | None = None) -> list[str]:
    """axe-core's findings on the current page: every default rule (WCAG 2.0-2.2 A/AA and best
    practice), or only ``rules``."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    results = Axe().run(page, options=options)
    found = []
    for v in results.response["violations"]:
        targets = ", ".join(str(n["target"]) for n in v["nodes"][:5])
        found.append(f"{v['id']} ({v['impact']}): {v['help']} -> {targets}")
    return found


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{_slug(name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def check_page():
    """``check_page(page, name)``: clean console, no CSP violation, no axe violation; screenshot."""

    def do(page, name: str, axe: bool = True, rules: list[str] | None = None):
        page.wait_for_load_state("load")
        screenshot(page, name)
        problems = page.probe.take_errors()
        if axe:
            problems += axe_violations(page, rules)
        # The page never scrolls sideways: nothing wider than the viewport.
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            problems.append(f"horizontal overflow of {overflow}px")
        assert not problems, f"{name} ({page.url}):\n" + "\n".join(problems)

    return do


# --- a small, realistic world to render ------------------------------------------------------

#: A long expert post in the shape of the seed's: sections, nested lists, a quote, a link, code.
EXPERT_BODY = """\
Keeping a confidence is less a rule than a habit both people practise together.

## What it asks of the mentor

- Agree early what stays in the room, and write it down:
    - what the mentee may repeat to a line manager;
    - what the mentor may say if asked about the mentee's readiness for a role;
    - the few exceptions: someone in danger, a duty in law.
- Revisit the agreement when the relationship changes.

## What it asks of the mentee

1. Say when a topic feels sensitive.
2. Ask before sharing the mentor's own stories.

> Trust grows when nobody is surprised by where their words travelled.

A checklist we use in the first meeting lives at [our demo notes](https://example.org/notes);
the shorthand on the whiteboard is `ask → agree → review`.

*— Dr Imogen Vale (demo persona), Northwind Mentoring Lab*
"""


class World:
    """Handles to the objects the page catalogue links to (built by the ``world`` fixture)."""


@pytest.fixture
def world(app, make_user, make_series, make_characteristic, make_part, make_comment):
    from datetime import timedelta

    from forum.content import render_markdown
    from forum.db import utcnow
    from forum.extensions import db
    from forum.series.models import ExpertProfile

    w = World()
    w.series = make_series(slug="kmc")
    w.characteristic = make_characteristic(
        series=w.series,
        number=1,
        title="Confidentiality",
        slug="confidentiality",
        definition="An understanding between a **small number of people** about how far what "
        "they share may travel beyond them.",
        prompts=(
            "What role does confidentiality play between a mentor and a mentee?",
            "What does confidentiality mean to you?",
            "How do mentoring partners build it?",
        ),
    )
    w.second = make_characteristic(series=w.series, number=2, title="Trust", slug="trust")
    w.expert = make_user(
        "imogen", roles=("member", "expert"), display_name="Imogen Vale", password=""
    )
    w.next_expert = make_user(
        "tomas", roles=("member", "expert"), display_name="Tomas Lind", password=""
    )
    for user, org, country in (
        (w.expert, "Northwind Mentoring Lab", "United Kingdom"),
        (w.next_expert, "Harbour Coaching", "Finland"),
    ):
        bio = f"A fictional demo persona: a mentor who has run programmes at {org}."
        db.session.add(
            ExpertProfile(
                user_id=user.id,
                bio_md=bio,
                bio_html=render_markdown(bio),
                affiliation=org,
                country=country,
                website="https://example.org/demo",
                is_demo=True,
            )
        )
    db.session.commit()
    w.part = make_part(
        characteristic=w.characteristic,
        author=w.expert,
        part_number=1,
        title="Keeping a confidence",
        body=EXPERT_BODY,
        publish_at=utcnow() - timedelta(days=3),
    )
    w.upcoming = make_part(
        characteristic=w.characteristic,
        author=w.next_expert,
        part_number=2,
        title="Boundaries in practice",
        publish_at="future",
        teaser="How a mentee and a mentor agree what a line manager hears.",
    )
    w.member = make_user("rowan", display_name="Rowan Ash", password="")
    w.moderator = make_user(
        "mod", roles=("member", "moderator"), display_name="Mo Derry", password=""
    )
    w.admin = make_user("root", roles=("member", "admin"), display_name="Ada Min", password="")
    w.comments = [
        make_comment(
            characteristic=w.characteristic,
            author=w.member,
            body="We wrote our agreement on one page and both kept a copy.\n\n"
            "- it named the exceptions\n- it said who tells the manager what",
        ),
        make_comment(
            characteristic=w.characteristic,
            author=None,
            guest_name="Sam (guest)",
            body="Reading this as a new mentee: *very* reassuring.",
        ),
    ]
    w.pending = make_comment(
        characteristic=w.characteristic,
        author=None,
        guest_name="Pat (guest)",
        status="pending",
        body="Waiting for a moderator: does the agreement cover e-mail?",
    )
    return w


@pytest.fixture
def setup_client(make_app, login_as):
    """``setup_client(user)``: a CSRF-free test client, to arrange data through real routes."""
    plain = make_app()

    def do(user):
        return login_as(plain.test_client(), user)

    return do


def _ok(response, *codes):
    assert response.status_code in (codes or (302, 303)), (
        response.request.path,
        response.status_code,
    )
    return response


@pytest.fixture
def full_world(world, setup_client, app):
    """``world`` plus what the moderation pages and both plugins show: an audit entry, two failed
    e-mails, a formed
    pair with an open space and a message, a question with an answer."""
    from sqlalchemy import select

    from forum.audit import log as audit
    from forum.extensions import db

    w = world
    audit.record(
        "comment.approve",
        w.moderator,
        "comment",
        w.comments[0].id,
        reason="Kind and on topic",
        before={"status": "pending"},
        after={"status": "approved"},
    )
    from forum.db import utcnow
    from forum.notifications.models import OutboxMail

    db.session.add_all(
        [
            OutboxMail(
                to=f"gone{i}@example.org",
                subject="A moderator approved your comment",
                body="-",
                attempts=5,
                failed_at=utcnow(),
                last_error="SMTPRecipientsRefused: 550 no such mailbox",
            )
            for i in (1, 2)
        ]
    )
    db.session.commit()
    if "pair_spaces.space" in app.view_functions:
        from forum_pair_spaces.models import AgreementVersion, Pair

        from forum.visibility import bypass

        def own(stmt):
            return db.session.execute(stmt.execution_options(**bypass("pair_spaces", "test setup")))

        mentor, mentee = w.expert, w.member
        _ok(
            setup_client(mentor).post(
                "/p/pair_spaces/propose", data={"username": mentee.username, "role": "mentor"}
            )
        )
        pair = own(select(Pair).where(Pair.mentor_id == mentor.id)).scalars().one()
        _ok(setup_client(mentee).post(f"/p/pair_spaces/{pair.id}/accept"))
        version = (
            own(select(AgreementVersion.id).where(AgreementVersion.pair_id == pair.id))
            .scalars()
            .first()
        )
        for user in (mentor, mentee):
            _ok(setup_client(user).post(f"/p/pair_spaces/{pair.id}/agreement/{version}/accept"))
        _ok(
            setup_client(mentor).post(
                f"/p/pair_spaces/{pair.id}/messages",
                data={
                    "body": "Before Thursday: what would you like your line manager to hear from me?"
                },
            )
        )
        _ok(
            setup_client(mentee).post(
                f"/p/pair_spaces/{pair.id}/messages",
                data={"body": "Only that we meet monthly. The **rest** stays between us."},
            )
        )
        # A role-play turn too: its own colours must pass contrast in both schemes.
        _ok(setup_client(mentee).post(f"/p/pair_spaces/{pair.id}/roleplay/start"))
        _ok(
            setup_client(mentee).post(
                f"/p/pair_spaces/{pair.id}/messages",
                data={"body": "As the mentor now: what would *you* tell your manager?"},
            )
        )
        w.pair_id = pair.id
    if "qa.question" in app.view_functions:
        from forum_qa.models import Question

        _ok(
            setup_client(w.moderator).post(
                f"/p/qa/c/{w.characteristic.slug}/questions",
                data={
                    "title": "How do you word the exceptions in a first agreement?",
                    "body": "We want the *duty of care* clause to be clear but not alarming.",
                },
            )
        )
        question = db.session.execute(select(Question)).scalars().first()
        _ok(
            setup_client(w.expert).post(
                f"/p/qa/q/{question.id}/answers",
                data={
                    "body": "Name the situation, not the person: *if someone may be in danger*..."
                },
            )
        )
        w.question_id = question.id
    release_database()
    return w


def release_database():
    """End the test's own transaction; later reads begin DEFERRED (a test-client request in the
    test's thread may have set write intent), so the live server never waits for the test."""
    from forum.db import write_intent
    from forum.extensions import db

    db.session.commit()
    write_intent.set(False)


# --- the page catalogue: every page type the browser suite visits -----------------------------


class PageSpec:
    """One page type: the endpoint that serves it, its arguments and who looks at it.

    ``args(w)`` gives the ``url_for`` keyword arguments from the ``world``; ``who`` names the
    world's user that looks (None: an anonymous reader); ``status`` is the expected HTTP status.
    """

    def __init__(self, name, endpoint, args=lambda w: {}, who=None, status=200, path=None):
        self.name, self.endpoint, self.args, self.who = name, endpoint, args, who
        self.status, self.path = status, path

    def __repr__(self):
        return self.name

    def resolve(self, app, w):
        """The path of this page, or None when the app has no such route."""
        if self.path is not None:
            return self.path
        if self.endpoint not in app.view_functions:
            return None
        with app.test_request_context():
            from flask import url_for

            path = url_for(self.endpoint, **self.args(w))
        release_database()
        return path


def _thread(w):
    return {"slug": w.characteristic.slug}


def _unsubscribe_token(w):
    from forum.notifications.message import unsubscribe_token

    return {"token": unsubscribe_token(w.member.email, "mention")}


PAGES = [
    PageSpec("home", "series.home"),
    PageSpec("thread", "series.thread", _thread),
    PageSpec("thread as member", "series.thread", _thread, who="member"),
    PageSpec("thread, last comment page", "series.thread", lambda w: {**_thread(w), "page": 2}),
    PageSpec(
        "part",
        "series.part",
        lambda w: {"slug": w.characteristic.slug, "number": w.part.part_number},
    ),
    PageSpec("expert", "series.expert", lambda w: {"username": w.expert.username}),
    PageSpec("coming soon", "series.coming_soon"),
    PageSpec("register", "accounts.register"),
    PageSpec("login", "accounts.login"),
    PageSpec("not found", None, path="/no/such/page", status=404),
    PageSpec("search", "search.search_page", lambda w: {"q": "confidence"}),
    PageSpec(
        "profile", "accounts.profile", lambda w: {"username": w.member.username}, who="member"
    ),
    PageSpec("edit profile", "accounts.edit_profile", who="member"),
    PageSpec("change password", "accounts.change_password", who="member"),
    PageSpec("password reset request", "accounts.reset_request"),
    PageSpec("notifications", "notifications.inbox", who="member"),
    PageSpec("notification e-mail setting", "notifications.email_settings", who="member"),
    PageSpec("watch a thread", "notifications.watch", _thread, who="member"),
    PageSpec("unsubscribe from one kind", "notifications.unsubscribe", _unsubscribe_token),
    PageSpec("API tokens", "api_account.tokens", who="member"),
    PageSpec("new comment (no JS)", "discussion.new", _thread, who="member"),
    PageSpec(
        "flag form",
        "moderation.flag",
        lambda w: {"kind": "comment", "object_id": w.comments[1].id},
        who="member",
    ),
    PageSpec(
        "edit comment", "discussion.edit", lambda w: {"comment_id": w.comments[0].id}, who="member"
    ),
    PageSpec("expert's parts", "series.my_parts", who="expert"),
    PageSpec("new part (expert editor)", "series.new_part", who="expert"),
    PageSpec("review queue", "moderation.queue", who="moderator"),
    PageSpec("moderated threads", "moderation.threads", who="moderator"),
    PageSpec(
        "member record",
        "moderation.user",
        lambda w: {"username": w.member.username},
        who="moderator",
    ),
    PageSpec("publishing calendar", "series.calendar", who="moderator"),
    PageSpec(
        "moderated content",
        "moderation.content",
        lambda w: {"kind": "comment", "object_id": w.pending.id},
        who="moderator",
    ),
    PageSpec("invite an expert", "series.new_invitation", who="moderator"),
    PageSpec("part history", "series.history", lambda w: {"part_id": w.part.id}, who="moderator"),
    PageSpec("Q&A review", "qa.moderation", who="moderator"),
    PageSpec(
        "edit a question",
        "qa.edit",
        lambda w: {"kind": "q", "obj_id": w.question_id},
        who="moderator",
    ),
    PageSpec(
        "scheduled part (coming soon)",
        "series.part",
        lambda w: {"slug": w.characteristic.slug, "number": w.upcoming.part_number},
    ),
    PageSpec("members and roles", "moderation.members", who="admin"),
    PageSpec(
        "member record with roles",
        "moderation.user",
        lambda w: {"username": w.member.username},
        who="admin",
    ),
    PageSpec("audit log", "moderation.audit_log", who="admin"),
    PageSpec("admin", "admin.index", who="admin"),
    PageSpec("admin plugins", "admin.plugins", who="admin"),
    PageSpec("failed e-mail", "notifications.failed_mail", who="admin"),
    PageSpec("pair directory", "pair_spaces.directory"),
    PageSpec("my pairs", "pair_spaces.mine", who="member"),
    PageSpec("pair space", "pair_spaces.space", lambda w: {"pair_id": w.pair_id}, who="expert"),
    PageSpec(
        "pair agreement", "pair_spaces.agreement", lambda w: {"pair_id": w.pair_id}, who="member"
    ),
    PageSpec("pair notes", "pair_spaces.notes", lambda w: {"pair_id": w.pair_id}, who="member"),
    PageSpec(
        "pair concerns", "pair_spaces.concern_list", lambda w: {"pair_id": w.pair_id}, who="member"
    ),
    PageSpec("guidance inbox", "pair_spaces.guidance_inbox", who="member"),
    PageSpec("questions", "qa.questions", _thread, who="member"),
    PageSpec("question", "qa.question", lambda w: {"question_id": w.question_id}),
    PageSpec("unanswered questions", "qa.unanswered"),
    PageSpec(
        "interview editor",
        "qa.new_interview",
        lambda w: {"characteristic": w.characteristic.slug},
        who="member",
    ),
]

#: The sweep visits pages grouped by who looks, one browser context and one world per group.
READERS = sorted({spec.who or "anonymous" for spec in PAGES})

#: The page types issue 11 names; the suite fails if one of them has no route.
REQUIRED = {
    "home",
    "thread",
    "part",
    "expert",
    "coming soon",
    "register",
    "login",
    "profile",
    "review queue",
    "audit log",
    "admin plugins",
    "pair directory",
    "pair space",
    "questions",
}
