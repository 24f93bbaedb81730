"""At a deadline one team's burst does not starve the others (judge.submissions.turns).

One team queues 50 files, then nine teams queue one each; a real worker scores the nine
long before the fifty are done: each round serves each waiting team once.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from judge.submissions.models import FINISHED, Status
from tests.integration.conftest import binary_solution
from tests.integration.servers import start_web, start_worker, wait_until
from tests.scaleout.batch import rows, upload_batch
from tests.scaleout.sites import CONFIGURATIONS, configured

BURST = 50
OTHERS = 9
SETTINGS = {"SWEEP_SECONDS": "1", "SCORING_WALL_SECONDS": "20", "REQUEUE_AFTER_SECONDS": "120"}


@pytest.fixture(params=CONFIGURATIONS)
def site(request, tmp_path, monkeypatch) -> Iterator:
    with configured(request.param, tmp_path / "instance", monkeypatch, **SETTINGS) as instance:
        yield instance


def test_nine_teams_are_scored_before_one_teams_burst_of_fifty_finishes(site, tmp_path):
    make = site.make
    competition = make.competition()
    problem = make.problem(competition, metric="roc_auc", solution=binary_solution(400),
                           daily_limit=None, files={})  # fmt: skip
    leaders = [make.user(f"leader{n}@example.com") for n in range(OTHERS + 1)]
    for n, leader in enumerate(leaders):
        make.team(competition, leader, name=f"Team {n}")
    web, url = start_web(site.env, tmp_path / "web.log")
    worker = start_worker(site.env, tmp_path / "worker.log", "w1")
    try:
        burst = upload_batch(url, problem, leaders[:1], BURST)
        others = upload_batch(url, problem, leaders[1:], OTHERS)
        wait_until(lambda: _all_scored(others), 180, "the nine teams' files to be scored")
        burst_rows = rows(burst)
    finally:
        for process in (worker, web):
            process.kill()
    nine = rows(others)
    first_asked, nine_done = min(r.created_at for r in nine), max(r.finished_at for r in nine)
    done = [row.finished_at for row in burst_rows if row.status in FINISHED]
    before = sum(at <= first_asked for at in done)
    between = sum(first_asked < at <= nine_done for at in done)
    # The burst still waited when the nine came (first in, first out would score it first)...
    assert BURST - before > 2 * OTHERS, (before, between)
    # ... yet it took at most one turn per round while the nine were queued.
    assert between <= OTHERS, (before, between)
    assert {row.status for row in burst_rows} <= {Status.QUEUED, Status.RUNNING, Status.SCORED}


def _all_scored(ids: list[int]) -> bool:
    return all(row.status == Status.SCORED for row in rows(ids))
