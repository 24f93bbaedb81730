"""A team the organizers disqualify (issue 15, item 4) leaves the awards as a disqualified
finalist does, and gets back in when reinstated."""

from __future__ import annotations

from judge.core.db import unit_of_work, utcnow
from judge.finals import results
from judge.teams import moderation
from tests.finals.conftest import judge_everyone, minister_award, rubric, shortlisted

SAME = {"알파": [7, 7, 7], "베타": [9, 9, 9], "감마": [5, 5, 5], "엡실론": [8, 8, 8]}


def ranked(stage) -> list[tuple]:
    graduate = results.compute(stage.problem)[stage.competition.divisions[0].id]
    return [(line.finalist.team.name, line.standing and line.standing.rank, line.tier)
            for line in graduate]  # fmt: skip


def test_a_disqualified_team_is_out_of_the_awards_until_reinstated(stage):
    finalists = shortlisted(stage)
    judge_everyone(stage, finalists, rubric(stage), lambda name: SAME.get(name, [6, 6, 6]))
    first, second = minister_award(stage)
    beta = finalists[1].team
    with unit_of_work():
        moderation.act(beta, "disqualify", "대리 참가 확인", stage.organizer, utcnow())
    assert ranked(stage) == [("알파", 1, first), ("감마", 2, second), ("베타", None, None)]
    with unit_of_work():
        moderation.act(beta, "reinstate", "이의 제기 인용", stage.organizer, utcnow())
    assert ranked(stage)[0] == ("베타", 1, first)
