"""The basics of accessibility on the pages each role spends time on, in both languages:
axe-core's WCAG 2 A and AA rules (labels, names, contrast, landmarks, language) find
nothing, and the upload can be reached and used with the keyboard alone."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.finals import judging, services
from judge.problems.models import Problem
from tests.browser.test_finals import closed_competition
from tests.browser.test_participant import CORRECT

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
        "resultTypes": ["violations"]}  # fmt: skip


def violations(page) -> list[str]:
    found = Axe().run(page, options=WCAG).response["violations"]
    return [f"{v['id']} ({v['impact']}): {v['help']} at "
            f"{[n['target'] for n in v['nodes']][:5]}" for v in found]  # fmt: skip


@pytest.fixture
def finished(make, language):
    """A competition after its finals: scored, shortlisted, judged and finalized."""
    competition, organizer, judge, _member = closed_competition(make, f"a11y {language}")
    problem = competition_problem(competition)
    with unit_of_work():
        finalists = services.shortlist(problem, organizer, utcnow())
    criteria = judging.criteria(competition)
    with unit_of_work():
        for finalist in finalists:
            judging.save_scores(judge, finalist, {c.id: 8 for c in criteria}, utcnow())
    sponsor = make.user(name="후원 담당")
    make.sponsor_member(competition, sponsor)
    return competition, problem, organizer, judge, sponsor, finalists


def competition_problem(competition):
    return db.session.scalar(sa.select(Problem).filter_by(competition_id=competition.id))


def test_the_main_pages_pass_axe(finished, visitor):
    competition, problem, organizer, judge, sponsor, finalists = finished
    slug, here = competition.slug, f"/c/{competition.slug}/p/{problem.slug}"
    leader = finalists[0].team.leader
    pages = {
        None: ["/", "/login", "/register", f"/c/{slug}", here, f"{here}/leaderboard"],
        leader: [f"/c/{slug}", here, f"{here}/leaderboard", f"/c/{slug}/team",
                 f"/c/{slug}/finals/materials"],
        sponsor: [f"{here}/dashboard"],
        judge: [f"/c/{slug}/judging"],
        organizer: [f"/c/{slug}/manage", f"/c/{slug}/finals", f"{here}/manage",
                    f"/c/{slug}/problems/new", f"{here}/all-submissions",
                    f"{here}/all-submissions/rescore"],  # the one confirm page
    }  # fmt: skip
    found = {}
    for user, paths in pages.items():
        person = visitor()
        if user is not None:
            person.log_in(user)
        for path in paths:
            page = person.go(path)
            page.wait_for_load_state("networkidle")
            problems = violations(page)
            if problems:
                found[f"{path} as {user.email if user else 'visitor'}"] = problems
    assert found == {}


def test_a_participant_submits_with_the_keyboard_alone(make, visitor, say, language, tmp_path):
    competition = make.competition(title=f"키보드 챌린지 {language}")
    problem = make.problem(competition, slug="defects", title="불량 검출")
    leader = make.user(name="김민준")
    make.team(competition, leader, name="알파")
    predictions = tmp_path / "predictions.csv"
    predictions.write_text(CORRECT)
    person = visitor()
    person.log_in(leader)
    page, choosers = person.page, []
    page.on("filechooser", lambda chooser: choosers.append(chooser))
    person.go(f"/c/{competition.slug}/p/{problem.slug}")
    tab_to(page, "input[type=file]")
    open_chooser(page, choosers).set_files(str(predictions))
    tab_to(page, "form[data-submit-form] button[type=submit]")
    page.keyboard.press("Enter")
    row = page.locator("[data-submissions] tbody tr").first
    expect(row).to_have_attribute("data-status", "scored", timeout=90_000)


def open_chooser(page, choosers: list):
    """Space on the focused file input, as a keyboard user would. The listener filling
    ``choosers`` is added before the page is even loaded: Playwright turns Chromium's
    file-chooser interception on without waiting (fire and forget), and a key press that
    wins that race opens Chromium's own headless, invisible dialog instead."""
    page.keyboard.press("Space")
    for _ in range(100):
        if choosers:
            return choosers[0]
        page.wait_for_timeout(100)
    raise AssertionError("the file chooser does not open from the keyboard")


def tab_to(page, selector: str, presses: int = 80) -> None:
    """Press Tab until ``selector`` has the focus, as a keyboard user would."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")
