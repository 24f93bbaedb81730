"""Rank stability: the bootstrap itself, and computing it for a problem's finalists."""

from __future__ import annotations

import functools

import numpy as np
import pyarrow as pa
import pytest
from sklearn.metrics import accuracy_score, mean_absolute_error, roc_auc_score

from judge.core.db import unit_of_work, utcnow
from judge.finals import judging, services, stability
from judge.finals.bootstrap import rank_stability
from judge.scoring.engine.boxes import boxes
from judge.scoring.engine.masks import by_class, masks
from judge.scoring.engine.metrics import METRICS
from judge.scoring.engine.multilabel import label_sets
from judge.scoring.engine.resample import draw_values
from tests.submissions.helpers import score, submit

RNG = np.random.default_rng(3)
TRUTH = RNG.integers(0, 2, 400)


def stability_of(teams, compute, higher_is_better, resamples, seed=0):
    """The bootstrap as the worker runs it: each team's draws (the sandbox's side), ranked."""
    values = {key: draw_values(pairs, compute, resamples, seed) for key, pairs in teams.items()}
    return rank_stability(values, higher_is_better)


def guesses(wrong_share: float, seed: int) -> np.ndarray:
    flip = np.random.default_rng(seed).random(len(TRUTH)) < wrong_share
    return np.where(flip, 1 - TRUTH, TRUTH)


def test_a_clear_winner_is_first_in_every_resample():
    teams = {1: [(TRUTH, guesses(0.05, 1))], 2: [(TRUTH, guesses(0.40, 2))]}
    found = stability_of(teams, accuracy_score, True, resamples=200)
    assert (found[1].rank_low, found[1].rank_high, found[1].p_first) == (1, 1, 1.0)
    assert (found[2].rank_low, found[2].rank_high, found[2].p_first) == (2, 2, 0.0)


def test_close_teams_are_a_coin_toss():
    teams = {1: [(TRUTH, guesses(0.20, 5))], 2: [(TRUTH, guesses(0.21, 6))]}
    found = stability_of(teams, accuracy_score, True, resamples=300)
    assert (found[1].rank_low, found[1].rank_high) == (1, 2)
    assert 0.2 < found[1].p_first < 0.95 and found[1].p_first + found[2].p_first >= 0.99


def test_lower_is_better_metrics_rank_the_smaller_error_first():
    truth = RNG.normal(0, 1, 300)
    teams = {7: [(truth, truth + 0.1)], 8: [(truth, truth + 2.0)]}
    found = stability_of(teams, mean_absolute_error, False, resamples=100)
    assert found[7].p_first == 1.0 and found[8].rank_low == 2


def test_resamples_where_the_metric_is_undefined_are_skipped():
    truth = np.array([1] + [0] * 19)  # most draws miss the only positive: no ROC AUC
    teams = {1: [(truth, np.linspace(1, 0, 20))], 2: [(truth, np.linspace(0, 1, 20))]}
    found = stability_of(teams, roc_auc_score, True, resamples=200)
    assert 0 < found[1].resamples < 200


def test_image_metrics_resample_whole_images():
    """miou's rows hold a mask per class and map_50's a string of boxes: a draw takes whole
    images, so the better team still ranks first."""
    read_masks = lambda values: masks(pa.chunked_array([values], pa.string()), 100)  # noqa: E731
    truth = by_class([read_masks(["1 10"] * 30), read_masks(["50 20"] * 30)])
    good = by_class([read_masks(["1 10"] * 30), read_masks(["50 15"] * 30)])
    poor = by_class([read_masks(["5 10"] * 30), read_masks([""] * 30)])
    miou = functools.partial(METRICS["miou"].compute, height=10, width=10)
    found = stability_of({1: [(truth, poor)], 2: [(truth, good)]}, miou, True, resamples=50)
    assert found[2].p_first == 1.0 and found[1].rank_low == 2
    read = lambda values, scored: boxes(pa.chunked_array([values], pa.string()), scored)  # noqa: E731
    true_boxes = read(["car 0 0 10 10"] * 30, False)
    teams = {1: [(true_boxes, read(["car 0.9 0 0 10 10"] * 30, True))],
             2: [(true_boxes, read(["car 0.9 0 0 10 10"] * 10 + [""] * 20, True))]}  # fmt: skip
    found = stability_of(teams, METRICS["map_50"].compute, True, resamples=50)
    assert found[1].p_first == 1.0 and found[2].rank_low == 2


def test_the_worker_computes_it_for_the_finalists_and_judges_see_it(make, client, login):
    from judge.competitions.models import Role

    competition = make.competition()
    problem = make.problem(competition)  # accuracy on 40 rows, ids 1..40
    labels = {i: i % 2 for i in range(1, 41)}
    for name, wrong in (("정확팀", set()), ("보통팀", set(range(1, 41, 3)))):
        leader = make.user()
        make.team(competition, leader, name=name)
        body = "id,label\n" + "".join(f"{i},{1 - v if i in wrong else v}\n"
                                      for i, v in labels.items())  # fmt: skip
        score(submit(problem, leader, body.encode(), "final.csv"), 0.5, 0.5)
    judge = make.user()
    make.role(competition, judge, Role.JUDGE)
    with unit_of_work():
        problem.closes_at = utcnow()
    organizer = competition_organizer(competition)
    with unit_of_work():
        services.shortlist(problem, organizer, utcnow())
        services.update_settings(competition, organizer, {"bootstrap_resamples": 200})
    assert stability.compute(problem.id) == 2
    rows = stability.of_competition([f.id for f in judging.competition_finalists(competition)])
    by_team = {f.team.name: rows[f.id] for f in judging.competition_finalists(competition)}
    assert by_team["정확팀"].p_first == pytest.approx(1.0)
    assert (by_team["보통팀"].rank_low, by_team["보통팀"].rank_high) == (2, 2)
    login(judge)
    page = client.get(f"/c/{competition.slug}/judging")
    assert "95% rank interval 1–1, first in 100% of 200 resamples" in page.text


def competition_organizer(competition):
    import sqlalchemy as sa

    from judge.accounts.models import User
    from judge.competitions.models import CompetitionRole, Role
    from judge.core.extensions import db

    return db.session.scalar(
        sa.select(User).join(CompetitionRole, CompetitionRole.user_id == User.id)
        .where(CompetitionRole.competition_id == competition.id,
               CompetitionRole.role == Role.ORGANIZER)
    )  # fmt: skip


def label_words(matrix: np.ndarray) -> np.ndarray:
    """Each row of 0/1 columns as the label set of one label column (``l0 l2``)."""
    rows = [" ".join(f"l{j}" for j in np.flatnonzero(row)) for row in matrix]
    return label_sets(pa.chunked_array([rows]))


def test_multilabel_metrics_resample_whole_rows_in_both_forms():
    """A draw takes whole rows: a row's label set (one label column) or its row of 0/1
    columns, so the better team still ranks first."""
    truth = RNG.random((60, 4)) < 0.4
    good, poor = truth.copy(), truth.copy()
    good[:3] ^= True
    poor[:30] ^= True
    teams = {1: [(truth, poor)], 2: [(truth, good)]}
    found = stability_of(teams, METRICS["hamming_loss"].compute, False, resamples=50)
    assert found[2].p_first == 1.0 and found[1].rank_low == 2
    teams = {1: [(label_words(truth), label_words(poor))],
             2: [(label_words(truth), label_words(good))]}  # fmt: skip
    found = stability_of(teams, METRICS["f1_samples"].compute, True, resamples=50)
    assert found[2].p_first == 1.0 and found[1].rank_low == 2
