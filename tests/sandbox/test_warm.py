"""Pre-started sandboxes: start() now, go() with the inputs later, or discard()."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from judge.sandbox import Job, Limits, SandboxConfig, Started, start
from judge.sandbox.workspace import remove_run_dir
from tests.sandbox.conftest import REPO, slot_processes, zombie_children

WAIT_FOR_GO = ["/bin/sh", "-c", 'read line && [ "$line" = go ]']


@pytest.fixture
def start_python(runtime: Path, config: SandboxConfig):
    """Start Python source in the sandbox: ``start_python(code, **limits)``; discarded after."""
    started: list[Started] = []

    def start_code(code: str, **limits) -> Started:
        job = Job(
            argv=[str(runtime / "bin" / "python"), "-c", code],
            mounts={str(runtime): runtime},
            limits=Limits(**limits),
        )
        started.append(start(job, config))
        return started[-1]

    yield start_code
    for each in started:
        each.discard()


def wait_until_dead(started: Started, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while started.alive():
        assert time.monotonic() < deadline, "the started program did not exit"
        time.sleep(0.02)


def test_inputs_given_at_go_are_visible_and_read_only(start_python, tmp_path):
    (tmp_path / "solution.csv").write_text("id,label\n1,cat\n")
    (tmp_path / "extra.txt").write_text("more")
    code = """
import json, os, sys
report = {"before": os.listdir('/in')}
report["line"] = sys.stdin.readline()
report["solution"] = open('/in/solution.csv').read()
report["nested"] = open('/in/data/extra.txt').read()
for target in ('/in/solution.csv', '/in/new.txt', '/in/data/extra.txt'):
    try:
        open(target, 'a').write('x')
        report[target] = 'written'
    except OSError as exc:
        report[target] = exc.errno
print(json.dumps(report))
"""
    started = start_python(code)
    time.sleep(1.0)  # let it list /in before go
    assert started.alive()
    inputs = {"solution.csv": tmp_path / "solution.csv", "data/extra.txt": tmp_path / "extra.txt"}
    result = started.go(inputs)
    assert result.ok, result.stderr
    report = json.loads(result.stdout)
    assert report.pop("before") == []
    assert report.pop("line") == "go\n"
    assert report.pop("solution") == "id,label\n1,cat\n"
    assert report.pop("nested") == "more"
    assert "written" not in report.values() and len(report) == 3
    assert not started.alive()


def test_the_wall_clock_counts_from_go(start_python):
    code = "import sys, time; time.sleep(2); print(sys.stdin.readline().strip())"
    started = start_python(code, wall_seconds=1.0)
    time.sleep(2.5)
    result = started.go({})
    assert result.ok, (result.limit, result.stderr)
    assert result.stdout == b"go\n"
    assert result.wall_seconds < 1.0


def test_the_wall_clock_still_kills_after_go(start_python):
    started = start_python("import sys, time; sys.stdin.readline(); time.sleep(30)", wall_seconds=1)
    result = started.go({})
    assert result.limit == "wall_time"
    assert 1.0 <= result.wall_seconds < 5.0


def test_discard_leaves_no_process_and_no_zombie(config, start_python):
    started = start_python("import time; time.sleep(60)")
    _wait_for(lambda: len(slot_processes(config)) >= 3)  # bwrap, its init, python
    assert started.alive()
    started.discard()
    started.discard()  # idempotent
    assert not started.alive()
    assert slot_processes(config) == []
    assert zombie_children() == []
    with pytest.raises(RuntimeError):
        started.go({})


def test_discard_right_after_start_leaves_nothing(config):
    for _ in range(20):
        start(Job(argv=["/bin/sleep", "600"]), config).discard()
        assert slot_processes(config) == []
        assert zombie_children() == []


def test_go_after_the_program_died_at_start_returns_its_result(start_python):
    started = start_python("import sys; sys.stderr.write('import failed\\n'); sys.exit(3)")
    wait_until_dead(started)
    result = started.go({})
    assert (result.exit_code, result.signal, result.limit) == (3, None, None)
    assert result.stderr == b"import failed\n"


def test_30_warm_runs_in_a_row(config):
    job = Job(argv=WAIT_FOR_GO, limits=Limits(processes=8))
    codes = []
    for _ in range(30):
        started = start(job, config)
        codes.append(started.go({}).exit_code)
    assert codes == [0] * 30
    assert slot_processes(config) == []


def test_start_refuses_inputs_and_go_checks_them(config, tmp_path):
    (tmp_path / "x.txt").write_text("x")
    with pytest.raises(ValueError, match="go"):
        start(Job(argv=WAIT_FOR_GO, inputs={"x.txt": tmp_path / "x.txt"}), config)
    started = start(Job(argv=WAIT_FOR_GO), config)
    with pytest.raises(ValueError, match="bad input name"):
        started.go({"../x.txt": tmp_path / "x.txt"})
    assert not started.alive()  # a go that failed still ends the sandbox


def test_run_still_gives_an_empty_stdin(python):
    result = python("import sys; print(repr(sys.stdin.read()))")
    assert result.ok, result.stderr
    assert result.stdout == b"''\n"


CHILD = """
import sys, time
from pathlib import Path
sys.path.insert(0, {repo!r})
from judge.sandbox import Job, SandboxConfig, start
config = SandboxConfig(root=Path({root!r}), uid_base={uid_base}, slots={slots})
started = start(Job(argv=["/bin/sleep", "600"]), config)
print(started.slot.index, flush=True)
time.sleep(600)
"""


def test_an_unused_sandbox_dies_with_its_parent(config):
    code = CHILD.format(repo=str(REPO), root=str(config.root), uid_base=config.uid_base,
                        slots=config.slots)  # fmt: skip
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        index = int(child.stdout.readline())
        # Killed in the first milliseconds, bwrap's pid 1 may not have armed its parent-death
        # signal yet (the engine still ends: its stdin reaches end of file). Wait until the
        # sandbox is up: the outer bwrap, its pid 1 and the program.
        _wait_for(lambda: len(slot_processes(config)) >= 3)
    finally:
        child.kill()
        child.wait()
    try:
        assert _gone(config, 5.0), slot_processes(config)
    finally:
        remove_run_dir(config.root / f"slot-{index}" / "run")  # the killed child left it


def _wait_for(condition, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def _gone(config: SandboxConfig, seconds: float) -> bool:
    """Wait for the slot uids' processes to end, reaping those this process adopted as a
    subreaper (the killed child's orphans)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for pid in slot_processes(config):
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
        if not slot_processes(config):
            return True
        time.sleep(0.05)
    for pid in slot_processes(config):  # leave nothing behind for the next tests
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return False
