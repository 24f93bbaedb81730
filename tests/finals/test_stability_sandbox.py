"""Rank stability reads the finalists' files only in the scoring sandbox.

The worker hands each final file to the real sandbox (the warm one, as scoring does) and
ranks the per-resample scores that come back. These tests check the numbers against a
bootstrap computed here with numpy and scikit-learn alone, that the worker process parses
no file itself, and that a hostile file is stopped in its own job and reported.
"""

from __future__ import annotations

import io

import numpy as np
import pyarrow.parquet as pq
import pytest
from sklearn.metrics import roc_auc_score

from judge.competitions.models import Role
from judge.core import storage
from judge.core.db import unit_of_work, utcnow
from judge.finals import judging, services, stability
from judge.submissions import services as submissions
from tests.finals.test_bootstrap import competition_organizer
from tests.submissions.helpers import score

ROWS = 200
RESAMPLES = 300
LABELS = np.random.default_rng(11).integers(0, 2, ROWS)
SOLUTION = "id,label\n" + "".join(f"{i},{v}\n" for i, v in enumerate(LABELS, start=1))
NOISE = {"알파": 0.35, "베타": 0.45, "감마": 0.5, "델타": 0.9}  # how noisy each team's guess is


def probabilities(noise: float, seed: int) -> np.ndarray:
    """A demo-like model's probabilities: the label blurred by ``noise``, rounded to 4 places."""
    raw = LABELS + np.random.default_rng(seed).normal(0, noise, ROWS)
    return np.round(1 / (1 + np.exp(-4 * (raw - 0.5))), 4)


def predictions_csv(guess: np.ndarray) -> bytes:
    return ("id,label\n" + "".join(f"{i},{p}\n" for i, p in enumerate(guess, start=1))).encode()


def final_file(problem, leader, content: bytes):
    """Store ``content`` as the team's submission (any size) and record a score for it."""
    with unit_of_work(), storage.staged(io.BytesIO(content), 10**9, "file") as staged:
        submission = submissions.submit(problem, leader, staged, "final.csv", "", utcnow())
    return score(submission, 0.5, 0.5)


def finals(make, files: dict[str, bytes]):
    """A closed roc_auc problem whose finalists uploaded ``files`` (team name: content)."""
    competition = make.competition()
    problem = make.problem(competition, solution=SOLUTION, metric="roc_auc")
    for name, content in files.items():
        leader = make.user()
        make.team(competition, leader, name=name)
        final_file(problem, leader, content)
    with unit_of_work():
        problem.closes_at = utcnow()
    organizer = competition_organizer(competition)
    with unit_of_work():
        settings = {"bootstrap_resamples": RESAMPLES, "finalists_per_division": 10}
        services.update_settings(competition, organizer, settings)
        services.shortlist(problem, organizer, utcnow())
    return competition, problem


def stored(competition) -> dict:
    people = judging.competition_finalists(competition)
    rows = stability.of_competition([f.id for f in people])
    return {f.team.name: rows.get(f.id) for f in people}


def expected_bootstrap(problem, guesses: dict[str, np.ndarray]) -> dict:
    """The bootstrap computed here with numpy and scikit-learn only: the private rows of the
    prepared solution, draws of default_rng(problem id), ties sharing the better rank."""
    prepared = pq.read_table(storage.path_of(problem.solution.prepared_key)).to_pydict()
    private = [i for i, side in enumerate(prepared["side"]) if side == "private"]
    ids = [int(prepared["id"][i]) for i in private]
    truth = np.array([int(prepared["target.0"][i]) for i in private])
    names = list(guesses)
    rng, ranks = np.random.default_rng(problem.id), []
    for _ in range(RESAMPLES):
        draw = rng.integers(0, len(ids), len(ids))
        if len(set(truth[draw])) < 2:
            continue
        scores = [roc_auc_score(truth[draw], guesses[n][np.array(ids) - 1][draw]) for n in names]
        ranks.append([1 + sum(other > mine for other in scores) for mine in scores])
    table = np.array(ranks)
    return {name: (int(np.percentile(table[:, i], 2.5, method="nearest")),
                   int(np.percentile(table[:, i], 97.5, method="nearest")),
                   float(np.mean(table[:, i] == 1)), len(table))
            for i, name in enumerate(names)}  # fmt: skip


@pytest.mark.parametrize("warm", [True, False], ids=["warm", "cold"])
def test_the_sandboxed_bootstrap_equals_one_computed_with_numpy_and_sklearn(app, make, warm):
    """On the warm sandbox (SCORING_WARM) and on a fresh one per file alike."""
    app.config["SCORING_WARM"] = warm
    guesses = {name: probabilities(noise, seed) for seed, (name, noise) in enumerate(NOISE.items())}
    competition, problem = finals(make, {n: predictions_csv(g) for n, g in guesses.items()})
    assert stability.compute(problem.id) == len(NOISE)
    found = {name: (row.rank_low, row.rank_high, pytest.approx(row.p_first), row.resamples)
             for name, row in stored(competition).items()}  # fmt: skip
    expected = expected_bootstrap(problem, guesses)
    assert found == expected
    # not all alike (the split's salt is random, so no fixed share for the best team)
    assert expected["델타"][0] > 1 and expected["알파"][2] > expected["델타"][2]


def test_the_worker_process_parses_no_team_file(make, monkeypatch):
    """Every CSV and parquet reader of the worker's own interpreter refuses to run: the
    bootstrap still comes out, so the files were read in the sandbox only."""
    guesses = {name: probabilities(noise, seed) for seed, (name, noise) in enumerate(NOISE.items())}
    competition, problem = finals(make, {n: predictions_csv(g) for n, g in guesses.items()})
    import pandas
    import pyarrow.csv
    import pyarrow.parquet

    def refuse(*args, **kwargs):
        raise AssertionError("the worker parsed a file itself")

    for module, name in ((pyarrow.csv, "read_csv"), (pyarrow.csv, "open_csv"),
                         (pandas, "read_csv"), (pyarrow.parquet, "read_table")):  # fmt: skip
        monkeypatch.setattr(module, name, refuse)
    assert stability.compute(problem.id) == len(NOISE)
    assert all(row.excluded is None for row in stored(competition).values())


def test_a_hostile_file_is_stopped_in_its_job_and_reported(app, make, client, login):
    """One finalist's file costs far more than the CPU limit, another's is not predictions:
    each is left out with its reason, the others are still ranked, and judges see why."""
    guesses = {name: probabilities(noise, seed) for seed, (name, noise) in enumerate(NOISE.items())}
    heavy = b"id,label\n" + b"".join(b"%d,0.5\n" % i for i in range(1, 8_000_000))
    files = {name: predictions_csv(guesses[name]) for name in ("알파", "베타")}
    picture = b"\x89PNG\r\n\x1a\n" * 8
    competition, problem = finals(make, {**files, "무거운팀": heavy, "엉뚱한팀": picture})
    app.config.update(SCORING_CPU_SECONDS=1, SCORING_WALL_SECONDS=10)
    assert stability.compute(problem.id) == 2
    rows = stored(competition)
    assert rows["무거운팀"].excluded.startswith("Scoring used more CPU time than allowed.")
    assert rows["엉뚱한팀"].excluded == "This is not a CSV text file: it looks like a PNG image."
    assert rows["무거운팀"].rank_low is None and rows["엉뚱한팀"].p_first is None
    expected = expected_bootstrap(problem, {n: guesses[n] for n in ("알파", "베타")})
    assert {n: (rows[n].rank_low, rows[n].rank_high, rows[n].resamples) for n in expected} == {
        n: (low, high, counted) for n, (low, high, _, counted) in expected.items()
    }
    judge = make.user()
    make.role(competition, judge, Role.JUDGE)
    login(judge)
    page = client.get(f"/c/{competition.slug}/judging").text
    assert "Left out of the rank stability: Scoring used more CPU time than allowed." in page
    assert page.count("data-stability>") == 2


def test_a_file_undefined_on_some_resamples_does_not_drop_them_for_everyone(make):
    """A finalist's RMSE sits just under the largest float: on about half the resamples
    (those that draw its huge rows more often) it overflows. Those resamples still count
    for the others; the file is left out with the reason instead of choosing which
    resamples rank everyone else."""
    truth = np.random.default_rng(5).normal(0, 1, ROWS)
    solution = "id,y\n" + "".join(f"{i},{float(v)!r}\n" for i, v in enumerate(truth, start=1))
    competition = make.competition()
    problem = make.problem(competition, solution=solution, metric="rmse", id_column="id",
                           prediction_columns=["y"])  # fmt: skip
    prepared = pq.read_table(storage.path_of(problem.solution.prepared_key)).to_pydict()
    private = [int(i) - 1 for i, side in zip(prepared["id"], prepared["side"], strict=True)
               if side == "private"]  # fmt: skip
    chosen = private[: len(private) // 2]  # together just under the largest float
    attack = truth.copy()
    attack[chosen] += np.sqrt(np.finfo(float).max * 0.999 / len(chosen))
    guesses = {"알파": truth + 0.1, "베타": truth + 0.3, "공격팀": attack}
    for name, guess in guesses.items():
        leader = make.user()
        make.team(competition, leader, name=name)
        body = "id,y\n" + "".join(f"{i},{float(v)!r}\n" for i, v in enumerate(guess, start=1))
        final_file(problem, leader, body.encode())
    with unit_of_work():
        problem.closes_at = utcnow()
        settings = {"bootstrap_resamples": RESAMPLES, "finalists_per_division": 10}
        organizer = competition_organizer(competition)
        services.update_settings(competition, organizer, settings)
        services.shortlist(problem, organizer, utcnow())
    assert stability.compute(problem.id) == 2
    rows = stored(competition)
    assert rows["공격팀"].excluded == stability.UNDEFINED_ALONE
    assert rows["알파"].resamples == rows["베타"].resamples == RESAMPLES
    assert (rows["알파"].rank_low, rows["알파"].rank_high, rows["알파"].p_first) == (1, 1, 1.0)
