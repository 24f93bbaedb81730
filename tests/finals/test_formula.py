"""The pure rules of stage two, case by case (the README's "Final score" section)."""

from __future__ import annotations

import pytest

from judge.finals.formula import (
    MEAN,
    RANK,
    RATIO,
    TRIMMED_MEAN,
    Candidate,
    Criterion,
    Tier,
    Weights,
    aggregate,
    allocate,
    final_ranking,
    judge_total,
    kaggle_medals,
    quantitative,
)

RUBRIC = [Criterion(1, 50, 10), Criterion(2, 30, 10), Criterion(3, 20, 5)]


def test_a_judge_total_is_the_weighted_share_of_each_maximum():
    assert judge_total(RUBRIC, {1: 10, 2: 10, 3: 5}) == pytest.approx(100)
    assert judge_total(RUBRIC, {1: 8, 2: 5, 3: 2.5}) == pytest.approx(40 + 15 + 10)


def test_a_judge_who_has_not_scored_every_criterion_has_no_total():
    assert judge_total(RUBRIC, {1: 8, 2: 5}) is None
    assert judge_total([], {}) is None


def test_mean_and_trimmed_mean():
    totals = [90.0, 80.0, 70.0, 10.0, 100.0]
    assert aggregate(totals, MEAN) == pytest.approx(70)
    assert aggregate(totals, TRIMMED_MEAN, 0.2) == pytest.approx(80)  # 10 and 100 cut
    assert aggregate([60.0, 80.0], TRIMMED_MEAN, 0.2) == pytest.approx(70)  # too few to trim
    assert aggregate([], MEAN) is None


def test_ratio_formula_respects_the_direction():
    higher = quantitative([0.9, 0.45], higher_is_better=True, formula=RATIO, exponent=2)
    assert higher.points == pytest.approx([100, 25]) and higher.formula == RATIO
    lower = quantitative([2.0, 4.0], higher_is_better=False, formula=RATIO, exponent=1)
    assert lower.points == pytest.approx([100, 50])


def test_ratio_falls_back_to_ranks_when_the_best_is_zero_or_a_score_is_negative():
    zero = quantitative([0.0, -1.0], higher_is_better=True, formula=RATIO)
    assert zero.formula == RANK and zero.points == pytest.approx([100, 0])
    perfect_error = quantitative([0.0, 3.0], higher_is_better=False, formula=RATIO)
    assert perfect_error.formula == RANK and perfect_error.points == pytest.approx([100, 0])


def test_rank_formula_shares_ranks_and_gives_a_lone_finalist_full_points():
    assert quantitative([0.7, 0.9, 0.7, 0.5], True).points == pytest.approx(
        [100 * 2 / 3, 100, 100 * 2 / 3, 0]
    )
    assert quantitative([0.3], True).points == [100.0]


def test_final_score_blends_the_parts_with_the_weight():
    ranked = final_ranking([Candidate(1, 0.9, 50.0), Candidate(2, 0.8, 90.0)], Weights(0.2))
    assert [(s.key, s.rank) for s in ranked] == [(2, 1), (1, 2)]
    assert ranked[0].final == pytest.approx(0.2 * 0 + 0.8 * 90)
    assert ranked[1].final == pytest.approx(0.2 * 100 + 0.8 * 50)


def test_ties_go_to_the_rubric_then_to_the_private_score_then_share_the_rank():
    weights = Weights(0.5, formula=RATIO)
    # 0.5*100 + 0.5*60 = 80 = 0.5*80 + 0.5*80: the rubric decides.
    ranked = final_ranking([Candidate(1, 1.0, 60.0), Candidate(2, 0.8, 80.0)], weights)
    assert [(s.key, s.rank) for s in ranked] == [(2, 1), (1, 2)]
    same = final_ranking([Candidate(1, 0.8, 70.0), Candidate(2, 0.8, 70.0)], weights)
    assert [s.rank for s in same] == [1, 1]


def test_lower_is_better_private_scores_rank_the_right_way():
    weights = Weights(1.0, formula=RANK, higher_is_better=False)
    ranked = final_ranking([Candidate(1, 3.0, 0.0), Candidate(2, 1.0, 0.0)], weights)
    assert [s.key for s in ranked] == [2, 1]


def test_a_finalist_missing_a_part_is_incomplete_and_ranks_last():
    ranked = final_ranking(
        [Candidate(1, 0.9, None), Candidate(2, 0.5, 40.0), Candidate(3, None, 99.0)], Weights()
    )
    assert [(s.key, s.rank) for s in ranked] == [(2, 1), (1, None), (3, None)]
    assert ranked[1].final is None and ranked[1].quantitative is not None


def test_tiers_go_in_rank_order_and_ties_share_the_better_tier():
    ranked = final_ranking(
        [Candidate(k, 0.5, q) for k, q in [(1, 90.0), (2, 80.0), (3, 80.0), (4, 70.0)]],
        Weights(0.0),
    )
    allocation = allocate(ranked, [Tier(10, 1), Tier(20, 1), Tier(30, 2)])
    assert allocation.by_tier == {10: [1], 20: [2, 3], 30: [4]}


def test_more_tiers_than_teams_leave_places_empty():
    ranked = final_ranking([Candidate(1, 0.5, 80.0)], Weights(0.0))
    assert allocate(ranked, [Tier(1, 1), Tier(2, 3)]).by_tier == {1: [1], 2: []}


@pytest.mark.parametrize(
    ("teams", "medals"),
    [(50, (5, 5, 10)), (150, (10, 20, 30)), (500, (11, 39, 50)), (2000, (14, 86, 100)),
     (0, (0, 0, 0))],
)  # fmt: skip
def test_kaggle_medal_thresholds(teams, medals):
    assert kaggle_medals(teams) == medals
