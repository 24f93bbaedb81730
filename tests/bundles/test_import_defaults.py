"""Codabench's defaults for what a bundle leaves out, lenient dates, hidden columns, and a
failed import that names every error with its file."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from judge.core import storage
from judge.core.extensions import db
from judge.problems.models import Problem
from judge.scoring.code import limits as code_limits
from judge.submissions import jobs
from judge.submissions.models import Status
from tests.bundles.conftest import publish_without_baseline
from tests.bundles.test_bundles import write_bundle, zipped
from tests.bundles.test_organizer_failures import INGEST, METADATA, SCORER
from tests.submissions.helpers import submit


def yaml_with(phase: str = "", task: str = "", columns: str = "") -> str:
    return f"""
version: 2
title: Defaults
tasks:
  - index: 0
    name: Defaults task
    scoring_program: scoring_program/
    reference_data: reference_data/
{task}
phases:
  - index: 0
    name: Only
    tasks: [0]
{phase}
leaderboards:
  - index: 0
    title: Results
    key: main
    columns:
      - {{title: Accuracy, key: acc, index: 0}}
{columns}
"""


FILES = {"scoring_program/score.py": SCORER, "scoring_program/metadata.yaml": METADATA,
         "reference_data/truth": "1 2 3\n"}  # fmt: skip


def run_import(runner, competition, tmp_path, yaml: str, extra: dict | None = None):
    bundle = write_bundle(tmp_path / "b.zip", {"competition.yaml": yaml, **FILES, **(extra or {})})
    return runner.invoke(args=["import-bundle", str(bundle), "--competition", competition.slug])


def the_problem(competition) -> Problem:
    return db.session.scalars(sa.select(Problem).where(Problem.competition == competition)).one()


def test_what_the_bundle_leaves_out_gets_codabenchs_defaults(runner, competition, tmp_path):
    result = run_import(runner, competition, tmp_path, yaml_with())
    assert result.exit_code == 0, result.output
    problem = the_problem(competition)
    assert (problem.daily_limit, problem.total_limit) == (5, 100)
    assert problem.score_columns[0]["precision"] == 2
    assert problem.score_decimals == 5  # no column precision given: judge's own default
    for key, value in (("max_submissions_per_day", 5), ("max_submissions", 100)):
        assert f"phases[0].{key}: not given; Codabench's default {value} applies." in result.output


CODALAB_DEFAULTS = """
title: Old defaults
html: {terms: terms.html}
phases:
  1: {phasenumber: 1, label: Only, start_date: 2026-12-01, scoring_program: scoring_program/,
      reference_data: reference_data/}
leaderboard:
  leaderboards: {RESULTS: &RESULTS {label: Results, rank: 1}}
  columns: {acc: {leaderboard: *RESULTS, label: Accuracy, rank: 1}}
"""


def test_a_codalab_bundle_gets_codabenchs_defaults_too(runner, competition, tmp_path):
    """Codabench's 1.x unpacker: 5 a day, 100 in all, precision 2 (not CodaLab's 999)."""
    result = run_import(runner, competition, tmp_path, CODALAB_DEFAULTS, {"terms.html": "Fair."})
    assert result.exit_code == 0, result.output
    problem = the_problem(competition)
    assert (problem.daily_limit, problem.total_limit) == (5, 100)
    assert problem.score_columns[0]["precision"] == 2
    for key, value in (("max_submissions_per_day", 5), ("max_submissions", 100)):
        assert f"phases[1].{key}: not given; Codabench's default {value} applies." in result.output


def test_the_execution_time_limit_is_the_wall_clock_limit(runner, competition, tmp_path):
    task = "    ingestion_program: ingestion_program/\n    input_data: input_data/\n"
    phase = "    execution_time_limit: 77\n    max_submissions_per_day: 2\n"
    result = run_import(runner, competition, tmp_path, yaml_with(phase, task), {
        "ingestion_program/ingest.py": "print(1)\n", "ingestion_program/metadata.yaml": INGEST,
        "input_data/x.txt": "1\n"})  # fmt: skip
    assert result.exit_code == 0, result.output
    problem = the_problem(competition)
    assert problem.mode.accepts_code and problem.daily_limit == 2
    assert code_limits.load(problem.code_limits).wall_seconds == 77


def test_lenient_dates_are_read_as_codabench_reads_them(runner, competition, tmp_path):
    phase = "    start: 8-7-2019\n    end: 2019-09-01 13:30\n"
    result = run_import(runner, competition, tmp_path, yaml_with(phase))
    assert result.exit_code == 0, result.output
    problem = the_problem(competition)
    assert problem.opens_at == datetime(2019, 8, 7, tzinfo=UTC)
    assert problem.closes_at == datetime(2019, 9, 1, 13, 30, tzinfo=UTC)


def test_a_failed_import_lists_every_error_with_its_file(runner, competition, tmp_path):
    blobs = storage.root() / "blobs"
    before = {p for p in blobs.rglob("*") if p.is_file()} if blobs.exists() else set()
    yaml = yaml_with("    start: someday\n    public_data: public/\n").replace(
        "scoring_program: scoring_program/", "scoring_program: scorer.zip"
    )
    yaml = yaml.replace("tasks:\n", "pages:\n  - {title: Rules, file: rules.md}\ntasks:\n", 1)
    result = run_import(runner, competition, tmp_path, yaml)
    assert result.exit_code != 0
    for line in (
        "competition.yaml: pages[0].file names “rules.md”, which is not in the bundle.",
        "competition.yaml: tasks[0].scoring_program names “scorer.zip”, which is not in the "
        "bundle.",
        "competition.yaml: phases[0].start: “someday” is not a date.",
        "competition.yaml: phases[0].public_data names “public/”, which is not in the bundle.",
        "competition.yaml, task “Defaults task”:",
    ):
        assert line in result.output
    assert db.session.scalars(sa.select(Problem)).all() == []
    assert {p for p in blobs.rglob("*") if p.is_file()} <= before


def test_hidden_columns_are_not_shown_to_teams(runner, client, login, api, competition, make,
                                               tmp_path):  # fmt: skip
    columns = "      - {title: Secret MAE, key: mae, index: 1, sorting: asc, hidden: true}\n"
    result = run_import(runner, competition, tmp_path, yaml_with(columns=columns))
    assert result.exit_code == 0, result.output
    problem = the_problem(competition)
    problem.opens_at = problem.closes_at = None
    publish_without_baseline(problem)
    db.session.commit()
    leader = make.user()
    make.team(competition, leader)
    submission = submit(problem, leader, zipped({"p.txt": "fine"}), "p.zip")
    jobs.score_submission(submission.id, "test-worker")
    db.session.expire_all()
    assert submission.status == Status.SCORED, submission.log
    url = f"/c/{competition.slug}/p/{problem.slug}/leaderboard"
    login(leader)
    assert "Secret MAE" not in client.get(url).text
    board = api.get(f"/problems/{problem.id}/leaderboard", as_=leader).get_json()
    assert [c["key"] for c in board["columns"]] == ["acc"]
    assert board["rows"][0]["details"] == {"acc": 0.75}
    organizer = competition.roles[0].user
    login(organizer)
    assert "Secret MAE" in client.get(url).text
    board = api.get(f"/problems/{problem.id}/leaderboard", as_=organizer).get_json()
    assert board["rows"][0]["details"] == {"acc": 0.75, "mae": 0.5}


def test_the_execution_time_limit_is_the_scoring_programs_too(runner, competition, tmp_path):
    result = run_import(runner, competition, tmp_path, yaml_with("    execution_time_limit: 45\n"))
    assert result.exit_code == 0, result.output
    assert the_problem(competition).scoring_wall_seconds == 45
    assert (
        "Task “Defaults task”: its scoring program runs at most 45 s (execution_time_limit); "
        "one that runs longer fails on the organizer's side."
    ) in result.output


def test_an_execution_time_limit_past_judges_ceiling_is_refused(runner, competition, tmp_path):
    result = run_import(
        runner, competition, tmp_path, yaml_with("    execution_time_limit: 99999\n")
    )
    assert result.exit_code != 0
    assert (
        "competition.yaml, task “Defaults task”: execution_time_limit: 99999 s is more than "
        "judge allows (21600 s)."
    ) in result.output
    assert db.session.scalars(sa.select(Problem)).all() == []
