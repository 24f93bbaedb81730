"""A bundle with phases and tasks imports as one problem with phases (a series): a row per
phase × task with the phase's name, window, limits, time limit and carrying, and the task's
programs and data; a row scores as the bundle's program scores by hand. A series exports as
one bundle Codabench's unpacker accepts and imports back as the same series."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
import yaml

from judge.core.extensions import db
from judge.problems import series as series_service
from judge.problems.models import Carry, Problem, ProblemSeries, SubmissionKind
from judge.submissions import fanout, jobs
from judge.submissions.models import Status, Submission
from tests.bundles import codabench_rules
from tests.bundles.conftest import publish_without_baseline
from tests.bundles.test_bundles import write_bundle, zipped
from tests.submissions.helpers import submit

# Whitespace labels against whitespace guesses; the share that match, as CodaLab's programs do.
SCORER = """
import os, sys
truth = open(os.path.join(sys.argv[1], "ref", "answers.txt")).read().split()
guess = open(os.path.join(sys.argv[1], "res", "guess.txt")).read().split()
if len(truth) != len(guess):
    sys.exit("Shape mismatch")
with open(os.path.join(sys.argv[2], "scores.txt"), "w") as out:
    out.write("acc: %f\\n" % (sum(t == g for t, g in zip(truth, guess)) / len(truth)))
"""
SCORE_COMMAND = "command: python3 $program/score.py $input $output\n"
# Runs the team's model.py on the hidden numbers and writes its guesses.
INGEST = """
import importlib.util, os, sys
data, output, team = sys.argv[1:4]
spec = importlib.util.spec_from_file_location("model", os.path.join(team, "model.py"))
model = importlib.util.module_from_spec(spec)
spec.loader.exec_module(model)
numbers = open(os.path.join(data, "numbers.txt")).read().split()
with open(os.path.join(output, "guess.txt"), "w") as out:
    out.write(" ".join(str(model.predict(int(n))) for n in numbers))
"""
INGEST_COMMAND = (
    "command: python3 $ingestion_program/ingest.py $input $output $submission_program\n"
)
VIBRATION = "a b a a b b a b\n"
TEMPERATURE = "hot cold cold hot hot cold hot hot cold cold\n"
TEMPERATURE_GUESS = "hot cold hot hot hot cold cold hot cold hot\n"
PRESSURE = "True False True False False True\n"

V2 = """
version: 2
title: Sensor faults 센서 고장
pages:
  - {title: Overview, file: overview.md}
tasks:
  - {index: 0, name: Vibration, scoring_program: scorer/, reference_data: vibration/}
  - {index: 1, name: Temperature, scoring_program: scorer/, reference_data: temperature/}
  - index: 2
    name: Pressure code
    scoring_program: scorer/
    reference_data: pressure/
    ingestion_program: ingestion/
    input_data: pressure_inputs/
phases:
  - index: 0
    name: 예선
    start: 2026-11-01
    end: 2026-12-01
    max_submissions_per_day: 3
    max_submissions: 30
    execution_time_limit: 120
    tasks: [0, 1]
  - index: 1
    name: 본선
    start: 2026-12-01
    end: 2026-12-20
    auto_migrate_to_this_phase: true
    public_data: final_public/
    tasks: [1, 2]
leaderboards:
  - index: 0
    title: Results
    key: main
    columns:
      - {title: Accuracy, key: acc, index: 0, sorting: desc, precision: 3}
"""
V2_FILES = {
    "competition.yaml": V2,
    "overview.md": "Find the faulty sensors.",
    "scorer/score.py": SCORER,
    "scorer/metadata.yaml": SCORE_COMMAND,
    "vibration/answers.txt": VIBRATION,
    "temperature/answers.txt": TEMPERATURE,
    "pressure/answers.txt": PRESSURE,
    "ingestion/ingest.py": INGEST,
    "ingestion/metadata.yaml": INGEST_COMMAND,
    "pressure_inputs/numbers.txt": "3 4 6 7 8 9\n",
    "final_public/readme.txt": "Final phase data.",
}
ROWS = [  # (phase, task, slug, phase name)
    (0, 0, "sensor-faults-p1-vibration", "예선"),
    (0, 1, "sensor-faults-p1-temperature", "예선"),
    (1, 0, "sensor-faults-p2-temperature", "본선"),
    (1, 1, "sensor-faults-p2-pressure-code", "본선"),
]

CODALAB = """
title: Legacy two phases
end_date: 2026-12-31
phases:
  1:
    phasenumber: 1
    label: Development
    start_date: 2026-11-01
    scoring_program: scoring_program.zip
    reference_data: development.zip
  2:
    phasenumber: 2
    label: Final
    start_date: 2026-12-05
    max_submissions: 2
    auto_migration: True
    scoring_program: scoring_program.zip
    reference_data: final.zip
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
      numeric_format: 3
"""
CODALAB_FILES = {
    "competition.yaml": CODALAB,
    "scoring_program.zip": zipped({"score.py": SCORER, "metadata.yaml": SCORE_COMMAND}),
    "development.zip": zipped({"answers.txt": VIBRATION}),
    "final.zip": zipped({"answers.txt": TEMPERATURE}),
}


def run_import(runner, competition, bundle: Path):
    return runner.invoke(args=["import-bundle", str(bundle), "--competition", competition.slug])


def by_hand(root: Path, reference: str, guess: str) -> float:
    """The bundle's scoring program run outside the platform, in CodaLab's layout."""
    for name, text in {"program/score.py": SCORER, "input/ref/answers.txt": reference,
                       "input/res/guess.txt": guess}.items():  # fmt: skip
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    (root / "output").mkdir()
    subprocess.run([sys.executable, root / "program/score.py", root / "input", root / "output"],
                   cwd=root / "program", check=True)  # fmt: skip
    return float((root / "output/scores.txt").read_text().split(":")[1])


MODEL = "def predict(n):\n    return n % 3 == 0 or n == 8\n"


def code_by_hand(root: Path) -> float:
    """The bundle's ingestion program, then its scoring program, run outside the platform."""
    for name, text in {"ingest/ingest.py": INGEST, "data/numbers.txt": "3 4 6 7 8 9\n",
                       "team/model.py": MODEL, "input/ref/answers.txt": PRESSURE,
                       "program/score.py": SCORER}.items():  # fmt: skip
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    for folder in ("input/res", "output"):
        (root / folder).mkdir()
    subprocess.run([sys.executable, root / "ingest/ingest.py", root / "data", root / "input/res",
                    root / "team"], cwd=root / "ingest", check=True)  # fmt: skip
    subprocess.run([sys.executable, root / "program/score.py", root / "input", root / "output"],
                   cwd=root / "program", check=True)  # fmt: skip
    return float((root / "output/scores.txt").read_text().split(":")[1])


def scored(row: Problem, make, files: dict[str, str]) -> Submission:
    """One team's upload to ``row``'s phase (at its first task), each task's submission scored
    by the real worker in the sandbox; the one on ``row``."""
    phase = fanout.phase_rows(row)
    for each in phase:
        each.opens_at = each.closes_at = None
        publish_without_baseline(each)
    db.session.commit()
    leader = make.user()
    make.team(row.competition, leader)
    upload = submit(phase[0], leader, zipped(files), "upload.zip")
    for member in fanout.family(upload):
        jobs.score_submission(member.id, "test-worker")
    db.session.expire_all()
    return next(m for m in fanout.family(upload) if m.problem_id == row.id)


def at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


def test_a_v2_bundle_with_phases_and_tasks_is_one_series(runner, competition, make, tmp_path):
    result = run_import(runner, competition, write_bundle(tmp_path / "v2.zip", V2_FILES))
    assert result.exit_code == 0, result.output
    assert (
        "imported sensor-faults (a problem with phases): Sensor faults 센서 고장" in result.output
    )
    for phase, _task, slug, name in ROWS:
        task = {
            "sensor-faults-p1-vibration": "Vibration",
            "sensor-faults-p2-pressure-code": "Pressure code",
        }.get(slug, "Temperature")
        line = f"Phase “{name}”, task “{task}”: problem row “{slug}”."
        assert line in result.output, (phase, line)
    assert "Phase “본선”, the bundle's last, decides the ranking" in result.output
    series = series_service.get_series(competition, "sensor-faults")
    rows = series_service.rows(series)
    assert [(r.phase_index, r.task_index, r.slug, r.phase_name) for r in rows] == ROWS
    assert {r.title for r in rows} == {"Sensor faults 센서 고장"}
    assert {r.description for r in rows} == {"Find the faulty sensors."}
    early, shared, late, code = rows
    assert (early.opens_at, early.closes_at) == (at(2026, 11, 1), at(2026, 12, 1))
    assert (late.opens_at, late.closes_at) == (at(2026, 12, 1), at(2026, 12, 20))
    assert [(r.daily_limit, r.total_limit) for r in rows] == [(3, 30)] * 2 + [(5, 100)] * 2
    assert [r.scoring_wall_seconds for r in rows] == [120, 120, 600, 600]  # Codabench's default
    assert [r.carry for r in rows] == [Carry.NONE] * 2 + [Carry.ALL] * 2
    assert [r.decides_ranking for r in rows] == [False, False, True, False]
    # A task both phases list: a row in each, each holding its own copy of the same files.
    assert shared.id != late.id
    assert shared.solution.storage_key == late.solution.storage_key
    assert shared.scoring_program_key == late.scoring_program_key
    assert early.solution.storage_key != shared.solution.storage_key
    # Both kinds in one phase: each row keeps the kind its task imports with.
    assert [r.submission_kind for r in rows] == [SubmissionKind.PREDICTIONS] * 3 + [
        SubmissionKind.CODE
    ]
    assert code.ingestion_program_key and not late.ingestion_program_key
    assert [f.filename for f in late.files] == [f.filename for f in code.files] == ["readme.txt"]
    assert early.files == []

    submission = scored(late, make, {"guess.txt": TEMPERATURE_GUESS})
    assert submission.status == Status.SCORED, submission.log
    expected = by_hand(tmp_path / "hand", TEMPERATURE, TEMPERATURE_GUESS)
    assert expected == 0.7
    assert submission.public_score == submission.private_score == expected
    # The phase's code task runs the team's code through the bundle's ingestion program.
    submission = scored(code, make, {"model.py": MODEL})
    assert submission.status == Status.SCORED, submission.log
    assert submission.public_score == code_by_hand(tmp_path / "code") == 0.833333


def test_a_codalab_bundles_phases_are_one_series(runner, competition, make, tmp_path):
    result = run_import(runner, competition, write_bundle(tmp_path / "15.zip", CODALAB_FILES))
    assert result.exit_code == 0, result.output
    series = series_service.get_series(competition, "legacy-two-phases")
    development, final = series_service.rows(series)
    assert [development.phase_name, final.phase_name] == ["Development", "Final"]
    assert [development.slug, final.slug] == ["legacy-two-phases-development",
                                              "legacy-two-phases-final"]  # fmt: skip
    assert (development.opens_at, development.closes_at) == (at(2026, 11, 1), at(2026, 12, 5))
    assert (final.opens_at, final.closes_at) == (at(2026, 12, 5), at(2026, 12, 31))
    assert [(r.daily_limit, r.total_limit) for r in (development, final)] == [(5, 100), (5, 2)]
    assert (development.carry, final.carry) == (Carry.NONE, Carry.ALL)
    guess = "a b b a b b a a\n"
    submission = scored(development, make, {"guess.txt": guess})
    assert submission.status == Status.SCORED, submission.log
    assert submission.public_score == by_hand(tmp_path / "hand", VIBRATION, guess) == 0.75


def test_a_phase_naming_a_missing_task_keeps_nothing(runner, competition, tmp_path):
    files = {**V2_FILES, "competition.yaml": V2.replace("tasks: [1, 2]", "tasks: [1, 7]")}
    result = run_import(runner, competition, write_bundle(tmp_path / "bad.zip", files))
    assert result.exit_code != 0
    assert "competition.yaml: phases[1].tasks: “7” names no task of the bundle." in result.output
    files["competition.yaml"] = V2.replace("    reference_data: pressure/\n", "")
    result = run_import(runner, competition, write_bundle(tmp_path / "bad2.zip", files))
    assert result.exit_code != 0
    assert ("competition.yaml, phase “본선”, task “Pressure code”: it has no reference_data "
            "for its scoring program.") in result.output  # fmt: skip
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProblemSeries)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Problem)) == 0


def test_organizers_import_a_series_on_the_page(client, login, competition):
    login(competition.roles[0].user)
    page = client.post(f"/c/{competition.slug}/manage/bundle",
                       data={"bundle": (io.BytesIO(zipped(V2_FILES)), "v2.zip")}).text  # fmt: skip
    assert "One problem with phases: Sensor faults 센서 고장 (sensor-faults)" in page
    for _phase, _task, slug, name in ROWS:
        assert f"{name} · <a" in page and f">{slug}</a>" in page
    assert len(series_service.rows(series_service.get_series(competition, "sensor-faults"))) == 4


SAME = ("phase_index", "task_index", "slug", "phase_name", "title", "description", "opens_at",
        "closes_at", "daily_limit", "total_limit", "carry", "carry_top_n", "scoring_only",
        "decides_ranking", "submission_kind", "scoring_wall_seconds", "score_columns",
        "split_method", "runtime")  # fmt: skip


def test_a_series_exports_as_one_bundle_and_imports_back_the_same(runner, make, tmp_path):
    make.user(admin=True)
    source, target = make.competition(), make.competition()
    assert run_import(runner, source, write_bundle(tmp_path / "v2.zip", V2_FILES)).exit_code == 0
    series = series_service.get_series(source, "sensor-faults")
    for row in series_service.phase_rows(series, 1):  # the top 8 teams of 예선 enter 본선
        row.carry, row.carry_top_n = Carry.TOP_N, 8
    db.session.commit()
    out = tmp_path / "export.zip"
    result = runner.invoke(args=["export-bundle", str(out), "--competition", source.slug,
                                 "--series", "sensor-faults"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "본선: “top 8 teams enter” has no Codabench key" in result.output
    root = tmp_path / "export"
    with zipfile.ZipFile(out) as bundle:
        bundle.extractall(root)
    assert codabench_rules.refusals(root) == []
    data = yaml.safe_load((root / "competition.yaml").read_text())
    assert len(data["tasks"]) == 3  # the shared task once
    assert [p["tasks"] for p in data["phases"]] == [[0, 1], [1, 2]]
    assert [p["name"] for p in data["phases"]] == ["예선", "본선"]
    assert [p["auto_migrate_to_this_phase"] for p in data["phases"]] == [False, False]
    assert data["phases"][1]["judge"]["carry"] == "top_n"
    assert data["phases"][1]["judge"]["carry_top_n"] == 8
    assert [p["execution_time_limit"] for p in data["phases"]] == [120, 600]
    assert (root / "tasks/1/reference_data/answers.txt").read_text() == TEMPERATURE
    assert (root / "tasks/2/ingestion_program/ingest.py").read_text() == INGEST
    assert (root / "phases/1/public_data/readme.txt").read_text() == "Final phase data."

    result = run_import(runner, target, out)
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    before = series_service.rows(series_service.get_series(source, "sensor-faults"))
    copy = series_service.get_series(target, "sensor-faults")
    after = series_service.rows(copy)
    assert copy.title == "Sensor faults 센서 고장"
    assert [{k: getattr(r, k) for k in SAME} for r in after] == [
        {k: getattr(r, k) for k in SAME} for r in before
    ]
    assert [r.solution.storage_key for r in after] == [r.solution.storage_key for r in before]
    assert [r.scoring_program_key for r in after] == [r.scoring_program_key for r in before]
    assert [r.ingestion_program_key for r in after] == [r.ingestion_program_key for r in before]


def test_an_all_carrying_phase_exports_as_codabenchs_auto_migration(runner, make, tmp_path):
    make.user(admin=True)
    source = make.competition()
    bundle = write_bundle(tmp_path / "15.zip", CODALAB_FILES)
    assert run_import(runner, source, bundle).exit_code == 0
    out = tmp_path / "export.zip"
    result = runner.invoke(args=["export-bundle", str(out), "--competition", source.slug,
                                 "--series", "legacy-two-phases"])  # fmt: skip
    assert result.exit_code == 0, result.output
    root = tmp_path / "export"
    with zipfile.ZipFile(out) as exported:
        exported.extractall(root)
    assert codabench_rules.refusals(root) == []
    data = yaml.safe_load((root / "competition.yaml").read_text())
    assert [p["auto_migrate_to_this_phase"] for p in data["phases"]] == [False, True]
    assert [p["tasks"] for p in data["phases"]] == [[0], [1]]
    assert [p["max_submissions"] for p in data["phases"]] == [100, 2]


def test_the_web_report_of_a_series_reads_naturally_in_korean(client, login, competition):
    login(competition.roles[0].user)
    page = client.post(f"/c/{competition.slug}/manage/bundle", headers={"Accept-Language": "ko"},
                       data={"bundle": (io.BytesIO(zipped(V2_FILES)), "v2.zip"),
                             "sponsor": ""}).text  # fmt: skip
    assert (
        "번들의 마지막 단계인 “본선” 단계가 Codabench의 최종 단계처럼 순위(본선 진출팀 선정, "
        "시상, 상장)를 정합니다." in page
    )
    assert "과제 “Vibration”: 채점 프로그램은 최대 120초 동안 실행됩니다" in page
    assert "태스크 “" not in page  # a task is 과제 on every line of the report
