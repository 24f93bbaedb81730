"""run_together: jobs at the same time, each in its own sandbox, sharing size-capped folders
that are gone afterwards; a job that fails stops the others."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from judge.sandbox import Job, Limits, Shared, run, run_together
from tests.sandbox.conftest import slot_processes

# Writes three numbered files a little apart, then "done".
WRITER = """
import os, time
for n in range(3):
    open(f"/app/out/{n}.txt", "w").write(str(n))
    time.sleep(0.3)
open("/app/out/done", "w").write("yes")
open("/app/both/from-writer", "w").write("w")
"""
# Waits for the writer's files as they come and says what it saw before "done".
READER = """
import json, os, time
seen_before_done = 0
while not os.path.exists("/app/in/done"):
    seen_before_done = max(seen_before_done, len(os.listdir("/app/in")))
    time.sleep(0.05)
try:
    open("/app/in/mine", "w")
    wrote = True
except OSError:
    wrote = False
open("/app/both/from-reader", "w").write("r")
print(json.dumps({"before_done": seen_before_done, "wrote_into_theirs": wrote,
                  "files": sorted(os.listdir("/app/in")),
                  "pids": sorted(p for p in os.listdir("/proc") if p.isdigit())}))
"""
SHARED = {"preds": Shared(1024 * 1024, writer=0), "both": Shared(1024 * 1024)}


def _job(runtime: Path, code: str, shared: dict[str, str], **options) -> Job:
    return Job(argv=[str(runtime / "bin" / "python"), "-c", code],
               mounts={str(runtime): runtime}, shared=shared,
               limits=Limits(wall_seconds=options.pop("wall", 30.0)), **options)  # fmt: skip


def test_two_jobs_share_a_folder_while_both_run(runtime, config):
    writer = _job(runtime, WRITER, {"/app/out": "preds", "/app/both": "both"}, no_links=True)
    reader = _job(runtime, READER, {"/app/in": "preds", "/app/both": "both"})
    together = run_together([writer, reader], SHARED, config)
    first, second = together.ended
    assert first.result.ok and second.result.ok, (first, second.result.stderr)
    seen = json.loads(second.result.stdout)
    assert 0 < seen["before_done"] < 4  # it read the files as they were written
    assert seen["files"] == ["0.txt", "1.txt", "2.txt", "done"]
    assert seen["wrote_into_theirs"] is False  # read-only for everyone but its writer
    assert seen["pids"] == ["1", "2"]  # its own PID namespace: none of the writer's processes
    assert together.files == {"preds": 4, "both": 2}
    assert not list((config.root / "shared").iterdir())  # the folders are gone
    assert slot_processes(config) == []


def test_a_job_that_fails_stops_the_others(runtime, config):
    waits = _job(runtime, "import time; time.sleep(60)", {"/app/both": "both"})
    fails = _job(runtime, "import time; time.sleep(0.5); raise SystemExit(3)",
                 {"/app/both": "both"})  # fmt: skip
    first, second = run_together([waits, fails], {"both": SHARED["both"]}, config).ended
    assert second.result.exit_code == 3 and not second.stopped
    assert first.stopped and first.result.wall_seconds < 30
    assert slot_processes(config) == []


def test_a_job_that_hangs_ends_at_its_own_wall_clock_limit(runtime, config):
    hangs = _job(runtime, "import time; time.sleep(60)", {"/app/both": "both"}, wall=1.0)
    waits = _job(runtime, "import time; time.sleep(60)", {"/app/both": "both"})
    first, second = run_together([hangs, waits], {"both": SHARED["both"]}, config).ended
    assert first.result.limit == "wall_time" and not first.stopped
    assert second.stopped


def test_no_links_refuses_symlinks_and_fifos_in_a_shared_folder(runtime, config):
    code = """
import os
for make in (lambda: os.symlink("/etc/passwd", "/app/out/link"),
             lambda: os.mkfifo("/app/out/fifo")):
    try:
        make()
        print("made")
    except PermissionError:
        print("refused")
"""
    job = _job(runtime, code, {"/app/out": "preds"}, no_links=True)
    (ended,) = run_together([job], {"preds": SHARED["preds"]}, config).ended
    assert ended.result.stdout.split() == [b"refused", b"refused"]


def test_a_shared_folder_is_capped(runtime, config):
    code = "open('/app/out/big', 'wb').write(b'x' * 3 * 1024 * 1024)"
    job = _job(runtime, code, {"/app/out": "preds"})
    (ended,) = run_together([job], {"preds": SHARED["preds"]}, config).ended
    assert not ended.result.ok
    assert b"No space left on device" in ended.result.stderr


def test_run_refuses_a_job_with_shared_folders(runtime, config):
    with pytest.raises(ValueError, match="run_together"):
        run(_job(runtime, "pass", {"/app/out": "preds"}), config)
