"""Hostile or careless bundles of a problem with phases: each gives an error naming the file
and the key (on the page too, never a server error), and keeps nothing; a time written with
its offset opens and closes the phase at that instant."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import sqlalchemy as sa

from judge.core.extensions import db
from judge.problems.models import Problem, ProblemSeries
from tests.bundles.test_bundle_series import CODALAB, CODALAB_FILES, V2, V2_FILES, run_import
from tests.bundles.test_bundles import write_bundle, zipped

SECOND_PHASE = "  - index: 1\n    name: 본선"


def refused(runner, competition, tmp_path, files: dict, message: str) -> None:
    result = run_import(runner, competition, write_bundle(tmp_path / "bad.zip", files))
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProblemSeries)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Problem)) == 0


def with_yaml(text: str) -> dict:
    return {**V2_FILES, "competition.yaml": text}


def test_a_time_with_an_offset_closes_the_phase_at_that_instant(runner, competition, tmp_path):
    text = V2.replace("end: 2026-12-01\n", "end: 2026-12-01T18:00:00+09:00\n").replace(
        "end: 2026-12-20\n", "end: '2026-12-20 09:30 +09:00'\n"
    )
    result = run_import(runner, competition, write_bundle(tmp_path / "kst.zip", with_yaml(text)))
    assert result.exit_code == 0, result.output
    rows = db.session.scalars(sa.select(Problem).order_by(Problem.phase_index)).all()
    assert rows[0].closes_at == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert rows[-1].closes_at == datetime(2026, 12, 20, 0, 30, tzinfo=UTC)


def test_an_impossible_date_names_the_file(runner, competition, tmp_path):
    for date in ("2026-13-45", "2026-11-01T25:00:00"):
        text = V2.replace("end: 2026-12-01\n", f"end: {date}\n")
        refused(runner, competition, tmp_path, with_yaml(text),
                "competition.yaml is not valid YAML")  # fmt: skip


def test_an_impossible_date_on_the_page_is_a_message(client, login, competition):
    login(competition.roles[0].user)
    files = with_yaml(V2.replace("end: 2026-12-01\n", "end: 2026-13-45\n"))
    response = client.post(f"/c/{competition.slug}/manage/bundle",
                           data={"bundle": (io.BytesIO(zipped(files)), "v2.zip")})  # fmt: skip
    assert response.status_code < 500
    assert "competition.yaml is not valid YAML" in response.text


def test_a_phases_tasks_must_be_a_list_of_indexes_each_once(runner, competition, tmp_path):
    for tasks in ("1", "[1, 1]", "{a: 1}"):
        text = V2.replace("tasks: [1, 2]", f"tasks: {tasks}")
        refused(runner, competition, tmp_path, with_yaml(text),
                "competition.yaml: phases[1].tasks: ")  # fmt: skip
        refused(runner, competition, tmp_path, with_yaml(text),
                "must list the indexes of the bundle's tasks, each once.")  # fmt: skip


def test_phases_and_tasks_must_be_lists_of_mappings(runner, competition, tmp_path):
    no_list = V2.split("phases:")[0] + "phases: 5\nleaderboards:" + V2.split("leaderboards:")[1]
    refused(runner, competition, tmp_path, with_yaml(no_list),
            "competition.yaml: phases must be a list.")  # fmt: skip
    stray = V2.replace(SECOND_PHASE, "  - 7\n" + SECOND_PHASE)
    refused(runner, competition, tmp_path, with_yaml(stray),
            "competition.yaml: phases[1] must be a mapping of keys.")  # fmt: skip
    stray_task = V2.replace("tasks:\n  - {index: 0", "tasks:\n  - oops\n  - {index: 0")
    refused(runner, competition, tmp_path, with_yaml(stray_task),
            "competition.yaml: tasks[0] must be a mapping of keys.")  # fmt: skip


def test_a_series_slug_that_is_no_slug_names_the_file(runner, competition, tmp_path):
    text = V2 + "judge: {series_slug: '../Bad Slug'}\n"
    refused(runner, competition, tmp_path, with_yaml(text),
            "competition.yaml: judge.series_slug: Use 3–64 lowercase letters")  # fmt: skip


def test_two_tasks_with_one_index_are_refused(runner, competition, tmp_path):
    text = (
        V2.replace("{index: 1, name: Temperature", "{index: 0, name: Temperature")
        .replace("tasks: [0, 1]", "tasks: [0]")
        .replace("tasks: [1, 2]", "tasks: [0, 2]")
    )
    refused(
        runner,
        competition,
        tmp_path,
        with_yaml(text),
        "competition.yaml: “0” is the index of two tasks, “Vibration” and “Temperature”",
    )


def test_two_codalab_phases_with_one_number_are_refused(runner, competition, tmp_path):
    """The final phase would be scored on the development phase's reference data."""
    files = {**CODALAB_FILES,
             "competition.yaml": CODALAB.replace("phasenumber: 2", "phasenumber: 1")}  # fmt: skip
    refused(runner, competition, tmp_path, files,
            "“phase-1” is the index of two tasks, “Development” and “Final”")  # fmt: skip


def test_ten_thousand_phases_are_refused_at_once(runner, competition, tmp_path):
    phases = "".join(f"  - {{index: {i}, name: P{i}, start: 2026-11-01, tasks: [0]}}\n"
                     for i in range(10_000))  # fmt: skip
    head, tail = V2.split("phases:")[0], V2.split("leaderboards:")[1]
    refused(runner, competition, tmp_path, with_yaml(f"{head}phases:\n{phases}leaderboards:{tail}"),
            "competition.yaml: its phases list 10000 tasks in all (a problem row each); a "
            "bundle may have at most 200.")  # fmt: skip
