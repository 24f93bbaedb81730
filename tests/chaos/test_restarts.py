"""Restart Redis, and separately PostgreSQL, in the middle of a batch of scoring jobs.

Nothing is lost: every accepted submission ends scored exactly once, the web fails
fast with 503 while the database is away, and everything recovers by itself.
"""

from __future__ import annotations

import requests

from judge.submissions.models import Status
from tests.chaos.conftest import accepted, all_scored, outcomes, token, upload
from tests.integration.conftest import binary_solution, predictions
from tests.integration.servers import start_web, start_worker, wait_until

ROWS = 5000
BATCH = 5


def competition_with_teams(chaos, teams: int = 3):
    make = chaos.make
    competition = make.competition()
    problem = make.problem(competition, metric="roc_auc", solution=binary_solution(ROWS),
                           daily_limit=None, files={})  # fmt: skip
    leaders = [make.user(f"leader{i}@example.com") for i in range(teams)]
    for leader in leaders:
        make.team(competition, leader)
    return problem, leaders


class Uploader:
    def __init__(self, url: str, problem_id: int, leaders) -> None:
        self.url, self.problem_id = url, problem_id
        self.headers = [token(url, leader.email) for leader in leaders]
        self.sent = 0
        self.owner: dict[int, dict] = {}

    def send(self) -> tuple[requests.Response, dict]:
        self.sent += 1
        headers = self.headers[self.sent % len(self.headers)]
        content = predictions(ROWS, seed=self.sent)
        return upload(self.url, headers, self.problem_id, content), headers

    def batch(self, count: int) -> list[int]:
        ids = []
        for _ in range(count):
            response, headers = self.send()
            ids.append(accepted(response))
            self.owner[ids[-1]] = headers
        return ids

    def status(self, submission_id: int) -> dict:
        """What the team sees through the API."""
        answer = requests.get(f"{self.url}/api/v1/submissions/{submission_id}",
                              headers=self.owner[submission_id], timeout=10)  # fmt: skip
        return answer.json()


def scored_exactly_once(ids: list[int]) -> dict:
    return {i: (Status.SCORED, 2) for i in ids}  # one public and one private score each


def test_redis_restart_mid_batch_loses_nothing(chaos, tmp_path):
    problem, leaders = competition_with_teams(chaos)
    web, url = start_web(chaos.env, tmp_path / "web.log")
    worker = start_worker(chaos.env, tmp_path / "worker.log", "w1")
    try:
        uploader = Uploader(url, problem.id, leaders)
        before = uploader.batch(BATCH)
        wait_until(lambda: any(s == Status.SCORED for s, _ in outcomes(before).values()), 120,
                   "the first score", worker)  # fmt: skip
        chaos.redis.stop()  # the queue's messages are gone with it (no persistence)
        during = uploader.batch(2)  # accepted: the row is committed as queued first
        chaos.redis.start()
        after = uploader.batch(2)
        everything = before + during + after
        wait_until(lambda: all_scored(everything), 300,
                   "every submission to be scored after Redis came back", worker)  # fmt: skip
        assert outcomes(everything) == scored_exactly_once(everything)
        assert {uploader.status(i)["status"] for i in during} == {"scored"}
    finally:
        worker.kill()
        web.kill()


def test_postgres_restart_mid_batch_answers_503_then_recovers(chaos, tmp_path):
    problem, leaders = competition_with_teams(chaos)
    web, url = start_web(chaos.env, tmp_path / "web.log")
    worker = start_worker(chaos.env, tmp_path / "worker.log", "w1")
    try:
        uploader = Uploader(url, problem.id, leaders)
        before = uploader.batch(BATCH)
        wait_until(lambda: any(s == Status.SCORED for s, _ in outcomes(before).values()), 120,
                   "the first score", worker)  # fmt: skip
        chaos.postgres.stop()
        api = requests.get(f"{url}/api/v1/competitions", timeout=15)
        assert api.status_code == 503, api.text
        assert api.json()["error"]["code"] == "unavailable"
        page = requests.get(f"{url}/", headers={"Accept-Language": "en"}, timeout=15)
        assert page.status_code == 503
        assert "briefly unavailable" in page.text
        refused, _ = uploader.send()  # nothing can be recorded: a clear answer to retry later
        assert refused.status_code == 503, refused.text
        chaos.postgres.start()
        wait_until(lambda: _answers(url), 60, "the web to recover by itself")
        everything = before + uploader.batch(2)
        wait_until(lambda: all_scored(everything), 300,
                   "every submission to be scored after PostgreSQL came back", worker)  # fmt: skip
        assert outcomes(everything) == scored_exactly_once(everything)
    finally:
        worker.kill()
        web.kill()


def _answers(url: str) -> bool:
    return requests.get(f"{url}/api/v1/competitions", timeout=15).status_code == 200
