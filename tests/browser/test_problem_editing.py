"""Running problems without the API, in a real browser, in Korean and in English: an
organizer edits a problem's settings on its page (audited; what may not change is read-only
with the reason), and a sponsor's problem goes through the organizers' review."""

from __future__ import annotations

from playwright.sync_api import expect

from judge.core.db import unit_of_work, utcnow
from judge.finals import services as finals


def test_an_organizer_edits_a_problem_on_its_page(make, visitor, say, language):
    organizer = make.user(name="박주최")
    competition = make.competition(organizer, title=f"설정 챌린지 {language}")
    problem = make.problem(competition, slug="welds", title="용접 불량 분류")
    person = visitor()
    person.log_in(organizer)

    page = person.go(f"/c/{competition.slug}/p/welds/manage")
    page.get_by_label(say("Title"), exact=True).fill("용접 불량 분류 2차")
    page.get_by_label(say("Public share (0–1)")).fill("0.4")
    page.get_by_role("button", name=say("Save settings")).click()
    expect(page.get_by_text(say("The settings are saved."), exact=True)).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("용접 불량 분류 2차")
    expect(page.get_by_label(say("Public share (0–1)"))).to_have_value("0.4")

    page = person.go(f"/c/{competition.slug}/audit")
    row = page.locator('tr[data-action="problem_settings_changed"]')
    expect(row).to_contain_text(say("Problem settings changed"))
    expect(row).to_contain_text("public_fraction: 0.3")
    expect(row).to_contain_text("public_fraction: 0.4")

    with unit_of_work():
        finals.settings_of(competition).locked_at = utcnow()  # the results are published
    page = person.go(f"/c/{competition.slug}/p/{problem.slug}/manage")
    expect(page.get_by_label(say("Public share (0–1)"))).to_be_disabled()
    reason = say("The results are published: reopen them before changing “%(field)s”.",
                 field="public_fraction")  # fmt: skip
    expect(page.get_by_text(reason)).to_be_visible()
    expect(page.get_by_label(say("Title"), exact=True)).to_be_enabled()


def test_a_sponsors_problem_goes_through_review(make, visitor, say, language):
    organizer, sponsor = make.user(name="박주최"), make.user(name="김후원")
    competition = make.competition(organizer, title=f"검토 챌린지 {language}")
    make.sponsor_member(competition, sponsor, 0)
    make.problem(competition, slug="cracks", title="균열 탐지", publish=False)
    manage = f"/c/{competition.slug}/p/cracks/manage"
    comment = "평가 데이터의 단위를 설명해 주세요."

    author = visitor()
    author.log_in(sponsor)
    page = author.go(manage)
    expect(page.get_by_role("button", name=say("Publish"), exact=True)).to_have_count(0)
    page.get_by_role("button", name=say("Submit for review")).click()
    expect(page.locator("#publication")).to_contain_text(say("in review"))

    chair = visitor()
    chair.log_in(organizer)
    page = chair.go(f"/c/{competition.slug}/manage")
    queue = page.locator("#review")
    expect(queue).to_contain_text("균열 탐지")
    queue.get_by_label(say("What the sponsor should change")).fill(comment)
    queue.get_by_role("button", name=say("Send back")).click()
    expect(page.get_by_text(say("The problem %(problem)s is sent back to its sponsor.",
                                problem="균열 탐지"))).to_be_visible()  # fmt: skip
    expect(page.locator("#review")).to_contain_text(say("No problem waits for review."))

    page = author.go("/notifications")
    expect(page.get_by_text(comment)).to_be_visible()
    page = author.go(manage)
    expect(page.locator("#review-comment")).to_contain_text(comment)
    page.get_by_role("button", name=say("Submit for review")).click()
    expect(page.locator("#publication")).to_contain_text(say("in review"))

    page = chair.go(f"/c/{competition.slug}/manage")
    queue = page.locator("#review")
    queue.get_by_role("button", name=say("Publish"), exact=True).click()
    expect(page.get_by_text(say("Please tick the box to publish the problem."))).to_be_visible()
    queue = page.locator("#review")
    queue.get_by_label(say("I checked the problem: show it to the participants now")).check()
    queue.get_by_role("button", name=say("Publish"), exact=True).click()
    expect(page.get_by_text(say("The problem %(problem)s is published.",
                                problem="균열 탐지"))).to_be_visible()  # fmt: skip

    participant = visitor()
    page = participant.go(f"/c/{competition.slug}")
    page.get_by_role("link", name="균열 탐지").click()
    expect(page.get_by_role("heading", name="균열 탐지")).to_be_visible()


def test_a_refused_setting_low_on_the_page_is_brought_into_view(make, visitor, say, language):
    """The settings form is far below the top of a problem's page: a refused value re-shows
    the page with the field focused and in view, not the page's top as after a save."""
    organizer = make.user(name="박주최")
    competition = make.competition(organizer, title=f"오류 챌린지 {language}")
    make.problem(competition, slug="gears", title="기어 결함 분류")
    person = visitor()
    person.log_in(organizer)

    page = person.go(f"/c/{competition.slug}/p/gears/manage")
    share = page.get_by_label(say("Public share (0–1)"))
    share.fill("3")
    page.get_by_role("button", name=say("Save settings")).click()
    page.wait_for_load_state()
    share = page.get_by_label(say("Public share (0–1)"))
    expect(share).to_be_focused()
    expect(share).to_be_in_viewport()
    expect(page.locator(".field.has-error p.error").first).to_be_in_viewport()
