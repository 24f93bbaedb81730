"""The metrics the engine computes, keyed by the name stored on a problem.

Every ``compute(y_true, y_pred)`` takes arrays that the engine has already
checked and aligned:

- ``"label"`` metrics: two 1-d arrays of class labels of one type;
- ``"probability"`` metrics: ``y_true`` holds integer class codes; ``y_pred``
  is 1-d (the probability of class 1 of a binary target) or 2-d with one
  column per class, column ``k`` for code ``k``;
- ``"value"`` metrics: two 1-d float arrays;
- ``"quantile"`` metrics: ``y_true`` 1-d floats, ``y_pred`` 2-d with one column per quantile;
- ``"ranking"`` metrics: two 1-d object arrays of tuples of items (see :mod:`.ranking`);
- ``"text"`` metrics: two 1-d object arrays of normalised strings (see :mod:`.text`);
- ``"mask"`` metrics: two 1-d object arrays of runs (see :mod:`.masks`);
- ``"class_masks"`` metrics: two 2-d object arrays of runs, one column per class;
- ``"boxes"`` metrics: two 1-d object arrays of :class:`.boxes.Boxes`, one per image;
- ``"label_sets"`` metrics: two 1-d object arrays of frozensets of labels (one label column),
  or two 2-d boolean arrays with one column per label (0/1 columns; see :mod:`.multilabel`).

``options`` names the per-problem settings ``compute`` takes as keywords, with their
defaults (None: the problem must set it); the job binds them (see :mod:`.job`).

``details``, where set, gives the named values the score is the mean of (``map_50``: the AP
of each class in the truth, keyed by the class); the engine then computes the score from
them, once, and returns them with it as the score's details.

``shape`` says how prediction columns pair with target columns: ``"paired"``
(one prediction column per target column), ``"per_class"`` (one target
column, one prediction column per class) or ``"either"``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from sklearn import metrics as sk

from . import boxes, forecast, masks, multilabel, ranking, text
from .options import DEFAULTS


@dataclass(frozen=True)
class Metric:
    name: str
    higher_is_better: bool
    expects: str  # "label", "probability" or "value"
    compute: Callable[[np.ndarray, np.ndarray], float]
    shape: str = "paired"  # "paired", "per_class" or "either"
    nonnegative: bool = False  # values below zero are refused (rmsle)
    nonzero_truth: bool = False  # a true value of 0 is a setup error (nmae)
    details: Callable[[np.ndarray, np.ndarray], dict[str, float]] | None = None

    @property
    def options(self) -> dict[str, object]:
        """The settings ``compute`` takes as keywords, with their defaults (``DEFAULTS``)."""
        return dict(DEFAULTS.get(self.name, {}))


def _f1(average: str) -> Callable[[np.ndarray, np.ndarray], float]:
    return lambda y, p: sk.f1_score(y, p, average=average, zero_division=0)


def _roc_auc_ovr(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    if y_pred.shape[1] == 2:  # two classes: one-vs-rest is the binary AUC of class 1
        return sk.roc_auc_score(y_true, y_pred[:, 1])
    return sk.roc_auc_score(y_true, y_pred, multi_class="ovr", labels=np.arange(y_pred.shape[1]))


def _log_loss(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    classes = 2 if y_pred.ndim == 1 else y_pred.shape[1]
    return sk.log_loss(y_true, y_pred, labels=np.arange(classes))


def _rmsle(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    if (y_true < 0).any() or (y_pred < 0).any():
        raise ValueError("RMSLE is not defined for negative values.")
    return sk.root_mean_squared_log_error(y_true, y_pred)


_METRICS = [
    Metric("accuracy", True, "label", sk.accuracy_score),
    Metric("balanced_accuracy", True, "label", sk.balanced_accuracy_score),
    Metric("f1_macro", True, "label", _f1("macro")),
    Metric("f1_micro", True, "label", _f1("micro")),
    Metric("f1_weighted", True, "label", _f1("weighted")),
    Metric(
        "precision_macro",
        True,
        "label",
        lambda y, p: sk.precision_score(y, p, average="macro", zero_division=0),
    ),
    Metric(
        "recall_macro",
        True,
        "label",
        lambda y, p: sk.recall_score(y, p, average="macro", zero_division=0),
    ),
    Metric("roc_auc", True, "probability", sk.roc_auc_score),
    Metric("roc_auc_ovr", True, "probability", _roc_auc_ovr, shape="per_class"),
    Metric("log_loss", False, "probability", _log_loss, shape="either"),
    Metric("mcc", True, "label", sk.matthews_corrcoef),
    Metric(
        "quadratic_weighted_kappa",
        True,
        "label",
        lambda y, p: sk.cohen_kappa_score(y, p, weights="quadratic"),
    ),
    Metric("rmse", False, "value", sk.root_mean_squared_error),
    Metric("mae", False, "value", sk.mean_absolute_error),
    Metric("mape", False, "value", sk.mean_absolute_percentage_error),
    Metric("r2", True, "value", sk.r2_score),
    Metric("rmsle", False, "value", _rmsle, nonnegative=True),
    Metric("smape", False, "value", forecast.smape),
    Metric("nmae", False, "value", forecast.nmae, nonzero_truth=True),
    Metric("wmape", False, "value", forecast.wmape),
    Metric("mase", False, "value", forecast.mase),
    Metric("pinball", False, "quantile", forecast.pinball, shape="either"),
    Metric("map_at_k", True, "ranking", ranking.map_at_k),
    Metric("ndcg_at_k", True, "ranking", ranking.ndcg_at_k),
    Metric("recall_at_k", True, "ranking", ranking.recall_at_k),
    Metric("mrr", True, "ranking", ranking.mrr),
    Metric("cer", False, "text", text.cer),
    Metric("wer", False, "text", text.wer),
    Metric("bleu", True, "text", text.bleu),
    Metric("chrf", True, "text", text.chrf),
    Metric("rouge_l", True, "text", text.rouge_l),
    Metric("exact_match", True, "text", text.exact_match),
    Metric("dice_rle", True, "mask", masks.dice_rle),
    Metric("iou_rle", True, "mask", masks.iou_rle),
    Metric("miou", True, "class_masks", masks.miou),
    Metric("map_50", True, "boxes", boxes.map_50, details=boxes.ap_50),
    Metric("map_50_95", True, "boxes", boxes.map_50_95, details=boxes.ap_50_95),
    Metric("f1_samples", True, "label_sets", multilabel.f1_samples),
    Metric("hamming_loss", False, "label_sets", multilabel.hamming_loss),
    Metric("jaccard_samples", True, "label_sets", multilabel.jaccard_samples),
]

METRICS: dict[str, Metric] = {m.name: m for m in _METRICS}
