"""Computed leaderboard columns (Codabench's ``computation`` over ``computation_indexes``):
kept at import, computed from the program's values when a submission is scored, shown and
ranked like any column, and exported back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import yaml

from judge.core.extensions import db
from judge.submissions import jobs
from judge.submissions.models import Status, Submission
from tests.bundles.conftest import publish_without_baseline
from tests.bundles.test_bundles import problems_of, write_bundle, zipped
from tests.submissions.helpers import submit

TRUTH = "id,label\n" + "".join(f"r{i},{i % 2}\n" for i in range(20))
# acc_1 on the first ten rows, acc_2 on the last ten; it also writes "best" itself, which the
# platform computes instead (as Codabench does).
SCORER = """
import json, os, sys
def rows(*parts):
    return [line.split(",") for line in open(os.path.join(*parts)).read().split()[1:]]
ref, res = rows(sys.argv[1], "ref", "truth.csv"), dict(rows(sys.argv[1], "res", "pred.csv"))
hits = [res.get(key) == value for key, value in ref]
scores = {"acc_1": sum(hits[:10]) / 10, "acc_2": sum(hits[10:]) / 10, "best": 999}
json.dump(scores, open(os.path.join(sys.argv[2], "scores.json"), "w"))
"""
METADATA = "command: python $program/score.py $input $output\n"
PROGRAM = {"score.py": SCORER, "metadata.yaml": METADATA}
COLUMNS = """
      - {title: Best half, key: best, index: 0, sorting: desc, precision: 3, computation: max,
         computation_indexes: [1, 2]}
      - {title: First half, key: acc_1, index: 1, precision: 3}
      - {title: Second half, key: acc_2, index: 2, precision: 3}
      - {title: Total, key: total, index: 3, computation: sum, computation_indexes: "1,2"}
"""


def bundle_yaml(columns: str = COLUMNS) -> str:
    return f"""
version: 2
title: Halves
tasks:
  - {{index: 0, name: Halves, scoring_program: scoring_program/, reference_data: reference/}}
phases:
  - {{index: 0, name: Only, tasks: [0]}}
leaderboards:
  - index: 0
    title: Results
    key: main
    columns:{columns}"""


def import_bundle(runner, competition, tmp_path, columns: str = COLUMNS):
    files = {"competition.yaml": bundle_yaml(columns), "reference/truth.csv": TRUTH,
             **{f"scoring_program/{name}": text for name, text in PROGRAM.items()}}  # fmt: skip
    bundle = write_bundle(tmp_path / "computed.zip", files)
    return runner.invoke(args=["import-bundle", str(bundle), "--competition", competition.slug])


def predictions(right_first: int, right_second: int) -> str:
    """Predictions right on the first ``right_first`` rows of each half."""
    lines = [f"r{i},{i % 2 if (i % 10) < (right_first if i < 10 else right_second) else 7}"
             for i in range(20)]  # fmt: skip
    return "id,label\n" + "\n".join(lines) + "\n"


def by_hand(tmp_path: Path, content: str) -> dict:
    """The same scoring program run outside the platform, in Codabench's layout."""
    root = tmp_path / "by-hand"
    for name, text in {"program/score.py": SCORER, "input/ref/truth.csv": TRUTH,
                       "input/res/pred.csv": content}.items():  # fmt: skip
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    (root / "output").mkdir()
    subprocess.run([sys.executable, root / "program/score.py", root / "input", root / "output"],
                   check=True, env={**os.environ})  # fmt: skip
    return json.loads((root / "output/scores.json").read_text())


def scored(problem, user, content: str) -> Submission:
    submission = submit(problem, user, content.encode(), "pred.csv")
    jobs.score_submission(submission.id, "test-worker")
    db.session.expire_all()
    return db.session.get(Submission, submission.id)


def test_computed_columns_are_kept_computed_ranked_and_exported(runner, api, competition, make,
                                                                tmp_path):  # fmt: skip
    result = import_bundle(runner, competition, tmp_path)
    assert result.exit_code == 0, result.output
    [problem] = problems_of(competition)
    assert [(c["key"], c.get("computation"), c.get("inputs")) for c in problem.score_columns] == [
        ("best", "max", ["acc_1", "acc_2"]), ("acc_1", None, None), ("acc_2", None, None),
        ("total", "sum", ["acc_1", "acc_2"])]  # fmt: skip
    problem.opens_at = problem.closes_at = None
    publish_without_baseline(problem)
    db.session.commit()
    first, second = make.user(), make.user()
    make.team(competition, first, name="Evenly")
    make.team(competition, second, name="One good half")
    even, lopsided = predictions(7, 7), predictions(2, 9)

    mine = scored(problem, first, even)
    assert mine.status == Status.SCORED, mine.log
    hand = by_hand(tmp_path, even)
    details = mine.scores[0].details
    assert details == {"best": max(hand["acc_1"], hand["acc_2"]), "acc_1": hand["acc_1"],
                       "acc_2": hand["acc_2"], "total": hand["acc_1"] + hand["acc_2"]}  # fmt: skip
    assert mine.public_score == mine.private_score == 0.7  # the computed primary, not the 999
    assert "Reported for computed columns" in mine.log and "best" in mine.log
    theirs = scored(problem, second, lopsided)
    assert theirs.public_score == 0.9 and theirs.scores[0].details["total"] == 1.1

    board = api.get(f"/problems/{problem.id}/leaderboard", as_=first).get_json()
    assert [c["key"] for c in board["columns"]] == ["best", "acc_1", "acc_2", "total"]
    assert [row["team"] for row in board["rows"]] == ["One good half", "Evenly"]
    assert board["rows"][0]["details"]["best"] == 0.9

    out = tmp_path / "export.zip"
    exported = runner.invoke(args=["export-bundle", str(out), "--competition", competition.slug,
                                   "--problem", problem.slug])  # fmt: skip
    assert exported.exit_code == 0, exported.output
    with zipfile.ZipFile(out) as bundle:
        columns = yaml.safe_load(bundle.read("competition.yaml"))["leaderboards"][0]["columns"]
    assert [(c["key"], c.get("computation"), c.get("computation_indexes")) for c in columns] == [
        ("best", "max", [1, 2]), ("acc_1", None, None), ("acc_2", None, None),
        ("total", "sum", [1, 2])]  # fmt: skip
    target = make.competition()
    again = runner.invoke(args=["import-bundle", str(out), "--competition", target.slug])
    assert again.exit_code == 0, again.output
    assert problems_of(target)[0].score_columns == problem.score_columns


def test_computations_judge_cannot_compute_are_said_and_bad_ones_refused(runner, competition,
                                                                         tmp_path):  # fmt: skip
    ranked = COLUMNS + ("      - {title: Mean rank, key: rank, index: 4, computation: avg_rank,"
                        " computation_indexes: [1, 2]}\n")  # fmt: skip
    result = import_bundle(runner, competition, tmp_path, ranked)
    assert result.exit_code == 0, result.output
    assert "Not used: leaderboards[0].columns[4] (rank): computation avg_rank" in result.output
    [problem] = problems_of(competition)
    assert "rank" not in [c["key"] for c in problem.score_columns]

    bad = COLUMNS.replace("computation: sum", "computation: median").replace(
        "computation_indexes: [1, 2]", "computation_indexes: [1, 9]"
    )
    result = import_bundle(runner, competition, tmp_path, bad)
    assert result.exit_code != 0
    assert ("competition.yaml: leaderboards[0].columns[0].computation_indexes: “[1, 9]” must "
            "name the indexes of other columns of the leaderboard that are not computed.") in (
        result.output)  # fmt: skip
    assert (
        "competition.yaml: leaderboards[0].columns[3].computation: “median” is not one of "
        "avg, sum, min, max."
    ) in result.output


CODALAB_YAML = """
title: Legacy with an average
end_date: 2026-12-31
html: {overview: overview.html}
phases:
  1: {phasenumber: 1, label: Final, start_date: 2026-12-01, scoring_program: program.zip,
      reference_data: reference.zip}
leaderboard:
  leaderboards:
    RESULTS: &RESULTS {label: Results, rank: 1}
  columns:
    acc_1: {leaderboard: *RESULTS, label: First, rank: 1}
    acc_2: {leaderboard: *RESULTS, label: Second, rank: 2}
    average: {leaderboard: *RESULTS, label: Average, rank: 3,
              computed: {operation: Avg, fields: "acc_1, acc_2"}}
"""


def test_a_codalab_average_of_ranks_is_left_out_and_said(runner, competition, tmp_path):
    bundle = write_bundle(tmp_path / "old.zip", {
        "competition.yaml": CODALAB_YAML, "overview.html": "<p>Hi</p>",
        "program.zip": zipped(PROGRAM), "reference.zip": zipped({"truth.csv": TRUTH})})  # fmt: skip
    result = runner.invoke(args=["import-bundle", str(bundle), "--competition", competition.slug])
    assert result.exit_code == 0, result.output
    assert (
        "Not used: leaderboard.columns.average.computed: CodaLab computes it from ranks over "
        "the whole leaderboard; judge leaves the column out"
    ) in result.output
    [problem] = problems_of(competition)
    assert [c["key"] for c in problem.score_columns] == ["acc_1", "acc_2"]
