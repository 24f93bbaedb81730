"""Built-in metric scoring on a warm sandbox (setting ``SCORING_WARM``).

A worker process keeps one :class:`judge.sandbox.warm.Warm` per scoring setup: its parent
(``engine.warm``) has imported pandas, pyarrow and scikit-learn once, and forks a fresh,
further-restricted child for each file. What isolates one file from the next is written
in :mod:`judge.sandbox`'s docstring. Code submissions and organizer programs keep their
cold sandbox (:mod:`judge.scoring.runner`).
"""

from __future__ import annotations

import atexit
import json
import os
import tempfile
import threading
from pathlib import Path

from judge import sandbox
from judge.sandbox.warm import Warm, start_warm
from judge.scoring.runner import RESULT, ScoringSetup, engine_code, sandbox_job

MAX_JOBS = 200  # files one warm sandbox scores before a fresh one is started

_lock = threading.Lock()
_warm: tuple[tuple[ScoringSetup, Path], Warm] | None = None
_started = 0  # warm sandboxes this process has started


def run(setup: ScoringSetup, job: dict, submission: Path, solution: Path) -> sandbox.Result:
    """Run the engine on ``job`` as :func:`runner.run_engine` does, in a fresh child of this
    process's warm sandbox (started first if there is none)."""
    with tempfile.NamedTemporaryFile("w", suffix=".json") as job_file:
        json.dump(job, job_file)
        job_file.flush()
        inputs = {"job.json": Path(job_file.name), "submission": submission,
                  "solution.parquet": solution}  # fmt: skip
        with _lock:
            return _take(setup).run(inputs)


def prewarm(setup: ScoringSetup) -> None:
    """Start the warm sandbox for ``setup`` unless it runs already (off a job's path)."""
    with _lock:
        _take(setup)


def close() -> None:
    """Discard this process's warm sandbox, if any."""
    global _warm
    with _lock:
        if _warm is not None:
            _warm[1].close()
        _warm = None


def started_count() -> int:
    """How many warm sandboxes this process has started (each serves many files)."""
    return _started


def _take(setup: ScoringSetup) -> Warm:
    global _warm, _started
    code = engine_code(setup.config.root)
    if _warm is not None and _warm[0] == (setup, code) and _warm[1].usable():
        return _warm[1]
    if _warm is not None:
        _warm[1].close()
        _warm = None
    job = sandbox_job(setup, code)
    parent = sandbox.Job(argv=[str(setup.python), "-s", "-E", "-m", "engine.warm"],
                         mounts=job.mounts, env=job.env, workdir=job.workdir,
                         limits=job.limits)  # fmt: skip
    _warm = ((setup, code), start_warm(parent, setup.config, MAX_JOBS, RESULT))
    _started += 1
    return _warm[1]


def _forget_in_child() -> None:
    """A forked child must neither use nor close its parent's warm sandbox."""
    global _warm
    if _warm is not None:
        _inherited.append(_warm)
    _warm = None


_inherited: list = []  # a parent's, kept referenced in a forked child (nothing finalized)
os.register_at_fork(after_in_child=_forget_in_child)
atexit.register(close)
