"""Forecast metrics against independent reference implementations, on random data from several
seeds and on edge cases (zeros, 0/0, negative values, a constant series); then through the engine
with a public/private split by id and the problem's own settings.

The references, and the only conversions made (each a documented constant):

- ``smape``: permetrics' ``symmetric_mean_absolute_percentage_error`` (Armstrong's original
  form, 0–200, a 0/0 row counting 0) as it is; Nixtla's utilsforecast ``losses.smape`` (mean of
  |F − A| / (|A| + |F|), 0 to 1, a 0/0 row counting 0) times 200;
- ``nmae``: utilsforecast's ``losses.mape`` and scikit-learn's
  ``mean_absolute_percentage_error`` (both mean(|A − F| / |A|) as a fraction, not × 100);
- ``wmape``: utilsforecast's ``losses.wape`` (Σ|A − F| / Σ|A|);
- ``mase``: utilsforecast's ``losses.mase`` with the truth itself as the training series and
  ``seasonality`` the season, and permetrics' ``mean_absolute_scaled_error`` with ``m`` the season;
- ``pinball``: scikit-learn's ``mean_pinball_loss``, averaged over the quantiles.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from permetrics import RegressionMetric
from sklearn.metrics import mean_absolute_percentage_error, mean_pinball_loss
from utilsforecast import losses

from judge.scoring.engine.metrics import METRICS
from judge.scoring.engine.score import score

from .conftest import IDS, csv_text

PERMETRICS = RegressionMetric()
SEEDS = range(5)
SEASONS = (1, 2, 7, 12)


def engine(name: str, truth, guess, **options) -> float:
    return METRICS[name].compute(np.asarray(truth, float), np.asarray(guess, float), **options)


def nixtla(loss, pairs, **options) -> list[float]:
    """utilsforecast's loss on each (truth, guess) pair, all in one call: a pair is a series
    whose time steps are its rows in the given order."""
    frame = pd.concat([pd.DataFrame({"unique_id": f"s{n:04d}", "ds": np.arange(len(truth)),
                                     "y": np.asarray(truth, float),
                                     "model": np.asarray(guess, float)})
                       for n, (truth, guess) in enumerate(pairs)], ignore_index=True)  # fmt: skip
    if loss is losses.mase:
        options["train_df"] = frame[["unique_id", "ds", "y"]]
    result = loss(frame, ["model"], **options).sort_values("unique_id")
    return result["model"].astype(float).tolist()


def permetrics_smape(truth, guess) -> float:
    value = PERMETRICS.symmetric_mean_absolute_percentage_error(
        np.asarray(truth, float), np.asarray(guess, float), force_finite=False
    )
    return float(value)


def permetrics_mase(truth, guess, season: int) -> float:
    value = PERMETRICS.mean_absolute_scaled_error(
        np.asarray(truth, float), np.asarray(guess, float), m=season, force_finite=False
    )
    return float(value)


def references(name: str, pairs, season: int = 1) -> list[list[float]]:
    """Each reference's values of a metric for every pair, converted to judge's scale."""
    if name == "smape":
        return [[permetrics_smape(*pair) for pair in pairs],
                [200 * value for value in nixtla(losses.smape, pairs)]]  # fmt: skip
    if name == "nmae":
        return [nixtla(losses.mape, pairs),
                [float(mean_absolute_percentage_error(*pair)) for pair in pairs]]  # fmt: skip
    if name == "wmape":
        return [nixtla(losses.wape, pairs)]
    return [nixtla(losses.mase, pairs, seasonality=season),
            [permetrics_mase(*pair, season) for pair in pairs]]  # fmt: skip


def assert_matches(name: str, pairs, season: int | None = None) -> None:
    options = {} if season is None else {"season": season}
    values = [engine(name, truth, guess, **options) for truth, guess in pairs]
    for expected in references(name, pairs, season or 1):
        assert values == pytest.approx(expected, rel=1e-9, abs=1e-12), (name, pairs)


def random_series(rng: np.random.Generator):
    """Series of the shapes forecasts take: positive levels, values around 0 of both signs
    with exact zeros, and intermittent counts (mostly 0)."""
    for _ in range(6):
        rows = int(rng.integers(14, 80))
        level = rng.normal(50, 30, rows).round(2)
        signed = rng.normal(0, 5, rows).round(1)
        signed[rng.random(rows) < 0.2] = 0.0
        counts = rng.poisson(0.7, rows).astype(float)
        for truth, noise in ((level, 10), (signed, 3), (counts, 1)):
            guess = (truth + rng.normal(0, noise, rows)).round(2)
            guess[rng.random(rows) < 0.1] = 0.0  # some predicted zeros, some of them 0/0 rows
            yield truth, guess


@pytest.mark.parametrize("seed", SEEDS)
def test_smape_and_wmape_match_their_references_on_random_data(seed):
    pairs = list(random_series(np.random.default_rng(seed)))
    assert_matches("smape", pairs)
    assert_matches("wmape", pairs)


@pytest.mark.parametrize("seed", SEEDS)
def test_nmae_matches_its_references_on_random_data_without_a_zero_truth(seed):
    pairs = [
        (np.where(truth == 0, 0.5, truth), guess)  # nmae's solution holds no 0 (see below)
        for truth, guess in random_series(np.random.default_rng(seed))
    ]
    assert_matches("nmae", pairs)


@pytest.mark.parametrize("seed", SEEDS)
def test_mase_matches_its_references_for_each_season_on_random_data(seed):
    pairs = list(random_series(np.random.default_rng(seed)))
    for season in SEASONS:
        assert_matches("mase", pairs, season)


EDGE_CASES = {
    "perfect": ([3.0, -1.0, 0.0, 8.0, 2.5], [3.0, -1.0, 0.0, 8.0, 2.5]),
    "every row 0/0": ([0.0, 0.0, 0.0], [0.0, 0.0, 0.0]),
    "0/0 rows among others": ([0.0, 0.0, 4.0, 0.0, 2.0], [0.0, 3.0, 0.0, 0.0, 2.0]),
    "predicted all zero": ([1.0, 2.0, 3.0, 4.0], [0.0, 0.0, 0.0, 0.0]),
    "opposite signs": ([5.0, -2.0, 1.0], [-5.0, 2.0, -1.0]),
    "all negative": ([-10.0, -20.0, -5.0, -7.5], [-12.0, -18.0, -5.0, 0.0]),
    "constant truth": ([7.0, 7.0, 7.0, 7.0, 7.0], [6.0, 7.5, 7.0, 9.0, 1.0]),
    "constant guess": ([1.0, 4.0, 2.0, 8.0], [3.0, 3.0, 3.0, 3.0]),
    "one row": ([2.0], [3.0]),
    "tiny and huge": ([1e-9, 1e9, -1e-9, 3.0], [2e-9, 9e8, 1e-9, 3.0]),
}


@pytest.mark.parametrize("case", EDGE_CASES)
def test_smape_and_wmape_match_their_references_on_edge_cases(case):
    truth, guess = EDGE_CASES[case]
    assert_matches("smape", [(truth, guess)])
    if any(truth):
        assert_matches("wmape", [(truth, guess)])


@pytest.mark.parametrize("case", [c for c, (truth, _) in EDGE_CASES.items() if 0 not in truth])
def test_nmae_matches_its_references_on_edge_cases(case):
    assert_matches("nmae", [EDGE_CASES[case]])


MASE_EDGE_CASES = {
    "zeros and negative values": ([0, -3.0, 0, 2.0, -1.0, 0], [0, 0, 1.0, 2.0, -2.0, 0.5]),
    "perfect": ([1.0, 5.0, 2.0, 6.0, 3.0, 7.0], [1.0, 5.0, 2.0, 6.0, 3.0, 7.0]),
    "constant guess": ([1.0, 4.0, 2.0, 8.0, 5.0], [4.0, 4.0, 4.0, 4.0, 4.0]),
    "one row after the season": ([1.0, 2.0, 4.0], [2.0, 2.0, 2.0]),  # season 2
}


@pytest.mark.parametrize("case", MASE_EDGE_CASES)
def test_mase_matches_its_references_on_edge_cases(case):
    truth, guess = MASE_EDGE_CASES[case]
    for season in range(1, len(truth)):
        if np.abs(np.subtract(truth[season:], truth[:-season])).sum():
            assert_matches("mase", [(truth, guess)], season)


def test_smape_is_kaggles_0_to_200_and_counts_a_0_0_row_as_zero():
    assert engine("smape", [0, 0, 10], [0, 0, 10]) == 0
    assert engine("smape", [0, 4], [0, 0]) == pytest.approx(100.0)  # (0 + 2) / 2 rows · 100
    assert engine("smape", [5], [-5]) == pytest.approx(200.0)


UNDEFINED = {
    "wmape, every truth 0": ("wmape", [0.0, 0.0], [1.0, 1.0], {}),
    "mase, constant truth": ("mase", [3.0, 3.0, 3.0], [1.0, 2.0, 3.0], {}),
    "mase, seasonal truth": ("mase", [1.0, 2.0, 1.0, 2.0], [1.0, 1.0, 1.0, 1.0], {"season": 2}),
    "mase, no row after the season": ("mase", [1.0, 2.0], [1.0, 2.0], {"season": 2}),
}


@pytest.mark.parametrize("case", UNDEFINED)
def test_where_every_reference_has_no_value_the_side_is_a_setup_error(case):
    name, truth, guess, options = UNDEFINED[case]
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = references(name, [(truth, guess)], options.get("season", 1))
    assert not np.isfinite(expected).any(), expected
    with pytest.raises(ValueError):
        engine(name, truth, guess, **options)


def test_nmae_refuses_a_zero_truth_that_its_references_would_each_handle_their_own_way():
    truth, guess = [0.0, 2.0], [1.0, 1.0]
    # utilsforecast leaves the row out (as DACON's NMAE code does), scikit-learn divides by
    # its float epsilon instead: no common value, so judge refuses such a solution.
    assert nixtla(losses.mape, [(truth, guess)]) == pytest.approx([0.5])
    assert mean_absolute_percentage_error(truth, guess) > 1e15
    with pytest.raises(ValueError):
        engine("nmae", truth, guess)


@pytest.mark.parametrize("seed", SEEDS)
def test_pinball_matches_scikit_learn_averaged_over_quantiles(seed):
    rng = np.random.default_rng(seed)
    for truth, _ in random_series(rng):
        levels = sorted(rng.uniform(0.05, 0.95, int(rng.integers(1, 5))).round(2).tolist())
        guesses = np.column_stack([truth + rng.normal(0, 5, len(truth)) for _ in levels])
        expected = np.mean([mean_pinball_loss(truth, guesses[:, j], alpha=q)
                            for j, q in enumerate(levels)])  # fmt: skip
        assert engine("pinball", truth, guesses, quantiles=levels) == pytest.approx(expected)


SIDES_TRUTH = ["10", "20", "30", "40", "50", "60"]  # public: a1 a3 a5, private: a2 a4 a6


def test_the_split_by_id_scores_each_side_on_its_own_rows(make_problem):
    problem = make_problem("wmape", {"sales": SIDES_TRUTH})
    guesses = [11, 20, 27, 40, 50, 66]
    shuffled = list(zip(IDS, guesses, strict=True))[::-1]  # any row order
    result = problem.submit(csv_text("id,sales", shuffled))
    assert result["status"] == "scored", result
    expected = nixtla(losses.wape, [([10, 30, 50], [11, 27, 50]), ([20, 40, 60], [20, 40, 66])])
    assert [result["public"], result["private"]] == pytest.approx(expected)


def test_mase_takes_the_season_from_the_problem(make_problem):
    truth = ["1", "5", "2", "6", "3", "7", "4", "8"]
    ids = [f"t{i}" for i in range(8)]
    sides = ["public"] * 5 + ["private"] * 3
    problem = make_problem("mase", {"y": truth}, ids=ids, sides=sides, options={"season": 2})
    guess = [2, 5, 2, 6, 3, 7, 4, 8]
    result = problem.submit(csv_text("id,y", list(zip(ids, guess, strict=True))))
    values = [float(v) for v in truth]
    halves = [(values[:5], guess[:5]), (values[5:], guess[5:])]
    expected = nixtla(losses.mase, halves, seasonality=2)
    assert [result["public"], result["private"]] == pytest.approx(expected)


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
