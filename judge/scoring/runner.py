"""Scoring one prediction file: the engine run inside the sandbox, and what came out.

This is the only way the platform scores anything; the worker and
``judge score`` both call :func:`score_file`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from judge import sandbox

log = logging.getLogger(__name__)

ENGINE_DIR = Path(__file__).resolve().parent / "engine"
RESULT = "result.json"


@dataclass(frozen=True)
class ScoringSetup:
    python: Path  # the sandbox runtime's interpreter
    limits: sandbox.Limits
    config: sandbox.SandboxConfig


@dataclass(frozen=True)
class Verdict:
    status: str  # "scored", "invalid", "limit" or "error"
    public: float | None = None
    private: float | None = None
    message: str = ""  # safe for the participant
    log: str = ""  # for organizers only

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


def score_file(setup: ScoringSetup, job: dict, submission: Path, solution: Path) -> Verdict:
    """Validate and score ``submission`` against a prepared solution, in the sandbox."""
    code = engine_code(setup.config.root)
    with tempfile.NamedTemporaryFile("w", suffix=".json") as job_file:
        json.dump(job, job_file)
        job_file.flush()
        result = sandbox.run(_sandbox_job(setup, code, Path(job_file.name), submission, solution),
                             setup.config)  # fmt: skip
    return interpret(result)


def _sandbox_job(setup: ScoringSetup, code: Path, job: Path, submission: Path, solution: Path):
    runtime = setup.python.parent.parent
    return sandbox.Job(
        argv=[str(setup.python), "-s", "-E", "-m", "engine", "--job", "/in/job.json",
              "--submission", "/in/submission", "--solution", "/in/solution.parquet",
              "--output", f"/out/{RESULT}"],
        inputs={"job.json": job, "submission": submission, "solution.parquet": solution},
        mounts={"/code": code, str(runtime): runtime},
        env={"PATH": "/usr/bin:/bin", "HOME": "/tmp", "OMP_NUM_THREADS": "1",
             "OPENBLAS_NUM_THREADS": "1", "MPLCONFIGDIR": "/tmp", "LANG": "C.UTF-8"},
        workdir="/code",
        limits=setup.limits,
    )  # fmt: skip


def interpret(result: sandbox.Result) -> Verdict:
    """Turn what the sandbox returned into a verdict, never passing raw output to teams."""
    logs = _logs(result)
    if result.limit is not None:
        return Verdict("limit", message=_limit_message(result.limit), log=logs)
    payload = _read_result(result)
    status = payload.get("status") if payload else None
    if status == "scored":
        return Verdict("scored", float(payload["public"]), float(payload["private"]), log=logs)
    if status == "invalid":
        return Verdict("invalid", message=str(payload.get("message", ""))[:2000], log=logs)
    return Verdict("error", message="Scoring failed on our side; the organizers can see why.",
                   log=logs)  # fmt: skip


def _read_result(result: sandbox.Result) -> dict | None:
    raw = result.outputs.get(RESULT)
    if raw is None:
        return None
    try:
        payload = json.loads(raw)
    except ValueError:
        return None
    return payload if isinstance(payload, dict) else None


LIMIT_MESSAGES = {
    "wall_time": "Scoring took longer than the time limit.",
    "cpu_time": "Scoring used more CPU time than allowed.",
    "memory": "Scoring needed more memory than allowed.",
    "file_size": "Scoring wrote more data than allowed.",
    "output_size": "Scoring wrote more output than allowed.",
    "processes": "Scoring started more processes than allowed.",
}


def _limit_message(limit: str) -> str:
    return LIMIT_MESSAGES.get(limit, "Scoring hit a resource limit.") + (
        " Check that the file has the expected size and format."
    )


def _logs(result: sandbox.Result) -> str:
    parts = [
        f"exit={result.exit_code} signal={result.signal} limit={result.limit} "
        f"cpu={result.cpu_seconds:.2f}s wall={result.wall_seconds:.2f}s",
        result.stderr.decode("utf-8", "replace")[-20000:],
    ]
    return "\n".join(p for p in parts if p)
