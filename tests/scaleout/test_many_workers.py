"""Two real workers score one batch concurrently; nothing is scored twice.

Every "score the next one" message is also published a second time, as a broker
re-delivery or the sweep would: the duplicate finds nothing queued, or takes the next
submission; none is taken twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from judge.core import queue
from judge.submissions.tasks import score_next_task
from tests.integration.conftest import binary_solution
from tests.integration.servers import start_web, start_worker, wait_until
from tests.scaleout.batch import (
    all_finished,
    assert_each_scored_exactly_once,
    public_board,
    upload_batch,
)
from tests.scaleout.sites import CONFIGURATIONS, configured

BATCH = 10
SETTINGS = {"SWEEP_SECONDS": "1", "SCORING_WALL_SECONDS": "20", "REQUEUE_AFTER_SECONDS": "120"}


@pytest.fixture(params=CONFIGURATIONS)
def site(request, tmp_path, monkeypatch) -> Iterator:
    with configured(request.param, tmp_path / "instance", monkeypatch, **SETTINGS) as instance:
        yield instance


def test_two_workers_share_a_batch_and_score_each_submission_once(site, tmp_path):
    instance = site
    make = instance.make
    competition = make.competition()
    problem = make.problem(competition, metric="roc_auc", solution=binary_solution(400),
                           daily_limit=None, files={})  # fmt: skip
    leaders = [make.user(f"leader{n}@example.com") for n in range(3)]
    for n, leader in enumerate(leaders):
        make.team(competition, leader, name=f"Team {n}")
    web, url = start_web(instance.env, tmp_path / "web.log")
    workers = [start_worker(instance.env, tmp_path / f"{name}.log", name, beat=name == "w1")
               for name in ("w1", "w2")]  # fmt: skip
    try:
        ids = upload_batch(url, problem, leaders, BATCH)
        for _ in ids:  # a second delivery of every job
            assert queue.send(score_next_task)
        wait_until(lambda: all_finished(ids), 240, "the batch to be scored")
        wait_until(lambda: _skips(workers) >= BATCH, 60, "the duplicates to be consumed")
        board = public_board(url, problem)
    finally:
        for process in (*workers, web):
            process.kill()
    scored = assert_each_scored_exactly_once(ids)
    assert {row.attempts for row in scored} == {1}  # no job was ever taken twice
    assert {row.worker.split("@")[0] for row in scored} == {"w1", "w2"}
    assert sorted(board) == ["Team 0", "Team 1", "Team 2"]


def _skips(workers) -> int:
    pattern = re.compile(r"nothing to do: no submission is queued")
    return sum(len(pattern.findall(w.log.read_text(errors="replace"))) for w in workers)
