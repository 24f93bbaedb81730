"""Playwright driving Debian's Chromium: the browser tests and the README screenshots.

Chromium comes from ``apt-get install chromium`` (``.ci/run`` installs it), not from
Playwright's own download, so nothing is fetched from the internet.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from babel.support import Translations
from playwright.sync_api import Browser, Page, Playwright

CHROMIUM = "/usr/bin/chromium"
TRANSLATIONS = Path(__file__).resolve().parents[2] / "judge" / "translations"
# The browser's language as a visitor's settings would send it (Accept-Language).
LOCALES = {"ko": "ko-KR", "en": "en-US"}
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def launch(playwright: Playwright) -> Browser:
    """Headless Chromium; --no-sandbox because the tests run as root."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                      args=["--no-sandbox"])  # fmt: skip


def profile(browser: Browser, language: str, viewport: dict | None = None, **options):
    """A fresh browser profile (no cookies) that asks for pages in ``language``."""
    return browser.new_context(locale=LOCALES[language], viewport=viewport or LAPTOP, **options)


def log_in(page: Page, say: Callable[..., str], email: str, password: str) -> None:
    """Fill in the login page (already open) in its language and wait to be let in."""
    page.get_by_label(say("Email")).fill(email)
    page.get_by_label(say("Password")).fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/login" not in url)


def words(language: str) -> Callable[..., str]:
    """The interface's own words in ``language``: words("ko")("Log in") == "로그인"."""
    catalog = Translations.load(str(TRANSLATIONS), [language], domain="messages")

    def say(message: str, plural: str | None = None, **values) -> str:
        """``plural`` given: the form for ``values["num"]``."""
        if plural is None:
            text = catalog.gettext(message)
        else:
            text = catalog.ngettext(message, plural, values["num"])
        return text % values if values else text

    return say
