"""score_file with a pre-started sandbox (prewarm) scores exactly as the cold path does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from judge import sandbox
from judge.sandbox.process import pids_of_uid
from judge.scoring import runner
from tests.support import slots

from .conftest import IDS, csv_text
from .test_cli import SCORING_DIR

RUNTIME = Path(os.environ.get("JUDGE_SANDBOX_RUNTIME", "/opt/judge/runtimes/default"))
# A root and uid range of their own (tests/sandbox uses 61000, the integration tests 62000).
CONFIG = sandbox.SandboxConfig(root=Path(slots.root("/run/judge-sandbox-test-warm")),
                                uid_base=slots.uid_base(63000), slots=4)  # fmt: skip
TARGETS = {"target": ["1", "0", "1", "0", "1", "0"]}


@pytest.fixture
def setup() -> runner.ScoringSetup:
    if not (RUNTIME / "bin" / "python").exists():
        pytest.fail(f"no sandbox runtime at {RUNTIME} (scripts/setup-runtime builds it)")
    return runner.ScoringSetup(python=RUNTIME / "bin" / "python", limits=sandbox.Limits(),
                               config=CONFIG)  # fmt: skip


@pytest.fixture(autouse=True)
def no_sandbox_left():
    runner.discard_waiting()
    yield
    runner.discard_waiting()
    uids = range(CONFIG.uid_base, CONFIG.uid_base + CONFIG.slots)
    assert [pid for uid in uids for pid in pids_of_uid(uid)] == []


@pytest.fixture
def served(monkeypatch) -> tuple[list, list]:
    """(sandboxes started, sandboxes that were told to go), in order."""
    started, went = [], []
    real_start, real_go = sandbox.start, sandbox.Started.go

    def start(*args, **kwargs):
        started.append(real_start(*args, **kwargs))
        return started[-1]

    def go(self, inputs):
        went.append(self)
        return real_go(self, inputs)

    monkeypatch.setattr(sandbox, "start", start)
    monkeypatch.setattr(sandbox.Started, "go", go)
    return started, went


def scores(verdict: runner.Verdict) -> tuple:
    return verdict.status, verdict.public, verdict.private, verdict.message


def test_the_warm_path_scores_as_the_cold_path(setup, make_problem, served):
    started, went = served
    problem = make_problem("accuracy", TARGETS)
    submission = problem.write(csv_text("id,target", [(i, 1) for i in IDS]))
    counts = (runner.counts.warm, runner.counts.cold)
    cold = runner.score_file(setup, problem.job, submission, problem.solution)
    assert scores(cold) == ("scored", 1.0, 0.0, ""), cold.log
    verdicts = []
    for _ in range(2):
        runner.prewarm(setup)
        waiting = started[-1]
        assert waiting.alive()
        verdicts.append(runner.score_file(setup, problem.job, submission, problem.solution))
        assert went[-1] is waiting  # served by the sandbox prewarm started
    assert [scores(v) for v in verdicts] == [scores(cold)] * 2
    assert len(started) == len(went) == 3
    assert (runner.counts.warm, runner.counts.cold) == (counts[0] + 2, counts[1] + 1)


def test_prewarm_keeps_the_one_waiting(setup, served):
    started, _ = served
    runner.prewarm(setup)
    runner.prewarm(setup)
    assert len(started) == 1


def test_a_dead_or_foreign_warm_sandbox_is_replaced_by_a_cold_start(setup, make_problem, served):
    started, went = served
    problem = make_problem("accuracy", TARGETS)
    submission = problem.write(csv_text("id,target", [(i, 0) for i in IDS]))
    runner.prewarm(setup)
    started[-1].discard()  # as if it had died
    verdict = runner.score_file(setup, problem.job, submission, problem.solution)
    assert scores(verdict) == ("scored", 0.0, 1.0, ""), verdict.log
    assert went[-1] is started[-1] and len(started) == 2
    other = runner.ScoringSetup(setup.python, sandbox.Limits(cpu_seconds=30), setup.config)
    runner.prewarm(other)
    verdict = runner.score_file(setup, problem.job, submission, problem.solution)
    assert went[-1] is started[-1] and len(started) == 4  # the other setup's was discarded


def test_prewarm_never_raises(setup, tmp_path, caplog):
    (tmp_path / "file").write_text("")
    config = sandbox.SandboxConfig(root=tmp_path / "file" / "root",
                                   uid_base=slots.uid_base(63000), slots=4)  # fmt: skip
    runner.prewarm(runner.ScoringSetup(setup.python, setup.limits, config))
    assert "cannot pre-start a scoring sandbox" in caplog.text


def test_the_engine_waits_for_go(make_problem):
    problem = make_problem("accuracy", TARGETS)
    submission = problem.write(csv_text("id,target", [(i, 1) for i in IDS]))
    (problem.folder / "job.json").write_text(json.dumps(problem.job))
    output = problem.folder / "result.json"
    command = [sys.executable, "-s", "-E", "-m", "engine", "--wait-for-go",
               "--job", str(problem.folder / "job.json"), "--submission", str(submission),
               "--solution", str(problem.solution), "--output", str(output)]  # fmt: skip
    discarded = subprocess.run(command, cwd=SCORING_DIR, input="", capture_output=True,
                               text=True, timeout=120)  # fmt: skip
    assert discarded.returncode == 0, discarded.stderr
    assert not output.exists()
    went = subprocess.run(command, cwd=SCORING_DIR, input="go\n", capture_output=True,
                          text=True, timeout=120)  # fmt: skip
    assert went.returncode == 0, went.stderr
    assert json.loads(output.read_text())["status"] == "scored"


def test_rows_on_both_sides_score_alike_cold_prewarmed_and_warm(setup, make_problem):
    """The split "all" on each of the engine's paths: every row counts on both sides."""
    from dataclasses import replace

    from judge.scoring import warm

    problem = make_problem("accuracy", TARGETS, sides=["both"] * len(IDS))
    submission = problem.write(csv_text("id,target", [(i, 1) for i in IDS]))  # half right
    cold = runner.score_file(setup, problem.job, submission, problem.solution)
    runner.prewarm(setup)
    prewarmed = runner.score_file(setup, problem.job, submission, problem.solution)
    before = warm.started_count()
    try:
        hot = runner.score_file(replace(setup, warm=True), problem.job, submission,
                                problem.solution)  # fmt: skip
    finally:
        runner.discard_waiting()
    assert warm.started_count() == before + 1
    assert [scores(v) for v in (cold, prewarmed, hot)] == [("scored", 0.5, 0.5, "")] * 3
