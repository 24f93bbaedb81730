"""Issue 13, item 3: files in storage that no row refers to are collected by a periodic sweep,
never while a row can still refer to them.

An upload stores its bytes before its row commits, so a file younger than
STORAGE_ORPHAN_GRACE_SECONDS is always kept; an older one is removed only when no row of
any table holding storage keys names it.
"""

from __future__ import annotations

import io
import os
import time

from flask import current_app

from judge.core import storage
from judge.submissions.tasks import collect_files_task
from tests.submissions.helpers import submit

HOURS = 3600


def put(content: bytes) -> str:
    with storage.staged(io.BytesIO(content), 10**6, "file") as staged:
        return storage.put(staged)


def age(key: str, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(storage.path_of(key), (then, then))


def exists(key: str) -> bool:
    return storage.path_of(key).exists()


def test_old_unreferenced_files_go_young_and_referenced_ones_stay(app, make):
    grace = current_app.config["STORAGE_ORPHAN_GRACE_SECONDS"]
    competition = make.competition()
    problem = make.problem(competition, daily_limit=None)
    leader = make.user()
    make.team(competition, leader)
    submission = submit(problem, leader, b"id,label\n1,1\n")
    referenced = [submission.storage_key, problem.solution.storage_key,
                  problem.files[0].storage_key]  # fmt: skip
    for key in referenced:
        age(key, grace + HOURS)
    orphan = put(b"left behind by a team deleted before issue 13")
    age(orphan, grace + HOURS)
    fresh = put(b"stored a moment ago; its row has not committed yet")

    assert collect_files_task() == 1

    assert not exists(orphan)
    assert exists(fresh)
    assert all(exists(key) for key in referenced)


def test_storing_the_same_bytes_again_protects_an_old_orphan(app):
    grace = current_app.config["STORAGE_ORPHAN_GRACE_SECONDS"]
    content = b"an upload whose bytes match a file nobody uses any more"
    key = put(content)
    age(key, grace + HOURS)
    assert put(content) == key  # an upload in progress: stored, its row not committed yet
    assert collect_files_task() == 0
    assert exists(key)


def test_every_column_holding_a_storage_key_is_consulted(app):
    from judge.core import orphans

    found = {f"{column.table.name}.{column.name}" for column in orphans.key_columns()}
    assert found >= {
        "submissions.storage_key", "problem_files.storage_key", "solutions.storage_key",
        "solutions.prepared_key", "problems.scoring_program_key", "problems.hidden_inputs_key",
        "problems.ingestion_program_key", "finalists.report_key", "finalists.code_key",
    }  # fmt: skip


def test_the_beat_runs_the_collection(app):
    schedule = app.extensions["celery"].conf.beat_schedule
    entry = next(e for e in schedule.values() if e["task"] == "judge.maintenance.collect_files")
    assert entry["schedule"] == current_app.config["STORAGE_SWEEP_SECONDS"]
