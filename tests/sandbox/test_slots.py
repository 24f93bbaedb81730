"""Slots, refusals and errors that are the caller's to fix."""

from __future__ import annotations

import fcntl
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest

from judge.sandbox import Job, SandboxUnavailable, run


def test_no_free_slot_raises_sandbox_unavailable(config):
    config = replace(config, slots=1, slot_wait_seconds=0.2)
    config.root.mkdir(parents=True, exist_ok=True)
    fd = os.open(config.root / "slot-0.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with pytest.raises(SandboxUnavailable, match="no free sandbox slot"):
            run(Job(argv=["true"]), config)
    finally:
        os.close(fd)
    assert run(Job(argv=["true"]), config).ok


def test_slots_are_used_by_different_uids_at_once(config):
    config.root.mkdir(parents=True, exist_ok=True)
    fd = os.open(config.root / "slot-0.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        for _ in range(5):
            result = run(Job(argv=["id", "-u"]), config)
            assert int(result.stdout) != config.uid_base
    finally:
        os.close(fd)


@pytest.mark.parametrize(
    "job",
    [
        Job(argv=[]),
        Job(argv=["true"], workdir="tmp"),
        Job(argv=["true"], inputs={"../escape": __file__}),
        Job(argv=["true"], inputs={"/abs": __file__}),
        Job(argv=["true"], mounts={"/proc/x": os.path.dirname(__file__)}),
        Job(argv=["true"], mounts={"/usr": os.path.dirname(__file__)}),
        Job(argv=["true"], mounts={"relative": os.path.dirname(__file__)}),
        Job(argv=["true"], mounts={"/code": "/no/such/dir"}),
    ],
)
def test_malformed_jobs_are_refused(config, job):
    with pytest.raises(ValueError):
        run(job, config)


def test_a_stale_run_dir_is_cleaned_up(config):
    config = replace(config, slots=1)
    stale = config.root / "slot-0" / "run"
    (stale / "out").mkdir(parents=True, exist_ok=True)
    (stale / "out" / "old.txt").write_text("left over")
    result = run(Job(argv=["ls", "/out"]), config)
    assert result.ok and result.stdout == b""
    assert not stale.exists()


def test_concurrent_runs_get_separate_slots(config):
    job = Job(argv=["sh", "-c", "sleep 0.5; id -u"])
    with ThreadPoolExecutor(max_workers=config.slots) as pool:
        results = list(pool.map(lambda _: run(job, config), range(config.slots)))
    assert all(result.ok for result in results)
    assert len({int(result.stdout) for result in results}) == config.slots
