"""Notifications in a real browser, in Korean and in English: an e-mailed notice (the site's
worker fans it out, the bell counts it, the mail arrives at a real SMTP server), a question
answered privately then published, and the shortlist mail with the hand-in deadline."""

from __future__ import annotations

import time
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import force_locale
from playwright.sync_api import expect

from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.core.timefmt import local
from judge.finals import services as finals
from judge.teams.models import Team
from tests.browser.conftest import Visitor
from tests.browser.test_finals import closed_competition
from tests.support.smtp import parts


def mail_to(inbox, address: str, subject: str, timeout: float = 60):
    """The first message to ``address`` whose subject has ``subject``, waiting for the worker."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in list(inbox.messages):
            if message["To"] == address and subject in message["Subject"]:
                return message
        time.sleep(0.2)
    raise AssertionError(f"no mail about {subject!r} reached {address}")


def bell_shows(person: Visitor, path: str, unread: int, timeout: float = 60) -> None:
    """Reload ``path`` until the bell counts ``unread`` (the worker notifies in its own time)."""
    deadline = time.monotonic() + timeout
    bell = person.go(path).locator("[data-bell]")
    while bell.get_attribute("data-unread") != str(unread) and time.monotonic() < deadline:
        time.sleep(0.5)
        bell = person.go(path).locator("[data-bell]")
    expect(bell).to_have_attribute("data-unread", str(unread))


def participant(make, competition, language: str, name: str):
    user = make.user(name=name)
    with unit_of_work():
        db.session.merge(user).locale = language  # their mail comes in their language
    make.accept_rules(competition, user)
    return user


def test_an_emailed_notice_reaches_the_page_the_bell_and_the_inbox(make, visitor, say,
                                                                     language, site):  # fmt: skip
    organizer = make.user(name="박주최")
    competition = make.competition(organizer, title=f"공지 챌린지 {language}")
    reader = participant(make, competition, language, "공지 읽는 사람")
    title = f"일정 변경 {language}"

    chair = visitor()
    chair.log_in(organizer)
    page = chair.go(f"/c/{competition.slug}/notices/new")
    page.get_by_label(say("Title")).fill(title)
    page.get_by_label(say("Notice (Markdown)")).fill("제출 마감이 하루 늦춰졌습니다.")
    page.get_by_label(say("E-mail to all participants")).check()
    page.get_by_role("button", name=say("Post")).click()
    expect(page.locator("[data-notice]").first).to_contain_text(title)

    person = visitor()
    person.log_in(reader)
    bell_shows(person, f"/c/{competition.slug}", 1)
    expect(person.page.locator("[data-notice]").first).to_contain_text(title)
    line = say("New notice in %(competition)s: %(title)s", competition=competition.title,
               title=title)  # fmt: skip
    mail = mail_to(site.inbox, reader.email, line)
    assert f"/c/{competition.slug}#notices" in parts(mail)[0]

    person.page.locator("[data-bell]").click()
    expect(person.page.locator("[data-notification='notice']")).to_contain_text(line)
    person.page.get_by_role("button", name=say("Mark all as read")).click()
    expect(person.page.locator(".flash.success")).to_be_visible()
    expect(person.page.locator("[data-bell]")).to_have_attribute("data-unread", "0")


def test_a_question_answered_privately_then_published(make, visitor, say, language):
    organizer = make.user(name="박주최")
    competition = make.competition(organizer, title=f"질문 챌린지 {language}")
    asker = participant(make, competition, language, "묻는 사람")
    other = participant(make, competition, language, "다른 참가자")
    title, answer = f"평가 지표 질문 {language}", "F1 점수로 평가합니다."

    person = visitor()
    person.log_in(asker)
    page = person.go(f"/c/{competition.slug}/questions")
    page.get_by_label(say("Title")).fill(title)
    page.get_by_label(say("Question")).fill("어떤 지표로 평가하나요?")
    page.get_by_role("button", name=say("Ask")).click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    question_path = page.url.removeprefix(person.site.url)

    chair = visitor()
    chair.log_in(organizer)
    page = chair.go(question_path)
    page.get_by_label(say("Answer (Markdown)")).fill(answer)
    page.get_by_role("button", name=say("Save the answer")).click()
    expect(page.locator("[data-answer]")).to_contain_text(answer)

    rival = visitor()
    rival.log_in(other)
    expect(rival.go(f"/c/{competition.slug}/questions").locator("main")).not_to_contain_text(title)
    assert rival.page.goto(rival.site.url + question_path).status == 404

    page = chair.go(question_path)
    page.get_by_label(say("Publish the question with its answer for everyone")).check()
    page.get_by_role("button", name=say("Save the answer")).click()
    expect(page.locator(".flash.success")).to_be_visible()
    expect(rival.go(f"/c/{competition.slug}/questions").locator("main")).to_contain_text(title)
    expect(rival.go(question_path).locator("[data-answer]")).to_contain_text(answer)

    page = person.go("/notifications")
    answered = page.locator("[data-notification='answer']")
    expect(answered).to_have_count(1)
    expect(answered).to_contain_text(say("Your question was answered: %(title)s", title=title))


def test_the_shortlisted_leader_gets_the_mail_with_the_deadline(make, visitor, say, language,
                                                                 site):  # fmt: skip
    competition, organizer, _judge, _member = closed_competition(make, language, "결선 알림")
    deadline = (utcnow() + timedelta(days=5)).replace(microsecond=0)
    with unit_of_work():
        finals.update_settings(competition, organizer, {"uploads_close_at": deadline})
    leader = db.session.scalar(sa.select(Team).where(Team.competition_id == competition.id,
                                                     Team.name == "알파")).leader  # fmt: skip
    with unit_of_work():
        db.session.merge(leader).locale = language
    with force_locale(language):
        shown = local(deadline, competition.timezone)

    chair = visitor()
    chair.log_in(organizer)
    page = chair.go(f"/c/{competition.slug}/finals")
    page.get_by_role("button", name=say("Shortlist from the private leaderboard")).click()
    page.get_by_role("button", name=say("Shortlist from the private leaderboard")).click()
    expect(page.locator("main")).to_contain_text("알파")

    line = say("Your team %(team)s is a finalist for %(problem)s. Hand in your code and "
               "report by %(deadline_at)s.", team="알파", problem="불량 검출",
               deadline_at=shown)  # fmt: skip
    mail = mail_to(site.inbox, leader.email, line)
    assert f"/c/{competition.slug}/finals/materials" in parts(mail)[0]

    person = visitor()
    person.log_in(leader)
    bell_shows(person, "/", 2)  # the upload the worker scored, and the shortlist
    person.page.locator("[data-bell]").click()
    expect(person.page.locator("[data-notification='shortlisted']")).to_contain_text(line)
