"""How sure is a rank? A bootstrap over the private test rows.

Each resample draws the private rows with replacement (the same draw for every team),
scores every team on it and ranks them (tied teams share the better rank). A team's 95%
rank interval is the 2.5th to 97.5th percentile of its ranks; P(first) is the share of
resamples it ranks first. Resamples on which the metric is undefined for some team (for
example a draw with a single class for ROC AUC) are skipped and not counted.

The draws and each team's score on them come from the sandbox
(:mod:`judge.scoring.engine.resample`, one job per team's file); this module only ranks
those numbers, so the worker never reads a team's file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

Values = Sequence[float | None]  # one team's score on each resample, None where undefined


@dataclass(frozen=True)
class Stability:
    rank_low: int
    rank_high: int
    p_first: float
    resamples: int  # resamples that counted


def rank_stability(teams: Mapping[int, Values], higher_is_better: bool) -> dict[int, Stability]:
    """Each team's rank interval and P(first) from its scores on the same resamples."""
    keys = list(teams)
    if not keys:
        return {}
    draws = zip(*(teams[k] for k in keys), strict=True)
    ranks = [_ranks(values, higher_is_better) for values in draws
             if all(v is not None for v in values)]  # fmt: skip
    if not ranks:
        return {}
    table = np.array(ranks)
    return {key: _summary(table[:, i]) for i, key in enumerate(keys)}


def undefined_alone(teams: Mapping[int, Values]) -> set[int]:
    """The teams whose score is undefined on a resample where another team's is not: their
    own file's doing (values so large that the metric overflows on the draws that repeat
    them), so skipping those resamples would let one file choose which draws rank everyone
    else. A resample undefined for every team (one class for ROC AUC) is the data's."""
    keys, alone = list(teams), set()
    for values in zip(*(teams[k] for k in keys), strict=True):
        if any(v is not None for v in values):
            alone |= {key for key, v in zip(keys, values, strict=True) if v is None}
    return alone


def _ranks(values: Sequence[float], higher_is_better: bool) -> list[int]:
    sign = -1 if higher_is_better else 1
    ordered = sorted(sign * v for v in values)
    return [ordered.index(sign * v) + 1 for v in values]


def _summary(column: np.ndarray) -> Stability:
    low, high = np.percentile(column, [2.5, 97.5], method="nearest")
    return Stability(int(low), int(high), float(np.mean(column == 1)), len(column))
