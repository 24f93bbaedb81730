"""A Codabench task upload (a zip with task.yaml) becomes a draft problem of an existing
competition, scores through the real worker what its programs give by hand, and a bad one
lists every mistake with its file and key and leaves nothing behind."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from judge.core import storage
from judge.core.extensions import db
from judge.problems.models import Problem
from judge.submissions import jobs
from judge.submissions.models import Status, Submission
from tests.bundles.conftest import publish_without_baseline
from tests.bundles.test_bundles import problems_of, write_bundle, zipped
from tests.submissions.helpers import submit

TASK_YAML = """
name: Parity of numbers
description: Say which numbers are even.
is_public: false
scoring_program: scoring_program.zip
ingestion_program: ingestion_program/
reference_data: reference_data/
input_data: input_data/
ingestion_only_during_scoring: true
"""
INGESTION = """
import importlib.util, os, sys
data, output, team = sys.argv[1:4]
spec = importlib.util.spec_from_file_location("model", os.path.join(team, "model.py"))
model = importlib.util.module_from_spec(spec)
spec.loader.exec_module(model)
numbers = open(os.path.join(data, "numbers.txt")).read().split()
with open(os.path.join(output, "answers.tmp"), "w") as out:
    out.write("\\n".join(str(model.even(int(n))) for n in numbers))
os.rename(os.path.join(output, "answers.tmp"), os.path.join(output, "answers.txt"))
"""
# It runs beside the ingestion program (ingestion_only_during_scoring): it waits for the answers.
SCORER = """
import json, os, sys, time
reference, predictions, output = sys.argv[1:4]
while not os.path.exists(os.path.join(predictions, "answers.txt")):
    time.sleep(0.05)
truth = open(os.path.join(reference, "even.solution")).read().split()
guess = open(os.path.join(predictions, "answers.txt")).read().split()
json.dump({"score": sum(t == g for t, g in zip(truth, guess)) / len(truth)},
          open(os.path.join(output, "scores.json"), "w"))
"""
MODEL = "def even(n):\n    return n % 2 == 0 and n != 6\n"
FILES = {
    "task.yaml": TASK_YAML,
    "scoring_program.zip": zipped({
        "score.py": SCORER,
        "metadata.yaml": "command: python3 $program/score.py $hidden $predictions $output\n"}),
    "ingestion_program/ingest.py": INGESTION,
    "ingestion_program/metadata.yaml":
        "command: python3 $ingestion_program/ingest.py $input $output $submission_program\n",
    "input_data/numbers.txt": "1 2 3 4 5 6 7 8\n",
    "reference_data/even.solution": "False\nTrue\nFalse\nTrue\nFalse\nTrue\nFalse\nTrue\n",
}  # fmt: skip


def by_hand(root: Path) -> float:
    """The same programs, outside the platform, in Codabench's layout."""
    for name, content in {**FILES, "ingested_program/model.py": MODEL}.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content if isinstance(content, bytes) else content.encode())
    subprocess.run(["unzip", "-q", root / "scoring_program.zip", "-d", root / "scoring"],
                   check=True)  # fmt: skip
    for folder in ("predictions", "scores"):
        (root / folder).mkdir()
    subprocess.run([sys.executable, root / "ingestion_program/ingest.py", root / "input_data",
                    root / "predictions", root / "ingested_program"],
                   cwd=root / "ingestion_program", check=True)  # fmt: skip
    subprocess.run([sys.executable, root / "scoring/score.py", root / "reference_data",
                    root / "predictions", root / "scores"], cwd=root / "scoring",
                   check=True)  # fmt: skip
    return json.loads((root / "scores/scores.json").read_text())["score"]


def test_a_task_upload_imports_into_the_competition_and_scores_as_by_hand(
    runner, competition, make, tmp_path
):
    upload = write_bundle(tmp_path / "task.zip", FILES)
    result = runner.invoke(args=["import-bundle", str(upload), "--competition", competition.slug])
    assert result.exit_code == 0, result.output
    assert "imported parity-of-numbers: Parity of numbers" in result.output
    assert "Not used: is_public" in result.output
    assert (
        "ingestion_only_during_scoring: the ingestion program (with the team's code) and "
        "the scoring program run at the same time"
    ) in result.output
    assert "Codabench's default codalab/codalab-legacy:py37 applies" in result.output
    assert "The bundle names no leaderboard column; the program's “score” ranks" in result.output
    [problem] = problems_of(competition)
    assert problem.submission_kind.value == "code" and problem.ingestion_program_key
    assert problem.baseline_required and problem.published_at is None
    assert "Say which numbers are even." in problem.description
    assert problem.files == []  # the input data stays hidden, the reference data too
    problem.opens_at = problem.closes_at = None
    publish_without_baseline(problem)
    db.session.commit()
    leader = make.user()
    make.team(competition, leader)
    submission = submit(problem, leader, zipped({"model.py": MODEL}), "model.zip")
    jobs.score_submission(submission.id, "test-worker")
    db.session.expire_all()
    submission = db.session.get(Submission, submission.id)
    assert submission.status == Status.SCORED, submission.log
    expected = by_hand(tmp_path / "by-hand")
    assert expected == 0.875
    assert submission.public_score == submission.private_score == expected


def test_a_task_upload_on_the_import_page(client, login, competition):
    organizer = competition.roles[0].user
    login(organizer)
    page = client.post(f"/c/{competition.slug}/manage/bundle",
                       data={"bundle": (io.BytesIO(zipped(FILES)), "task.zip")}).text  # fmt: skip
    assert "Parity of numbers" in page and "Not used: is_public" in page
    assert [p.slug for p in problems_of(competition)] == ["parity-of-numbers"]


def test_a_bad_task_upload_lists_every_mistake_and_keeps_nothing(runner, competition,
                                                                 tmp_path):  # fmt: skip
    before = {p for p in storage.root().rglob("*") if p.is_file()} if storage.root().exists() \
        else set()  # fmt: skip
    bad = {"task.yaml": "description: no name\n"
                        "scoring_program: {key: 5f0c8c3e-8d8b-4c8e-9d8e-2f1e2c3d4b5a}\n"
                        "reference_data: missing/\n"
                        "input_data: 7d3e1f2a-0b4c-4d5e-8f6a-1b2c3d4e5f6a\n"}  # fmt: skip
    upload = write_bundle(tmp_path / "bad.zip", bad)
    result = runner.invoke(args=["import-bundle", str(upload), "--competition", competition.slug])
    assert result.exit_code != 0
    for line in (
        "task.yaml: name: a task needs a name.",
        "task.yaml: scoring_program: “5f0c8c3e-8d8b-4c8e-9d8e-2f1e2c3d4b5a” is a Codabench "
        "dataset key; judge cannot fetch it",
        "task.yaml: input_data: “7d3e1f2a-0b4c-4d5e-8f6a-1b2c3d4e5f6a” is a Codabench dataset key",
        "task.yaml: reference_data names “missing/”, which is not in the bundle.",
    ):
        assert line in result.output
    assert db.session.scalars(sa.select(Problem)).all() == []
    blobs = {p for p in (storage.root() / "blobs").rglob("*") if p.is_file()}
    assert blobs <= before
