"""Two teams merge in a real browser, once in Korean and once in English: one leader asks,
the other sees the request on the team page, confirms, and lands on the merged team."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_two_teams_merge_after_a_request_and_a_confirmation(make, visitor, say, language):
    competition = make.competition(title=f"병합 챌린지 {language}", rules="공정하게 참가합니다.")
    into_name, other_name = f"남는팀-{language}", f"합류팀-{language}"
    into = make.team(competition, make.user(name="남는 팀장"), name=into_name)
    other = make.team(competition, make.user(name="합류 팀장"), name=other_name,
                      members=[make.user(name="합류 팀원")])  # fmt: skip

    asking = visitor()
    asking.log_in(into.leader)
    page = asking.go(f"/teams/{into.id}")
    page.get_by_label(say("Team to merge into yours")).select_option(label=other_name)
    page.get_by_role("button", name=say("Ask to merge")).click()
    expect(
        page.get_by_text(say("The request is sent; the other team's leader will answer it."))
    ).to_be_visible()
    expect(page.locator("#merges")).to_contain_text(say("Waiting for %(team)s to answer.",
                                                        team=other_name))  # fmt: skip

    asked = visitor()
    asked.log_in(other.leader)
    page = asked.go(f"/teams/{other.id}")
    expect(page.locator("#merges")).to_contain_text(
        say("%(team)s asks your team to merge into it.", team=into_name)
    )
    page.get_by_role("link", name=say("Accept…")).click()
    expect(
        page.get_by_role("heading", name=say("Merge your team into %(team)s?", team=into_name))
    ).to_be_visible()
    page.get_by_role("button", name=say("Merge the teams")).click()
    expect(page.get_by_text(say("Your team merged into %(team)s.", team=into_name))).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/teams/{into.id}$"))
    for name in ("남는 팀장", "합류 팀장", "합류 팀원"):
        expect(page.locator("main")).to_contain_text(name)
