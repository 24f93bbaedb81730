"""Multi-label metrics: each row (an id) has a set of labels, possibly none.

Two forms, told apart by the number of answer columns:

- one column: the labels separated by spaces (an empty value: no label); the row's truth and
  prediction are 1-d object arrays of frozensets. Labels are compared as written; the label
  set is the labels the side's truth uses.
- several columns: one 0/1 column per label, the solution's columns giving the label set;
  both sides are 2-d boolean arrays, one column per label.

Per row, with TP, FP and FN its true positives, false positives and false negatives:

- ``f1_samples`` = mean of 2·TP / (2·TP + FP + FN) (scikit-learn's ``f1_score(average=
  "samples")``);
- ``jaccard_samples`` = mean of TP / (TP + FP + FN) (``jaccard_score(average="samples")``);
- ``hamming_loss`` = Σ(FP + FN) / (rows × labels in the label set).

A row empty in truth and prediction counts 1 for both F1 and Jaccard (scikit-learn's
``zero_division=1``). A predicted label that the truth never uses is a false positive of its
row; it does not enlarge the label set, so adding such labels never lowers the Hamming loss
(which is why it can exceed 1 for a prediction full of them).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .convert import trimmed

Counts = tuple[np.ndarray, np.ndarray, np.ndarray, int]  # TP, FP, FN per row; labels


def label_sets(column: pa.ChunkedArray) -> np.ndarray:
    """Each value split at whitespace into a frozenset of labels (an empty value: none)."""
    values = np.empty(len(column), dtype=object)
    values[:] = [frozenset(text.split()) for text in column.to_pylist()]
    return values


def indicators(column: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """A 0/1 column as booleans, and where it holds anything else (spaces around are fine)."""
    values = trimmed(column)
    ones = pc.equal(values, "1").to_numpy()
    return ones, ~(ones | pc.equal(values, "0").to_numpy())


def _counts(y_true: np.ndarray, y_pred: np.ndarray) -> Counts:
    if y_true.ndim == 2:  # one 0/1 column per label
        tp = (y_true & y_pred).sum(axis=1)
        return tp, y_pred.sum(axis=1) - tp, y_true.sum(axis=1) - tp, y_true.shape[1]
    tp = np.fromiter((len(t & p) for t, p in zip(y_true, y_pred, strict=True)), np.int64)
    fp = np.fromiter((len(p) for p in y_pred), np.int64) - tp
    fn = np.fromiter((len(t) for t in y_true), np.int64) - tp
    return tp, fp, fn, len(frozenset().union(*y_true))


def _per_row(shared: int, tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> float:
    """The mean of shared·TP / (shared·TP + FP + FN), a row with nothing on either side 1."""
    total = shared * tp + fp + fn
    return float(np.mean(np.where(total == 0, 1.0, shared * tp / np.maximum(total, 1))))


def f1_samples(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    tp, fp, fn, _ = _counts(y_true, y_pred)
    return _per_row(2, tp, fp, fn)


def jaccard_samples(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    tp, fp, fn, _ = _counts(y_true, y_pred)
    return _per_row(1, tp, fp, fn)


def hamming_loss(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    _, fp, fn, labels = _counts(y_true, y_pred)
    if not labels:
        raise ValueError("The side's truth uses no label.")
    return float((fp + fn).sum() / (len(fp) * labels))
