"""Forecast and regression metrics that scikit-learn lacks, on two 1-d float arrays.

- ``smape``: 100 · mean(2·|F − A| / (|A| + |F|)), a row with A = F = 0 counting 0 (0 to 200);
- ``nmae``: mean(|A − F| / |A|) (DACON's), undefined where a truth is 0;
- ``wmape``: Σ|A − F| / Σ|A|;
- ``mase``: mean|A − F| divided by the mean |A[t] − A[t − season]| over the side's rows in the
  solution's order (the seasonal naive forecast's error on the truth itself);
- ``pinball``: the quantile loss averaged over rows and quantiles, one prediction column
  per quantile (``y_pred`` 2-d, column ``j`` for ``quantiles[j]``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def smape(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    scale = np.abs(y_true) + np.abs(y_pred)
    ratio = np.divide(2 * np.abs(y_pred - y_true), scale, out=np.zeros_like(scale),
                      where=scale != 0)  # fmt: skip
    return 100 * float(np.mean(ratio))


def nmae(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    if (y_true == 0).any():
        raise ValueError("NMAE is undefined where a true value is 0.")
    return float(np.mean(np.abs(y_true - y_pred) / np.abs(y_true)))


def wmape(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    total = np.abs(y_true).sum()
    if total == 0:
        raise ValueError("WMAPE is undefined when every true value is 0.")
    return float(np.abs(y_true - y_pred).sum() / total)


def mase(y_true: np.ndarray, y_pred: np.ndarray, season: int = 1) -> float:
    if len(y_true) <= season:
        raise ValueError("MASE needs more rows than the season.")
    scale = np.mean(np.abs(y_true[season:] - y_true[:-season]))
    if scale == 0:
        raise ValueError("MASE is undefined when the seasonal naive forecast is exact.")
    return float(np.mean(np.abs(y_true - y_pred)) / scale)


def pinball(y_true: np.ndarray, y_pred: np.ndarray, quantiles: Sequence[float] = ()) -> float:
    levels = np.asarray(quantiles, dtype=float)
    error = y_true[:, None] - y_pred.reshape(len(y_true), -1)
    if error.shape[1] != len(levels):
        raise ValueError("pinball needs one prediction column per quantile.")
    return float(np.mean(np.maximum(levels * error, (levels - 1) * error)))
