"""The judge's sheet in a real browser, in Korean and in English: every team scored and
commented in one save, the progress count, then the organizer reads the comments."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.test_finals import closed_competition

POINTS = {"알파": ["9", "8"], "베타": ["7", "6"], "감마": ["8", "5"]}
COMMENT = "데이터 전처리가 탄탄하고 발표가 명확했습니다."


def test_a_judge_scores_every_team_in_one_save_and_the_organizer_reads_the_comments(
    make, visitor, say, language
):
    competition, organizer, judge, _member = closed_competition(make, language, "심사 채점표")
    slug = competition.slug
    chair = visitor()
    chair.log_in(organizer)
    page = chair.go(f"/c/{slug}/finals")
    page.get_by_role("button", name=say("Shortlist from the private leaderboard")).click()
    page.get_by_role("button", name=say("Shortlist from the private leaderboard")).click()
    expect(page.locator("main")).to_contain_text("감마")

    expert = visitor()
    expert.log_in(judge)
    page = expert.go(f"/c/{slug}/judging")
    expect(page.locator("[data-progress]")).to_contain_text(say("%(done)d / %(total)d scored",
                                                                done=0, total=3))  # fmt: skip
    expect(page.locator("[data-rubric]")).to_contain_text("60 (60%)")
    for team, points in POINTS.items():
        card = page.locator(f"[data-finalist='{team}']")
        for field, value in zip(card.get_by_role("spinbutton").all(), points, strict=True):
            field.fill(value)
    page.locator("[data-finalist='베타']").get_by_role("textbox").fill(COMMENT)
    page.get_by_role("button", name=say("Save my scores")).click()

    expect(page.get_by_text(say("Your scores and comments are saved."))).to_be_visible()
    expect(page.locator("[data-progress]")).to_contain_text(say("%(done)d / %(total)d scored",
                                                                done=3, total=3))  # fmt: skip
    beta = page.locator("[data-finalist='베타']")
    # 기술성 60 and 창의성 40: (60·0.7 + 40·0.6) = 66
    expect(beta.locator("[data-own-total]")).to_contain_text(say("Your total: %(total)s of 100",
                                                                 total="66.00"))  # fmt: skip
    expect(beta.get_by_role("textbox")).to_have_value(COMMENT)

    page = chair.go(f"/c/{slug}/finals")
    page.get_by_role("link", name=say("Judges' scores and comments")).click()
    row = page.locator("[data-finalist='베타'] [data-judge='심사위원']")
    expect(row).to_contain_text(COMMENT)
    expect(row).to_contain_text("66.00")
