"""Scoring one prediction file: the engine run inside the sandbox, and what came out.

This is the only way the platform scores anything; the worker and
``judge score`` both call :func:`score_file`.

Most of a run is the sandboxed Python importing pandas, pyarrow and scikit-learn, so a
worker process keeps one sandbox pre-started (:func:`prewarm`): the engine has imported
everything and waits for go; :func:`score_file` hands it the inputs. Each sandbox still
scores exactly one file. Without a waiting sandbox (``judge score``, the first job, a
changed setup) :func:`score_file` starts one and tells it to go at once. With
``SCORING_WARM`` (``ScoringSetup.warm``) score_file and prewarm use
:mod:`judge.scoring.warm` instead: one warm sandbox, a fresh child per file.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import logging
import math
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass, replace
from pathlib import Path

from judge import sandbox
from judge.core.i18n import N_

log = logging.getLogger(__name__)

ENGINE_DIR = Path(__file__).resolve().parent / "engine"
RESULT = "result.json"


@dataclass(frozen=True)
class ScoringSetup:
    python: Path  # the sandbox runtime's interpreter
    limits: sandbox.Limits
    config: sandbox.SandboxConfig
    warm: bool = False  # score_file on a warm sandbox (judge.scoring.warm, SCORING_WARM)


@dataclass(frozen=True)
class Verdict:
    status: str  # "scored", "invalid", "limit" or "error"; a file checked alone: "valid"
    public: float | None = None
    private: float | None = None
    message: str = ""  # safe for the participant
    log: str = ""  # for organizers only
    # per split: every leaderboard column's value (programs), or a built-in metric's details
    details: dict | None = None
    reason: str = ""  # why it did not score, one of FAILURE_REASONS (for metrics)
    output: str = ""  # a validation run's full output, for the team (its inputs are public)

    @property
    def scored(self) -> bool:
        return self.status == "scored"


def engine_code(root: Path) -> Path:
    """A root-owned, world-readable copy of the engine package, named by its content hash."""
    files = sorted(ENGINE_DIR.glob("*.py"))
    digest = hashlib.sha256(b"".join(f.name.encode() + f.read_bytes() for f in files))
    target = root / "code" / digest.hexdigest()[:16]
    if (target / "engine").is_dir():
        return target
    staging = Path(tempfile.mkdtemp(dir=_ensure(root / "code")))
    (staging / "engine").mkdir()
    for source in files:
        shutil.copyfile(source, staging / "engine" / source.name)
    _publish(staging, target)
    return target


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True, mode=0o755)
    return path


def _publish(staging: Path, target: Path) -> None:
    for path in [staging, *staging.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    try:
        os.rename(staging, target)
    except OSError:  # another process published the same code first
        shutil.rmtree(staging, ignore_errors=True)


@dataclass
class Counts:
    """How many score_file calls this process served with a pre-started sandbox, or cold."""

    warm: int = 0
    cold: int = 0


@dataclass(frozen=True)
class _Waiting:
    key: tuple[ScoringSetup, Path]  # the setup and the engine code the sandbox was started for
    started: sandbox.Started


counts = Counts()
_waiting: _Waiting | None = None  # this process's pre-started sandbox
_waiting_lock = threading.Lock()
_inherited: list[_Waiting] = []  # a parent's, kept referenced in a forked child (see below)


def score_file(setup: ScoringSetup, job: dict, submission: Path, solution: Path) -> Verdict:
    """Validate and score ``submission`` against a prepared solution, in the sandbox: with
    ``setup.warm`` in a fresh child of the warm sandbox (:mod:`judge.scoring.warm`), in a
    fresh sandbox if that cannot start."""
    return interpret(run_engine(setup, job, submission, solution))


def run_engine(setup: ScoringSetup, job: dict, submission: Path, solution: Path) -> sandbox.Result:
    """Run the engine on ``job`` (a scoring job, or a resampling one for the rank bootstrap)
    as :func:`score_file` does, and return what the sandbox gave back."""
    if setup.warm:
        from judge.scoring import warm

        try:
            return warm.run(setup, job, submission, solution)
        except sandbox.SandboxUnavailable as exc:
            log.warning("no warm scoring sandbox, scoring in a fresh one: %s", exc)
    code = engine_code(setup.config.root)
    with tempfile.NamedTemporaryFile("w", suffix=".json") as job_file:
        json.dump(job, job_file)
        job_file.flush()
        inputs = {"job.json": Path(job_file.name), "submission": submission,
                  "solution.parquet": solution}  # fmt: skip
        started = _take_waiting((setup, code))
        if started is None:
            started = sandbox.start(sandbox_job(setup, code), setup.config)
        return started.go(inputs)


def check_file(setup: ScoringSetup, job: dict, submission: Path) -> Verdict:
    """Check ``submission`` without a solution (a validation run's predictions), in the
    sandbox: "valid", or "invalid" with the message."""
    code = engine_code(setup.config.root)
    with tempfile.NamedTemporaryFile("w", suffix=".json") as job_file:
        json.dump(job, job_file)
        job_file.flush()
        inputs = {"job.json": Path(job_file.name), "submission": submission}
        argv = [str(setup.python), "-s", "-E", "-m", "engine", "--job", "/in/job.json",
                "--submission", "/in/submission", "--output", f"/out/{RESULT}"]  # fmt: skip
        sandboxed = replace(sandbox_job(setup, code), argv=argv, inputs=inputs)
        return interpret(sandbox.run(sandboxed, setup.config))


def prewarm(setup: ScoringSetup) -> None:
    """Start the sandbox for this process's next :func:`score_file`, unless one already
    waits. Never raises: without a waiting sandbox score_file starts one itself."""
    global _waiting
    try:
        if setup.warm:
            from judge.scoring import warm

            return warm.prewarm(setup)
        code = engine_code(setup.config.root)
        with _waiting_lock:
            if _waiting is not None and _waiting.key == (setup, code) and _waiting.started.alive():
                return
            _discard(_waiting)
            _waiting = None
            started = sandbox.start(sandbox_job(setup, code), setup.config)
            _waiting = _Waiting((setup, code), started)
    except sandbox.SandboxUnavailable as exc:
        log.warning("cannot pre-start a scoring sandbox: %s", exc)
    except Exception:
        log.exception("cannot pre-start a scoring sandbox")


def discard_waiting() -> None:
    """Kill this process's pre-started or warm sandbox, if any (at exit, or when settings
    change)."""
    global _waiting
    with _waiting_lock:
        waiting, _waiting = _waiting, None
    _discard(waiting)
    from judge.scoring import warm

    warm.close()


def _take_waiting(key: tuple[ScoringSetup, Path]) -> sandbox.Started | None:
    global _waiting
    with _waiting_lock:
        waiting, _waiting = _waiting, None
    if waiting is not None and waiting.key == key and waiting.started.alive():
        counts.warm += 1
        return waiting.started
    if waiting is not None:
        log.warning("the pre-started scoring sandbox %s; starting a fresh one",
                    "has exited" if waiting.key == key else "is for another setup")  # fmt: skip
    _discard(waiting)
    counts.cold += 1
    return None


def _discard(waiting: _Waiting | None) -> None:
    if waiting is not None:
        waiting.started.discard()


def _forget_in_child() -> None:
    """A forked child must neither use nor clean up its parent's sandbox: keep it referenced
    (so nothing of it is finalized here) and forget it."""
    global _waiting
    if _waiting is not None:
        _inherited.append(_waiting)
    _waiting = None


os.register_at_fork(after_in_child=_forget_in_child)
atexit.register(discard_waiting)


#: The scorer's environment, cold or warm.
SCORER_ENV = {
    "PATH": "/usr/bin:/bin", "HOME": "/tmp", "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1", "MPLCONFIGDIR": "/tmp", "LANG": "C.UTF-8",
    # pyarrow's jemalloc starts a background thread at import by default: the warm parent
    # must fork with one thread (engine.warm refuses more), and the thread's reservations
    # count against RLIMIT_AS (with it, a warm parent under 512 MiB hung).
    "JE_ARROW_MALLOC_CONF": "background_thread:false",
}  # fmt: skip


def sandbox_job(setup: ScoringSetup, code: Path) -> sandbox.Job:
    """The sandboxed engine for ``setup`` (pre-started: it waits for go on stdin)."""
    runtime = setup.python.parent.parent
    return sandbox.Job(
        argv=[str(setup.python), "-s", "-E", "-m", "engine", "--wait-for-go",
              "--job", "/in/job.json", "--submission", "/in/submission",
              "--solution", "/in/solution.parquet", "--output", f"/out/{RESULT}"],
        mounts={"/code": code, str(runtime): runtime},
        env=SCORER_ENV,
        workdir="/code",
        limits=setup.limits,
    )  # fmt: skip


def interpret(result: sandbox.Result) -> Verdict:
    """Turn what the sandbox returned into a verdict, never passing raw output to teams."""
    logs = _logs(result)
    if result.limit is not None:
        return Verdict("limit", message=_limit_message(result.limit), log=logs,
                       reason=LIMIT_REASONS.get(result.limit, "other"))  # fmt: skip
    payload = read_result(result)
    status = payload.get("status") if payload else None
    if status == "scored":
        return Verdict("scored", float(payload["public"]), float(payload["private"]), log=logs,
                       details=metric_details(payload.get("details")))  # fmt: skip
    if status == "valid":
        return Verdict("valid", log=logs)
    if status == "invalid":
        return Verdict("invalid", message=str(payload.get("message", ""))[:2000], log=logs,
                       reason="validation")  # fmt: skip
    return Verdict("error", message=FAILED_ON_OUR_SIDE, log=logs, reason="crash")


def metric_details(raw: object) -> dict | None:
    """A built-in metric's details as the engine wrote them, per split ``{name: number}``;
    a split whose details are missing or malformed has none (never a wrong number)."""
    if not isinstance(raw, dict):
        return None
    found = {split: raw.get(split) for split in ("public", "private")}
    kept = {split: values for split, values in found.items() if _named_numbers(values)}
    return kept or None


def _named_numbers(values: object) -> bool:
    return isinstance(values, dict) and all(
        isinstance(name, str) and isinstance(value, int | float) and not isinstance(value, bool)
        and math.isfinite(value) for name, value in values.items()
    )  # fmt: skip


def read_result(result: sandbox.Result) -> dict | None:
    raw = result.outputs.get(RESULT)
    if raw is None:
        return None
    try:
        payload = json.loads(raw)
    except ValueError:
        return None
    return payload if isinstance(payload, dict) else None


# Stored in English on the submission and translated when shown (judge.core.i18n.N_).
LIMIT_MESSAGES = {
    "wall_time": N_(
        "Scoring took longer than the time limit. "
        "Check that the file has the expected size and format."
    ),
    "cpu_time": N_(
        "Scoring used more CPU time than allowed. "
        "Check that the file has the expected size and format."
    ),
    "memory": N_(
        "Scoring needed more memory than allowed. "
        "Check that the file has the expected size and format."
    ),
    "file_size": N_(
        "Scoring wrote more data than allowed. "
        "Check that the file has the expected size and format."
    ),
    "output_size": N_(
        "Scoring wrote more output than allowed. "
        "Check that the file has the expected size and format."
    ),
    "processes": N_(
        "Scoring started more processes than allowed. "
        "Check that the file has the expected size and format."
    ),
}
HIT_A_LIMIT = N_(
    "Scoring hit a resource limit. Check that the file has the expected size and format."
)
FAILED_ON_OUR_SIDE = N_("Scoring failed on our side; the organizers can see why.")
# The problem's own programs misbehaved (no score for a column, no predictions, a traceback
# next to a score): the team is told only this, is not charged, and the organizers hear why.
ORGANIZER_FAILED = N_("Scoring failed on the organizer's side (the organizer is notified).")


def organizer_failure(log_text: str) -> Verdict:
    """A failure of the problem's own programs, never a number and never the team's fault."""
    return Verdict("error", message=ORGANIZER_FAILED, log=log_text, reason="organizer")


#: Which failure reason (for the operators' metrics) each sandbox limit counts as.
LIMIT_REASONS = {
    "wall_time": "timeout",
    "cpu_time": "timeout",
    "memory": "memory",
    "file_size": "output",
    "output_size": "output",
    "processes": "processes",
}


def _limit_message(limit: str) -> str:
    return LIMIT_MESSAGES.get(limit, HIT_A_LIMIT)


def _logs(result: sandbox.Result) -> str:
    parts = [
        f"exit={result.exit_code} signal={result.signal} limit={result.limit} "
        f"cpu={result.cpu_seconds:.2f}s wall={result.wall_seconds:.2f}s",
        result.stderr.decode("utf-8", "replace")[-20000:],
    ]
    return "\n".join(p for p in parts if p)
