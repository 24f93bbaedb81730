"""Every metric against values worked out by hand or from its textbook formula in plain numpy."""

from __future__ import annotations

import math

import numpy as np
import pytest

from judge.scoring import metrics as web_metrics
from judge.scoring.engine.metrics import METRICS


def compute(name: str, y_true, y_pred) -> float:
    return METRICS[name].compute(np.asarray(y_true), np.asarray(y_pred))


def per_class(y_true, y_pred) -> dict:
    """True positives, false positives and false negatives for each class, by counting."""
    classes = sorted(set(y_true) | set(y_pred))
    pairs = list(zip(y_true, y_pred, strict=True))
    return {
        c: (
            sum(t == c and p == c for t, p in pairs),
            sum(t != c and p == c for t, p in pairs),
            sum(t == c and p != c for t, p in pairs),
        )
        for c in classes
    }


def f1s(y_true, y_pred) -> dict:
    return {c: 2 * tp / (2 * tp + fp + fn) for c, (tp, fp, fn) in per_class(y_true, y_pred).items()}


def pair_auc(y_true, scores) -> float:
    """AUC as the share of (positive, negative) pairs ordered correctly, ties counting half."""
    positives = [s for t, s in zip(y_true, scores, strict=True) if t == 1]
    negatives = [s for t, s in zip(y_true, scores, strict=True) if t == 0]
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))


MULTI_TRUE = [0, 0, 1, 1, 2, 2]
MULTI_PRED = [0, 1, 1, 1, 2, 0]
# class 0: tp 1, fp 1, fn 1 -> P 1/2, R 1/2, F1 1/2
# class 1: tp 2, fp 1, fn 0 -> P 2/3, R 1,   F1 4/5
# class 2: tp 1, fp 0, fn 1 -> P 1,   R 1/2, F1 2/3


def test_accuracy_is_the_share_of_right_labels():
    assert compute("accuracy", [0, 1, 1, 0], [0, 1, 0, 0]) == pytest.approx(3 / 4)


def test_accuracy_works_on_text_labels():
    assert compute("accuracy", ["cat", "dog"], ["cat", "cat"]) == pytest.approx(1 / 2)


def test_balanced_accuracy_is_the_mean_recall_per_class():
    # recall of class 0 is 2/3, of class 1 is 1/1
    assert compute("balanced_accuracy", [0, 0, 0, 1], [0, 0, 1, 1]) == pytest.approx(5 / 6)


def test_f1_macro_is_the_mean_of_per_class_f1():
    by_hand = (1 / 2 + 4 / 5 + 2 / 3) / 3
    assert by_hand == pytest.approx(np.mean(list(f1s(MULTI_TRUE, MULTI_PRED).values())))
    assert compute("f1_macro", MULTI_TRUE, MULTI_PRED) == pytest.approx(by_hand)


def test_f1_micro_equals_accuracy_for_single_label_data():
    assert compute("f1_micro", MULTI_TRUE, MULTI_PRED) == pytest.approx(4 / 6)


def test_f1_weighted_weights_each_class_by_its_support():
    y_true, y_pred = [0, 0, 0, 1], [0, 0, 1, 1]
    scores = f1s(y_true, y_pred)  # class 0: 4/5, class 1: 2/3
    assert scores == pytest.approx({0: 4 / 5, 1: 2 / 3})
    assert compute("f1_weighted", y_true, y_pred) == pytest.approx((3 * 4 / 5 + 1 * 2 / 3) / 4)


def test_precision_and_recall_macro_average_the_classes():
    precision, recall = (1 / 2 + 2 / 3 + 1) / 3, (1 / 2 + 1 + 1 / 2) / 3
    assert compute("precision_macro", MULTI_TRUE, MULTI_PRED) == pytest.approx(precision)
    assert compute("recall_macro", MULTI_TRUE, MULTI_PRED) == pytest.approx(recall)


def test_roc_auc_counts_concordant_pairs():
    y_true = [0, 0, 1, 1, 0, 1]
    scores = [0.1, 0.4, 0.35, 0.8, 0.5, 0.5]
    # positives 0.35, 0.8, 0.5 against negatives 0.1, 0.4, 0.5: 1+0+0 + 1+1+1 + 1+1+0.5
    assert pair_auc(y_true, scores) == pytest.approx(6.5 / 9)
    assert compute("roc_auc", y_true, scores) == pytest.approx(6.5 / 9)


def test_roc_auc_ovr_averages_one_against_rest_aucs():
    y_true = np.array([0, 1, 2, 0, 1, 2, 2])
    probabilities = np.array(
        [
            [0.6, 0.3, 0.1],
            [0.2, 0.5, 0.3],
            [0.1, 0.2, 0.7],
            [0.3, 0.4, 0.3],
            [0.5, 0.3, 0.2],
            [0.2, 0.3, 0.5],
            [0.4, 0.1, 0.5],
        ]
    )
    by_hand = np.mean([pair_auc(y_true == k, probabilities[:, k]) for k in range(3)])
    assert compute("roc_auc_ovr", y_true, probabilities) == pytest.approx(by_hand)


def test_log_loss_binary_is_minus_the_mean_log_likelihood():
    y_true, p = np.array([1, 0, 1, 0]), np.array([0.9, 0.2, 0.6, 0.4])
    by_hand = -np.mean(np.log(np.where(y_true == 1, p, 1 - p)))
    assert compute("log_loss", y_true, p) == pytest.approx(by_hand)


def test_log_loss_multiclass_uses_the_true_class_probability():
    y_true = np.array([0, 2, 1])
    probabilities = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.25, 0.5, 0.25]])
    by_hand = -np.mean(np.log([0.7, 0.6, 0.5]))
    assert compute("log_loss", y_true, probabilities) == pytest.approx(by_hand)


def test_log_loss_knows_classes_absent_from_the_rows():
    # one side may lack a class; the columns still say how many there are
    probabilities = np.array([[0.7, 0.2, 0.1], [0.2, 0.7, 0.1]])
    assert compute("log_loss", [0, 1], probabilities) == pytest.approx(-np.log(0.7))


def test_mcc_from_the_confusion_matrix():
    y_true = [1, 1, 1, 0, 0, 0, 1, 0]
    y_pred = [1, 1, 0, 0, 0, 1, 1, 0]
    tp, tn, fp, fn = 3, 3, 1, 1
    by_hand = (tp * tn - fp * fn) / math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    assert compute("mcc", y_true, y_pred) == pytest.approx(by_hand)


def test_quadratic_weighted_kappa_from_its_formula():
    y_true = np.array([1, 2, 3, 4, 2, 3, 1, 4])
    y_pred = np.array([1, 2, 4, 4, 3, 3, 2, 2])
    ratings = 4
    observed = np.zeros((ratings, ratings))
    for t, p in zip(y_true, y_pred, strict=True):
        observed[t - 1, p - 1] += 1
    i, j = np.indices((ratings, ratings))
    weights = (i - j) ** 2 / (ratings - 1) ** 2
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0)) / len(y_true)
    by_hand = 1 - (weights * observed).sum() / (weights * expected).sum()
    assert compute("quadratic_weighted_kappa", y_true, y_pred) == pytest.approx(by_hand)


def test_rmse():
    assert compute("rmse", [1.0, 2.0, 3.0], [1.0, 2.0, 5.0]) == pytest.approx(math.sqrt(4 / 3))


def test_mae():
    assert compute("mae", [1.0, 2.0, 3.0], [2.0, 2.0, 5.0]) == pytest.approx(1.0)


def test_mape_is_a_fraction_not_a_percentage():
    by_hand = (1 / 100 + 10 / 200 + 0 / 50) / 3
    assert compute("mape", [100.0, 200.0, 50.0], [99.0, 210.0, 50.0]) == pytest.approx(by_hand)


def test_r2():
    y_true, y_pred = np.array([3.0, -0.5, 2.0, 7.0]), np.array([2.5, 0.0, 2.0, 8.0])
    by_hand = 1 - ((y_true - y_pred) ** 2).sum() / ((y_true - y_true.mean()) ** 2).sum()
    assert compute("r2", y_true, y_pred) == pytest.approx(by_hand)


def test_rmsle():
    y_true, y_pred = np.array([3.0, 5.0, 2.5, 7.0]), np.array([2.5, 5.0, 4.0, 8.0])
    by_hand = math.sqrt(np.mean((np.log(1 + y_pred) - np.log(1 + y_true)) ** 2))
    assert compute("rmsle", y_true, y_pred) == pytest.approx(by_hand)


def test_rmsle_refuses_negative_values():
    with pytest.raises(ValueError, match="negative"):
        compute("rmsle", [1.0, 2.0], [1.0, -0.5])


HIGHER_IS_BETTER = {
    "accuracy": True,
    "balanced_accuracy": True,
    "f1_macro": True,
    "f1_micro": True,
    "f1_weighted": True,
    "precision_macro": True,
    "recall_macro": True,
    "roc_auc": True,
    "roc_auc_ovr": True,
    "log_loss": False,
    "mcc": True,
    "quadratic_weighted_kappa": True,
    "rmse": False,
    "mae": False,
    "mape": False,
    "r2": True,
    "rmsle": False,
    "smape": False,
    "nmae": False,
    "wmape": False,
    "mase": False,
    "pinball": False,
    "map_at_k": True,
    "ndcg_at_k": True,
    "recall_at_k": True,
    "mrr": True,
    "cer": False,
    "wer": False,
    "bleu": True,
    "chrf": True,
    "rouge_l": True,
    "exact_match": True,
    "dice_rle": True,
    "iou_rle": True,
    "miou": True,
    "map_50": True,
    "map_50_95": True,
    "f1_samples": True,
    "hamming_loss": False,
    "jaccard_samples": True,
}


def test_direction_of_every_metric():
    assert {name: m.higher_is_better for name, m in METRICS.items()} == HIGHER_IS_BETTER


def test_a_perfect_prediction_scores_best():
    for name, metric in METRICS.items():
        if metric.expects == "label":
            assert compute(name, [0, 1, 2, 1], [0, 1, 2, 1]) == pytest.approx(1.0), name
        elif metric.expects == "value":
            best = 1.0 if metric.higher_is_better else 0.0
            assert compute(name, [1.0, 2.0, 4.0], [1.0, 2.0, 4.0]) == pytest.approx(best), name


def test_engine_and_web_registries_agree():
    web = web_metrics.REGISTRY
    assert list(METRICS) == list(web)
    for name, metric in METRICS.items():
        assert (metric.higher_is_better, metric.expects) == (
            web[name].higher_is_better,
            web[name].expects,
        ), name
