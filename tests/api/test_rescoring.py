"""Organizers re-score after fixing a solution; earlier scores stay in the history."""

from __future__ import annotations

import io

import pytest

from judge.core import storage
from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.notifications.kinds import Kind
from judge.problems import services as problems
from judge.submissions import jobs
from judge.submissions.models import Quota, Status, Submission
from tests.notifications.helpers import told

SOLUTION = "id,label\n" + "".join(f"{i},{i % 2}\n" for i in range(1, 41))
FIXED = "id,label\n" + "".join(f"{i},{(i + 1) % 2}\n" for i in range(1, 41))  # labels flipped


@pytest.fixture
def world(make):
    competition = make.competition()
    problem = make.problem(competition, solution=SOLUTION, daily_limit=None)
    leader, rival = make.user(), make.user()
    make.team(competition, leader, name="Ours")
    make.team(competition, rival, name="Theirs")
    return problem, competition.roles[0].user, leader, rival


def scored(api, problem, user) -> int:
    data = {"file": (io.BytesIO(SOLUTION.encode()), "p.csv")}
    submission_id = api.post(f"/problems/{problem.id}/submissions", as_=user,
                             data=data).get_json()["id"]  # fmt: skip
    jobs.score_submission(submission_id, "test-worker")
    return submission_id


def replace_solution(problem, organizer, text: str) -> None:
    with unit_of_work(), storage.staged(io.BytesIO(text.encode()), 10**7, "s") as staged:
        problems.replace_solution(problem, staged, "solution.csv", organizer)


def test_rescoring_a_problem_replaces_scores_and_keeps_the_old_ones(api, world):
    problem, organizer, leader, rival = world
    ids = [scored(api, problem, leader), scored(api, problem, rival)]
    quota_before = db.session.scalar(db.select(Quota.total_count).filter_by(team_id=1))
    replace_solution(problem, organizer, FIXED)
    response = api.post(f"/problems/{problem.id}/rescore", as_=organizer)
    assert response.status_code == 202
    assert sorted(response.get_json()["queued"]) == sorted(ids)
    board = api.get(f"/problems/{problem.id}/leaderboard").get_json()["rows"]
    assert [r["score"] for r in board] == [1.0, 1.0]  # old scores stand until replaced
    for submission_id in ids:
        jobs.score_submission(submission_id, "test-worker")
    db.session.expire_all()
    assert all(db.session.get(Submission, i).public_score == 0.0 for i in ids)
    board = api.get(f"/problems/{problem.id}/leaderboard").get_json()["rows"]
    assert [r["score"] for r in board] == [0.0, 0.0]
    log = api.get(f"/submissions/{ids[0]}/log", as_=organizer).get_json()
    assert {h["split"]: h["value"] for h in log["history"]} == {"public": 1.0, "private": 1.0}
    assert db.session.scalar(db.select(Quota.total_count).filter_by(team_id=1)) == quota_before


def test_replacing_the_solution_with_rescore_queues_and_tells_each_team_once(api, world):
    problem, organizer, leader, rival = world
    ids = [scored(api, problem, leader), scored(api, problem, leader), scored(api, problem, rival)]
    data = {"solution": (io.BytesIO(FIXED.encode()), "fixed.csv"), "rescore": "true"}
    response = api.put(f"/problems/{problem.id}/solution", as_=organizer, data=data)
    assert response.status_code == 200 and response.get_json()["filename"] == "fixed.csv"
    db.session.expire_all()
    assert [db.session.get(Submission, i).status for i in ids] == [Status.QUEUED] * 3
    for submission_id in ids:
        jobs.score_submission(submission_id, "test-worker")
    assert len(told(leader, Kind.SCORE_CHANGED)) == 1  # two submissions changed: one line
    assert len(told(rival, Kind.SCORE_CHANGED)) == 1


def test_once_revealed_a_solution_is_not_replaced_without_rescoring(api, world):
    problem, organizer, leader, _rival = world
    submission_id = scored(api, problem, leader)
    with unit_of_work():
        problem.revealed_at = utcnow()
    data = {"solution": (io.BytesIO(FIXED.encode()), "fixed.csv")}
    response = api.put(f"/problems/{problem.id}/solution", as_=organizer, data=data)
    assert response.status_code == 409 and "must re-score" in response.json["error"]["message"]
    db.session.expire_all()
    assert problem.solution.filename == "solution.csv"
    assert db.session.get(Submission, submission_id).status == Status.SCORED


def test_rescoring_one_submission(api, world):
    problem, organizer, leader, _rival = world
    submission_id = scored(api, problem, leader)
    response = api.post(f"/submissions/{submission_id}/rescore", as_=organizer)
    assert response.status_code == 202 and response.get_json() == {"queued": [submission_id]}
    db.session.expire_all()
    assert db.session.get(Submission, submission_id).status == Status.QUEUED
    again = api.post(f"/submissions/{submission_id}/rescore", as_=organizer)
    assert again.status_code == 409  # still queued: nothing to re-score yet


def test_participants_cannot_rescore_or_read_logs(api, world):
    problem, _organizer, leader, rival = world
    submission_id = scored(api, problem, leader)
    for user in (leader, rival):
        assert api.post(f"/submissions/{submission_id}/rescore", as_=user).status_code in (
            403, 404)  # fmt: skip
        assert api.get(f"/submissions/{submission_id}/log", as_=user).status_code in (403, 404)
    assert api.post(f"/problems/{problem.id}/rescore", as_=leader).status_code == 403
    assert api.get(f"/problems/{problem.id}/all-submissions", as_=leader).status_code == 403


def test_organizers_list_every_teams_submissions_with_private_scores(api, world):
    problem, organizer, leader, rival = world
    scored(api, problem, leader)
    scored(api, problem, rival)
    rows = api.get(f"/problems/{problem.id}/all-submissions", as_=organizer).get_json()
    assert sorted(r["team"] for r in rows) == ["Ours", "Theirs"]
    assert all(r["private_score"] == 1.0 for r in rows)
