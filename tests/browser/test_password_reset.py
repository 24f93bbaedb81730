"""Forgetting a password, in a real browser, in Korean and in English: the link arrives at
a real SMTP server, opens the page to choose a new password, and a browser that was logged
in before is logged out."""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.browser.chromium import log_in
from tests.browser.conftest import Visitor
from tests.support.smtp import parts

NEW_PASSWORD = "a brand new secret"
LINK = re.compile(r"http://\S+/password/reset/\S+")


def link_for(inbox, address: str, timeout: float = 60) -> str:
    """The reset link in the first message to ``address``, waiting for the worker to send it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in list(inbox.messages):
            if address in message["To"]:
                text, _html = parts(message)
                return urlsplit(LINK.search(text).group(0)).path
        time.sleep(0.2)
    raise AssertionError(f"no mail reached {address}")


def test_a_forgotten_password_is_reset_by_mail_and_old_browsers_are_logged_out(
    make, visitor, say, language, site
):
    user = make.user(f"forgetful-{language}@example.com", name="잊은 사람")
    before: Visitor = visitor()
    before.log_in(user)
    expect(before.go("/account").get_by_role("heading", name=say("Account"))).to_be_visible()

    person: Visitor = visitor()
    page = person.go("/login")
    page.get_by_role("link", name=say("Forgot your password?")).click()
    page.get_by_label(say("Email")).fill(user.email)
    page.get_by_role("button", name=say("Send the link")).click()
    expect(page.locator(".flash.info")).to_be_visible()

    page = person.go(link_for(site.inbox, user.email))
    page.get_by_label(say("New password"), exact=True).fill(NEW_PASSWORD)
    page.get_by_label(say("Repeat the new password")).fill(NEW_PASSWORD)
    page.get_by_role("button", name=say("Set the new password")).click()
    expect(page.locator(".flash.success")).to_be_visible()
    log_in(page, say, user.email, NEW_PASSWORD)

    # The browser logged in before the reset now asks to log in.
    stale = before.go("/account")
    expect(stale.get_by_role("button", name=say("Log in"))).to_be_visible()
    assert "/login" in stale.url
