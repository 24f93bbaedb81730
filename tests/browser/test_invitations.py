"""A team leader invites a friend by e-mail, in a real browser, once in Korean and once in
English: the friend opens the mailed link, signs up through it, comes back to the
invitation, accepts the rules and is on the team."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.chromium import log_in
from tests.browser.people import fill_in, mail_to
from tests.conftest import PASSWORD
from tests.support.smtp import parts

LINK = re.compile(r"http://\S+(/invitations/team/[\w-]+)")


def mailed_link(inbox, email: str) -> str:
    """The invitation's path, from the mail as the site's SMTP server received it."""
    text, _html = parts(mail_to(inbox, email))
    return LINK.search(text).group(1)


def test_an_invitee_signs_up_through_the_mailed_link_and_joins(make, visitor, say, language):
    competition = make.competition(title=f"초대 챌린지 {language}", rules="공정하게 참가합니다.")
    leader = make.user(name="팀장 하나")
    team_name = f"초대팀-{language}"
    team = make.team(competition, leader, name=team_name)
    friend = f"friend-{language}@example.org"

    host = visitor()
    host.log_in(leader)
    page = host.go(f"/teams/{team.id}")
    page.get_by_label(say("Email address")).fill(friend)
    page.get_by_role("button", name=say("Send invitation")).click()
    expect(
        page.get_by_text(say("An invitation is on its way to %(email)s.", email=friend))
    ).to_be_visible()
    expect(page.locator("#invitations")).to_contain_text(friend)

    guest = visitor()
    page = guest.go(mailed_link(guest.site.inbox, friend))
    expect(page.get_by_role("heading", name=say("Join %(team)s", team=team_name))).to_be_visible()
    page.locator("#invitation").get_by_role("link", name=say("Sign up")).click()
    fill_in(guest, "새 팀원", friend, here=True)
    log_in(page, say, friend, PASSWORD)
    expect(page).to_have_url(re.compile(r"/invitations/team/"))
    page.get_by_role("button", name=say("I accept the rules")).click()
    page.get_by_role("button", name=say("Join the team")).click()
    expect(page.get_by_text(say("You joined %(team)s.", team=team_name))).to_be_visible()
    expect(page.locator("main")).to_contain_text("새 팀원")
    expect(page).to_have_url(re.compile(rf"/teams/{team.id}$"))
