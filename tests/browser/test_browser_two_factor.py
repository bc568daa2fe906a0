"""Staff set up two-factor authentication by reading the page, and a recovery code logs them in."""

from __future__ import annotations

import pyotp
import pytest
from conftest import release_database

pytestmark = pytest.mark.browser

PASSPHRASE = "violet harbour lantern quietly 7"


def test_staff_sets_up_two_factor_and_logs_in_with_a_recovery_code(
    app, make_user, open_page, check_page
):
    moderator = make_user("mo", roles=("member", "moderator"), password=PASSPHRASE)
    release_database()
    page = open_page(user=moderator)
    page.goto("/account/2fa")
    qr = page.locator("figure.qr svg")
    assert qr.count() == 1 and "QR code" in qr.locator("title").text_content()
    check_page(page, "two-factor-setup")
    uri = page.locator("code.otpauth-uri").inner_text()
    code = pyotp.parse_uri(uri).now()
    page.get_by_label("Six-digit code from your authenticator app").fill(code)
    with page.expect_navigation():
        page.get_by_role("button", name="Turn on").click()
    codes = page.locator("ul.recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    check_page(page, "two-factor-recovery-codes")

    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()
    page.goto("/login")
    page.get_by_label("Username").fill("mo")
    page.get_by_label("Password").fill(PASSPHRASE)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    assert "/login/2fa" in page.url
    page.get_by_label("recovery code").fill(codes[0])
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("button", name="Log out").count() == 1

    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()
    page.goto("/login")
    page.get_by_label("Username").fill("mo")
    page.get_by_label("Password").fill(PASSPHRASE)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    page.get_by_label("recovery code").fill(codes[0])  # spent: refused, the form says why
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    assert "used already" in page.locator(".field-help .error").inner_text()
    page.probe.take_errors()  # the 422 answer is logged by Chromium as a failed resource
