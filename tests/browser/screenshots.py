"""The README's screenshots: the demo, served by gunicorn and scored by a worker, seen
through the same Playwright and Chromium as the browser tests.

    scripts/screenshots            # writes docs/screenshots/*.png

It loads the demo into a temporary instance, walks last year's finals as the organizer
and a judge would (shortlist, re-run the code, score, finalize), and photographs the
pages each role spends time on: mostly in Korean, the product's first language.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

from judge.demo import content
from judge.demo import finals as demo_finals
from tests.browser.chromium import LAPTOP, PHONE, launch, log_in, profile, words
from tests.integration.servers import BIN, REPO, environment, start_web, start_worker

PASSWORD = "demo-password"
OUT = REPO / "docs" / "screenshots"
NOW = content.SLUG  # this year's competition, open for submissions
LAST = demo_finals.SLUG  # last year's, in its finals


class Tour:
    """One person, logged in or not, taking pictures of pages."""

    def __init__(self, browser, url: str, out: Path, language: str = "ko", viewport=LAPTOP):
        self.context = profile(browser, language, viewport)
        self.page: Page = self.context.new_page()
        self.page.set_default_timeout(60_000)
        self.url, self.out, self.say = url, out, words(language)

    def go(self, path: str) -> Page:
        self.page.goto(self.url + path)
        return self.page

    def log_in(self, email: str) -> Tour:
        log_in(self.go("/login"), self.say, email, PASSWORD)
        return self

    def shoot(self, name: str, path: str | None = None, full: bool = False) -> None:
        if path is not None:
            self.go(path)
        self.page.wait_for_load_state("networkidle")
        self.page.screenshot(path=str(self.out / f"{name}.png"), full_page=full)
        print(f"  {name}.png")


def main(out: Path = OUT) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="judge-screenshots-") as tmp:
        env = environment(Path(tmp) / "instance", BABEL_DEFAULT_LOCALE="ko",
                          SANDBOX_ROOT="/run/judge-sandbox-shots", SANDBOX_UID_BASE="66000",
                          SWEEP_SECONDS="1")  # fmt: skip
        for command in (["db", "upgrade"], ["demo", "--password", PASSWORD]):
            subprocess.run([str(BIN / "judge"), *command], env=env, cwd=REPO, check=True,
                           stdout=subprocess.DEVNULL)  # fmt: skip
        web, url = start_web(env, Path(tmp) / "web.log")
        worker = start_worker(env, Path(tmp) / "worker.log", "screenshots")
        try:
            with sync_playwright() as playwright:
                browser = launch(playwright)
                photograph(browser, url, out)
                browser.close()
        finally:
            worker.kill(signal.SIGTERM)
            web.kill(signal.SIGTERM)


def photograph(browser, url: str, out: Path) -> None:
    problem = content.BREAST_CANCER.slug
    wait_until_scored(Tour(browser, url, out).log_in("organizer@demo.judge"))
    visitor = Tour(browser, url, out)
    visitor.shoot("competition", f"/c/{NOW}", full=True)
    participant = Tour(browser, url, out).log_in("participant1@demo.judge")
    participant.shoot("problem", f"/c/{NOW}/p/{problem}", full=True)
    participant.shoot("leaderboard", f"/c/{NOW}/p/{problem}/leaderboard")
    Tour(browser, url, out, "en").log_in("participant1@demo.judge").shoot(
        "leaderboard-en", f"/c/{NOW}/p/{problem}/leaderboard")  # fmt: skip
    Tour(browser, url, out, viewport=PHONE).log_in("participant1@demo.judge").shoot(
        "phone-problem", f"/c/{NOW}/p/{problem}")  # fmt: skip
    Tour(browser, url, out).log_in("sponsor1@demo.judge").shoot(
        "dashboard", f"/c/{NOW}/p/{problem}/dashboard", full=True)  # fmt: skip
    finals(browser, url, out)


def finals(browser, url: str, out: Path) -> None:
    """Last year's finals, walked as the organizer and a judge would."""
    organizer = Tour(browser, url, out).log_in("organizer@demo.judge")
    shortlist = organizer.say("Shortlist from the private leaderboard")
    page = organizer.go(f"/c/{LAST}/finals")
    for n in range(page.get_by_role("button", name=shortlist).count()):
        page = organizer.go(f"/c/{LAST}/finals")
        page.get_by_role("button", name=shortlist).nth(n).click()
        page.get_by_role("button", name=shortlist).click()  # on the confirm page
    page = organizer.go(f"/c/{LAST}/finals")
    page.get_by_role("button", name=organizer.say("Re-run the finalists' code")).click()
    wait_for(lambda: "repro-pending" not in organizer.go(f"/c/{LAST}/finals").content(),
             "the re-runs")  # fmt: skip
    judge = Tour(browser, url, out).log_in("judge@demo.judge")
    page = judge.go(f"/c/{LAST}/judging")
    for n, card in enumerate(page.locator("[data-finalist]").all()):
        for field in card.get_by_role("spinbutton").all():
            field.fill(str(9 - n % 3))
        card.get_by_role("button", name=judge.say("Save my scores")).click()
        page.wait_for_load_state()
    judge.shoot("judging", f"/c/{LAST}/judging")
    organizer.shoot("finals", f"/c/{LAST}/finals", full=True)
    page = organizer.go(f"/c/{LAST}/finals")
    page.get_by_role("button", name=organizer.say("Finalize and publish the results")).click()
    page.get_by_label(organizer.say("Reveal these private leaderboards to everyone")).check()
    page.get_by_role("button", name=organizer.say("Finalize and publish the results")).click()
    expect(page.get_by_role("link", name=organizer.say("Results page"))).to_be_visible()
    Tour(browser, url, out).shoot("results", f"/c/{LAST}/results", full=True)


def wait_until_scored(tour: Tour) -> None:
    """The demo queues this year's first week and last year's final uploads; the worker
    scores them."""
    pages = [f"/c/{NOW}/p/{content.BREAST_CANCER.slug}/all-submissions"] + [
        f"/c/{LAST}/p/{spec.slug}/all-submissions"
        for spec in (content.BREAST_CANCER, content.DIABETES)
    ]
    pending = ("status-queued", "status-running")
    wait_for(lambda: not any(p in tour.go(page).content() for page in pages for p in pending),
             "the scoring")  # fmt: skip


def wait_for(condition, what: str, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"gave up waiting for {what}")
        time.sleep(2)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
