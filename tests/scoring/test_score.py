"""Scoring: both sides from one run, ignored rows left out, never a NaN score."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from judge.scoring.engine.score import score

from .conftest import IDS, csv_text

LABELS = ["cat", "dog", "cat", "dog", "bird", "cat"]


def rows(values, ids=IDS):
    return list(zip(ids, values, strict=True))


def test_right_on_public_rows_and_wrong_on_private_rows(make_problem):
    problem = make_problem("accuracy", {"target": ["1", "0", "1", "0", "1", "0"]})
    # public rows are a1, a3, a5 (all 1); private rows a2, a4, a6 (all 0)
    text = csv_text("id,target", rows([1, 1, 1, 1, 1, 1]))
    assert problem.submit(text) == {"status": "scored", "public": 1.0, "private": 0.0, "rows": 6}


def test_ignored_rows_count_on_neither_side(make_problem):
    sides = ["public", "ignored", "public", "private", "ignored", "private"]
    problem = make_problem("accuracy", {"target": LABELS}, sides=sides)
    wrong_on_ignored = ["cat", "WRONG", "cat", "dog", "WRONG", "cat"]
    result = problem.submit(csv_text("id,target", rows(wrong_on_ignored)))
    assert result == {"status": "scored", "public": 1.0, "private": 1.0, "rows": 6}


def test_ignored_rows_still_need_a_prediction(make_problem):
    sides = ["public", "ignored", "public", "private", "ignored", "private"]
    problem = make_problem("accuracy", {"target": LABELS}, sides=sides)
    message = problem.invalid(csv_text("id,target", rows(LABELS[:4], IDS[:4])))
    assert "2 test ids have no prediction, for example 'a5', 'a6'." in message


def test_regression_scores_each_side(make_problem):
    problem = make_problem("rmse", {"target": ["1", "2", "3", "4", "5", "6"]})
    result = problem.submit(csv_text("id,target", rows([1, 2, 3, 4, 5, 9])))
    assert result["public"] == 0.0
    assert result["private"] == pytest.approx(math.sqrt(9 / 3))


def test_a_single_class_on_one_side_is_an_error_not_nan(make_problem):
    problem = make_problem("roc_auc", {"target": ["1", "0", "1", "1", "1", "0"]})
    # public rows a1, a3, a5 are all class 1: AUC is undefined there
    result = problem.submit(csv_text("id,target", rows([0.9, 0.1, 0.8, 0.7, 0.6, 0.2])))
    assert result["status"] == "error"
    assert "public score is undefined" in result["message"]
    assert "not with your file" in result["message"]


def test_binary_auc_with_text_classes_takes_the_greater_as_positive(make_problem):
    problem = make_problem("roc_auc", {"target": ["yes", "no", "no", "yes", "yes", "no"]})
    result = problem.submit(csv_text("id,target", rows([0.9, 0.1, 0.8, 0.7, 0.2, 0.3])))
    # public: yes 0.9, yes 0.2 vs no 0.8 -> 1 of 2 pairs; private: yes 0.7 vs no 0.1, 0.3
    assert (result["public"], result["private"]) == (0.5, 1.0)


def test_roc_auc_ovr_maps_prediction_columns_to_classes(make_problem):
    labels = ["cat", "cat", "dog", "dog", "bird", "bird"] * 2  # every class on both sides
    ids = [f"r{i}" for i in range(12)]
    problem = make_problem(
        "roc_auc_ovr", {"target": labels}, ids=ids, prediction_columns=["dog", "bird", "cat"]
    )
    perfect = {"cat": (0.0, 0.0, 1.0), "dog": (1.0, 0.0, 0.0), "bird": (0.0, 1.0, 0.0)}
    lines = [(i, *perfect[label]) for i, label in zip(ids, labels, strict=True)]
    result = problem.submit(csv_text("id,dog,bird,cat", lines))
    assert (result["public"], result["private"]) == (1.0, 1.0)


def test_multiclass_log_loss_renormalizes_rounded_rows(make_problem):
    problem = make_problem(
        "log_loss", {"target": ["0", "1", "2", "0", "1", "2"]}, prediction_columns=["0", "1", "2"]
    )
    third = round(1 / 3, 4)  # rows add up to 0.9999
    lines = [(i, third, third, third) for i in IDS]
    result = problem.submit(csv_text("id,0,1,2", lines))
    assert result["public"] == pytest.approx(math.log(3))
    assert result["private"] == pytest.approx(math.log(3))


def test_multiclass_classes_match_columns_as_numbers(make_problem):
    problem = make_problem(
        "log_loss", {"target": ["0", "1", "1", "0", "1", "0"]}, prediction_columns=["0.0", "1.0"]
    )
    lines = [(i, 0.5, 0.5) for i in IDS]
    result = problem.submit(csv_text("id,0.0,1.0", lines))
    assert result["public"] == pytest.approx(math.log(2))


def test_several_target_columns_average_their_scores(make_problem):
    problem = make_problem(
        "mae", {"x": ["1", "1", "1", "1", "1", "1"], "y": ["5", "5", "5", "5", "5", "5"]}
    )
    lines = [(i, 2, 5) for i in IDS]  # x off by 1, y exact
    result = problem.submit(csv_text("id,x,y", lines))
    assert (result["public"], result["private"]) == (0.5, 0.5)


@pytest.mark.parametrize("order", ["solution", "sorted", "shuffled"])
def test_row_order_does_not_matter(make_problem, order):
    rng = random.Random(7)
    ids = [f"id{i:03d}" for i in rng.sample(range(200), 200)]
    targets = [str(rng.randint(0, 1)) for _ in ids]
    problem = make_problem("roc_auc", {"target": targets}, ids=ids)
    predictions = {i: round(rng.random(), 4) for i in ids}
    expected = problem.submit(csv_text("id,target", [(i, predictions[i]) for i in ids]))
    ordered = {"solution": ids, "sorted": sorted(ids), "shuffled": rng.sample(ids, len(ids))}
    lines = [(i, predictions[i]) for i in ordered[order]]
    assert problem.submit(csv_text("id,target", lines)) == expected


def test_scores_are_plain_floats(make_problem):
    problem = make_problem("accuracy", {"target": LABELS})
    result = problem.submit(csv_text("id,target", rows(LABELS)))
    assert type(result["public"]) is float and type(result["private"]) is float
    assert not np.isnan(result["public"])


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"metric": "no_such_metric"}, "malformed"),
        ({"prediction_columns": []}, "prediction columns"),
        ({"target_columns": ["nope"]}, "no target columns"),
        ({"metric": "roc_auc_ovr"}, "one prediction column per class"),
        ({"prediction_columns": ["target", "other"]}, "as many prediction columns"),
    ],
)
def test_a_broken_job_is_an_error(make_problem, change, fragment):
    problem = make_problem("accuracy", {"target": LABELS})
    path = problem.write(csv_text("id,target", rows(LABELS)))
    result = score({**problem.job, **change}, path, problem.solution)
    assert result["status"] == "error"
    assert fragment in result["message"]


def test_a_binary_metric_on_a_multiclass_solution_is_an_error(make_problem):
    problem = make_problem("roc_auc", {"target": LABELS})
    result = problem.submit(csv_text("id,target", rows([0.5] * 6)))
    assert result["status"] == "error"
    assert "exactly two classes" in result["message"]
    assert not any(label in result["message"] for label in LABELS)


def test_rows_on_both_sides_score_the_public_and_the_private_board_alike(make_problem):
    """The split "all": every row counts on both sides, so both scores are the whole file's."""
    truth = ["1", "2", "3", "4", "5", "6"]
    problem = make_problem("rmse", {"target": truth}, sides=["both"] * 6)
    result = problem.submit(csv_text("id,target", rows([1, 2, 3, 4, 5, 9])))
    assert result["public"] == result["private"] == pytest.approx(math.sqrt(9 / 6))


def test_rows_on_both_sides_mix_with_one_sided_rows(make_problem):
    sides = ["both", "public", "private", "both", "ignored", "private"]
    problem = make_problem("accuracy", {"target": LABELS}, sides=sides)
    wrong_on_private = ["cat", "dog", "WRONG", "dog", "WRONG", "WRONG"]
    result = problem.submit(csv_text("id,target", rows(wrong_on_private)))
    assert (result["public"], result["private"]) == (1.0, pytest.approx(2 / 4))
