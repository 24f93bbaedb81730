"""A reader whose browser is in another zone than the competition sees both times: the
competition's (as the server writes it) and, beside it, their own."""

from __future__ import annotations

from datetime import UTC, datetime

from playwright.sync_api import expect

from judge.core.db import unit_of_work
from judge.notices import services as notices
from tests.browser.chromium import profile

POSTED = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # 18:00 in Seoul, 10:00 in Berlin


def test_a_notice_shows_the_readers_own_time_when_their_zone_differs(
    make, site, chromium, say, language
):
    organizer = make.user(name="박주최")
    competition = make.competition(organizer, title=f"시간대 {language}", timezone="Asia/Seoul")
    with unit_of_work():
        notices.post_notice(competition, organizer, POSTED, title="일정 안내", body="본문")
    for zone, own in (("Europe/Berlin", "10:00"), ("Asia/Seoul", None)):
        person = profile(chromium, language, timezone_id=zone)
        page = person.new_page()
        page.goto(f"{site.url}/c/{competition.slug}")
        notice = page.locator("[data-notice]").first
        expect(notice.locator("time")).to_contain_text("KST")
        if own is None:
            expect(notice.locator(".reader-time")).to_have_count(0)
        else:
            mine = notice.locator(".reader-time")
            expect(mine).to_contain_text(say("your time:"))
            expect(mine).to_contain_text(own)
            expect(mine).to_contain_text("GMT+1")
        person.close()
