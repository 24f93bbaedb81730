"""Each limit stops what it is meant to stop, and the next run is unaffected; ``scorer_python``
runs a check both in a fresh sandbox and in a job of a warm one (built-in metric scoring)."""

from __future__ import annotations

import os
import signal

from judge.sandbox.command import NICENESS

MiB = 1024**2


def test_cpu_limit_stops_a_busy_loop(scorer_python):
    result = scorer_python("while True: pass", cpu_seconds=1, wall_seconds=20)
    assert result.limit == "cpu_time"
    assert result.signal == signal.SIGXCPU
    assert 0.9 < result.cpu_seconds < 5


def test_wall_limit_kills_the_whole_tree(scorer_python):
    code = """
import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        while True:
            time.sleep(0.05)
    os._exit(0)
print('daemon started', flush=True)
time.sleep(600)
"""
    result = scorer_python(code, wall_seconds=1)
    assert result.limit == "wall_time"
    assert result.signal == signal.SIGKILL
    assert result.stdout == b"daemon started\n"
    assert 1 <= result.wall_seconds < 10
    assert scorer_python.leftover_processes() == []


def test_a_daemon_does_not_outlive_a_normal_exit(scorer_python):
    code = """
import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(600)
    os._exit(0)
"""
    result = scorer_python(code, wall_seconds=30)
    assert result.ok
    assert result.wall_seconds < 10
    assert scorer_python.leftover_processes() == []


def test_memory_limit_stops_a_big_allocation(scorer_python):
    result = scorer_python("block = bytearray(2 * 1024**3)", memory_bytes=512 * MiB)
    assert result.limit == "memory"
    assert b"MemoryError" in result.stderr


def test_process_limit_contains_fork_attempts(scorer_python):
    code = """
import os, time
children = 0
try:
    while True:
        if os.fork() == 0:
            time.sleep(600)
            os._exit(0)
        children += 1
except OSError:
    print(children)
"""
    result = scorer_python(code, processes=16, wall_seconds=20)
    assert result.ok, result.stderr
    assert int(result.stdout) < 16


def test_fork_bomb_is_contained_and_the_next_run_works(scorer_python):
    code = """
import os
while True:
    try:
        os.fork()
    except OSError:
        pass
"""
    result = scorer_python(code, processes=32, wall_seconds=2)
    assert result.limit == "wall_time"
    assert scorer_python.leftover_processes() == []
    assert scorer_python("print('still fine')").stdout == b"still fine\n"


def test_file_size_limit_stops_a_huge_stdout(scorer_python):
    code = "import sys; sys.stdout.buffer.write(b'x' * (16 * 1024**2)); sys.stdout.flush()"
    result = scorer_python(code, file_size_bytes=MiB, wall_seconds=20)
    assert result.limit == "file_size"
    assert len(result.stdout) <= MiB


def test_file_size_limit_stops_a_huge_file(scorer_python):
    code = "open('/tmp/big', 'wb').write(b'x' * (16 * 1024**2))"
    result = scorer_python(code, file_size_bytes=MiB)
    assert result.limit == "file_size"
    assert b"File too large" in result.stderr


def test_full_out_is_reported_as_output_size(python):
    code = "open('/out/big', 'wb').write(b'x' * (8 * 1024**2))"
    result = python(code, output_bytes=MiB)
    assert result.limit == "output_size"
    assert sum(len(data) for data in result.outputs.values()) <= MiB


def test_tmp_is_size_limited(scorer_python):
    code = "open('/tmp/big', 'wb').write(b'x' * (8 * 1024**2))"
    result = scorer_python(code, tmp_bytes=MiB)
    assert not result.ok
    assert b"No space left on device" in result.stderr


def test_without_a_tmpfs_the_reader_still_caps_out(python, monkeypatch):
    monkeypatch.setattr("judge.sandbox.workspace.mount_tmpfs", lambda target, options: False)
    code = "for name in 'abc': open(f'/out/{name}', 'wb').write(b'x' * (600 * 1024))"
    result = python(code, output_bytes=MiB)
    assert result.limit == "output_size"
    assert list(result.outputs) == ["a"]


def test_runs_at_a_lower_cpu_priority_than_the_worker(scorer_python):
    """A scoring run yields the CPU to the web server on a shared host."""
    result = scorer_python("import os; print(os.getpriority(os.PRIO_PROCESS, 0))")
    assert result.ok, result.stderr
    assert int(result.stdout) == os.getpriority(os.PRIO_PROCESS, 0) + NICENESS
