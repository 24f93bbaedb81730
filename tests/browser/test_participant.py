"""A participant's evening, in a real browser, once in Korean and once in English:
sign up (consent, then the verification mail's link), accept the rules, form a team,
bring a teammate in with the invite code, drop a CSV on the problem page, watch it get
scored without reloading, and find the team on the leaderboard."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import expect

from judge.core.db import utcnow
from tests.browser.chromium import PHONE, words
from tests.browser.conftest import Visitor
from tests.browser.people import sign_up

CORRECT = "id,label\n" + "".join(f"{i},{i % 2}\n" for i in range(1, 41))  # every label right


def accept_rules(person: Visitor, slug: str) -> None:
    page = person.go(f"/c/{slug}")
    page.get_by_role("button", name=person.say("I accept the rules")).click()
    expect(page.get_by_text(person.say("You have accepted the rules."), exact=True)).to_be_visible()


def drop_file(page, name: str, text: str) -> None:
    """Drag a file onto the drop zone, as from the desktop."""
    transfer = page.evaluate_handle(
        "([name, text]) => { const t = new DataTransfer();"
        " t.items.add(new File([text], name, {type: 'text/csv'})); return t; }",
        [name, text],
    )
    page.dispatch_event("[data-dropzone]", "drop", {"dataTransfer": transfer})


def test_a_team_forms_submits_and_finds_itself_on_the_leaderboard(make, visitor, say, language):
    competition = make.competition(title=f"AI 혁신 챌린지 {language}", rules="공정하게 참가합니다.")
    problem = make.problem(competition, slug="defects", title="불량 검출")
    rival = make.user(name="다른 팀장")
    make.team(competition, rival, division=1, name="학부팀")
    slug, team = competition.slug, f"알파-{language}"

    leader = visitor()
    sign_up(leader, "김민준", f"minjun-{language}@example.kr", "KAIST")
    accept_rules(leader, slug)
    page = leader.page
    page.get_by_label(say("Team name")).fill(team)
    page.get_by_label(say("Division")).select_option(label="대학원")
    page.get_by_role("button", name=say("Create team")).click()
    expect(page.get_by_text(say("Your team is created. Share the invite code with your "
                                "teammates."))).to_be_visible()  # fmt: skip
    code = page.locator("code.invite").inner_text()

    teammate = visitor()
    sign_up(teammate, "이서연", f"seoyeon-{language}@example.kr", "KAIST")
    accept_rules(teammate, slug)
    teammate.page.get_by_label(say("Invite code")).fill(code)
    teammate.page.get_by_role("button", name=say("Join team")).click()
    expect(teammate.page.get_by_text(say("You joined %(team)s.", team=team))).to_be_visible()
    expect(teammate.page.locator("dl.facts")).to_contain_text("김민준")

    page = leader.go(f"/c/{slug}/p/{problem.slug}")
    expect(page.get_by_role("heading", name=say("Submit predictions"))).to_be_visible()
    drop_file(page, "predictions.csv", CORRECT)
    expect(page.locator("[data-file-name]")).to_contain_text("predictions.csv")
    page.get_by_role("button", name=say("Submit"), exact=True).click()
    row = page.locator("[data-submissions] tbody tr").first
    expect(row).to_have_attribute("data-status", "scored", timeout=90_000)  # no reload
    expect(row.locator("[data-cell=public]")).to_have_text(re.compile(r"^1(\.0+)?$"))
    expect(row.locator("[data-cell=file]")).to_contain_text("predictions.csv")

    page.get_by_role("link", name=say("Leaderboard"), exact=True).click()
    mine = page.locator("tr.mine")
    expect(mine).to_contain_text(team)
    expect(mine).to_contain_text(say("your team"))
    division = page.get_by_role("navigation", name=say("Division"))
    division.get_by_role("link", name="학부").click()
    expect(page.locator("tbody")).not_to_contain_text(team)
    division.get_by_role("link", name="대학원").click()
    expect(page.locator("tr.mine")).to_contain_text(team)

    other = "en" if language == "ko" else "ko"
    page.locator("[data-language-switch] button").click()
    expect(
        page.get_by_role("heading", name=words(other)("Leaderboard"), exact=True)
    ).to_be_visible()
    expect(page.locator("tr.mine")).to_contain_text(words(other)("your team"))


def test_the_pages_fit_a_phone(make, visitor, language):
    """Nothing is wider than a phone's screen: wide tables scroll inside their own box."""
    competition = make.competition(title=f"모바일 챌린지 {language}", rules="규정")
    problem = make.problem(competition, slug="defects", title="불량 검출")
    leader = make.user(name="김민준")
    make.team(competition, leader, name="알파")
    person = visitor(PHONE)
    person.log_in(leader)
    for path in ("", f"/p/{problem.slug}", f"/p/{problem.slug}/leaderboard"):
        page = person.go(f"/c/{competition.slug}{path}")
        expect(page.locator("h1").first).to_be_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path or '/'} is {overflow}px wider than the phone"


def test_the_countdown_ticks(make, visitor, language):
    """The time left until submissions close goes down by the second, in the page's language."""
    now = utcnow()
    closes = now + timedelta(hours=2, minutes=5)
    competition = make.competition(title=f"카운트다운 {language}", submissions_close_at=closes,
                                   submissions_open_at=now - timedelta(days=1))  # fmt: skip
    page = visitor().go(f"/c/{competition.slug}")
    left = page.locator("[data-countdown-left]")
    expect(left).to_contain_text("초" if language == "ko" else "seconds")  # the script took over
    shown = left.inner_text()
    expect(left).not_to_have_text(shown)  # a second later
    expect(left).to_contain_text("2시간 4분" if language == "ko" else "2 hours, 4 minutes")
