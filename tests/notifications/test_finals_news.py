"""What stage two tells whom: the shortlist with its hand-in deadline, the hand-in reminder,
the reproduction outcome, the results with each team's own award, a judge who finished.
Each to the right people, once (asked twice: still once), in their language, hiding what
they may not see (private scores, the reproduction's note)."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import force_locale

from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.core.timefmt import local
from judge.finals import news, results, services
from judge.finals.models import Reproduction
from judge.notifications.kinds import Kind
from tests.finals.conftest import give, judge_everyone, minister_award, rubric, shortlisted
from tests.notifications.helpers import deliver, received, set_locale, told, told_only
from tests.support.smtp import parts

POINTS = {"알파": [7, 7, 7], "베타": [9, 9, 9], "감마": [5, 5, 5], "엡실론": [8, 8, 8]}


def everyone(stage) -> list:
    return [*stage.leaders.values(), *stage.judges.values(), stage.sponsor, stage.organizer]


def hand_in_by(stage, hours: float):
    deadline = (utcnow() + timedelta(hours=hours)).replace(microsecond=0)
    with unit_of_work():
        services.update_settings(stage.competition, stage.organizer,
                                 {"uploads_close_at": deadline})  # fmt: skip
    return deadline


def test_the_shortlisted_teams_hear_once_with_the_deadline_in_their_language(stage, inbox):
    set_locale(stage.leaders["알파"], "ko")
    deadline = hand_in_by(stage, 72)
    shortlisted(stage, per_division=2)
    shortlisted(stage, per_division=2)  # rebuilt: nobody is told twice
    finalists = [stage.leaders[n] for n in ("알파", "베타", "엡실론", "제타")]
    told_only(finalists, Kind.SHORTLISTED, everyone(stage))
    deliver()
    (korean,) = received(inbox, stage.leaders["알파"])
    (english,) = received(inbox, stage.leaders["베타"])
    with force_locale("ko"):
        shown_ko = local(deadline, stage.competition.timezone)
    assert "본선에 진출했습니다" in korean["Subject"] and shown_ko in parts(korean)[0]
    assert "is a finalist for 불량 검출" in english["Subject"]
    assert "Hand in your code and report by" in parts(english)[0]
    for message in (korean, english):
        assert "0.91" not in message.as_string() and "0.88" not in message.as_string()
    assert received(inbox, stage.leaders["감마"]) == []


def test_the_hand_in_reminder_reaches_only_finalists_yet_to_hand_in_a_day_before(stage):
    hand_in_by(stage, 30)
    alpha, _beta, *_ = shortlisted(stage, per_division=2)
    with unit_of_work():
        db.session.merge(alpha).uploaded_at = utcnow()  # 알파 has handed in
    with unit_of_work():
        assert news.remind_hand_in(utcnow()) == 0  # 30 hours ahead: too early
    later = utcnow() + timedelta(hours=7)  # 23 hours before the deadline
    for made in (3, 0):  # a second run reminds nobody again
        with unit_of_work():
            assert news.remind_hand_in(later) == made
    reminded = [stage.leaders[n] for n in ("베타", "엡실론", "제타")]
    told_only(reminded, Kind.HANDIN_REMINDER, everyone(stage))
    with unit_of_work():
        assert news.remind_hand_in(utcnow() + timedelta(hours=31)) == 0  # past the deadline


def test_the_reproduction_outcome_reaches_the_team_without_the_private_scores(stage, inbox):
    beta = shortlisted(stage)[1]
    note = "Re-run private score 0.7412 against 0.88 on the leaderboard"
    for _ in range(2):  # a re-delivered re-run tells the team once
        with unit_of_work():
            beta = db.session.merge(beta)
            beta.reproduction, beta.reproduction_note = Reproduction.FAILED, note
            news.reproduced(beta, Reproduction.FAILED, utcnow())
    told_only([stage.leaders["베타"]], Kind.REPRODUCTION, everyone(stage))
    (row,) = told(stage.leaders["베타"], Kind.REPRODUCTION)
    assert row.params == {"team": "베타", "problem": "불량 검출", "outcome": "failed"}
    deliver()
    (mail,) = received(inbox, stage.leaders["베타"], "re-run")
    text, html = parts(mail)
    assert "did not reproduce" in text
    for secret in ("0.7412", "0.88", "0.74"):
        assert secret not in text and secret not in html and secret not in mail["Subject"]


def finalized(stage):
    finalists = shortlisted(stage)
    judge_everyone(stage, finalists, rubric(stage), lambda name: POINTS.get(name, [6, 6, 6]))
    minister_award(stage)
    with unit_of_work():
        results.finalize(stage.competition, stage.organizer, utcnow(), reveal=True)


def test_the_results_reach_every_participant_with_their_own_award(stage, make, inbox):
    loner = make.user(name="팀 없는 참가자")
    make.accept_rules(stage.competition, loner)
    set_locale(stage.leaders["베타"], "ko")
    finalized(stage)
    with unit_of_work():  # told again (a repeated call): nobody hears twice
        news.results_published(stage.competition, utcnow())
    participants = [*stage.leaders.values(), loner]
    told_only(participants, Kind.RESULTS_PUBLISHED, [*everyone(stage), loner])
    award_of = {n: told(u, Kind.RESULTS_PUBLISHED)[0].params.get("award")
                for n, u in stage.leaders.items()}  # fmt: skip
    assert award_of["베타"] == {"ko": "대상", "en": "Grand Prize"}
    assert award_of["알파"] == {"ko": "최우수상", "en": "Excellence Award"}
    assert award_of["델타"] is None and award_of["제타"] is None  # 델타: no finalist
    deliver()
    (korean,) = received(inbox, stage.leaders["베타"], "결과")
    assert "대상" in korean["Subject"] and "Grand Prize" not in korean["Subject"]
    (english,) = received(inbox, stage.leaders["알파"], "results")
    assert "your team 알파 won Excellence Award" in english["Subject"]
    (plain,) = received(inbox, loner)
    assert plain["Subject"].endswith("are published.") and "won" not in plain["Subject"]


def test_the_organizers_hear_once_when_a_judge_finished_scoring(stage):
    finalists = shortlisted(stage)
    criteria = rubric(stage)
    for finalist in finalists[:-1]:
        give(stage, "snu", finalist, [5, 5, 5], criteria)
    assert told(stage.organizer, Kind.JUDGE_FINISHED) == []  # one finalist is left
    give(stage, "snu", finalists[-1], [5, 5, 5], criteria)
    give(stage, "snu", finalists[-1], [6, 5, 5], criteria)  # a correction: no second word
    told_only([stage.organizer], Kind.JUDGE_FINISHED, everyone(stage))
    (row,) = told(stage.organizer, Kind.JUDGE_FINISHED)
    assert row.params == {"judge": "심사 snu"}
