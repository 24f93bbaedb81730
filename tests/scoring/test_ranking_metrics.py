"""Ranked-list metrics against trec_eval (pytrec_eval) and Kaggle's MAP@K formula, on random
lists and edge cases; then through the engine: K from the problem, the split by id, and the
messages that name the row and column of a bad list, in English and Korean."""

from __future__ import annotations

import numpy as np
import pytest
import pytrec_eval
from flask_babel import force_locale

from judge.scoring.engine.metrics import METRICS
from judge.scoring.messages import translate

from .conftest import IDS, csv_text

RNG = np.random.default_rng(4)
ITEMS = [f"i{n}" for n in range(30)]
TREC = {"ndcg_at_k": "ndcg_cut_{k}", "recall_at_k": "recall_{k}", "mrr": "recip_rank",
        "map_at_k": "map_cut_{k}"}  # fmt: skip


def as_array(rows: list[tuple]) -> np.ndarray:
    """A 1-d array of tuples, as the engine holds lists."""
    values = np.empty(len(rows), dtype=object)
    values[:] = rows
    return values


def engine(name: str, truth: list[tuple], ranked: list[tuple], k: int) -> float:
    return METRICS[name].compute(as_array(truth), as_array(ranked), k=k)


def trec(name: str, truth: list[tuple], ranked: list[tuple], k: int) -> float:
    qrel = {f"q{n}": dict.fromkeys(t, 1) for n, t in enumerate(truth)}
    run = {f"q{n}": {item: float(len(r) - i) for i, item in enumerate(r)}
           for n, r in enumerate(ranked)}  # fmt: skip
    measure = TREC[name].format(k=k)
    base = measure.rsplit("_", 1)[0] + "." + str(k) if "{k}" in TREC[name] else measure
    found = pytrec_eval.RelevanceEvaluator(qrel, {base}).evaluate(run)
    return float(np.mean([found[q][measure] for q in qrel]))


def kaggle_apk(actual: tuple, predicted: tuple, k: int) -> float:
    """ml_metrics' apk (Kaggle's reference MAP@K), as published."""
    predicted = predicted[:k]
    score, hits = 0.0, 0.0
    for i, p in enumerate(predicted):
        if p in actual and p not in predicted[:i]:
            hits += 1.0
            score += hits / (i + 1.0)
    if not actual:
        return 0.0
    return score / min(len(actual), k)


def random_rows(rows: int, k: int, most_truth: int):
    truth = [tuple(RNG.choice(ITEMS, int(RNG.integers(1, most_truth + 1)), replace=False))
             for _ in range(rows)]  # fmt: skip
    ranked = [tuple(RNG.choice(ITEMS, int(RNG.integers(1, k + 1)), replace=False))
              for _ in range(rows)]  # fmt: skip
    return truth, ranked


@pytest.mark.parametrize("name", ["ndcg_at_k", "recall_at_k", "mrr", "map_at_k"])
@pytest.mark.parametrize("k", [1, 3, 10])
def test_ranked_metrics_match_trec_eval_on_random_lists(name, k):
    for _ in range(10):
        truth, ranked = random_rows(40, k, k)  # |truth| ≤ K: trec's MAP@K is Kaggle's too
        assert engine(name, truth, ranked, k) == pytest.approx(trec(name, truth, ranked, k))


def test_map_at_k_divides_by_min_of_truth_and_k_as_kaggle_does():
    for k in (2, 5):
        truth, ranked = random_rows(50, k, 12)
        expected = np.mean([kaggle_apk(t, r, k) for t, r in zip(truth, ranked, strict=True)])
        assert engine("map_at_k", truth, ranked, k) == pytest.approx(expected)


def test_edge_cases():
    assert engine("map_at_k", [("a",)], [("a",)], 10) == 1.0
    assert engine("ndcg_at_k", [("a", "b")], [("b", "a")], 2) == 1.0
    for name in TREC:
        assert engine(name, [("a",)], [("x", "y")], 10) == 0.0  # no hit
        assert engine(name, [(), ("a",)], [("a",), ("a",)], 10) == 0.5  # empty truth counts 0
    assert engine("mrr", [("c",)], [("a", "b", "c")], 3) == pytest.approx(1 / 3)
    assert engine("recall_at_k", [("a", "b", "c", "d")], [("a", "x")], 2) == 0.25


# Items named so that a leak of the truth into a message would show. Public: a1 a3 a5.
TRUTH = ["t1 t2", "t3", "t4 t5 t6", "t7", "t8", "t9 t0"]


def test_the_engine_scores_each_side_with_the_problems_k(make_problem):
    problem = make_problem("map_at_k", {"items": TRUTH}, options={"k": 2})
    ranked = ["t1 x", "t3", "x t4", "x y", "t8", "t0 t9"]
    result = problem.submit(csv_text("id,items", list(zip(IDS, ranked, strict=True))))
    assert result["status"] == "scored", result
    assert result["public"] == pytest.approx((1 / 2 + (1 / 2) / 2 + 1) / 3)
    assert result["private"] == pytest.approx((1 + 0 + 1) / 3)


BAD = [
    ("a1,a a\n", "In column 'items', 1 list repeats an item (first at line 2: 'a a'). "
                 "Each item may appear once in a list.", "같은 항목"),
    ("a1,a b c\n", "In column 'items', 1 list has more than K items (first at line 2). "
                   "A list may hold at most 2 items.", "최대 2개"),
    ("a1,\n", "In column 'items', 1 list is empty (first at line 2). "
              "Give each row its items, best first, separated by spaces.", "비어 있는 목록"),
]  # fmt: skip


@pytest.mark.parametrize(("first", "message", "korean"), BAD)
def test_a_bad_list_is_refused_by_row_and_column_in_both_languages(
    app, make_problem, first, message, korean
):
    problem = make_problem("ndcg_at_k", {"items": TRUTH}, options={"k": 2})
    rest = "".join(f"{i},x\n" for i in IDS[1:])
    assert problem.invalid("id,items\n" + first + rest) == message
    with force_locale("ko"):
        shown = translate(message)
    assert korean in shown and "list" not in shown, shown
