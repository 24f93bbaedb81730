"""SIGKILL the worker at random moments during a batch: every submission ends scored once.

The kill points are random (claiming, starting the sandbox, scoring, recording); the
seed is printed, and ``CHAOS_SEED=…`` replays a run.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from judge.core.extensions import db
from judge.submissions.models import Quota
from tests.integration.conftest import binary_solution
from tests.integration.servers import start_web, start_worker, wait_until
from tests.scaleout.batch import (
    all_finished,
    assert_each_scored_exactly_once,
    public_board,
    upload_batch,
)
from tests.scaleout.sites import CONFIGURATIONS, configured

BATCH = 8
KILLS = 4
# Short leases and re-publishing so that killed jobs (and the messages a killed worker had
# prefetched, which Redis holds for an hour) come back quickly; enough attempts that none
# gives up.
CHAOS = {"SCORING_WALL_SECONDS": "8", "SCORING_LEASE_MARGIN_SECONDS": "1",
         "SCORING_MAX_ATTEMPTS": "50", "SWEEP_SECONDS": "1",
         "REQUEUE_AFTER_SECONDS": "6"}  # fmt: skip


@pytest.fixture(params=CONFIGURATIONS)
def site(request, tmp_path, monkeypatch) -> Iterator:
    with configured(request.param, tmp_path / "instance", monkeypatch, **CHAOS) as instance:
        yield instance


def test_a_batch_survives_random_worker_kills_and_is_scored_exactly_once(site, tmp_path):
    instance = site
    seed = int(os.environ.get("CHAOS_SEED") or time.time_ns() % 2**32)
    print(f"chaos seed: CHAOS_SEED={seed}")
    chance = random.Random(seed)
    make = instance.make
    competition = make.competition()
    problem = make.problem(competition, metric="roc_auc", solution=binary_solution(400),
                           daily_limit=None, files={})  # fmt: skip
    leaders = [make.user(f"leader{n}@example.com") for n in range(2)]
    for n, leader in enumerate(leaders):
        make.team(competition, leader, name=f"Team {n}")
    env = instance.env
    web, url = start_web(env, tmp_path / "web.log")
    try:
        ids = upload_batch(url, problem, leaders, BATCH)
        delays = [round(chance.uniform(0.0, 4.0), 2) for _ in range(KILLS)]
        print(f"kills after {delays} s")
        for n, delay in enumerate(delays):
            worker = start_worker(env, tmp_path / f"killed{n}.log", f"killed{n}")
            time.sleep(delay)
            worker.kill()  # SIGKILL to the worker, its pool and its sandboxes
        survivor = start_worker(env, tmp_path / "survivor.log", "survivor")
        try:
            wait_until(lambda: all_finished(ids), 300, "the batch to be scored", survivor)
        finally:
            survivor.kill()
        board = public_board(url, problem)
    finally:
        web.kill()
    scored = assert_each_scored_exactly_once(ids)
    print("attempts:", sorted(row.attempts for row in scored))
    assert sorted(board) == ["Team 0", "Team 1"]
    used = db.session.scalars(sa.select(Quota.total_count).where(Quota.problem_id == problem.id))
    assert sum(used) == BATCH  # nothing refunded, nothing counted twice
