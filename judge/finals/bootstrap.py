"""How sure is a rank? A bootstrap over the private test rows.

Each resample draws the private rows with replacement (the same draw for every team),
scores every team on it and ranks them (tied teams share the better rank). A team's 95%
rank interval is the 2.5th to 97.5th percentile of its ranks; P(first) is the share of
resamples it ranks first. Resamples on which the metric is undefined for some team (for
example a draw with a single class for ROC AUC) are skipped and not counted.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

Pairs = Sequence[tuple[np.ndarray, np.ndarray]]  # per target column: truth, prediction


@dataclass(frozen=True)
class Stability:
    rank_low: int
    rank_high: int
    p_first: float
    resamples: int  # resamples that counted


def rank_stability(teams: Mapping[int, Pairs], compute: Callable[[np.ndarray, np.ndarray], float],
                   higher_is_better: bool, resamples: int = 1000,
                   seed: int = 0) -> dict[int, Stability]:  # fmt: skip
    keys = list(teams)
    if not keys:
        return {}
    rows = len(teams[keys[0]][0][0])
    rng = np.random.default_rng(seed)
    ranks: list[list[int]] = []
    for _ in range(resamples):
        draw = rng.integers(0, rows, rows)
        values = [_value(teams[k], draw, compute) for k in keys]
        if all(v is not None for v in values):
            ranks.append(_ranks(values, higher_is_better))
    if not ranks:
        return {}
    table = np.array(ranks)
    return {key: _summary(table[:, i]) for i, key in enumerate(keys)}


def _value(pairs: Pairs, draw: np.ndarray, compute) -> float | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = float(np.mean([compute(truth[draw], guess[draw]) for truth, guess in pairs]))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _ranks(values: list[float], higher_is_better: bool) -> list[int]:
    sign = -1 if higher_is_better else 1
    ordered = sorted(sign * v for v in values)
    return [ordered.index(sign * v) + 1 for v in values]


def _summary(column: np.ndarray) -> Stability:
    low, high = np.percentile(column, [2.5, 97.5], method="nearest")
    return Stability(int(low), int(high), float(np.mean(column == 1)), len(column))
