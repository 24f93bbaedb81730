"""Forecast metrics against independent references: each formula written out row by row in
plain Python, and scikit-learn's mean_pinball_loss; on random data and on edge cases; then
through the engine with a public/private split by id and the problem's own settings."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import mean_pinball_loss

from judge.scoring.engine.metrics import METRICS
from judge.scoring.engine.score import score

from .conftest import IDS, csv_text

RNG = np.random.default_rng(17)


def engine(name: str, truth, guess, **options) -> float:
    return METRICS[name].compute(np.asarray(truth, float), np.asarray(guess, float), **options)


def smape_by_rows(truth, guess) -> float:
    terms = [0.0 if a == f == 0 else 2 * abs(f - a) / (abs(a) + abs(f))
             for a, f in zip(truth, guess, strict=True)]  # fmt: skip
    return 100 * sum(terms) / len(terms)


def nmae_by_rows(truth, guess) -> float:
    return sum(abs(a - f) / abs(a) for a, f in zip(truth, guess, strict=True)) / len(truth)


def wmape_by_rows(truth, guess) -> float:
    return sum(abs(a - f) for a, f in zip(truth, guess, strict=True)) / sum(map(abs, truth))


def mase_by_rows(truth, guess, season) -> float:
    naive = [abs(truth[t] - truth[t - season]) for t in range(season, len(truth))]
    mae = sum(abs(a - f) for a, f in zip(truth, guess, strict=True)) / len(truth)
    return mae / (sum(naive) / len(naive))


def random_pairs(count: int = 20):
    for _ in range(count):
        rows = int(RNG.integers(5, 60))
        truth = RNG.normal(50, 30, rows).round(2)
        guess = truth + RNG.normal(0, 10, rows).round(2)
        yield truth.tolist(), guess.tolist()


def test_smape_nmae_wmape_match_their_formulas_on_random_data():
    for truth, guess in random_pairs():
        assert engine("smape", truth, guess) == pytest.approx(smape_by_rows(truth, guess))
        truth = [a if a != 0 else 1.0 for a in truth]
        assert engine("nmae", truth, guess) == pytest.approx(nmae_by_rows(truth, guess))
        assert engine("wmape", truth, guess) == pytest.approx(wmape_by_rows(truth, guess))


def test_mase_matches_its_formula_for_each_season():
    for season in (1, 2, 7):
        for truth, guess in random_pairs(10):
            truth, guess = truth + truth[:8], guess + guess[:8]  # more rows than any season
            assert engine("mase", truth, guess, season=season) == pytest.approx(
                mase_by_rows(truth, guess, season)
            )


def test_pinball_matches_scikit_learn_averaged_over_quantiles():
    for truth, _ in random_pairs():
        levels = sorted(RNG.uniform(0.05, 0.95, int(RNG.integers(1, 5))).round(2).tolist())
        guesses = np.column_stack([np.asarray(truth) + RNG.normal(0, 5, len(truth))
                                   for _ in levels])  # fmt: skip
        expected = np.mean([mean_pinball_loss(truth, guesses[:, j], alpha=q)
                            for j, q in enumerate(levels)])  # fmt: skip
        assert engine("pinball", truth, guesses, quantiles=levels) == pytest.approx(expected)


def test_smape_counts_a_row_with_zero_truth_and_zero_prediction_as_zero():
    assert engine("smape", [0, 0, 10], [0, 0, 10]) == 0
    assert engine("smape", [0, 4], [0, 0]) == pytest.approx(100.0)  # (0 + 2) / 2 rows · 100
    assert engine("smape", [5], [-5]) == pytest.approx(200.0)


def test_undefined_cases_raise_so_the_side_is_reported_as_a_setup_problem():
    for name, truth, guess, options in (
        ("nmae", [0.0, 1.0], [1.0, 1.0], {}),
        ("wmape", [0.0, 0.0], [1.0, 1.0], {}),
        ("mase", [3.0, 3.0, 3.0], [1.0, 2.0, 3.0], {}),  # the naive forecast is exact
        ("mase", [1.0, 2.0], [1.0, 2.0], {"season": 2}),  # no row has a season before it
    ):
        with pytest.raises(ValueError):
            engine(name, truth, guess, **options)


SIDES_TRUTH = ["10", "20", "30", "40", "50", "60"]  # public: a1 a3 a5, private: a2 a4 a6


def test_the_split_by_id_scores_each_side_on_its_own_rows(make_problem):
    problem = make_problem("wmape", {"sales": SIDES_TRUTH})
    guesses = [11, 20, 27, 40, 50, 66]
    shuffled = list(zip(IDS, guesses, strict=True))[::-1]  # any row order
    result = problem.submit(csv_text("id,sales", shuffled))
    assert result["status"] == "scored", result
    assert result["public"] == pytest.approx(wmape_by_rows([10, 30, 50], [11, 27, 50]))
    assert result["private"] == pytest.approx(wmape_by_rows([20, 40, 60], [20, 40, 66]))


def test_mase_takes_the_season_from_the_problem(make_problem):
    truth = ["1", "5", "2", "6", "3", "7", "4", "8"]
    ids = [f"t{i}" for i in range(8)]
    sides = ["public"] * 5 + ["private"] * 3
    problem = make_problem("mase", {"y": truth}, ids=ids, sides=sides, options={"season": 2})
    guess = [2, 5, 2, 6, 3, 7, 4, 8]
    result = problem.submit(csv_text("id,y", list(zip(ids, guess, strict=True))))
    values = [float(v) for v in truth]
    assert result["public"] == pytest.approx(mase_by_rows(values[:5], guess[:5], 2))
    assert result["private"] == pytest.approx(mase_by_rows(values[5:], guess[5:], 2))


def test_pinball_reads_one_column_per_quantile(make_problem):
    options = {"quantiles": [0.1, 0.5, 0.9]}
    problem = make_problem("pinball", {"y": SIDES_TRUTH}, options=options,
                           prediction_columns=["q10", "q50", "q90"])  # fmt: skip
    rows = [(i, float(t) - 5, t, float(t) + 5) for i, t in zip(IDS, SIDES_TRUTH, strict=True)]
    result = problem.submit(csv_text("id,q10,q50,q90", rows))
    assert result["status"] == "scored", result
    assert result["public"] == pytest.approx((0.1 * 5 + 0 + 0.1 * 5) / 3)
    message = problem.invalid(csv_text("id,q10,q50,q90", [(*r[:3], "") for r in rows]))
    assert message.startswith("In column 'q90', 6 values are missing or NaN (first at line 2).")


def test_a_job_whose_settings_do_not_fit_the_metric_is_a_setup_error(make_problem):
    problem = make_problem("pinball", {"y": SIDES_TRUTH}, prediction_columns=["q1", "q2"],
                           options={"quantiles": [0.5]})  # fmt: skip
    rows = [(i, 1, 2) for i in IDS]
    result = problem.submit(csv_text("id,q1,q2", rows))
    assert result["status"] == "error"
    assert "one prediction column per quantile" in result["message"]
    for options in ({}, {"quantiles": [1.5]}, {"season": 2}):
        job = problem.job | {"options": options}
        assert score(job, problem.write(csv_text("id,q1,q2", rows)),
                     problem.solution)["status"] == "error", options  # fmt: skip


def test_nmae_refuses_a_solution_with_a_zero_truth(make_problem):
    problem = make_problem("nmae", {"y": ["0", "1", "2", "3", "4", "5"]})
    result = problem.submit(csv_text("id,y", [(i, 1) for i in IDS]))
    assert result["status"] == "error"
    assert "to be ≠ 0" in result["message"]
