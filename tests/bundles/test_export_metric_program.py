"""The export of a problem scored by a built-in metric carries a scoring program that runs
without judge (Python, numpy, pandas, scikit-learn, as Codabench's images have) and gives the
scores judge gives; a metric it does not cover is said at export."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from judge.core.extensions import db
from judge.submissions import jobs
from judge.submissions.models import Status
from tests.bundles import codabench_rules
from tests.bundles.test_bundles import problems_of
from tests.submissions.helpers import submit

ROWS = 60


def table(rows: list[tuple], header: str) -> str:
    return header + "\n" + "".join(",".join(str(v) for v in row) + "\n" for row in rows)


def labels_case(seed: int) -> tuple[str, str]:
    draw = random.Random(seed)
    truth = [(i, draw.choice(["cat", "dog", "owl"])) for i in range(ROWS)]
    guess = [(i, label if draw.random() < 0.6 else draw.choice(["cat", "dog", "owl"]))
             for i, label in truth]  # fmt: skip
    draw.shuffle(guess)  # any row order
    return table(truth, "id,label"), table(guess, "id,label")


def values_case(seed: int) -> tuple[str, str]:
    draw = random.Random(seed)
    truth = [(f"r{i}", round(draw.uniform(1, 50), 3)) for i in range(ROWS)]
    guess = [(i, round(v + draw.gauss(0, 3), 3)) for i, v in truth]
    return table(truth, "id,label"), table(guess, "id,label")


def usage_case(seed: int) -> tuple[str, str]:
    draw = random.Random(seed)
    truth = [(i, draw.randint(0, 1), draw.choice(["Public", "Private", "Ignored"]))
             for i in range(ROWS)]  # fmt: skip
    guess = [(i, label if draw.random() < 0.7 else 1 - label) for i, label, _usage in truth]
    return table(truth, "id,label,Usage"), table(guess, "id,label")


def export(runner, problem, target: Path) -> tuple[Path, str]:
    result = runner.invoke(args=["export-bundle", str(target), "--competition",
                                 problem.competition.slug, "--problem", problem.slug])  # fmt: skip
    assert result.exit_code == 0, result.output
    folder = target.with_suffix("")
    with zipfile.ZipFile(target) as bundle:
        bundle.extractall(folder)
    return folder, result.output


def by_hand(folder: Path, solution_name: str, submission: str, root: Path) -> dict:
    """The exported program run outside the platform, in Codabench's scoring layout."""
    for part in ("input/ref", "input/res", "output"):
        (root / part).mkdir(parents=True)
    (root / "input/ref" / solution_name).write_bytes(
        (folder / "reference_data" / solution_name).read_bytes())  # fmt: skip
    (root / "input/res/predictions.csv").write_text(submission)
    program = folder / "scoring_program"
    command = yaml.safe_load((program / "metadata.yaml").read_text())["command"]
    assert command == "python3 $program/score.py $input $output"
    subprocess.run([sys.executable, program / "score.py", root / "input", root / "output"],
                   cwd=program, check=True)  # fmt: skip
    return json.loads((root / "output/scores.json").read_text())


@pytest.mark.parametrize(("metric", "case", "split"), [
    ("accuracy", labels_case, {"public_fraction": 0.3}),
    ("f1_macro", labels_case, {"public_fraction": 0.5}),
    ("rmse", values_case, {"public_fraction": 0.3}),
    ("mae", values_case, {"public_fraction": 0.4}),
    ("r2", values_case, {"public_fraction": 0.3}),
    ("mcc", usage_case, {"split_method": "usage_column", "public_fraction": None}),
])  # fmt: skip
def test_the_exported_program_scores_as_judge_does(
    runner, make, competition, tmp_path, metric, case, split
):
    solution, predictions = case(7)
    problem = make.problem(competition, metric=metric, solution=solution,
                           prediction_columns=["label"], **split)  # fmt: skip
    leader = make.user()
    make.team(competition, leader)
    sent = submit(problem, leader, predictions.encode(), "predictions.csv")
    jobs.score_submission(sent.id, "test-worker")
    db.session.expire_all()
    assert sent.status == Status.SCORED, sent.log
    folder, _output = export(runner, problem, tmp_path / "export.zip")
    assert codabench_rules.refusals(folder) == []
    scores = by_hand(folder, problem.solution.filename, predictions, tmp_path / "run")
    assert scores["public"] == pytest.approx(sent.public_score, rel=1e-12, abs=1e-12)
    assert scores["private"] == pytest.approx(sent.private_score, rel=1e-12, abs=1e-12)


def test_the_program_writes_no_score_for_a_file_judge_refuses(runner, make, competition, tmp_path):
    solution, predictions = labels_case(3)
    problem = make.problem(competition, metric="accuracy", solution=solution,
                           prediction_columns=["label"], public_fraction=0.3)  # fmt: skip
    folder, _output = export(runner, problem, tmp_path / "export.zip")
    short = "\n".join(predictions.splitlines()[:-1]) + "\n"  # one id missing
    root = tmp_path / "run"
    for part in ("input/ref", "input/res", "output"):
        (root / part).mkdir(parents=True)
    (root / "input/ref/solution.csv").write_text(solution)
    (root / "input/res/predictions.csv").write_text(short)
    program = folder / "scoring_program"
    run = subprocess.run([sys.executable, program / "score.py", root / "input", root / "output"],
                         cwd=program, capture_output=True, text=True)  # fmt: skip
    assert run.returncode == 1
    assert "1 ids of the solution are missing." in run.stderr
    assert not (root / "output/scores.json").exists()


def test_an_export_imports_back_scored_by_the_metric_not_the_written_program(
    runner, make, competition, tmp_path
):
    solution, _predictions = values_case(5)
    problem = make.problem(competition, metric="rmse", solution=solution,
                           prediction_columns=["label"], public_fraction=0.3)  # fmt: skip
    export(runner, problem, tmp_path / "export.zip")
    again = make.competition()
    back = runner.invoke(args=["import-bundle", str(tmp_path / "export.zip"), "--competition",
                               again.slug])  # fmt: skip
    assert back.exit_code == 0, back.output
    [copy] = problems_of(again)
    assert copy.mode.name == "metric" and copy.metric == "rmse"
    assert copy.split_salt == problem.split_salt and copy.scoring_program_key is None


def test_a_metric_without_a_written_program_is_said_at_export(runner, make, competition, tmp_path):
    solution = table([(i, i % 2) for i in range(20)], "id,label")
    problem = make.problem(competition, metric="roc_auc", solution=solution,
                           prediction_columns=["label"], public_fraction=0.5)  # fmt: skip
    folder, output = export(runner, problem, tmp_path / "export.zip")
    assert "The metric roc_auc (or its settings) has no scoring program Codabench can run" in output
    assert f"task {problem.title}: no scoring program" in codabench_rules.refusals(folder)
