"""Codabench and CodaLab bundles import as problems that score; exports import unchanged."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from judge.core import storage
from judge.core.extensions import db
from judge.problems.models import Problem
from judge.submissions import jobs
from judge.submissions.models import Status, Submission
from tests.bundles import codabench_rules
from tests.bundles.conftest import publish_without_baseline
from tests.submissions.helpers import submit

TRUTH = "id,label\n" + "".join(f"r{i},{i % 3}\n" for i in range(60))
SCORER = """
import json, os, sys
def rows(*parts):
    return dict(line.split(",") for line in open(os.path.join(*parts)).read().split()[1:])
ref, res = rows(sys.argv[1], "ref", "truth.csv"), rows(sys.argv[1], "res", "pred.csv")
hits = sum(res.get(k) == v for k, v in ref.items())
json.dump({"acc": hits / len(ref), "errors": len(ref) - hits, "debug": 1},
          open(os.path.join(sys.argv[2], "scores.json"), "w"))
"""

CODABENCH_YAML = """
version: 2
title: Defect detection 결함 탐지
description: Find the defects.
image: logo.png
docker_image: codalab/codalab-legacy:py39
pages:
  - title: Evaluation
    file: evaluation.md
tasks:
  - index: 0
    name: Defect task
    is_public: false
    scoring_program: scoring_program.zip
    reference_data: reference_data/
phases:
  - index: 0
    name: Development
    start: 2026-12-01
    end: 2026-12-20
    max_submissions_per_day: 4
    max_submissions: 40
    tasks: [0]
    public_data: public_data/
    auto_migrate_to_this_phase: false
leaderboards:
  - index: 0
    title: Results
    key: main
    columns:
      - {title: Accuracy, key: acc, index: 0, sorting: desc, precision: 3}
      - {title: Errors, key: errors, index: 1, sorting: asc, precision: 0, hidden: false}
"""

CODALAB_YAML = """
title: Legacy challenge
description: An old CodaLab competition.
has_registration: True
end_date: 2026-12-31
html:
  overview: overview.html
  terms: terms.html
phases:
  1:
    phasenumber: 1
    label: Final
    start_date: 2026-12-01
    max_submissions_per_day: 3
    scoring_program: scoring_program.zip
    reference_data: reference_data.zip
    color: blue
leaderboard:
  leaderboards:
    RESULTS: &RESULTS
      label: Results
      rank: 1
  columns:
    acc:
      leaderboard: *RESULTS
      label: Accuracy
      rank: 1
      numeric_format: 4
"""


def zipped(files: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, content in files.items():
            zf.writestr(name, content)
    return buffer.getvalue()


COMMAND = "command: python $program/score.py $input $output\n"
PROGRAM = zipped({"score.py": SCORER, "metadata.yaml": COMMAND})


def write_bundle(path: Path, files: dict[str, str | bytes]) -> Path:
    path.write_bytes(zipped(files))
    return path


def problems_of(competition) -> list[Problem]:
    return list(db.session.scalars(sa.select(Problem).where(Problem.competition == competition)))


def test_a_codabench_bundle_imports_and_scores(runner, competition, make, tmp_path):
    bundle = write_bundle(tmp_path / "b.zip", {
        "competition.yaml": CODABENCH_YAML, "evaluation.md": "Accuracy, then fewer errors.",
        "scoring_program.zip": PROGRAM, "reference_data/truth.csv": TRUTH,
        "public_data/train.csv": "id,x\n1,2\n"})  # fmt: skip
    result = runner.invoke(args=["import-bundle", str(bundle), "--competition", competition.slug])
    assert result.exit_code == 0, result.output
    for key in ("image", "tasks[0].is_public"):
        assert f"Not used: {key}" in result.output
    assert "a problem with phases" not in result.output  # one phase, one task: on its own
    assert "its reference data (1 file) are kept as the bundle holds them" in result.output
    [problem] = problems_of(competition)
    assert problem.title == "Defect task" and problem.slug == "defect-task"
    assert problem.series_id is None and problem.phase_name is None
    assert [c["key"] for c in problem.score_columns] == ["acc", "errors"]
    assert problem.score_columns[1]["higher_is_better"] is False
    assert problem.score_decimals == 3  # the first column's precision
    assert problem.opens_at == datetime(2026, 12, 1, tzinfo=UTC)
    assert (problem.daily_limit, problem.total_limit) == (4, 40)
    assert [f.filename for f in problem.files] == ["train.csv"]
    assert "Accuracy, then fewer errors." in problem.description
    problem.opens_at = problem.closes_at = None
    publish_without_baseline(problem)
    db.session.commit()
    leader = make.user()
    make.team(competition, leader)
    submission = submit(problem, leader, TRUTH.encode(), "pred.csv")
    jobs.score_submission(submission.id, "test-worker")
    db.session.expire_all()
    submission = db.session.get(Submission, submission.id)
    assert submission.status == Status.SCORED, submission.log
    assert submission.public_score == 1.0
    assert "Reported but not on the leaderboard (add columns to show them): debug" in (
        submission.log
    )


def test_a_codalab_bundle_imports(runner, competition, tmp_path):
    bundle = write_bundle(tmp_path / "old.zip", {
        "competition.yaml": CODALAB_YAML, "overview.html": "<p>Hello</p>",
        "terms.html": "<p>Be fair</p>", "scoring_program.zip": PROGRAM,
        "reference_data.zip": zipped({"truth.csv": TRUTH})})  # fmt: skip
    result = runner.invoke(args=["import-bundle", str(bundle), "--competition", competition.slug])
    assert result.exit_code == 0, result.output
    assert "Not used: has_registration" in result.output
    assert "Not used: phases[1].color" in result.output
    [problem] = problems_of(competition)
    assert problem.title == "Final" and problem.daily_limit == 3
    assert problem.closes_at == datetime(2026, 12, 31, tzinfo=UTC)
    assert problem.score_columns == [{"key": "acc", "label": "Accuracy",
                                      "higher_is_better": True, "precision": 4}]  # fmt: skip
    assert "<p>Be fair</p>" in problem.description


@pytest.mark.parametrize(("files", "message"), [
    ({"readme.txt": "no yaml"}, "The bundle has no competition.yaml (nor a task.yaml)."),
    ({"competition.yaml": "version: 2\ntasks:\n  - {index: 0, name: T, reference_data: ref/, "
      "judge: {metric: accuracy}}\n", "ref/a.txt": "x"},
     "competition.yaml, task “T”: ref/: with a built-in metric the reference data must hold "
     "exactly one CSV file"),
    ({"competition.yaml": "version: 2\ntitle: [unclosed\n"}, "competition.yaml is not valid YAML"),
])  # fmt: skip
def test_bad_bundles_explain_and_leave_nothing(runner, competition, tmp_path, files, message):
    before = {p for p in storage.root().rglob("*") if p.is_file()} if storage.root().exists() \
        else set()  # fmt: skip
    bundle = write_bundle(tmp_path / "bad.zip", files)
    result = runner.invoke(args=["import-bundle", str(bundle), "--competition", competition.slug])
    assert result.exit_code != 0
    assert message in result.output
    assert problems_of(competition) == []
    blobs = {p for p in (storage.root() / "blobs").rglob("*") if p.is_file()}
    assert blobs <= before


SETTINGS = ("title", "description", "metric", "higher_is_better", "id_column",
            "prediction_columns", "split_method", "public_fraction", "split_salt", "daily_limit",
            "min_interval_seconds", "total_limit", "failed_daily_limit", "max_final_selections",
            "opens_at", "closes_at", "blend_public_weight", "score_columns", "submission_kind",
            "hidden_inputs_filename", "code_limits", "runtime", "score_decimals",
            "scoring_wall_seconds")  # fmt: skip


def test_an_exported_problem_imports_unchanged(runner, make, api, tmp_path):
    from tests.api.test_code_submissions import INPUTS, take_code
    from tests.api.test_scoring_programs import attach, program_zip

    make.user(admin=True)
    source, target = make.competition(), make.competition()
    problem = make.problem(source, solution=TRUTH.replace("label", "label"), daily_limit=7,
                           score_decimals=3, description="# 과제\n\n설명 **Markdown**")  # fmt: skip
    organizer = source.roles[0].user
    columns = [{"key": "accuracy", "precision": 2}, {"key": "rows", "higher_is_better": False}]
    attach(api, problem, organizer, program_zip(), columns=columns)
    take_code(api, problem, organizer, {"wall_seconds": 33})
    db.session.expire_all()
    problem = db.session.get(Problem, problem.id)
    out = tmp_path / "export.zip"
    result = runner.invoke(args=["export-bundle", str(out), "--competition", source.slug,
                                 "--problem", problem.slug])  # fmt: skip
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as bundle:
        bundle.extractall(tmp_path / "export")
    assert codabench_rules.refusals(tmp_path / "export") == []  # Codabench's unpacker takes it
    result = runner.invoke(args=["import-bundle", str(out), "--competition", target.slug])
    assert result.exit_code == 0, result.output
    [copy] = problems_of(target)
    assert {k: getattr(copy, k) for k in SETTINGS} == {k: getattr(problem, k) for k in SETTINGS}
    assert copy.slug == problem.slug
    assert copy.solution.storage_key == problem.solution.storage_key  # the same bytes
    assert copy.solution.public_rows == problem.solution.public_rows
    assert copy.hidden_inputs_key == problem.hidden_inputs_key
    assert storage.path_of(copy.hidden_inputs_key).read_text() == INPUTS
    assert sorted(f.filename for f in copy.files) == sorted(f.filename for f in problem.files)
    assert program_files(copy) == program_files(problem)


def program_files(problem) -> dict[str, bytes]:
    with zipfile.ZipFile(storage.path_of(problem.scoring_program_key)) as program:
        return {i.filename: program.read(i) for i in program.infolist()}


def test_organizers_import_a_bundle_on_a_page(client, login, competition, make):
    organizer = competition.roles[0].user
    participant = make.user()
    files = {"competition.yaml": CODABENCH_YAML, "evaluation.md": "Accuracy.",
             "scoring_program.zip": PROGRAM, "reference_data/truth.csv": TRUTH,
             "public_data/train.csv": "id,x\n1,2\n"}  # fmt: skip
    url = f"/c/{competition.slug}/manage/bundle"
    login(participant)
    assert client.get(url).status_code == 403
    login(organizer)
    page = client.post(url, data={"bundle": (io.BytesIO(zipped(files)), "b.zip")}).text
    assert "Defect task" in page and "Not used: tasks[0].is_public" in page
    page = client.post(url, data={"bundle": (io.BytesIO(b"not a zip"), "b.zip")}).text
    assert "A bundle is a zip file with a competition.yaml (or a task.yaml)." in page
    assert len(problems_of(competition)) == 1
