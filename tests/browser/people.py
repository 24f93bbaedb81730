"""Signing up in the browser as a person does: read the notice, tick the consent, find
the verification mail at the site's SMTP server, follow its link, log in."""

from __future__ import annotations

import re
import time
from email.message import EmailMessage
from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.browser.chromium import log_in
from tests.conftest import PASSWORD
from tests.support.smtp import Inbox, parts

VERIFY_LINK = re.compile(r"http://\S+/verify/\S+")


def mail_to(inbox: Inbox, email: str, count: int = 1, seconds: float = 60) -> EmailMessage:
    """The ``count``-th message the site sent to ``email`` (the worker sends it)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        received = [m for m in inbox.messages if m["To"] == email]
        if len(received) >= count:
            return received[count - 1]
        time.sleep(0.2)
    raise AssertionError(f"no message {count} to {email} within {seconds}s")


def fill_in(
    person, name: str, email: str, affiliation: str = "", marketing: bool = False, *, here=False
):
    """Fill in and send the sign-up form (the one open ``here``, or /register), ticking the
    required consent."""
    say, page = person.say, person.page if here else person.go("/register")
    page.get_by_label(say("Email")).fill(email)
    page.get_by_label(say("Name"), exact=True).fill(name)
    page.get_by_label(say("Affiliation (school or company)")).fill(affiliation)
    page.get_by_label(say("Password"), exact=True).fill(PASSWORD)
    page.get_by_label(say("Repeat the password")).fill(PASSWORD)
    notice = page.get_by_role("region", name=say("Collection and use of personal data (required)"))
    expect(notice).to_be_visible()
    page.get_by_label(
        say("I agree to the collection and use of my personal data as described above (required)")
    ).check()
    if marketing:
        page.get_by_label(
            say("I agree to receive news and to have my details shared with sponsors (optional)")
        ).check()
    page.get_by_role("button", name=say("Create account")).click()


def follow_verification(person, email: str, count: int = 1) -> None:
    """Open the link of the ``count``-th verification mail to ``email``."""
    message = mail_to(person.site.inbox, email, count)
    assert message["Subject"] == person.say("Confirm your email address")
    text, _html = parts(message)
    person.go(urlsplit(VERIFY_LINK.search(text).group(0)).path)
    verified = person.say("Thank you: your email address is verified.")
    expect(person.page.get_by_text(verified)).to_be_visible()


def sign_up(person, name: str, email: str, affiliation: str = "", verify: bool = True) -> None:
    """Sign up with consent; with ``verify``, follow the mailed link; then log in."""
    say, page = person.say, person.page
    fill_in(person, name, email, affiliation)
    thanks = say(
        "Thank you! If %(email)s had no account yet, it has one now, and we sent it a link"
        " to confirm the address. Please log in to continue.",
        email=email,
    )
    expect(page.get_by_text(thanks)).to_be_visible()
    expect(page.get_by_label(say("Email"))).to_have_value(email)  # filled in on the login page
    if verify:
        follow_verification(person, email)  # logged out: it leads to the login page
    log_in(page, say, email, PASSWORD)
    expect(page.locator("[data-verify-banner]")).to_have_count(0 if verify else 1)
