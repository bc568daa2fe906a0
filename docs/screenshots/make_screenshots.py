"""Screenshots for the README: home, a thread, a part, the review queue and a pair space, each on
a desktop (1280px) and a phone (360px), from the demo data in a throw-away instance.

Run with ``make screenshots`` (Playwright's Python package driving Debian's Chromium; no browser
download). Steps: a temporary instance folder and SQLite file; ``flask db upgrade heads`` and
``flask forum seed-demo`` (plus the Q&A demo when that plugin is installed); a formed demo pair
with a few messages, made through the plugin's own routes; then the real app served on
127.0.0.1 and photographed. Every person shown is a fictional demo persona.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("FORUM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 760}}


def flask(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "flask", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def prepare(instance: Path) -> dict:
    env = {**os.environ, "FLASK_APP": "forum", "FORUM_INSTANCE_PATH": str(instance)}
    env.pop("DATABASE_URL", None)
    flask(env, "db", "upgrade", "heads")
    flask(env, "forum", "seed-demo")
    help_text = subprocess.run([sys.executable, "-m", "flask", "forum", "--help"], cwd=ROOT, env=env,
                               capture_output=True, text=True).stdout
    if " qa " in help_text or "\n  qa" in help_text:
        flask(env, "forum", "qa", "seed-demo")
    os.environ.update({"FORUM_INSTANCE_PATH": str(instance)})
    os.environ.pop("DATABASE_URL", None)
    return env


def login(client, user) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


def demo_pair(app) -> int | None:
    """A formed pair with an open space and two messages; its id (None without the plugin)."""
    if "pair_spaces.space" not in app.view_functions:
        return None
    from forum_pair_spaces.models import AgreementVersion, Pair
    from sqlalchemy import select

    from forum.accounts.services import find_user
    from forum.extensions import db
    from forum.series.models import ExpertProfile
    from forum.testing import ForumTestClient
    from forum.visibility import bypass

    app.test_client_class = ForumTestClient  # a fresh app context (and login) per request
    own = bypass("pair_spaces", "demo screenshots")
    with app.app_context():
        mentor_id = db.session.execute(select(ExpertProfile.user_id).order_by(ExpertProfile.user_id)).scalar()
        from forum.accounts.models import User

        mentor, mentee = db.session.get(User, mentor_id), find_user("reader")
        existing = db.session.execute(select(Pair.id).where(Pair.mentor_id == mentor.id)
                                      .execution_options(**own)).scalar()
        if existing:
            return existing

        def post(user, url, data=None):
            client = app.test_client()
            login(client, user)
            response = client.post(url, data=data or {})
            assert response.status_code in (302, 303), (url, response.status_code)

        post(mentor, "/p/pair_spaces/propose", {"username": mentee.username, "role": "mentor"})
        pair_id = db.session.execute(select(Pair.id).where(Pair.mentor_id == mentor.id)
                                     .execution_options(**own)).scalar()
        post(mentee, f"/p/pair_spaces/{pair_id}/accept")
        version = db.session.execute(select(AgreementVersion.id).where(AgreementVersion.pair_id == pair_id)
                                     .execution_options(**own)).scalar()
        for user in (mentor, mentee):
            post(user, f"/p/pair_spaces/{pair_id}/agreement/{version}/accept")
        post(mentor, f"/p/pair_spaces/{pair_id}/messages", {
            "body": "Before Thursday: what would you like your line manager to hear from me?"})
        post(mentee, f"/p/pair_spaces/{pair_id}/messages", {
            "body": "Only that we meet monthly and that I asked for the stretch project. "
                    "The **rest** stays between us, as agreed."})
        db.session.commit()
        return pair_id


def targets(app, pair_id):
    """(name, path, username or None) for every screenshot."""
    from sqlalchemy import select

    from forum.extensions import db
    from forum.series.models import Characteristic, Part
    from forum.series.plugin import public_part_clause

    with app.app_context():
        part, slug = db.session.execute(
            select(Part, Characteristic.slug).join(Characteristic, Part.characteristic_id == Characteristic.id)
            .where(public_part_clause(Part)).order_by(Characteristic.number, Part.part_number)).first()
        mentor = None
        if pair_id:
            from forum_pair_spaces.models import Pair

            from forum.accounts.models import User
            from forum.visibility import bypass

            pair = db.session.execute(select(Pair).where(Pair.id == pair_id)
                                      .execution_options(**bypass("pair_spaces", "demo screenshots"))).scalar()
            mentor = db.session.get(User, pair.mentor_id).username
        shots = [("home", "/", None), ("thread", f"/c/{slug}", "reader"),
                 ("part", f"/c/{slug}/part/{part.part_number}", None),
                 ("review-queue", "/moderation/queue", "moderator")]
        if pair_id:
            shots.append(("pair-space", f"/p/pair_spaces/{pair_id}", mentor))
        return shots


def cookie_for(app, username: str, base: str) -> dict:
    from forum.accounts.services import find_user

    with app.app_context():
        user = find_user(username)
        value = app.session_interface.get_signing_serializer(app).dumps(
            {"_user_id": user.get_id(), "_fresh": True})
    return {"name": app.config.get("SESSION_COOKIE_NAME", "session"), "value": value, "url": base}


def photograph(app, shots) -> list[Path]:
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    written = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for view, viewport in VIEWS.items():
                for name, path, username in shots:
                    context = browser.new_context(viewport=viewport, base_url=base, color_scheme="light",
                                                  device_scale_factor=1, reduced_motion="reduce")
                    if username:
                        context.add_cookies([cookie_for(app, username, base)])
                    page = context.new_page()
                    response = page.goto(path)
                    if response.status != 200:
                        raise SystemExit(f"{path} answered {response.status}")
                    target = OUT / f"{name}-{view}.png"
                    page.screenshot(path=str(target), full_page=False)
                    written.append(target)
                    context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return written


def main() -> None:
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"no Chromium at {CHROMIUM}: run `make browser-deps`")
    with tempfile.TemporaryDirectory(prefix="forum-screenshots-") as tmp:
        instance = Path(tmp) / "instance"
        instance.mkdir()
        prepare(instance)
        from forum import create_app

        setup = create_app({"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
        pair_id = demo_pair(setup)
        # The moderator is photographed as after their two-factor step (the demo has no TOTP app).
        app = create_app({"RATELIMIT_ENABLED": False, "FORUM_REQUIRE_2FA": False})
        for path in photograph(app, targets(app, pair_id)):
            print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
