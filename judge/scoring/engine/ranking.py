"""Ranked-list metrics: each row's truth is a set of relevant items, its prediction a list of
at most K distinct items, best first; both are written as items separated by spaces.

Per row, then averaged over rows (a row whose truth is empty counts 0, as in Kaggle's):

- ``map_at_k``: the mean of precision@i at each relevant position i ≤ K, divided by
  min(|truth|, K) (Kaggle's MAP@K);
- ``ndcg_at_k``: DCG of the list (gain 1 for a relevant item, discount log2(i + 1)) over the
  DCG of an ideal list of min(|truth|, K) relevant items;
- ``recall_at_k``: relevant items in the list over |truth|;
- ``mrr``: 1 / the position of the first relevant item (0 if none).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

import numpy as np
import pyarrow as pa

Row = Callable[[frozenset, tuple, int], float]


def lists(column: pa.ChunkedArray) -> np.ndarray:
    """Each value split at whitespace into a tuple of items (an empty value: no items)."""
    values = np.empty(len(column), dtype=object)
    values[:] = [tuple(text.split()) for text in column.to_pylist()]
    return values


def _average(row: Row) -> Callable[..., float]:
    def compute(y_true: np.ndarray, y_pred: np.ndarray, k: int = 10) -> float:
        scores = [row(frozenset(truth), ranked[:k], k) if truth else 0.0
                  for truth, ranked in zip(y_true, y_pred, strict=True)]  # fmt: skip
        return float(np.mean(scores))

    return compute


def _hits(truth: frozenset, ranked: tuple) -> Iterable[int]:
    """The 1-based positions of the relevant items in the list."""
    return (i for i, item in enumerate(ranked, start=1) if item in truth)


def _average_precision(truth: frozenset, ranked: tuple, k: int) -> float:
    total = sum(found / position for found, position in enumerate(_hits(truth, ranked), 1))
    return total / min(len(truth), k)


def _ndcg(truth: frozenset, ranked: tuple, k: int) -> float:
    gain = sum(1 / math.log2(position + 1) for position in _hits(truth, ranked))
    ideal = sum(1 / math.log2(position + 1) for position in range(1, min(len(truth), k) + 1))
    return gain / ideal


def _recall(truth: frozenset, ranked: tuple, k: int) -> float:
    return sum(1 for _ in _hits(truth, ranked)) / len(truth)


def _reciprocal_rank(truth: frozenset, ranked: tuple, k: int) -> float:
    first = next(iter(_hits(truth, ranked)), None)
    return 0.0 if first is None else 1 / first


map_at_k = _average(_average_precision)
ndcg_at_k = _average(_ndcg)
recall_at_k = _average(_recall)
mrr = _average(_reciprocal_rank)
