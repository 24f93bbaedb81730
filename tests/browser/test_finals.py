"""Stage two in a real browser, in Korean and in English: the organizer shortlists from
the private leaderboard, a judge scores the finalists, the organizer finalizes, the
public results page shows the awards with their prize money and the winners' members, and
a member of the winning team downloads its certificate (상장) as PDF."""

from __future__ import annotations

import io
import time
from datetime import timedelta

from playwright.sync_api import expect
from pypdf import PdfReader

from judge.competitions.models import Role
from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.finals import judging, results, services
from judge.submissions.models import Status
from tests.browser.chromium import PHONE
from tests.submissions.helpers import submit

# Each team's share of right labels on 40 rows: 알파 is best on the leaderboard.
RIGHT = {"알파": 40, "베타": 34, "감마": 28}
POINTS = {"알파": "9", "베타": "7", "감마": "8"}


def predictions(right: int) -> bytes:
    return ("id,label\n" + "".join(f"{i},{i % 2 if i <= right else 1 - i % 2}\n"
                                   for i in range(1, 41))).encode()  # fmt: skip


def closed_competition(make, language: str, title: str = "AI 혁신 챌린지 결선"):
    """Three teams whose uploads the worker has scored (알파 with a second member, 알파 팀원),
    a judge, a rubric, the Minister's award; submissions have just closed."""
    organizer = make.user(name="박주최")
    competition = make.competition(organizer, title=f"{title} {language}")
    problem = make.problem(competition, slug="defects", title="불량 검출")
    uploads, member = [], make.user(name="알파 팀원")
    for name, right in RIGHT.items():
        leader = make.user(name=f"{name} 팀장", affiliation=f"{name} 대학교")
        make.team(competition, leader, name=name, members=[member] if name == "알파" else [])
        uploads.append(submit(problem, leader, predictions(right)))
    judge = make.user(name="심사위원", affiliation="한국과학기술원")
    make.role(competition, judge, Role.JUDGE)
    with unit_of_work():
        services.update_settings(competition, organizer, {"finalists_per_division": 3})
        judging.add_criterion(competition, "기술성", 60, 10)
        judging.add_criterion(competition, "창의성", 40, 10)
        results.add_tier(problem, competition.divisions[0].id, {
            "name_ko": "대상", "name_en": "Grand Prize", "teams": 1, "amount": 10_000_000,
            "currency": "KRW", "awarding_body": "과학기술정보통신부 장관상"})  # fmt: skip
    scored_by_the_worker(uploads)
    with unit_of_work():
        problem.closes_at = utcnow() - timedelta(minutes=1)
    return competition, organizer, judge, member


def scored_by_the_worker(uploads, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        db.session.expire_all()
        if all(u.status == Status.SCORED for u in uploads):
            return
        time.sleep(0.2)
    raise AssertionError([(u.status, u.error_message) for u in uploads])


def test_finalists_are_judged_and_the_results_published(make, visitor, say, language):
    competition, organizer, judge, member = closed_competition(make, language)
    slug = competition.slug

    chair = visitor()
    chair.log_in(organizer)
    page = chair.go(f"/c/{slug}/finals")
    page.get_by_role("button", name=say("Shortlist from the private leaderboard")).click()
    page.get_by_role("button", name=say("Shortlist from the private leaderboard")).click()
    for team in RIGHT:
        expect(page.locator("main")).to_contain_text(team)

    expert = visitor()
    expert.log_in(judge)
    page = expert.go(f"/c/{slug}/judging")
    for team, points in POINTS.items():
        card = page.locator(f"[data-finalist='{team}']")
        for field in card.get_by_role("spinbutton").all():
            field.fill(points)
    page.get_by_role("button", name=say("Save my scores")).click()
    expect(page.get_by_text(say("Your scores and comments are saved."))).to_be_visible()

    page = chair.go(f"/c/{slug}/finals")
    page.get_by_role("button", name=say("Finalize and publish the results")).click()
    expect(page.locator("[data-confirm]")).to_contain_text(say(
        "The private leaderboards of %(titles)s will be revealed to everyone.",
        titles="불량 검출"))  # fmt: skip
    page.get_by_label(say("Reveal these private leaderboards to everyone")).check()
    page.get_by_role("button", name=say("Finalize and publish the results")).click()
    page.get_by_role("link", name=say("Results page")).click()
    award = page.locator("main")
    expect(award).to_contain_text("과학기술정보통신부 장관상")
    expect(award).to_contain_text("대상" if language == "ko" else "Grand Prize")
    expect(award).to_contain_text("10,000,000원" if language == "ko" else "₩10,000,000")
    winner = page.locator("tr", has_text="과학기술정보통신부 장관상")
    expect(winner).to_contain_text("알파")  # best on the leaderboard and by the judge

    public = visitor()  # anyone may read the published results
    page = public.go(f"/c/{slug}/results")
    expect(page.locator("main")).to_contain_text("알파")
    expect(page.get_by_role("link", name=say("Certificate (Korean)"))).to_have_count(0)

    winner_member = visitor()
    winner_member.log_in(member)
    page = winner_member.go(f"/c/{slug}/results")
    row = page.locator("tr", has_text="과학기술정보통신부 장관상")
    expect(row).to_contain_text("알파 팀장, 알파 팀원")
    expect(row).to_contain_text("대상" if language == "ko" else "Grand Prize")
    version = "Certificate (Korean)" if language == "ko" else "Certificate (English)"
    with page.expect_download() as download:
        row.get_by_role("link", name=say(version)).click()
    text = pdf_text(download.value.path())
    award = ("상장", "대상") if language == "ko" else ("Certificate of award", "Grand Prize")
    for words in (*award, "과학기술정보통신부 장관상", "알파", "알파 팀원", "불량 검출"):
        assert words in text, words


def pdf_text(path) -> str:
    with open(path, "rb") as pdf:
        return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.read())).pages)


def test_the_finals_console_fits_a_phone(make, visitor, language):
    """Its wide tables (finalists per division) scroll inside their own box, not the page."""
    organizer = make.user(name="박주최")
    competition = make.competition(organizer, title=f"결선 모바일 {language}")
    make.problem(competition, slug="defects", title="불량 검출")
    person = visitor(PHONE)
    person.log_in(organizer)
    page = person.go(f"/c/{competition.slug}/finals")
    expect(page.locator("h1").first).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the finals console is {overflow}px wider than the phone"
