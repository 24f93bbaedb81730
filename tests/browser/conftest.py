"""A whole judge site for the browser tests: gunicorn, a Celery worker scoring in the
sandbox and sending mail to a real SMTP server, and Chromium driven by Playwright, in
Korean and in English.

One site serves the package (starting gunicorn and a worker per test would cost more
than the tests); each test makes its own competition and accounts on it. On the
embedded defaults the site keeps SQLite files in its instance folder; in the production
pass it gets its own copy of the migrated PostgreSQL database and the Redis broker.
When a test fails, the page it was on is saved as a screenshot (the path is printed).
"""

from __future__ import annotations

import os
import re
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask_migrate import upgrade
from playwright.sync_api import Browser, Page, sync_playwright

from judge import create_app
from judge.core.extensions import db
from tests.browser.chromium import launch, log_in, profile, words
from tests.conftest import PASSWORD
from tests.factories import Factories
from tests.integration.servers import (
    REPO,
    environment,
    start_web,
    start_worker,
    use_environment,
)
from tests.support import slots
from tests.support.databases import PostgresDatabases, RedisBroker
from tests.support.smtp import Inbox, smtp_server

ARTIFACTS = Path(os.environ.get("JUDGE_TEST_ARTIFACTS", REPO / "test-artifacts")) / "browser"
SETTINGS = {
    "BABEL_DEFAULT_LOCALE": "ko",  # the product's own default, not the other tests' English
    "SWEEP_SECONDS": "1",
    "SANDBOX_ROOT": slots.root("/run/judge-sandbox-browser"),
    # apart from the integration tests' and the app's slots
    "SANDBOX_UID_BASE": str(slots.uid_base(65000)),
    "SIGNUP_MAX_PER_ADDRESS": "1000",  # every test signs up from 127.0.0.1
}


@dataclass
class Site:
    url: str
    make: Factories
    path: Path
    inbox: Inbox  # the mail the site sends, received by a real SMTP server


@pytest.fixture(scope="package")
def mail_inbox() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    with smtp_server(inbox) as port:
        yield inbox, port


@pytest.fixture(scope="package")
def site(
    mail_inbox: tuple[Inbox, int],
    tmp_path_factory: pytest.TempPathFactory,
    postgres: PostgresDatabases | None,
    redis_broker: RedisBroker | None,
    migrated_database: str,
) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("site")
    inbox, port = mail_inbox
    settings, database = dict(SETTINGS, MAIL_SERVER="127.0.0.1", MAIL_PORT=str(port)), None
    if postgres is not None and redis_broker is not None:
        database = postgres.create(template=migrated_database)
        settings.update(DATABASE_URL=postgres.url(database), **redis_broker.environment())
    env = environment(root / "instance", **settings)
    with pytest.MonkeyPatch.context() as patch:
        use_environment(patch, env)
        app = create_app()
        with app.app_context():
            upgrade()
            assert db.engine.dialect.name == ("postgresql" if database else "sqlite")
            yield from _serving(env, root, inbox)
            db.session.remove()
            db.engine.dispose()
    if database:
        postgres.drop(database)


def _serving(env: dict[str, str], root: Path, inbox: Inbox) -> Iterator[Site]:
    web, url = start_web(env, root / "web.log")
    try:
        worker = start_worker(env, root / "worker.log", "browser")
        try:
            yield Site(url, Factories(PASSWORD), root, inbox)
        finally:
            worker.kill(signal.SIGTERM)
    finally:
        web.kill(signal.SIGTERM)


@pytest.fixture
def make(site: Site) -> Factories:
    """The factories, writing to the site's database (the site's app context is current)."""
    return site.make


@pytest.fixture(scope="package")
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@pytest.fixture(params=["ko", "en"])
def language(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def say(language: str):
    """The interface's words in the test's language: say("Log in")."""
    return words(language)


@dataclass
class Visitor:
    """One person's browser profile on the site."""

    page: Page
    site: Site
    say: object

    def go(self, path: str) -> Page:
        self.page.goto(self.site.url + path)
        return self.page

    def log_in(self, user) -> None:
        log_in(self.go("/login"), self.say, user.email, PASSWORD)


@pytest.fixture
def visitor(chromium: Browser, site: Site, say, language: str, request: pytest.FixtureRequest):
    """visitor(viewport=None): a new person with their own browser profile (a laptop's screen
    unless told), in the test's language."""
    opened = []

    def open_visitor(viewport: dict | None = None) -> Visitor:
        person = profile(chromium, language, viewport)
        opened.append(person)
        page = person.new_page()
        page.set_default_timeout(20_000)
        return Visitor(page, site, say)

    yield open_visitor
    if _failed(request):
        _save_screenshots(request.node.nodeid, opened)
    for person in opened:
        person.close()


def _failed(request: pytest.FixtureRequest) -> bool:
    report = getattr(request.node, "report_call", None)
    return report is not None and report.failed


def _save_screenshots(nodeid: str, profiles) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^\w.-]+", "_", nodeid)
    for n, person in enumerate(profiles):
        for m, page in enumerate(person.pages):
            path = ARTIFACTS / f"{stem}-{n}-{m}.png"
            page.screenshot(path=str(path), full_page=True)
            print(f"screenshot of the failed step: {path}")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    report = yield
    if report.when == "call":
        item.report_call = report
    return report
