"""A full disk during an upload: a clean refusal, no partial file, no row, no quota used.

Storage lives on a small tmpfs (needs root, as in CI) that the test fills up.
"""

from __future__ import annotations

import io
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from judge.core.extensions import db
from judge.submissions.models import Submission

UPLOAD = b"id,label\n" + b"".join(b"%d,0.%06d\n" % (i, i) for i in range(20_000))  # ~300 KiB


@pytest.fixture
def small_disk(app: Flask, tmp_path: Path) -> Iterator[Path]:
    """STORAGE_DIR on a 2 MiB tmpfs."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m,mode=0755", "tmpfs", str(mount)],
                   check=True)  # fmt: skip
    app.config["STORAGE_DIR"] = str(mount)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def fill(disk: Path, leave: int) -> Path:
    """Take all but ``leave`` bytes of the disk with one file."""
    filler = disk / "filler"
    stats = os.statvfs(disk)
    free = stats.f_bavail * stats.f_frsize
    with filler.open("wb") as out:
        out.write(b"\0" * max(free - leave, 0))
    return filler


@pytest.fixture
def contest(make, small_disk):
    competition = make.competition()
    problem = make.problem(competition, daily_limit=3)
    leader = make.user("leader@example.com")
    make.team(competition, leader)
    return problem, leader


def blobs(disk: Path) -> list[Path]:
    return sorted(p for p in disk.rglob("*") if p.is_file() and p.name != "filler")


def submission_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(Submission.id)))


def api_upload(api, problem, user):
    return api.post(f"/problems/{problem.id}/submissions", as_=user,
                    data={"file": (io.BytesIO(UPLOAD), "predictions.csv")},
                    content_type="multipart/form-data")  # fmt: skip


@pytest.mark.parametrize("leave", [100_000, 450_000], ids=["no room to receive", "no room to keep"])
def test_an_api_upload_that_does_not_fit_is_refused_cleanly_and_later_succeeds(
    api, contest, small_disk, leave
):
    problem, leader = contest
    before = blobs(small_disk)
    filler = fill(small_disk, leave)
    answer = api_upload(api, problem, leader)
    assert answer.status_code == 507
    error = answer.get_json()["error"]
    assert error["code"] == "insufficient_storage"
    assert "no room" in error["message"]
    assert blobs(small_disk) == before  # no partial file, staged or placed
    assert submission_count() == 0
    quota = api.get(f"/problems/{problem.id}/quota", as_=leader).get_json()
    assert quota["daily_left"] == 3
    filler.unlink()
    answer = api_upload(api, problem, leader)
    assert answer.status_code == 202, answer.get_json()
    assert submission_count() == 1
    assert api.get(f"/problems/{problem.id}/quota", as_=leader).get_json()["daily_left"] == 2


def test_the_upload_form_shows_a_message_when_the_disk_is_full(client, login, contest, small_disk):
    problem, leader = contest
    login(leader)
    page = f"/c/{problem.competition.slug}/p/{problem.slug}/submissions"
    filler = fill(small_disk, 100_000)
    answer = client.post(page, data={"file": (io.BytesIO(UPLOAD), "p.csv")},
                         content_type="multipart/form-data", follow_redirects=True,
                         headers={"Accept-Language": "en"})  # fmt: skip
    assert answer.status_code == 200
    assert "The server has no room to store this file right now" in answer.text
    assert submission_count() == 0
    filler.unlink()
    answer = client.post(page, data={"file": (io.BytesIO(UPLOAD), "p.csv")},
                         content_type="multipart/form-data", follow_redirects=True,
                         headers={"Accept-Language": "en"})  # fmt: skip
    assert "waits to be scored" in answer.text
    assert submission_count() == 1
