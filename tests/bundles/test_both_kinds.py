"""One problem takes both kinds of submission: code that its ingestion program runs, and
results that its scoring program reads directly; Codabench's rule tells each upload's kind
(metadata.yaml or metadata at the zip's root: code). Each is scored through the worker as the
same programs score it by hand."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from judge.audit.models import AuditEntry
from judge.core import storage
from judge.core.db import unit_of_work, utcnow
from judge.core.errors import Invalid
from judge.core.extensions import db
from judge.problems import code
from judge.problems.models import Problem
from judge.submissions import baseline as baseline_runs
from judge.submissions import jobs
from judge.submissions.kinds import kind_of_names
from judge.submissions.models import Quota, Status, Submission, UploadKind
from tests.bundles import codabench_rules
from tests.bundles.conftest import publish_without_baseline
from tests.bundles.test_bundles import problems_of, write_bundle, zipped
from tests.bundles.test_ingestion_layout import FILES, MODEL, by_hand
from tests.submissions.helpers import submit

XHR = {"X-Requested-With": "XMLHttpRequest", "Accept": "application/json"}
# The team's code: the model the ingestion program imports, and Codabench's sign of code.
CODE = zipped({"model.py": MODEL, "metadata.yaml": "description: divisible by three\n"})
# The team's results: the file the scoring program reads from $input/res (7 of 8 right).
GUESS = "True False False True True True False True\n"
RESULTS = zipped({"predictions": GUESS})
# CodaLab 1.5: the same task as a phase with a prediction step (is_scoring_only: false).
CODALAB = """
title: Layout 1.5
phases:
  1:
    phasenumber: 1
    label: Development
    start_date: 2026-01-01
    is_scoring_only: false
    scoring_program: scoring_program.zip
    reference_data: reference_data.zip
    ingestion_program: ingestion_program.zip
    input_data: input_data.zip
leaderboard:
  leaderboards:
    RESULTS: {label: Results, rank: 1}
  columns:
    accuracy: {leaderboard: RESULTS, label: Accuracy, rank: 1, numeric_format: 4}
"""


@pytest.fixture
def organizer(make):
    return make.user(admin=True)


@pytest.fixture
def competition(make, organizer):
    return make.competition(organizer)


def imported(runner, competition, tmp_path, files=FILES, name="both.zip") -> tuple[Problem, str]:
    bundle = write_bundle(tmp_path / name, files)
    result = runner.invoke(args=["import-bundle", str(bundle), "--competition", competition.slug])
    assert result.exit_code == 0, result.output
    [problem] = problems_of(competition)
    problem.opens_at = problem.closes_at = None
    publish_without_baseline(problem)
    db.session.commit()
    return problem, result.output


def page(cast_problem: Problem) -> str:
    return f"/c/{cast_problem.competition.slug}/p/{cast_problem.slug}"


def upload(client, problem: Problem, content: bytes, name: str):
    data = {"file": (io.BytesIO(content), name), "description": ""}
    return client.post(f"{page(problem)}/submissions", data=data, headers=XHR)


def scored(submission_id: int) -> Submission:
    jobs.score_submission(submission_id, "test-worker")
    db.session.expire_all()
    return db.session.get(Submission, submission_id)


def results_by_hand(root: Path, guess: str) -> float:
    """The scoring program run outside the platform on the results, laid out as Codabench's
    scoring step lays them out ($input/ref, $input/res)."""
    for name, text in FILES.items():
        top, _slash, rest = name.partition("/")
        if top in ("scoring_program", "reference_data"):
            target = root / {"scoring_program": "score", "reference_data": "input/ref"}[top] / rest
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
    (root / "input/res").mkdir(parents=True)
    (root / "input/res/predictions").write_text(guess)
    for folder in ("scores", "shared"):
        (root / folder).mkdir()
    subprocess.run([sys.executable, root / "score/score.py", root / "input", root / "scores",
                    root / "input/res", root / "input/ref", root / "shared"],
                   cwd=root / "score", check=True)  # fmt: skip
    return json.loads((root / "scores/scores.json").read_text())["accuracy"]


def test_code_and_results_to_one_problem_score_as_their_programs_do_by_hand(
    runner, client, login, make, organizer, competition, tmp_path
):
    problem, report = imported(runner, competition, tmp_path)
    assert "To score results directly as well" in report  # a v2 task runs every upload
    login(organizer)
    assert client.post(f"{page(problem)}/code/results/on").status_code == 302
    db.session.expire_all()
    assert problem.mode.takes_both
    [entry] = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "problem_settings_changed")
    )
    assert (entry.before, entry.after) == ({"takes_results": False}, {"takes_results": True})
    leader = make.user()
    make.team(competition, leader)
    login(leader)
    shown = client.get(page(problem)).text
    assert "Submit code or results" in shown and "metadata.yaml (or metadata) at its root" in shown

    code_upload = upload(client, problem, CODE, "model.zip")
    results_upload = upload(client, problem, RESULTS, "results.zip")
    assert code_upload.status_code == results_upload.status_code == 202
    ran = scored(code_upload.get_json()["id"])
    read = scored(results_upload.get_json()["id"])

    assert (ran.kind, read.kind) == (UploadKind.CODE, UploadKind.RESULTS)
    assert ran.status == read.status == Status.SCORED, (ran.log, read.log)
    assert "SEEN " in ran.log and "SEEN " not in read.log  # no ingestion run for results
    assert ran.public_score == ran.private_score == by_hand(tmp_path / "code") == 0.75
    assert read.public_score == read.private_score == results_by_hand(tmp_path / "res", GUESS)
    assert read.public_score == 0.875
    team_page = client.get(page(problem)).text
    assert 'data-kind="code"' in team_page and 'data-kind="results"' in team_page
    token = {"Authorization": f"Bearer {make.token(leader)}"}
    listed = client.get(f"/api/v1/problems/{problem.id}/submissions", headers=token).get_json()
    assert sorted(s["kind"] for s in listed) == ["code", "results"]


def test_both_kinds_share_the_problems_limits(
    runner, client, login, make, organizer, competition, tmp_path
):
    problem, _report = imported(runner, competition, tmp_path)
    with unit_of_work():
        code.set_takes_results(problem, True)
        problem.daily_limit = 2
    leader = make.user()
    team = make.team(competition, leader)
    login(leader)
    assert upload(client, problem, CODE, "model.zip").status_code == 202
    assert upload(client, problem, RESULTS, "results.zip").status_code == 202
    third = upload(client, problem, RESULTS, "again.zip")
    assert third.status_code == 429
    quota = db.session.scalars(sa.select(Quota).where(Quota.team_id == team.id)).one()
    assert quota.day_count == 2


def test_an_upload_that_fits_neither_kind_is_refused_and_uses_nothing(
    runner, client, login, make, competition, tmp_path
):
    problem, _report = imported(runner, competition, tmp_path)
    with unit_of_work():
        code.set_takes_results(problem, True)
    leader = make.user()
    make.team(competition, leader)
    login(leader)
    nested = zipped({"model/metadata.yaml": "description: x\n", "model/model.py": MODEL})
    refused = upload(client, problem, nested, "model.zip")
    assert refused.status_code == 422
    message = refused.get_json()["error"]["message"]
    assert "“model/metadata.yaml”" in message and "at the zip's root" in message
    exe = upload(client, problem, b"MZ\x90\x00", "model.exe")
    assert exe.status_code == 422
    assert exe.get_json()["error"]["message"] == (
        "Upload your code as a .zip file with a metadata.yaml at its root, or your results "
        "as a .csv, .json or .zip file."
    )
    broken = upload(client, problem, b"PK\x03\x04 not really a zip", "model.zip")
    assert broken.status_code == 422
    assert "not a readable zip" in broken.get_json()["error"]["message"]
    assert db.session.scalar(sa.select(sa.func.count(Submission.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(Quota.id)).where(Quota.day_count > 0)) == 0


def test_codabenchs_rule_on_the_names_in_a_zip():
    assert kind_of_names(["metadata.yaml", "model.py"]) is UploadKind.CODE
    assert kind_of_names(["./metadata", "model.py"]) is UploadKind.CODE  # CodaLab's name
    assert kind_of_names(["predictions", "notes/readme.txt"]) is UploadKind.RESULTS
    for misplaced in (["sub/metadata.yaml", "sub/model.py"], ["metadata.yml", "model.py"]):
        with pytest.raises(Invalid):
            kind_of_names(misplaced)
    with pytest.raises(Invalid):
        kind_of_names([])


def test_a_zip_listing_more_files_than_the_worker_unpacks_is_refused_unread(
    runner, client, login, make, competition, tmp_path
):
    problem, _report = imported(runner, competition, tmp_path)
    with unit_of_work():
        code.set_takes_results(problem, True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(10_001):
            archive.writestr(f"p{n}", "")
    leader = make.user()
    make.team(competition, leader)
    login(leader)
    refused = upload(client, problem, buffer.getvalue(), "results.zip")
    assert refused.status_code == 422
    assert refused.get_json()["error"]["message"] == "The zip has more than 10,000 files."


def test_only_a_code_problem_with_both_programs_takes_results(runner, competition, tmp_path):
    problem, _report = imported(runner, competition, tmp_path)
    with unit_of_work():
        code.set_ingestion_program(problem, None)
    with pytest.raises(Invalid, match="can take results too"), unit_of_work():
        code.set_takes_results(problem, True)
    db.session.expire_all()
    assert not problem.takes_results and not problem.mode.takes_both


def test_removing_the_ingestion_program_stops_taking_results(runner, competition, tmp_path):
    problem, _report = imported(runner, competition, tmp_path)
    with unit_of_work():
        code.set_takes_results(problem, True)
    with unit_of_work():
        code.set_ingestion_program(problem, None)
    assert not problem.takes_results and problem.mode.name == "code"


def codalab_files() -> dict[str, bytes | str]:
    parts = {}
    for name, text in FILES.items():
        top, _slash, rest = name.partition("/")
        if top != "competition.yaml":
            parts.setdefault(f"{top}.zip", {})[rest] = text
    return {"competition.yaml": CODALAB, **{k: zipped(v) for k, v in parts.items()}}


def test_a_codalab_phase_with_a_prediction_step_imports_taking_both_kinds(
    runner, make, competition, tmp_path
):
    problem, report = imported(runner, competition, tmp_path, codalab_files(), "codalab.zip")
    assert problem.mode.takes_both
    assert "takes code and results" in report
    leader = make.user()
    make.team(competition, leader)
    read = scored(submit(problem, leader, RESULTS, "results.zip").id)
    assert read.kind is UploadKind.RESULTS and read.status == Status.SCORED, read.log
    assert read.public_score == results_by_hand(tmp_path / "by-hand", GUESS)


def test_an_export_of_a_problem_taking_both_keeps_it_and_passes_codabenchs_rules(
    app, runner, make, competition, tmp_path, monkeypatch
):
    monkeypatch.setitem(app.config, "BUNDLE_DOCKER_IMAGES", {"codalab/*": "default"})
    problem, _report = imported(runner, competition, tmp_path)
    with unit_of_work():
        code.set_takes_results(problem, True)
    target = tmp_path / "export.zip"
    result = runner.invoke(args=["export-bundle", str(target), "--competition",
                                 competition.slug, "--problem", problem.slug])  # fmt: skip
    assert result.exit_code == 0, result.output
    folder = tmp_path / "unpacked"
    with zipfile.ZipFile(target) as bundle:
        bundle.extractall(folder)
    assert codabench_rules.refusals(folder) == []
    task = yaml.safe_load((folder / "competition.yaml").read_text())["tasks"][0]
    assert task["judge"]["takes_results"] is True
    again = make.competition()
    back = runner.invoke(args=["import-bundle", str(target), "--competition", again.slug])
    assert back.exit_code == 0, back.output
    [copy] = problems_of(again)
    assert copy.mode.takes_both


def test_an_organizers_baseline_run_of_results_is_scored_as_results(
    runner, organizer, competition, tmp_path
):
    problem, _report = imported(runner, competition, tmp_path)
    with unit_of_work():
        code.set_takes_results(problem, True)
    with unit_of_work(), storage.staged(io.BytesIO(RESULTS), 10**7, "results.zip") as staged:
        run = baseline_runs.run(problem, staged, "results.zip", organizer, utcnow())
    read = scored(run.id)
    assert read.kind is UploadKind.RESULTS and read.status == Status.SCORED, read.log
    assert read.public_score == results_by_hand(tmp_path / "by-hand", GUESS)
