"""A mentee who knows nobody finds a mentor and starts a pair, by clicks from the home page:
the mentor publishes a profile, the mentee filters "Find a mentor", opens the profile, proposes
with a message, the mentor accepts, both accept the agreement and the space opens."""

from __future__ import annotations

import re

import pytest
from conftest import release_database

pytestmark = pytest.mark.browser


def _click(page, role, name, **options):
    with page.expect_navigation():
        page.get_by_role(role, name=name, **options).click()


def _publish_profile(page):
    page.goto("/")
    _click(page, "link", "Find a mentor")
    _click(page, "link", "My mentoring profile")
    page.get_by_label("Publish my mentoring profile").check()
    page.get_by_label("I offer to mentor").check()
    page.get_by_label("Areas").fill("career, research ethics")
    page.get_by_label("Languages").fill("English")
    page.get_by_label("Country").fill("Portugal")
    page.get_by_label("Short introduction (Markdown)").fill("I mentor **early researchers**.")
    _click(page, "button", "Save")
    assert "Mentoring profile saved" in page.locator(".flashes").inner_text()


def _accept_agreement(page):
    _click(page, "button", re.compile(r"^I accept version \d+$"))


def test_find_a_mentor_propose_consent_and_open_the_space(app, make_user, open_page, check_page):
    if "pair_spaces.find_mentor" not in app.view_functions:
        pytest.skip("the pair_spaces plugin is not installed")
    make_user("rosa", display_name="Rosa Lind")
    make_user("tomas", display_name="Tomas Berg")
    from forum.accounts.models import User
    from forum.extensions import db

    rosa, tomas = (db.session.query(User).filter_by(username=n).one() for n in ("rosa", "tomas"))
    release_database()

    mentor = open_page(user=rosa)
    _publish_profile(mentor)

    mentee = open_page(user=tomas)
    mentee.goto("/")
    _click(mentee, "link", "Find a mentor")
    mentee.get_by_label("Area").fill("research ethics")
    _click(mentee, "button", "Search")
    card = mentee.locator(".mentor-card", has_text="Rosa Lind")
    assert card.locator("strong", has_text="early researchers").count() == 1
    check_page(mentee, "mentoring-find-a-mentor")
    with mentee.expect_navigation():
        card.get_by_role("link", name="Rosa Lind").click()
    _click(mentee, "link", "Propose a pair")
    mentee.get_by_label("A short message").fill("I am starting a PhD; could you mentor me?")
    _click(mentee, "button", "Send proposal")
    assert "Proposal sent" in mentee.locator(".flashes").inner_text()

    mentor.goto("/p/pair_spaces/mine")
    proposal = mentor.locator(".pair-list li", has_text="Tomas Berg")
    assert "could you mentor me?" in proposal.inner_text()
    with mentor.expect_navigation():
        proposal.get_by_role("button", name="Accept").click()
    assert "The pair is formed" in mentor.locator(".flashes").inner_text()
    _accept_agreement(mentor)

    mentee.goto("/p/pair_spaces/mine")
    _click(mentee, "link", "Open the space")
    _accept_agreement(mentee)
    assert mentee.get_by_role("heading", name=re.compile(r"^In force: version \d+$")).is_visible()
    mentee.goto("/p/pair_spaces/mine")
    _click(mentee, "link", "Open the space")
    assert re.search(r"/p/pair_spaces/\d+$", mentee.url)
    assert mentee.get_by_label("Message (Markdown)").is_visible()
    check_page(mentee, "mentoring-space-open")
