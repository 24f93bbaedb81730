"""The organizer sets up stage two's rubric and awards on the finals console, in a real
browser, in Korean and in English: a second criterion or award of the same name is refused
with a message, and each addition is in the audit log (weights move ranks; awards are money)."""

from __future__ import annotations

from playwright.sync_api import expect


def test_the_organizer_adds_the_rubric_and_an_award_on_the_console(make, visitor, say, language):
    organizer = make.user(name="박주최")
    competition = make.competition(organizer, title=f"본선 준비 {language}")
    make.problem(competition, slug="defects", title="불량 검출")
    chair = visitor()
    chair.log_in(organizer)
    page = chair.go(f"/c/{competition.slug}/finals")

    rubric = page.locator("form[action$='/finals/criteria']")
    for name in ("기술성", "기술성"):
        rubric.get_by_label(say("Criterion")).fill(name)
        rubric.get_by_label(say("Weight")).fill("60")
        rubric.get_by_role("button", name=say("Add criterion")).click()
    expect(page.get_by_text(say("The rubric already has a criterion named “%(name)s”.",
                                name="기술성"))).to_be_visible()  # fmt: skip
    expect(page.locator("main td", has_text="기술성")).to_have_count(1)

    for korean in ("대상", "대상"):
        page.locator("summary", has_text=say("Add an award")).click()
        award = page.locator("form[action$='/tiers']")
        award.get_by_label(say("Name in Korean")).fill(korean)
        award.get_by_label(say("Name in English")).fill("Grand Prize")
        award.get_by_label(say("Prize money")).fill("10000000")
        award.get_by_label(say("Awarding body")).fill("과학기술정보통신부 장관상")
        award.get_by_role("button", name=say("Add award")).click()
    expect(page.get_by_text(say("This problem's division already has an award named "
                                "“%(name)s”.", name="대상"))).to_be_visible()  # fmt: skip
    expect(page.locator("main li", has_text="과학기술정보통신부 장관상")).to_have_count(1)

    page.get_by_role("link", name=say("Audit log")).first.click()
    log = page.locator("main table").last
    expect(log.get_by_text(say("Rubric criterion added"), exact=True)).to_have_count(1)
    expect(log.get_by_text(say("Award added"), exact=True)).to_have_count(1)
    expect(log).to_contain_text("amount: 10000000")
