"""Stage two's reproduction: a finalist's final code is re-run in the sandbox and its
private score compared with the leaderboard's, within the problem's tolerance."""

from __future__ import annotations

from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.finals import reproduction, results, services
from judge.finals.models import Reproduction
from judge.submissions.models import Status
from tests.api.test_code_submissions import PREDICT, code_zip, run, world  # noqa: F401

# Right on odd ids, a coin toss on even ones, with no seed: every run scores differently.
UNSTEADY = PREDICT.replace("else 'plain'", "else random.choice(['plain', 'x'])").replace(
    "import csv, os, sys", "import csv, os, random, sys"
)
assert UNSTEADY != PREDICT


def finalist_after_close(problem, organizer):
    with unit_of_work():
        problem.closes_at = utcnow()
    with unit_of_work():
        return services.shortlist(problem, organizer, utcnow())[0]


def test_deterministic_code_is_reproduced(api, world):  # noqa: F811
    problem, organizer, leader = world
    submission = run(api, problem, leader, code_zip(PREDICT))
    assert submission.status == Status.SCORED, submission.log
    finalist = finalist_after_close(problem, organizer)
    assert finalist.reproduction == Reproduction.PENDING
    assert reproduction.reproduce(finalist.id) == Reproduction.REPRODUCED
    db.session.expire_all()
    assert "against 1 on the leaderboard" in finalist.reproduction_note
    assert submission.private_score == 1.0  # the leaderboard's score is untouched


def test_reproduction_notes_are_shown_in_korean(api, world, client, login):  # noqa: F811
    problem, organizer, leader = world
    run(api, problem, leader, code_zip(PREDICT))
    finalist = finalist_after_close(problem, organizer)
    reproduction.reproduce(finalist.id)
    login(organizer)
    page = client.get(f"/c/{problem.competition.slug}/finals", headers={"Accept-Language": "ko"})
    assert "다시 실행한 비공개 점수 1, 리더보드 점수 1 (차이 0, 허용 오차" in page.text
    assert "Re-run private score" not in page.text


def test_a_rerun_outside_the_tolerance_fails_and_blocks_awards_until_overridden(api, world):  # noqa: F811
    problem, organizer, leader = world
    with unit_of_work():
        problem.reproduction_tolerance = 0.0
    submission = run(api, problem, leader, code_zip(UNSTEADY))
    assert submission.status == Status.SCORED, submission.log
    finalist = finalist_after_close(problem, organizer)
    # Equal scores from two coin-toss runs happen about one time in five: try up to five.
    outcomes = []
    while Reproduction.FAILED not in outcomes and len(outcomes) < 5:
        outcomes.append(reproduction.reproduce(finalist.id))
    assert outcomes[-1] == Reproduction.FAILED, outcomes
    db.session.expire_all()
    assert "tolerance 0" in finalist.reproduction_note
    assert not finalist.may_win
    with unit_of_work():
        services.override_reproduction(finalist, organizer, "재실행 편차는 무작위 초기화 때문임")
    assert finalist.may_win
    assert results.compute(problem)  # the finalist is ranked again
