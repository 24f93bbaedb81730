"""A v2 bundle's ingestion program runs in Codabench's layout (its compute worker's paths,
variables and working directory), and scores what the same programs give by hand."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from judge.core.extensions import db
from judge.problems.models import Problem
from judge.submissions import jobs
from judge.submissions.models import Status, Submission
from tests.bundles.conftest import publish_without_baseline
from tests.bundles.test_bundles import write_bundle, zipped
from tests.submissions.helpers import submit

# Every variable Codabench substitutes for an ingestion program, in one command.
INGEST = ("command: python3 $ingestion_program/ingest.py $input $output $submission_program "
          "$program $hidden $predictions $shared $tmp\n")  # fmt: skip
SCORE = "command: python3 $program/score.py $input $output $predictions $hidden $shared\n"
# Prints what it sees, imports the team's model, predicts one label per input number.
INGESTION = """
import importlib.util, json, os, sys
data, output, team = sys.argv[1:4]
print("SEEN " + json.dumps({"cwd": os.getcwd(), "argv": sys.argv[1:],
                            "input_data": sorted(os.listdir(data)),
                            "team": sorted(os.listdir(team))}))
spec = importlib.util.spec_from_file_location("model", os.path.join(team, "model.py"))
model = importlib.util.module_from_spec(spec)
spec.loader.exec_module(model)
numbers = open(os.path.join(data, "numbers.txt")).read().split()
with open(os.path.join(output, "predictions"), "w") as out:
    out.write(" ".join(str(model.predict(int(n))) for n in numbers))
"""
# Compares the predictions with the whitespace reference; says what it sees too.
SCORER = """
import json, os, sys
inputs, output, predictions, hidden = sys.argv[1:5]
print("SCORING " + json.dumps({"cwd": os.getcwd(), "argv": sys.argv[1:],
                               "shared_writable": os.access(sys.argv[5], os.W_OK)}))
truth = open(os.path.join(hidden, "labels")).read().split()
guess = open(os.path.join(predictions, "predictions")).read().split()
right = sum(t == g for t, g in zip(truth, guess))
with open(os.path.join(output, "scores.json"), "w") as out:
    json.dump({"accuracy": right / len(truth)}, out)
"""
MODEL = "def predict(n):\n    return n % 3 == 0\n"
BUNDLE = """
version: 2
title: Layout
tasks:
  - index: 0
    name: Divisible by three
    scoring_program: scoring_program/
    reference_data: reference_data/
    ingestion_program: ingestion_program/
    input_data: input_data/
phases:
  - {index: 0, name: Development, tasks: [0]}
leaderboards:
  - index: 0
    title: Results
    key: main
    columns:
      - {title: Accuracy, key: accuracy, index: 0, precision: 4}
"""
FILES = {
    "competition.yaml": BUNDLE,
    "ingestion_program/ingest.py": INGESTION,
    "ingestion_program/metadata.yaml": INGEST,
    "input_data/numbers.txt": "3 4 5 6 7 9 10 12\n",
    "scoring_program/score.py": SCORER,
    "scoring_program/metadata.yaml": SCORE,
    "reference_data/labels": "True False False True True True False False\n",
}


def imported(runner, competition, tmp_path) -> Problem:
    bundle = write_bundle(tmp_path / "layout.zip", FILES)
    result = runner.invoke(args=["import-bundle", str(bundle), "--competition", competition.slug])
    assert result.exit_code == 0, result.output
    problem = db.session.scalars(sa.select(Problem).where(Problem.competition == competition)).one()
    problem.opens_at = problem.closes_at = None
    publish_without_baseline(problem)
    db.session.commit()
    return problem


def seen(log: str, tag: str) -> dict:
    line = next(line for line in log.splitlines() if line.startswith(tag))
    return json.loads(line.removeprefix(tag))


def by_hand(root: Path) -> float:
    """Both programs run outside the platform, in a folder laid out like Codabench's
    (program, ingested_program, input_data, output; then input/ref, input/res, shared)."""
    for name, text in FILES.items():
        top, _slash, rest = name.partition("/")
        folder = {"ingestion_program": "ingest", "scoring_program": "score"}.get(top, top)
        target = root / {"reference_data": "input/ref"}.get(folder, folder) / rest
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    (root / "ingested_program").mkdir()
    (root / "ingested_program/model.py").write_text(MODEL)
    for folder in ("predictions", "scores", "shared"):
        (root / folder).mkdir()
    subprocess.run([sys.executable, root / "ingest/ingest.py", root / "input_data",
                    root / "predictions", root / "ingested_program"], cwd=root / "ingest",
                   check=True)  # fmt: skip
    subprocess.run([sys.executable, root / "score/score.py", root / "input", root / "scores",
                    root / "predictions", root / "input/ref", root / "shared"],
                   cwd=root / "score", check=True)  # fmt: skip
    return json.loads((root / "scores/scores.json").read_text())["accuracy"]


def test_an_ingestion_program_runs_in_codabenchs_layout(runner, competition, make, tmp_path):
    problem = imported(runner, competition, tmp_path)
    leader = make.user()
    make.team(competition, leader)
    submission = submit(problem, leader, zipped({"model.py": MODEL}), "model.zip")
    jobs.score_submission(submission.id, "test-worker")
    db.session.expire_all()
    submission = db.session.get(Submission, submission.id)
    assert submission.status == Status.SCORED, submission.log
    ingestion = seen(submission.log, "SEEN ")
    assert ingestion == {
        "cwd": "/app/program",
        "argv": ["/app/input_data", "/app/output", "/app/ingested_program", "/app/program",
                 "/app/input/ref", "/app/output", "/app/shared", "/app/output"],
        "input_data": ["numbers.txt"],
        "team": ["model.py"],
    }  # fmt: skip
    scoring = seen(submission.log, "SCORING ")
    assert scoring == {
        "cwd": "/app/program",
        "argv": ["/app/input", "/app/output", "/app/input/res", "/app/input/ref",
                 "/app/shared"],
        "shared_writable": True,
    }  # fmt: skip
    expected = by_hand(tmp_path / "by-hand")
    assert expected == 0.75
    assert submission.public_score == submission.private_score == expected


# The team's code, imported by the ingestion program, looks for the hidden labels and tries
# to change the sponsor's program and the inputs through the new bind mounts.
PROBE = (
    """import json, os
def _writable(path):
    try:
        open(os.path.join(path, "planted"), "w").close()
        return True
    except OSError:
        return False
print("PROBE " + json.dumps({"ref": os.path.exists("/app/input/ref"),
                             "labels": [p for p in ("/app/input_data/labels", "/in/labels",
                                        "/app/program/labels") if os.path.exists(p)],
                             "program": _writable("/app/program"),
                             "input_data": _writable("/app/input_data"),
                             "own_code": _writable("/app/ingested_program")}))
"""
    + MODEL
)


def test_the_teams_code_in_an_ingestion_run_reaches_no_labels_and_changes_nothing(
    runner, competition, make, tmp_path
):
    problem = imported(runner, competition, tmp_path)
    leader = make.user()
    make.team(competition, leader)
    submission = submit(problem, leader, zipped({"model.py": PROBE}), "model.zip")
    jobs.score_submission(submission.id, "test-worker")
    db.session.expire_all()
    submission = db.session.get(Submission, submission.id)
    assert submission.status == Status.SCORED, submission.log
    assert seen(submission.log, "PROBE ") == {
        "ref": False, "labels": [], "program": False, "input_data": False, "own_code": False
    }  # fmt: skip
    assert submission.public_score == 0.75  # the ingestion program's predictions, untouched
