"""A competition under attack: one problem with a hidden solution, a team, the real scorer.

Scoring runs the real engine in the real bubblewrap sandbox (as root, like the worker),
on a slot range and root of its own so that other suites on this machine are not
disturbed.
"""

from __future__ import annotations

import ctypes
import os
from dataclasses import dataclass

import pytest

from judge.competitions.models import Competition
from judge.problems.models import Problem
from judge.sandbox import process
from judge.scoring import runner
from tests.api.conftest import ApiClient
from tests.sandbox.conftest import zombie_children
from tests.support import slots

#: Every label of the hidden solution: none may appear in anything a participant sees.
SECRETS = ("defect_7f3a", "normal_7f3a")
IDS = [f"시료-{i:03d}" for i in range(1, 40)] + ["똠-040"]
SOLUTION = "id,label\n" + "".join(
    f"{x},{SECRETS[0] if i % 3 == 0 else SECRETS[1]}\n" for i, x in enumerate(IDS)
)
SANDBOX = {
    "SANDBOX_ROOT": slots.root("/run/judge-sandbox-test-hostile"),
    "SANDBOX_UID_BASE": slots.uid_base(64600),
    "SANDBOX_SLOTS": 2,
    "SCORING_WALL_SECONDS": 60,
}


@dataclass
class World:
    competition: Competition
    problem: Problem
    leader: object  # the participant who leads "Team Alpha"
    organizer: object


@pytest.fixture
def api(client, make) -> ApiClient:
    return ApiClient(client, make)


@pytest.fixture(params=["cold", "warm"])
def world(request, app, make) -> World:
    """Scored in a fresh sandbox per file, and in a fresh child of a warm sandbox."""
    app.config.update(SANDBOX, SCORING_WARM=request.param == "warm")
    competition = make.competition()
    problem = make.problem(
        competition, solution=SOLUTION, metric="roc_auc", daily_limit=None, public_fraction=0.5
    )
    leader = make.user()
    make.team(competition, leader, name="Team Alpha")
    return World(competition, problem, leader, competition.roles[0].user)


@pytest.fixture(scope="module", autouse=True)
def sandbox_state_restored():
    """Leave the test process as it was: no pre-started sandbox, and not a subreaper.

    The scoring job pre-starts the next sandbox; stop it. Scoring in-process also made
    this process a child subreaper (judge.sandbox.process), so orphans of later tests'
    servers (gunicorn, Celery) would turn into zombies here, not go to init: undo it.
    """
    yield
    runner.discard_waiting()
    with process._subreaper_lock:
        if process._subreaper:
            ctypes.CDLL(None, use_errno=True).prctl(process.PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0)
            process._subreaper = False
    for pid in zombie_children():
        os.waitpid(pid, 0)
