"""Upload → scored → leaderboard over HTTP, with real gunicorn, Celery and bubblewrap."""

from __future__ import annotations

import time

import requests
import sqlalchemy as sa

from judge.core.extensions import db
from judge.submissions.models import Score, Status, Submission
from tests.conftest import PASSWORD
from tests.integration.conftest import binary_solution, predictions
from tests.integration.servers import start_web, start_worker, wait_until


def token(url: str, email: str) -> dict[str, str]:
    answer = requests.post(f"{url}/api/v1/tokens", json={"email": email, "password": PASSWORD})
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def upload(url: str, headers: dict, problem_id: int, content: bytes) -> dict:
    answer = requests.post(f"{url}/api/v1/problems/{problem_id}/submissions", headers=headers,
                           files={"file": ("predictions.csv", content)}, timeout=30)  # fmt: skip
    assert answer.status_code == 202, answer.text
    return answer.json()


def wait_for_status(url: str, headers: dict, accepted: dict, seconds: float) -> dict:
    status_url = url + accepted["status_url"]
    result: dict = {}

    def finished() -> bool:
        result.update(requests.get(status_url, headers=headers, timeout=5).json())
        return result["status"] in ("scored", "failed", "cancelled")

    wait_until(finished, seconds, f"submission {accepted['id']} to finish")
    return result


def test_upload_is_scored_and_moves_the_leaderboard(instance, tmp_path):
    make = instance.make
    competition = make.competition()
    problem = make.problem(competition, metric="roc_auc", solution=binary_solution(1000),
                           daily_limit=None)  # fmt: skip
    leader = make.user("leader@example.com")
    make.team(competition, leader, name="Seoul Vision")
    web, url = start_web(instance.env, tmp_path / "web.log")
    worker = start_worker(instance.env, tmp_path / "worker.log", "w1")
    try:
        headers = token(url, leader.email)
        started = time.monotonic()
        accepted = upload(url, headers, problem.id, predictions(1000))
        result = wait_for_status(url, headers, accepted, 60)
        elapsed = time.monotonic() - started
        assert result["status"] == "scored", (result, worker.output())
        assert 0.5 < result["public_score"] <= 1.0
        assert "private_score" not in result
        board = requests.get(f"{url}/api/v1/problems/{problem.id}/leaderboard").json()
        assert [(r["team"], r["score"]) for r in board["rows"]] == [
            ("Seoul Vision", result["public_score"])]  # fmt: skip
        bad = upload(url, headers, problem.id, b"id;label\n0;0.5\n")
        failed = wait_for_status(url, headers, bad, 60)
        assert failed["status"] == "failed"
        assert "delimiter" in failed["error_message"].lower() or "semicolon" in (
            failed["error_message"].lower()
        )
        again = wait_for_status(url, headers, upload(url, headers, problem.id,
                                                     predictions(1000, noise=0.9)), 60)  # fmt: skip
        assert again["status"] == "scored"
        print(f"upload to scored: {elapsed:.2f}s")
    finally:
        worker.kill()
        web.kill()


def test_worker_killed_mid_scoring_ends_scored_exactly_once(instance, tmp_path):
    make = instance.make
    competition = make.competition()
    rows = 1_500_000
    problem = make.problem(competition, metric="roc_auc", solution=binary_solution(rows),
                           daily_limit=None, files={})  # fmt: skip
    leader = make.user("leader@example.com")
    make.team(competition, leader)
    web, url = start_web(instance.env, tmp_path / "web.log")
    doomed = start_worker(instance.env, tmp_path / "doomed.log", "doomed", beat=False)
    try:
        accepted = upload(url, token(url, leader.email), problem.id, predictions(rows))
        wait_until(lambda: _status(accepted["id"]) == Status.RUNNING, 60, "scoring to start",
                   doomed)  # fmt: skip
        doomed.kill()  # SIGKILL to the worker and its pool, mid-scoring
        assert _status(accepted["id"]) == Status.RUNNING
        survivor = start_worker(instance.env, tmp_path / "survivor.log", "survivor")
        try:
            wait_until(lambda: _status(accepted["id"]) == Status.SCORED, 120,
                       "the sweep to re-queue and a survivor to score", survivor)  # fmt: skip
        finally:
            survivor.kill()
        submission = _fresh(accepted["id"])
        assert submission.attempts == 2
        assert submission.worker.startswith("survivor")
        scores = db.session.scalar(
            sa.select(sa.func.count()).where(Score.submission_id == submission.id)
        )
        assert scores == 2  # one public and one private score, written once
    finally:
        web.kill()


def _fresh(submission_id: int) -> Submission:
    db.session.expire_all()
    return db.session.get(Submission, submission_id)


def _status(submission_id: int) -> Status:
    db.session.commit()  # end the read snapshot so we see the workers' commits
    return _fresh(submission_id).status
