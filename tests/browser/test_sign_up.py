"""Signing up in a real browser, in Korean and in English: the personal-data notice and
its consent, the verification mail at a real SMTP server, its link, then logging in
with no banner left and a team that can submit; and the banner's "send the link again"."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.people import follow_verification, mail_to, sign_up
from tests.browser.test_participant import CORRECT, accept_rules, drop_file

NOTICE = {"ko": "수집 항목: 이메일 주소", "en": "What we collect: your email address"}


def test_sign_up_verify_log_in_and_submit(make, visitor, say, language):
    competition = make.competition(title=f"가입 확인 챌린지 {language}", rules="공정하게.")
    problem = make.problem(competition, slug="defects", title="불량 검출")
    person, email = visitor(), f"jiwoo-{language}@example.kr"
    page = person.go("/register")
    expect(page.locator("[data-consent=privacy]")).to_contain_text(NOTICE[language])
    page.get_by_role("button", name=say("Create account")).click()  # nothing ticked
    refused = say("Please agree to the collection and use of personal data to create an account.")
    expect(page.get_by_text(refused)).to_be_visible()

    sign_up(person, "박지우", email, "KAIST")  # the mail, its link, then logging in
    accept_rules(person, competition.slug)
    page.get_by_label(say("Team name")).fill(f"지우팀-{language}")
    page.get_by_label(say("Division")).select_option(label="대학원")
    page.get_by_role("button", name=say("Create team")).click()
    page = person.go(f"/c/{competition.slug}/p/{problem.slug}")
    expect(page.locator("[data-verify-banner]")).to_have_count(0)
    drop_file(page, "predictions.csv", CORRECT)
    page.get_by_role("button", name=say("Submit"), exact=True).click()
    row = page.locator("[data-submissions] tbody tr").first
    expect(row.locator("[data-cell=file]")).to_contain_text("predictions.csv")


def test_the_banner_sends_the_link_again(visitor, say, language):
    person, email = visitor(), f"minseo-{language}@example.kr"
    sign_up(person, "최민서", email, verify=False)
    banner = person.page.locator("[data-verify-banner]")
    expect(banner).to_contain_text(email)
    mail_to(person.site.inbox, email)  # the first link arrived
    banner.get_by_role("button", name=say("Send the link again")).click()
    sent = say(
        "We sent a link to %(email)s. Please check your mail; a new link can be sent"
        " once a minute.",
        email=email,
    )
    expect(person.page.get_by_text(sent)).to_be_visible()
    follow_verification(person, email)  # logged in: back to the site, the banner gone
    expect(banner).to_have_count(0)
