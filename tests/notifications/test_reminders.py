"""The periodic reminders: submissions close within 24 hours (once per competition and
person, team members only, never after the close) and daily submissions available again
(only teams that used them all yesterday). The worker's task runs them; run twice, it
reminds nobody again."""

from __future__ import annotations

from datetime import timedelta

from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.notifications.kinds import Kind
from judge.notifications.tasks import remind_task
from judge.submissions.news import remind_limits_reset
from tests.notifications.helpers import deliver, received, set_locale, told, told_only
from tests.submissions.helpers import submit
from tests.support.smtp import parts

ROLES = ("outsider", "participant", "rival", "judge", "sponsor", "other_sponsor", "organizer",
         "admin")  # fmt: skip


def everyone(cast) -> list:
    return [cast[r] for r in ROLES]


def closing_in(cast, hours: float) -> None:
    with unit_of_work():
        db.session.merge(cast.competition).submissions_close_at = utcnow() + timedelta(hours=hours)


def test_the_deadline_reminder_reaches_team_members_once_in_their_language(cast, make, inbox):
    make.accept_rules(cast.competition, cast["outsider"])  # accepted the rules, has no team
    set_locale(cast["rival"], "ko")
    closing_in(cast, 30)
    assert remind_task.apply().get() == 0  # more than a day ahead
    closing_in(cast, 20)
    assert remind_task.apply().get() == 2
    closing_in(cast, 10)  # the close moved: still one reminder per person
    assert remind_task.apply().get() == 0
    told_only([cast["participant"], cast["rival"]], Kind.DEADLINE_SOON, everyone(cast))
    deliver()
    (korean,) = received(inbox, cast["rival"])
    assert "제출이" in korean["Subject"] and "마감됩니다" in korean["Subject"]
    (english,) = received(inbox, cast["participant"])
    assert "Submissions to Challenge" in english["Subject"] and "/c/" in parts(english)[0]


def test_no_deadline_reminder_after_the_close(cast, make):
    closing_in(cast, -1)
    late = make.user(name="Lee Late")
    make.team(cast.competition, late, name="Late Team")
    assert remind_task.apply().get() == 0
    assert told(late) == [] and told(cast["participant"]) == []


def test_only_teams_that_hit_the_daily_limit_hear_it_is_available_again(cast, make, inbox):
    problem = make.problem(cast.competition, slug="limited", title="Limited", daily_limit=2)
    for _ in range(2):
        submit(problem, cast["participant"])
    submit(problem, cast["rival"])  # one of two: nothing to tell
    assert remind_task.apply().get() == 0  # the same day: the limit is still reached
    tomorrow = utcnow() + timedelta(days=1)
    for made in (1, 0):  # a second run in the same day tells nobody again
        with unit_of_work():
            assert remind_limits_reset(tomorrow) == made
    told_only([cast["participant"]], Kind.LIMIT_RESET, everyone(cast))
    (row,) = told(cast["participant"], Kind.LIMIT_RESET)
    assert row.problem_id == problem.id and row.params == {"problem": "Limited"}
    deliver()
    (mail,) = received(inbox, cast["participant"])
    assert "daily submissions to Limited are available again" in mail["Subject"]
