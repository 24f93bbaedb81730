"""A competition whose submissions have closed: six teams in two divisions, three judges."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from judge.competitions.models import Role
from judge.core.db import unit_of_work, utcnow
from judge.finals import judging, results, services
from tests.submissions.helpers import score, submit

# (team, division index, private score); accuracy: higher is better.
TEAMS = [("알파", 0, 0.91), ("베타", 0, 0.88), ("감마", 0, 0.85), ("델타", 0, 0.70),
         ("엡실론", 1, 0.80), ("제타", 1, 0.60)]  # fmt: skip


@dataclass
class Stage:
    competition: object
    problem: object
    organizer: object
    teams: dict = field(default_factory=dict)  # name -> team
    leaders: dict = field(default_factory=dict)  # name -> user
    judges: dict = field(default_factory=dict)  # "kaist", "snu", "postech" -> user
    sponsor: object = None


@pytest.fixture
def stage(make) -> Stage:
    organizer = make.user(name="박주최")
    competition = make.competition(organizer, title="AI 혁신 챌린지")
    problem = make.problem(competition, slug="defects", title="불량 검출")
    stage = Stage(competition, problem, organizer)
    for name, division, private in TEAMS:
        affiliation = "KAIST" if name == "알파" else f"{name} 대학교"
        leader = make.user(name=f"{name} 팀장", affiliation=affiliation)
        stage.teams[name] = make.team(competition, leader, division=division, name=name)
        stage.leaders[name] = leader
        score(submit(problem, leader), private - 0.01, private)
    for key, affiliation in [("kaist", " kaist "), ("snu", "서울대학교"), ("postech", "POSTECH")]:
        judge = make.user(name=f"심사 {key}", affiliation=affiliation)
        make.role(competition, judge, Role.JUDGE)
        stage.judges[key] = judge
    stage.sponsor = make.user(name="후원 담당")
    make.sponsor_member(competition, stage.sponsor)
    with unit_of_work():
        problem.closes_at = utcnow() - timedelta(hours=1)
        problem.opens_at = utcnow() - timedelta(days=30)
    return stage


def shortlisted(stage: Stage, per_division: int = 3):
    with unit_of_work():
        services.update_settings(stage.competition, stage.organizer,
                                 {"finalists_per_division": per_division})  # fmt: skip
        return services.shortlist(stage.problem, stage.organizer, utcnow())


def rubric(stage: Stage):
    with unit_of_work():
        technical = judging.add_criterion(stage.competition, "기술성", 50, 10)
        creative = judging.add_criterion(stage.competition, "창의성", 30, 10)
        practical = judging.add_criterion(stage.competition, "실용성", 20, 10)
    return technical, creative, practical


def give(stage: Stage, judge_key: str, finalist, points: list[float], criteria) -> None:
    with unit_of_work():
        judging.save_scores(stage.judges[judge_key], finalist,
                            {c.id: p for c, p in zip(criteria, points, strict=True)},
                            utcnow())  # fmt: skip


def judge_everyone(stage: Stage, finalists, criteria, points_of) -> None:
    """Every judge without a conflict scores every finalist with ``points_of(team name)``."""
    for finalist in finalists:
        for key, judge in stage.judges.items():
            if not judging.conflicted(judge, finalist) and not finalist.disqualified:
                give(stage, key, finalist, points_of(finalist.team.name), criteria)


def minister_award(stage: Stage):
    with unit_of_work():
        first = results.add_tier(stage.problem, stage.competition.divisions[0].id, {
            "name_ko": "대상", "name_en": "Grand Prize", "teams": 1, "amount": 10_000_000,
            "currency": "KRW", "awarding_body": "과학기술정보통신부 장관상"})  # fmt: skip
        second = results.add_tier(stage.problem, stage.competition.divisions[0].id, {
            "name_ko": "최우수상", "name_en": "Excellence Award", "teams": 1,
            "amount": 5_000_000, "currency": "KRW",
            "awarding_body": "정보통신산업진흥원장상"})  # fmt: skip
    return first, second
