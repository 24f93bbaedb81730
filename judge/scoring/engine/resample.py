"""One team's side of the rank bootstrap, run in the sandbox like a scoring job.

A job with ``"resample": {"count": N, "seed": S}`` reads the team's file and the prepared
solution as :func:`score.score` does, then scores the private rows on ``N`` draws with
replacement. The draws come from ``numpy.random.default_rng(S)`` and the number of private
rows only, so every team's job draws the same rows in the same order. The result is
``{"status": "resampled", "values": [float | None, ...]}``: the metric on each draw
(averaged over target columns), None where it is undefined (for example a draw with a
single class for ROC AUC) or not finite. Only these numbers leave the sandbox; the host
ranks the teams on them (``judge.finals.bootstrap``).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from os import PathLike

import numpy as np

from .errors import ScoringError, SubmissionError
from .score import private_pairs

MAX_COUNT = 10_000  # resamples one job may ask for (the result stays well under 1 MiB)


def resample(job: dict, submission_path: str | PathLike, solution_path: str | PathLike) -> dict:
    """The per-draw private scores of one file, or ``invalid``/``error`` as score() says."""
    try:
        count, seed = _settings(job.get("resample"))
        metric, pairs = private_pairs(job, submission_path, solution_path)
        return {"status": "resampled", "values": draw_values(pairs, metric.compute, count, seed)}
    except SubmissionError as exc:
        return {"status": "invalid", "message": exc.message}
    except ScoringError as exc:
        return {"status": "error", "message": exc.message}


def draw_values(pairs: Sequence[tuple], compute: Callable, count: int,
                seed: int) -> list[float | None]:  # fmt: skip
    """The metric on ``count`` draws of the rows of ``pairs`` (per target column: truth,
    prediction), each draw ``rng.integers(0, rows, rows)`` of ``default_rng(seed)``."""
    rows = len(pairs[0][0])
    rng = np.random.default_rng(seed)
    return [_value(pairs, rng.integers(0, rows, rows), compute) for _ in range(count)]


def _value(pairs: Sequence[tuple], draw: np.ndarray, compute: Callable) -> float | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = float(np.mean([compute(truth[draw], guess[draw]) for truth, guess in pairs]))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _settings(raw: object) -> tuple[int, int]:
    try:
        count, seed = int(raw["count"]), int(raw["seed"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ScoringError("The resampling job is malformed.") from exc
    if not 1 <= count <= MAX_COUNT:
        raise ScoringError(f"A resampling job takes 1 to {MAX_COUNT} resamples.")
    return count, seed
