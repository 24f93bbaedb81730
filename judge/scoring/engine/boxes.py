"""Object detection metrics on boxes, COCO's way (pycocotools' COCOeval for bounding boxes).

One row per image, Kaggle's ``PredictionString``: the boxes of that image separated by spaces,
each ``class confidence x y width height`` in a prediction and ``class x y width height`` in
the solution (x, y the top-left corner, in pixels); an empty value has no box. A class is any
word; a width or height may not be negative.

Per class, over all images of a side: each image's boxes of that class (at most 100, the most
confident) are matched, most confident first, to the unmatched true box of that class with
the highest IoU ≥ the threshold; the precision/recall curve, made non-increasing, is read at
the 101 recall levels 0, 0.01, …, 1 and averaged (AP). ``map_50`` is the mean AP over the
classes present in the side's truth at IoU 0.5, ``map_50_95`` the mean over the thresholds
0.5, 0.55, …, 0.95 too. A class only predicted is not scored (COCO's rule); an image with no
box counts through the other images' false and missed boxes. ``ap_50`` and ``ap_50_95`` give
each class's AP, keyed by the class as the truth writes it (a score's details).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

MAX_BOXES = 100  # per image and class, COCO's maxDets
RECALLS = np.linspace(0, 1, 101)


@dataclass(frozen=True)
class Boxes:
    classes: np.ndarray  # str
    scores: np.ndarray  # float; 1 for the truth
    xywh: np.ndarray  # (n, 4) float


class BadBoxes(ValueError):
    """A value that is not a valid box string; ``args[0]`` says how."""


def parse(text: str, scored: bool) -> Boxes:
    """``class [confidence] x y w h ...`` (``scored``: with a confidence)."""
    size = 6 if scored else 5
    parts = text.split()
    if len(parts) % size:
        raise BadBoxes("groups")
    groups = np.array(parts, dtype=object).reshape(-1, size)
    try:
        numbers = groups[:, 1:].astype(np.float64)
    except ValueError:
        raise BadBoxes("number") from None
    if not np.isfinite(numbers).all():
        raise BadBoxes("number")
    xywh = numbers[:, -4:]
    if (xywh[:, 2:] < 0).any():
        raise BadBoxes("negative")
    scores = numbers[:, 0] if scored else np.ones(len(groups))
    return Boxes(groups[:, 0].astype(str), scores, xywh)


def boxes(column: pa.ChunkedArray, scored: bool) -> np.ndarray:
    """Each value parsed (BadBoxes names the first bad one's problem)."""
    values = np.empty(len(column), dtype=object)
    values[:] = [parse(text, scored) for text in column.to_pylist()]
    return values


def _iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The IoU of each box of ``a`` (rows) with each of ``b`` (columns), boxes as x y w h."""
    left = np.maximum(a[:, None, 0], b[None, :, 0])
    top = np.maximum(a[:, None, 1], b[None, :, 1])
    right = np.minimum(a[:, None, 0] + a[:, None, 2], b[None, :, 0] + b[None, :, 2])
    bottom = np.minimum(a[:, None, 1] + a[:, None, 3], b[None, :, 1] + b[None, :, 3])
    common = np.clip(right - left, 0, None) * np.clip(bottom - top, 0, None)
    union = (a[:, 2] * a[:, 3])[:, None] + (b[:, 2] * b[:, 3])[None, :] - common
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(union > 0, common / union, 0.0)


def _matches(truth: np.ndarray, guess: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """For each threshold (rows) and each guess, most confident first: matched or not."""
    ious = _iou(guess, truth)
    hits = np.zeros((len(thresholds), len(guess)), dtype=bool)
    for at, threshold in enumerate(thresholds):
        taken = np.zeros(len(truth), dtype=bool)
        for row in range(len(guess)):
            candidates = np.where(taken, -1.0, ious[row])
            best = len(truth) - 1 - int(np.argmax(candidates[::-1]))  # the last of equals
            if candidates[best] >= min(threshold, 1 - 1e-10):
                taken[best] = hits[at, row] = True
    return hits


def _image(truth: Boxes, guess: Boxes, name: str, thresholds: np.ndarray):
    """One image's boxes of class ``name``: true count, guess scores and their matches."""
    true_boxes = truth.xywh[truth.classes == name]
    mine = guess.classes == name
    order = np.argsort(-guess.scores[mine], kind="mergesort")[:MAX_BOXES]
    scores, xywh = guess.scores[mine][order], guess.xywh[mine][order]
    empty = np.zeros((len(thresholds), len(scores)), dtype=bool)
    hits = _matches(true_boxes, xywh, thresholds) if len(true_boxes) else empty
    return len(true_boxes), scores, hits


def _average_precision(hits: np.ndarray, scores: np.ndarray, total: int) -> np.ndarray:
    """AP per threshold from every image's matches, COCO's 101-point interpolation."""
    order = np.argsort(-scores, kind="mergesort")
    true = np.cumsum(hits[:, order], axis=1)
    false = np.cumsum(~hits[:, order], axis=1)
    recall = true / total
    precision = true / (true + false + np.spacing(1))
    precision = np.maximum.accumulate(precision[:, ::-1], axis=1)[:, ::-1]
    values = np.zeros((len(hits), len(RECALLS)))
    for at in range(len(hits)):
        found = np.searchsorted(recall[at], RECALLS, side="left")
        inside = found < len(scores)
        values[at, inside] = precision[at, found[inside]]
    return values.mean(axis=1)


def class_ap(y_true: np.ndarray, y_pred: np.ndarray, thresholds: np.ndarray) -> dict[str, float]:
    """Each class in the truth: its AP averaged over ``thresholds``."""
    names = sorted(set().union(*(set(t.classes) for t in y_true)))
    result = {}
    for name in names:
        images = [_image(t, g, name, thresholds) for t, g in zip(y_true, y_pred, strict=True)]
        total = sum(count for count, _, _ in images)
        scores = np.concatenate([s for _, s, _ in images])
        hits = np.concatenate([h for _, _, h in images], axis=1)
        result[name] = float(_average_precision(hits, scores, total).mean())
    return result


def _per_class(thresholds: np.ndarray):
    def compute(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
        per_class = class_ap(y_true, y_pred, thresholds)
        if not per_class:
            raise ValueError("The truth has no box.")
        return per_class

    return compute


def _mean_ap(per_class):
    return lambda y_true, y_pred: float(np.mean(list(per_class(y_true, y_pred).values())))


#: AP per class of the truth; its mean is the score (``map_50``, ``map_50_95``).
ap_50 = _per_class(np.array([0.5]))
ap_50_95 = _per_class(np.linspace(0.5, 0.95, 10))
map_50 = _mean_ap(ap_50)
map_50_95 = _mean_ap(ap_50_95)
