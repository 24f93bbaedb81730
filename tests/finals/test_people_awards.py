"""People of a competition and the awards (issue 15, item 4): a team the organizers
disqualify leaves the awards as a disqualified finalist does, and gets back in when
reinstated; the participant export names each team's awards once they are published."""

from __future__ import annotations

import csv
import io

import pytest

from judge.core.db import unit_of_work, utcnow
from judge.core.errors import Conflict
from judge.core.extensions import db
from judge.finals import results
from judge.teams import moderation
from tests.finals.conftest import judge_everyone, minister_award, rubric, shortlisted
from tests.finals.test_ending import judged, publish  # noqa: F401 (a fixture)

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
        moderation.apply(beta, "disqualify", "대리 참가 확인", stage.organizer, utcnow())
    assert ranked(stage) == [("알파", 1, first), ("감마", 2, second), ("베타", None, None)]
    with unit_of_work():
        moderation.apply(beta, "reinstate", "이의 제기 인용", stage.organizer, utcnow())
    assert ranked(stage)[0] == ("베타", 1, first)


def exported(client, stage, headers=None) -> dict[str, list[str]]:
    response = client.get(f"/c/{stage.competition.slug}/participants.csv", headers=headers or {})
    table = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    return {row[0]: row for row in table[1:]}


def test_the_export_names_each_teams_awards_once_published(client, login, judged):  # noqa: F811
    login(judged.organizer)
    assert {row[-1] for row in exported(client, judged).values()} == {""}
    publish(judged)
    rows = exported(client, judged, {"Accept-Language": "ko"})
    assert rows["알파 팀장"][-1] == rows["김팀원"][-1] == "대상 (불량 검출)"
    assert rows["베타 팀장"][-1] == "최우수상 (불량 검출); 후원기업 특별상"
    assert rows["감마 팀장"][-1] == ""
    assert exported(client, judged)["알파 팀장"][-1] == "Grand Prize (불량 검출)"


def test_disqualifying_waits_for_the_results_to_be_reopened(judged):  # noqa: F811
    publish(judged)
    alpha = judged.teams["알파"]
    with pytest.raises(Conflict, match="Reopen them"), unit_of_work():
        moderation.apply(alpha, "disqualify", "늦게 발견된 부정", judged.organizer, utcnow())
    db.session.expire_all()
    assert not alpha.disqualified
