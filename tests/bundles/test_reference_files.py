"""A scoring program receives the reference data exactly as the bundle holds it, in
$input/ref, and scores through the sandbox as it scores when run by hand."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from judge.core import storage
from judge.core.errors import Invalid
from judge.core.extensions import db
from judge.problems import programs
from judge.problems.models import Problem
from judge.submissions import jobs
from judge.submissions.models import Status, Submission
from tests.bundles.conftest import publish_without_baseline
from tests.bundles.test_bundles import write_bundle, zipped
from tests.submissions.helpers import submit

# A CodaLab-style program: whitespace matrices, a helper folder, scores.txt.
SCORER = """
import os, sys
ref, res = os.path.join(sys.argv[1], "ref"), os.path.join(sys.argv[1], "res")
def matrix(path):
    return [line.split() for line in open(path) if line.strip()]
truth = matrix(os.path.join(ref, "testing_label"))
weights = [float(w) for w in open(os.path.join(ref, "meta", "weights.txt")).read().split()]
guess = matrix(os.path.join(res, "test.predict"))
if len(truth) != len(guess):
    sys.exit("Shape mismatch")
hits = sum(w for w, t, g in zip(weights, truth, guess) if t == g)
gap = sum(abs(float(a) - float(b)) for t, g in zip(truth, guess) for a, b in zip(t, g))
with open(os.path.join(sys.argv[2], "scores.txt"), "w") as out:
    out.write(f"acc: {hits / sum(weights)}\\nmae: {gap / len(truth)}\\n")
"""
TRUTH = "".join(f"{i % 3} {i % 5}\n" for i in range(40))
WEIGHTS = " ".join(str(1 + i % 4) for i in range(40))
GUESS = "".join(f"{i % 3} {(i % 5) if i % 7 else 0}\n" for i in range(40))
YAML = """
version: 2
title: Matrices
tasks:
  - index: 0
    name: Matrix task
    scoring_program: scoring_program/
    reference_data: reference_data/
phases:
  - {index: 0, name: Only, tasks: [0]}
leaderboards:
  - index: 0
    title: Results
    key: main
    columns:
      - {title: Accuracy, key: acc, index: 0, sorting: desc, precision: 4}
      - {title: MAE, key: mae, index: 1, sorting: asc, precision: 3}
"""
FILES = {"scoring_program/score.py": SCORER,
         "scoring_program/metadata.yaml": "command: python $program/score.py $input $output\n",
         "reference_data/testing_label": TRUTH,
         "reference_data/meta/weights.txt": WEIGHTS}  # fmt: skip


def by_hand(tmp: Path) -> dict[str, float]:
    """The program run outside the platform, on the same files, in CodaLab's layout."""
    for name, text in FILES.items():
        part, _, rest = name.partition("/")
        target = tmp / {"scoring_program": "program", "reference_data": "input/ref"}[part] / rest
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    (tmp / "input/res").mkdir()
    (tmp / "input/res/test.predict").write_text(GUESS)
    (tmp / "output").mkdir()
    subprocess.run([sys.executable, tmp / "program/score.py", tmp / "input", tmp / "output"],
                   cwd=tmp / "program", check=True)  # fmt: skip
    lines = (tmp / "output/scores.txt").read_text().splitlines()
    return {key: float(value) for key, value in (line.split(":") for line in lines)}


def test_reference_files_score_as_the_program_scores_by_hand(runner, competition, make,
                                                             tmp_path):  # fmt: skip
    bundle = write_bundle(tmp_path / "b.zip", {"competition.yaml": YAML, **FILES})
    result = runner.invoke(args=["import-bundle", str(bundle), "--competition", competition.slug])
    assert result.exit_code == 0, result.output
    assert "exactly one CSV" not in result.output
    problem = db.session.scalars(sa.select(Problem).where(Problem.competition == competition)).one()
    with zipfile.ZipFile(storage.path_of(problem.solution.storage_key)) as kept:
        assert sorted(kept.namelist()) == ["meta/weights.txt", "testing_label"]
        assert kept.read("testing_label").decode() == TRUTH
    problem.opens_at = problem.closes_at = None
    publish_without_baseline(problem)
    db.session.commit()
    leader = make.user()
    make.team(competition, leader)
    submission = submit(problem, leader, zipped({"test.predict": GUESS}), "predictions.zip")
    jobs.score_submission(submission.id, "test-worker")
    db.session.expire_all()
    submission = db.session.get(Submission, submission.id)
    assert submission.status == Status.SCORED, submission.log
    expected = by_hand(tmp_path / "hand")
    assert 0 < expected["acc"] < 1 and expected["mae"] > 0
    assert submission.public_score == submission.private_score == expected["acc"]
    assert {s.split.value: s.details for s in submission.scores} == {
        "public": expected, "private": expected}  # fmt: skip
    assert "one run on all the reference data" in submission.log


def test_staff_download_the_reference_files_and_teams_never(client, login, runner, competition,
                                                            make, tmp_path):  # fmt: skip
    bundle = write_bundle(tmp_path / "b.zip", {"competition.yaml": YAML, **FILES})
    assert runner.invoke(args=["import-bundle", str(bundle), "--competition",
                               competition.slug]).exit_code == 0  # fmt: skip
    problem = db.session.scalars(sa.select(Problem).where(Problem.competition == competition)).one()
    problem.opens_at = problem.closes_at = None
    publish_without_baseline(problem)
    db.session.commit()
    url = f"/c/{competition.slug}/p/{problem.slug}/solution"
    leader = make.user()
    make.team(competition, leader)
    login(leader)
    assert client.get(url).status_code == 403
    login(competition.roles[0].user)
    response = client.get(url)
    assert response.status_code == 200
    assert "reference_data.zip" in response.headers["Content-Disposition"]
    manage = client.get(f"/c/{competition.slug}/p/{problem.slug}/manage").text
    assert "reference_data.zip" in manage and "0 in all" not in manage


def test_a_built_in_metric_cannot_take_over_reference_files(runner, competition, tmp_path):
    bundle = write_bundle(tmp_path / "b.zip", {"competition.yaml": YAML, **FILES})
    assert runner.invoke(args=["import-bundle", str(bundle), "--competition",
                               competition.slug]).exit_code == 0  # fmt: skip
    problem = db.session.scalars(sa.select(Problem).where(Problem.competition == competition)).one()
    with pytest.raises(Invalid, match="upload a solution CSV"):
        programs.detach_program(problem)
    assert problem.mode.scored_by_program
