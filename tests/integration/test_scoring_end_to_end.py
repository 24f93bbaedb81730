"""Upload → scored → leaderboard over HTTP, with real gunicorn, Celery and bubblewrap."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

import pytest
import requests
import sqlalchemy as sa

from judge.core.extensions import db
from judge.problems.models import SplitMethod
from judge.submissions.models import Score, Status, Submission
from tests.conftest import PASSWORD
from tests.integration.conftest import binary_solution, predictions
from tests.integration.servers import Process, start_web, start_worker, wait_until


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
    with serving(instance, tmp_path) as (url, worker):
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


@contextlib.contextmanager
def serving(instance, tmp_path) -> Iterator[tuple[str, Process]]:
    """A gunicorn web server and a Celery worker on ``instance``, killed afterwards."""
    web, url = start_web(instance.env, tmp_path / "web.log")
    worker = start_worker(instance.env, tmp_path / "worker.log", "w1")
    try:
        yield url, worker
    finally:
        worker.kill()
        web.kill()


def scored_upload(url: str, worker: Process, email: str, problem_id: int,
                  content: bytes) -> tuple[dict, dict]:  # fmt: skip
    """Upload ``content`` as ``email`` and wait for its score: the headers and the status."""
    headers = token(url, email)
    result = wait_for_status(url, headers, upload(url, headers, problem_id, content), 60)
    assert result["status"] == "scored", (result, worker.output())
    return headers, result


def _fresh(submission_id: int) -> Submission:
    db.session.expire_all()
    return db.session.get(Submission, submission_id)


def _status(submission_id: int) -> Status:
    db.session.commit()  # end the read snapshot so we see the workers' commits
    return _fresh(submission_id).status


def detection_files() -> tuple[str, bytes]:
    """20 images, the even ones public: a car on each, and on four private ones a forklift, of
    which the prediction finds two (AP 51/101: precision 1 up to recall 0.5)."""
    solution, predicted = ["id,PredictionString,Usage"], ["id,PredictionString"]
    for n in range(20):
        truth, guess = [f"car {n} 0 10 10"], [f"car 0.9 {n} 0 10 10"]
        if n in (1, 3, 5, 7):
            truth.append("forklift 50 50 20 20")
            guess += ["forklift 0.8 50 50 20 20"] if n in (1, 3) else []
        side = "Private" if n % 2 else "Public"
        solution.append(f"img{n},{' '.join(truth)},{side}")
        predicted.append(f"img{n},{' '.join(guess)}")
    return "\n".join(solution) + "\n", ("\n".join(predicted) + "\n").encode()


def test_a_detection_score_carries_its_ap_per_class_private_after_the_reveal(instance, tmp_path):
    make = instance.make
    competition = make.competition()
    solution, content = detection_files()
    problem = make.problem(competition, metric="map_50", solution=solution, daily_limit=None,
                           split_method=SplitMethod.USAGE_COLUMN)  # fmt: skip
    leader = make.user("leader@example.com")
    make.team(competition, leader, name="Forklift Finders")
    with serving(instance, tmp_path) as (url, worker):
        headers, result = scored_upload(url, worker, leader.email, problem.id, content)
        assert result["public_details"] == {"car": 1.0}
        listed = requests.get(f"{url}/api/v1/problems/{problem.id}/submissions", headers=headers)
        seen = result | {"listed": listed.json()}
        assert "forklift" not in str(seen) and "private_details" not in str(seen)
        organizer = token(url, competition.roles[0].user.email)
        revealed = requests.post(f"{url}/api/v1/problems/{problem.id}/reveal", headers=organizer)
        assert revealed.status_code == 200, revealed.text
        after = requests.get(url + result["status_url"], headers=headers).json()
        assert after["public_details"] == {"car": 1.0}
        assert after["private_details"] == {"car": 1.0, "forklift": round(51 / 101, 5)}
        assert after["private_score"] == pytest.approx((1 + 51 / 101) / 2)


def test_split_all_scores_every_row_on_both_boards_through_the_worker(instance, tmp_path):
    """The split "all": the worker scores the whole file for both boards; the private board
    says it holds nothing hidden, and still shows only once revealed."""
    from sklearn.metrics import roc_auc_score

    make = instance.make
    competition = make.competition()
    problem = make.problem(competition, metric="roc_auc", solution=binary_solution(400),
                           daily_limit=None, split_method=SplitMethod.ALL)  # fmt: skip
    leader = make.user("leader@example.com")
    make.team(competition, leader, name="Whole File")
    content = predictions(400)
    truth = [int(line.split(",")[1]) for line in binary_solution(400).splitlines()[1:]]
    guess = [float(line.split(b",")[1]) for line in content.splitlines()[1:]]
    with serving(instance, tmp_path) as (url, worker):
        headers, result = scored_upload(url, worker, leader.email, problem.id, content)
        assert result["public_score"] == pytest.approx(roc_auc_score(truth, guess), abs=1e-9)
        board = f"{url}/api/v1/problems/{problem.id}/leaderboard"
        public = requests.get(board).json()
        assert public["all_rows"] is True and public["revealed"] is False
        assert requests.get(board, params={"board": "private"}).status_code in (403, 404)
        organizer = token(url, competition.roles[0].user.email)
        revealed = requests.post(f"{url}/api/v1/problems/{problem.id}/reveal", headers=organizer)
        assert revealed.status_code == 200, revealed.text
        after = requests.get(url + result["status_url"], headers=headers).json()
        assert after["private_score"] == after["public_score"] == result["public_score"]
        private = requests.get(board, params={"board": "private"}).json()
        assert [r["score"] for r in private["rows"]] == [r["score"] for r in public["rows"]]
        page = requests.get(f"{url}/c/{competition.slug}/p/{problem.slug}/leaderboard",
                            headers={"Accept-Language": "en"}).text  # fmt: skip
        assert "private leaderboard holds nothing hidden" in page


def test_a_large_solution_put_through_the_server_splits_and_scores_as_computed_here(
    instance, tmp_path
):
    """150,000 ids: above FORKED_HASH_IDS, so the gunicorn worker that takes the solution
    hashes half of them in a forked child (on two cores or more, as here and in CI). The
    public and private rows it reports, and a submission's public score, are those of the
    split computed in this process."""
    import numpy as np
    from sklearn.metrics import roc_auc_score

    from judge.competitions.models import Role
    from judge.scoring.engine.splits import FORKED_HASH_IDS, fraction_split

    rows = 150_000
    assert rows >= FORKED_HASH_IDS
    make = instance.make
    competition = make.competition()
    organizer = make.user("organizer@example.com")
    make.role(competition, organizer, Role.ORGANIZER)
    problem = make.problem(competition, metric="roc_auc", solution=binary_solution(1000),
                           daily_limit=None, public_fraction=0.3)  # fmt: skip
    leader = make.user("leader@example.com")
    make.team(competition, leader, name="Busan Lab")
    public = (fraction_split([str(i) for i in range(rows)], problem.split_salt, 0.3)
              == "public").to_numpy()  # fmt: skip
    content = predictions(rows)
    with serving(instance, tmp_path) as (url, worker):
        answer = requests.put(
            f"{url}/api/v1/problems/{problem.id}/solution", headers=token(url, organizer.email),
            files={"solution": ("solution.csv", binary_solution(rows).encode())}, timeout=120,
        )  # fmt: skip
        assert answer.status_code == 200, answer.text
        assert (answer.json()["public_rows"], answer.json()["private_rows"]) == (
            int(public.sum()), rows - int(public.sum()))  # fmt: skip
        _headers, result = scored_upload(url, worker, leader.email, problem.id, content)
    table = np.loadtxt(content.decode().splitlines()[1:], delimiter=",")
    labels = np.random.default_rng(7).integers(0, 2, rows)
    expected = roc_auc_score(labels[public], table[public, 1])
    assert result["public_score"] == pytest.approx(expected, abs=1e-12)
