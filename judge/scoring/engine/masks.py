"""Segmentation metrics on run-length-encoded masks (Kaggle's and DACON's encoding: pairs of a
1-based start pixel and a run length, pixels numbered down each column, then across; an
empty value is an empty mask). Runs must lie inside the image (``height`` × ``width`` pixels,
set on the problem), in order and without overlap.

Per image, then averaged over images: ``dice_rle`` = 2|A∩B| / (|A| + |B|), ``iou_rle`` =
|A∩B| / |A∪B|. An image whose truth and prediction are both empty counts 1 (``empty=one``,
the default) or is left out (``empty=skip``).

``miou`` is semantic segmentation over classes: one row per image and one mask column per
class (the column's name is the class), so an image keeps all its classes on one side of the
public/private split. Each class's IoU counts its pixels over all the side's images,
Σ|A∩B| / Σ|A∪B| (scikit-learn's ``jaccard_score`` on the decoded pixels), and ``miou`` is
their mean; a class empty in truth and prediction on every image counts 1 (``empty=one``)
or is left out (``empty=skip``).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

Runs = tuple[np.ndarray, np.ndarray]  # 0-based starts and ends (exclusive), in order


class BadMask(ValueError):
    """A value that is not a valid run-length encoding; ``args[0]`` says how."""


def parse(text: str, pixels: int) -> Runs:
    parts = text.split()
    if not all(part.isdigit() for part in parts) or len(parts) % 2:
        raise BadMask("pairs")
    numbers = np.array(parts, dtype=np.int64).reshape(-1, 2)
    starts, ends = numbers[:, 0] - 1, numbers[:, 0] - 1 + numbers[:, 1]
    if (numbers[:, 0] < 1).any() or (numbers[:, 1] < 1).any() or (ends > pixels).any():
        raise BadMask("outside")
    if (starts[1:] < ends[:-1]).any():
        raise BadMask("order")
    return starts, ends


def masks(column: pa.ChunkedArray, pixels: int) -> np.ndarray:
    """Each value parsed (BadMask names the first bad one's problem)."""
    values = np.empty(len(column), dtype=object)
    values[:] = [parse(text, pixels) for text in column.to_pylist()]
    return values


def _overlap(a: Runs, b: Runs) -> int:
    """Pixels in both: each pair of runs overlaps by max(0, min(ends) − max(starts))."""
    if not len(a[0]) or not len(b[0]):
        return 0
    first = np.searchsorted(b[1], a[0], side="right")  # b's first run ending after a's start
    total = 0
    for start, end, at in zip(a[0], a[1], first, strict=True):
        while at < len(b[0]) and b[0][at] < end:
            total += min(end, b[1][at]) - max(start, b[0][at])
            at += 1
    return int(total)


def _area(runs: Runs) -> int:
    return int((runs[1] - runs[0]).sum())


def _average(ratio):
    def compute(y_true: np.ndarray, y_pred: np.ndarray, height: int = 0, width: int = 0,
                empty: str = "one") -> float:  # fmt: skip
        scores = []
        for truth, guess in zip(y_true, y_pred, strict=True):
            both = _area(truth) + _area(guess)
            if both == 0:
                if empty == "one":
                    scores.append(1.0)
                continue
            scores.append(ratio(_overlap(truth, guess), both))
        if not scores:
            raise ValueError("Every image is empty on both sides and empty images are skipped.")
        return float(np.mean(scores))

    return compute


dice_rle = _average(lambda common, both: 2 * common / both)
iou_rle = _average(lambda common, both: common / (both - common))


def miou(y_true: np.ndarray, y_pred: np.ndarray, height: int = 0, width: int = 0,
         empty: str = "one") -> float:  # fmt: skip
    """Mean over classes (columns of the 2-d arrays) of the pixel IoU over all images."""
    scores = []
    for truths, guesses in zip(y_true.T, y_pred.T, strict=True):
        common = sum(_overlap(t, g) for t, g in zip(truths, guesses, strict=True))
        union = sum(_area(t) + _area(g) for t, g in zip(truths, guesses, strict=True)) - common
        if union:
            scores.append(common / union)
        elif empty == "one":
            scores.append(1.0)
    if not scores:
        raise ValueError("Every class is empty on both sides and empty classes are skipped.")
    return float(np.mean(scores))


def by_class(columns: list[np.ndarray]) -> np.ndarray:
    """Each column's masks side by side: rows are images, columns are classes."""
    stacked = np.empty((len(columns[0]), len(columns)), dtype=object)
    for at, column in enumerate(columns):
        stacked[:, at] = column
    return stacked
