"""Accepting a competition's rules in a real browser, in Korean and in English, with the
competition's own consent terms ticked and a required field filled and confirmed."""

from __future__ import annotations

from playwright.sync_api import expect

from judge.competitions import consent, participant_fields
from judge.core.db import unit_of_work, utcnow

TERMS = {
    "ko": "후원기업이 상금 세금 신고에 이름을 씁니다.",
    "en": "The sponsor uses your name for prize tax.",
}
LABEL = {"ko": "학교", "en": "School"}


def test_accepting_the_rules_with_consent_terms_and_a_required_field(make, visitor, say, language):
    competition = make.competition(title=f"동의 챌린지 {language}", rules="공정하게.")
    organizer = competition.roles[0].user
    with unit_of_work():
        consent.publish(competition, TERMS["ko"], TERMS["en"], organizer, utcnow())
        participant_fields.add_field(competition, "학교", "School", True, None, organizer,
                                     utcnow())  # fmt: skip
    person = visitor()
    person.log_in(make.user(name="한지민"))
    page = person.go(f"/c/{competition.slug}")
    expect(page.locator("#rules .consent-body")).to_have_text(TERMS[language])
    accept = page.get_by_role("button", name=say("I accept the rules"))
    accept.click()
    refused = say("Please tick the box to accept the competition's consent terms.")
    expect(page.get_by_text(refused)).to_be_visible()

    page.get_by_label(say("I agree to these consent terms.")).check()
    page.get_by_label(LABEL[language]).fill("KAIST")
    accept.click()
    expect(page.get_by_text(say("Please confirm that what you entered is true."))).to_be_visible()

    page.get_by_label(say("I agree to these consent terms.")).check()
    page.get_by_label(LABEL[language]).fill("KAIST")
    page.get_by_label(say("I confirm that this information is true.")).check()
    accept.click()
    expect(page.get_by_text(say("You have accepted the rules."), exact=True)).to_be_visible()
    expect(page.locator("#details").get_by_label(LABEL[language])).to_have_value("KAIST")
