"""A CodaLab 1.8 bundle: its parallel parent phase only groups the phases that share its
start, its image is ``competition_docker_image``, and a phase with
``ingestion_program_only_during_scoring`` runs its ingestion program before the unchanged
scoring program, which waits for the ingestion's output as 1.8 programs do and scores
through the real worker exactly what both programs give run side by side by hand."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from judge.core.extensions import db
from judge.scoring.code import limits as code_limits
from judge.submissions import jobs
from judge.submissions.models import Status, Submission
from tests.bundles.conftest import publish_without_baseline
from tests.bundles.test_bundles import problems_of, write_bundle, zipped
from tests.submissions.helpers import submit

YAML = """
title: Parallel datasets
competition_docker_image: codalab/codalab-legacy:py39
end_date: 2027-03-01
html:
  overview: overview.html
  terms: terms.html
phases:
  1:
    phasenumber: 1
    label: All datasets
    start_date: 2027-01-01
    is_parallel_parent: True
  2:
    phasenumber: 2
    label: Dataset A
    start_date: 2027-01-01
    parent_phasenumber: 1
    execution_time_limit: 120
    max_submissions_per_day: 4
    ingestion_program_only_during_scoring: True
    ingestion_program: ingestion_program.zip
    input_data: input_a.zip
    scoring_program: scoring_program.zip
    reference_data: reference_a.zip
  3:
    phasenumber: 3
    label: Dataset B
    start_date: 2027-01-01
    parent_phasenumber: 1
    ingestion_program_only_during_scoring: True
    ingestion_program: ingestion_program.zip
    input_data: input_b.zip
    scoring_program: scoring_program.zip
    reference_data: reference_b.zip
leaderboard:
  leaderboards:
    RESULTS: &RESULTS
      label: Results
      rank: 1
  columns:
    auc:
      leaderboard: *RESULTS
      label: Accuracy
      rank: 1
      numeric_format: 3
    seconds:
      leaderboard: *RESULTS
      label: Time
      rank: 2
      hidden: True
"""
# Announces itself, then writes one prediction file per batch, then says it is done: the
# way 1.8 ingestion programs talk to a scoring program running beside them.
INGESTION = """
import importlib.util, os, sys, time
data, predictions, team = sys.argv[1:4]
open(os.path.join(predictions, "start.txt"), "w").write(str(time.time()))
spec = importlib.util.spec_from_file_location("model", os.path.join(team, "model.py"))
model = importlib.util.module_from_spec(spec)
spec.loader.exec_module(model)
numbers = open(os.path.join(data, "numbers.txt")).read().split()
for batch in range(0, len(numbers), 3):
    with open(os.path.join(predictions, f"batch{batch // 3}.predict"), "w") as out:
        out.write(" ".join(str(model.predict(int(n))) for n in numbers[batch:batch + 3]))
    time.sleep(0.2)
open(os.path.join(predictions, "end.txt"), "w").write(str(time.time()))
"""
# Waits for the ingestion to start and to end (up to 60 s), as 1.8 scoring programs do.
SCORER = """
import glob, json, os, sys, time
reference, predictions, output = sys.argv[1:4]
waited = 0.0
while not os.path.exists(os.path.join(predictions, "end.txt")):
    if waited > 60:
        sys.exit("the ingestion program never ended")
    time.sleep(0.1)
    waited += 0.1
began = float(open(os.path.join(predictions, "start.txt")).read())
ended = float(open(os.path.join(predictions, "end.txt")).read())
files = sorted(glob.glob(os.path.join(predictions, "batch*.predict")),
               key=lambda p: int(os.path.basename(p)[5:-8]))
guess = " ".join(open(p).read() for p in files).split()
truth = open(os.path.join(reference, "labels")).read().split()
json.dump({"auc": sum(t == g for t, g in zip(truth, guess)) / len(truth),
           "seconds": ended - began}, open(os.path.join(output, "scores.json"), "w"))
"""
INGEST_CMD = (
    "command: python $ingestion_program/ingest.py $input $predictions $submission_program\n"
)
SCORE_CMD = "command: python $program/score.py $hidden $predictions $output\n"
MODEL = "def predict(n):\n    return n % 3 == 0\n"
NUMBERS = "3 4 5 6 7 9 10 12\n"
LABELS = "True False False True True True False False\n"
FILES = {
    "competition.yaml": YAML,
    "overview.html": "<p>Two datasets, one submission.</p>",
    "terms.html": "<p>Be fair.</p>",
    "ingestion_program.zip": zipped({"ingest.py": INGESTION, "metadata": INGEST_CMD}),
    "scoring_program.zip": zipped({"score.py": SCORER, "metadata": SCORE_CMD}),
    "input_a.zip": zipped({"numbers.txt": NUMBERS}),
    "reference_a.zip": zipped({"labels": LABELS}),
    "input_b.zip": zipped({"numbers.txt": "1 2 3\n"}),
    "reference_b.zip": zipped({"labels": "False False True\n"}),
}


def side_by_side(root: Path) -> float:
    """Both programs started together outside the platform, as CodaLab's parallel mode runs
    them: the ingestion writes into the folder the scoring program reads as $predictions."""
    for name, text in {"ingest/ingest.py": INGESTION, "score/score.py": SCORER,
                       "input_data/numbers.txt": NUMBERS, "ref/labels": LABELS,
                       "team/model.py": MODEL}.items():  # fmt: skip
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    for folder in ("res", "output"):
        (root / folder).mkdir()
    scoring = subprocess.Popen([sys.executable, root / "score/score.py", root / "ref",
                                root / "res", root / "output"], cwd=root / "score")  # fmt: skip
    subprocess.run([sys.executable, root / "ingest/ingest.py", root / "input_data",
                    root / "res", root / "team"], cwd=root / "ingest", check=True)  # fmt: skip
    assert scoring.wait(timeout=90) == 0
    return json.loads((root / "output/scores.json").read_text())["auc"]


def test_a_codalab_18_bundle_with_parallel_ingestion_scores_as_by_hand(
    runner, competition, make, tmp_path
):
    bundle = write_bundle(tmp_path / "v18.zip", FILES)
    result = runner.invoke(args=["import-bundle", str(bundle), "--competition", competition.slug])
    assert result.exit_code == 0, result.output
    assert "phases[1]: a parallel parent phase (CodaLab 1.8) only groups" in result.output
    assert (
        "phases[2].ingestion_program_only_during_scoring: the ingestion program (with "
        "the team's code) and the scoring program run at the same time"
    ) in result.output
    first, second = sorted(problems_of(competition), key=lambda p: p.id)
    # Codabench keeps the sub-phases as phases (it drops the parent): one series, two phases.
    assert (first.phase_name, second.phase_name) == ("Dataset A", "Dataset B")
    assert first.title == second.title == "Parallel datasets"
    # Sharing a start, both run to the competition's end (not to each other's start).
    for problem in (first, second):
        assert problem.opens_at == datetime(2027, 1, 1, tzinfo=UTC)
        assert problem.closes_at == datetime(2027, 3, 1, tzinfo=UTC)
    assert first.daily_limit == 4
    assert code_limits.load(first.code_limits).wall_seconds == 120
    assert [c["key"] for c in first.score_columns] == ["auc", "seconds"]
    assert first.score_columns[1].get("hidden") is True
    assert first.score_columns[0]["precision"] == 3
    assert "docker_image: not given" not in result.output  # competition_docker_image is read
    first.opens_at = first.closes_at = None
    publish_without_baseline(first)
    db.session.commit()
    leader = make.user()
    make.team(competition, leader)
    submission = submit(first, leader, zipped({"model.py": MODEL}), "model.zip")
    jobs.score_submission(submission.id, "test-worker")
    db.session.expire_all()
    submission = db.session.get(Submission, submission.id)
    assert submission.status == Status.SCORED, submission.log
    expected = side_by_side(tmp_path / "by-hand")
    assert expected == 0.75
    assert submission.public_score == submission.private_score == expected
