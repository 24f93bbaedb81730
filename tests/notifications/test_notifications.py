"""Notifications: the right people, once, in their language, mailed only when wanted."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.notices.models import Notice
from judge.notices.tasks import fan_out_task
from judge.notifications.kinds import Kind
from judge.notifications.services import describe
from judge.submissions import lifecycle
from judge.submissions.models import FailureKind
from tests.notifications.helpers import deliver, mails, set_locale, told
from tests.submissions.helpers import LEASE, score, submit
from tests.support.smtp import parts


def post_emailed(browser, cast, title: str = "Deadline moved") -> Notice:
    data = {"title": title, "body": "Read this.", "problem_id": "0", "email_participants": "y"}
    assert browser("organizer").post(f"/c/{cast.competition.slug}/notices/new",
                                     data=data).status_code == 302  # fmt: skip
    return db.session.scalars(sa.select(Notice).order_by(Notice.id.desc())).first()


def test_a_notice_fans_out_once_and_arrives_in_each_readers_language(browser, cast, make,
                                                                      inbox):  # fmt: skip
    for role in ("participant", "rival"):
        make.accept_rules(cast.competition, cast[role])
    set_locale(cast["rival"], "ko")
    notice = post_emailed(browser, cast)
    assert told(cast["participant"]) == []  # the request only recorded the notice
    assert fan_out_task.apply(args=(notice.id,)).get() == 2
    assert fan_out_task.apply(args=(notice.id,)).get() == 0  # a re-delivered task: nobody twice
    assert told(cast["outsider"]) == [] and told(cast["organizer"], Kind.NOTICE) == []
    deliver()
    about = [m for m in inbox.messages if "Deadline moved" in m["Subject"]]
    by_to = {m["To"]: m for m in about}
    assert len(about) == 2
    english, korean = by_to[cast["participant"].email], by_to[cast["rival"].email]
    assert "New notice in" in english["Subject"] and "Deadline moved" in english["Subject"]
    assert "새 공지" in korean["Subject"] and "Deadline moved" in korean["Subject"]
    text, html = parts(korean)
    assert f"/c/{cast.competition.slug}#notices" in text and "/account/notifications" in html


def test_the_bell_counts_unread_until_marked_read_with_the_button(browser, cast, make):
    make.accept_rules(cast.competition, cast["participant"])
    fan_out_task.apply(args=(post_emailed(browser, cast).id,))
    page = browser("participant").get("/").text
    assert 'data-unread="1"' in page
    listing = browser("participant").get("/notifications").text
    assert "Deadline moved" in listing and "data-unread" in listing
    assert f'href="/c/{cast.competition.slug}#notices"' in listing
    assert "Mark all as read" in listing and 'action="/notifications/read"' in listing
    assert 'data-unread="1"' in browser("participant").get("/").text  # reading is not marking
    answer = browser("participant").post("/notifications/read", follow_redirects=True)
    assert "All notifications are marked as read." in answer.text
    assert "Mark all as read" not in answer.text and 'class="unread"' not in answer.text
    assert 'data-unread="0"' in browser("participant").get("/").text


def test_turning_email_off_keeps_the_notification_and_sends_no_mail(browser, cast, make):
    make.accept_rules(cast.competition, cast["participant"])
    page = browser("participant").get("/account/notifications").text
    assert 'name="email_notice" value="y" checked' in page
    assert 'name="email_submission_scored" value="y" checked' not in page  # off by default
    assert "email_question_waiting" not in page  # staff kinds are for staff
    assert browser("participant").post("/account/notifications",
                                       data={"email_answer": "y"}).status_code == 302  # fmt: skip
    fan_out_task.apply(args=(post_emailed(browser, cast).id,))
    assert len(told(cast["participant"], Kind.NOTICE)) == 1
    assert mails(cast["participant"]) == []


def test_a_withdrawn_notice_leaves_the_list(browser, cast, make):
    make.accept_rules(cast.competition, cast["participant"])
    notice = post_emailed(browser, cast)
    fan_out_task.apply(args=(notice.id,))
    browser("organizer").post(f"/c/{cast.competition.slug}/notices/{notice.id}/withdraw")
    assert told(cast["participant"]) == []
    fan_out_task.apply(args=(notice.id,))  # a late re-delivery tells nobody either
    assert told(cast["participant"]) == []


def test_a_scored_submission_tells_its_team_only_in_app_by_default(cast, make):
    teammate = make.user(name="Tom Teammate")
    with unit_of_work():
        db.session.merge(cast.team).memberships  # noqa: B018
    from judge.teams.models import Membership

    with unit_of_work():
        db.session.add(Membership(team_id=cast.team.id, competition_id=cast.competition.id,
                                  user_id=teammate.id))  # fmt: skip
    submission = score(submit(cast.problem, cast["participant"]), 0.7512345678, 0.123456)
    for person in (cast["participant"], teammate):
        (row,) = told(person, Kind.SUBMISSION_SCORED)
        assert "0.75123 on the public leaderboard" in describe(row)  # the board's 5 decimals
        assert "0.123456" not in str(row.params) and "0.12346" not in str(row.params)
        assert mails(person) == []  # e-mail for scores is off unless chosen
    assert told(cast["rival"]) == []
    assert str(submission.id) in row.key


def test_a_failure_says_only_what_the_team_is_shown(browser, cast):
    submission = submit(cast.problem, cast["participant"])
    with unit_of_work():
        attempt = lifecycle.claim(submission.id, utcnow(), LEASE, "test-worker")
        lifecycle.record_failure(submission, attempt, FailureKind.INVALID, "Column label is "
                                 "missing.", "SECRET LOG hidden row 17", utcnow())  # fmt: skip
    (row,) = told(cast["participant"], Kind.SUBMISSION_FAILED)
    assert "SECRET" not in str(row.params)
    listing = browser("participant").get("/notifications").text
    assert "failed: Column label is missing." in listing and "SECRET" not in listing


def test_a_rescore_that_changes_the_public_score_is_told(cast):
    submission = score(submit(cast.problem, cast["participant"]), 0.5, 0.5)
    for public in (0.5, 0.9):  # the same score again says nothing; a new one is told
        with unit_of_work():
            lifecycle.rescore(submission.id, utcnow() + timedelta(seconds=public * 10))
        score(submission, public, 0.1)
    (changed,) = told(cast["participant"], Kind.SCORE_CHANGED)
    assert changed.params == {"problem": cast.problem.title}  # no score: nothing hidden


def test_an_answer_and_a_waiting_question_reach_the_right_people(browser, cast):
    slug = cast.competition.slug
    browser("participant").post(f"/c/{slug}/questions", data={
        "title": "Units?", "body": "Metres?", "problem_id": str(cast.problem.id)})  # fmt: skip
    assert told(cast["organizer"], Kind.QUESTION_WAITING)
    assert told(cast["sponsor"], Kind.QUESTION_WAITING)
    assert told(cast["other_sponsor"]) == [] and told(cast["rival"]) == []
    question_id = told(cast["sponsor"], Kind.QUESTION_WAITING)[0].link.rsplit("/", 1)[1]
    for _ in range(2):  # correcting the answer tells the asker no second time
        browser("sponsor").post(f"/c/{slug}/questions/{question_id}/answer",
                                data={"answer": "Metres."})  # fmt: skip
    assert len(told(cast["participant"], Kind.ANSWER)) == 1
    assert told(cast["rival"]) == []


def test_a_published_problem_tells_the_organizers_and_its_sponsor_not_teams(cast):
    (row,) = told(cast["organizer"], Kind.PROBLEM_PUBLISHED)
    assert cast.problem.title in row.params["problem"]
    assert told(cast["participant"], Kind.PROBLEM_PUBLISHED) == []
