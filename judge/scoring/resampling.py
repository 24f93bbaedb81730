"""One team's side of the rank bootstrap, run in the scoring sandbox.

The worker hands the team's file and the prepared solution to the engine exactly as it does
for scoring (:func:`runner.run_engine`: the warm sandbox with ``SCORING_WARM``, a fresh one
otherwise), with ``"resample"`` added to the job. It gets back only the private score on
each resample (:mod:`judge.scoring.engine.resample`), or why there is none: the file is
invalid, hit a limit, or the run failed. The worker never parses the file itself.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from judge.scoring import runner
from judge.scoring.runner import ScoringSetup


@dataclass(frozen=True)
class Resampled:
    """A file's private score on each resample, or ``message`` (English, stored and
    translated when shown, like a verdict's) saying why there are none."""

    values: tuple[float | None, ...] | None
    message: str = ""
    log: str = ""  # for the worker's log only

    @property
    def ok(self) -> bool:
        return self.values is not None


def resample_file(setup: ScoringSetup, job: dict, submission: Path, solution: Path,
                  count: int, seed: int) -> Resampled:  # fmt: skip
    """Run ``count`` resamples (draws of ``default_rng(seed)``) of ``submission``'s private
    score in the sandbox."""
    resampling = {**job, "resample": {"count": count, "seed": seed}}
    result = runner.run_engine(setup, resampling, submission, solution)
    verdict = runner.interpret(result)  # a limit, "invalid" with the engine's message, or error
    payload = runner.read_result(result) if result.limit is None else None
    if not payload or payload.get("status") != "resampled":
        return Resampled(None, verdict.message, verdict.log)
    values = _values(payload.get("values"), count)
    if values is None:
        return Resampled(None, runner.FAILED_ON_OUR_SIDE, verdict.log)
    return Resampled(values, log=verdict.log)


def _values(values: object, count: int) -> tuple[float | None, ...] | None:
    """``count`` values, each a finite number or None; None if they are anything else."""
    if not isinstance(values, list) or len(values) != count:
        return None
    if not all(v is None or _finite(v) for v in values):
        return None
    return tuple(None if v is None else float(v) for v in values)


def _finite(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
