"""A function run in a forked child (judge/scoring/engine/forked.py): the split by id hashes
half of a large solution's ids this way."""

from __future__ import annotations

import os
import time

from judge.scoring.engine.forked import forked


def _pid(_tag: str) -> bytes:
    return str(os.getpid()).encode()


def _fails_in_a_child(parent: int) -> bytes:
    if os.getpid() != parent:
        raise RuntimeError("lost in the child")
    return b"from the parent"


def _sleeps(seconds: float) -> bytes:
    time.sleep(seconds)
    return b"late"


def test_the_work_is_done_in_another_process_and_its_bytes_come_back():
    with forked(_pid, "x") as result:
        child = result()
    assert child.isdigit() and int(child) != os.getpid()


def test_a_child_that_fails_leaves_the_work_to_the_parent():
    with forked(_fails_in_a_child, os.getpid()) as result:
        assert result() == b"from the parent"


def test_a_child_no_longer_wanted_is_ended_and_reaped_at_once():
    """A child that would sleep for an hour: leaving the block kills and reaps it (a block
    that waited for it would hang this test)."""
    with forked(_sleeps, 3600.0) as result:
        pid = result.__self__.pid
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return  # reaped: no zombie left behind
    raise AssertionError("the child was left running or unreaped")


def test_without_fork_the_work_is_done_here(monkeypatch):
    """Windows has no fork: the client's split hashes in one process."""
    monkeypatch.delattr(os, "fork")
    with forked(_pid, "x") as result:
        assert result() == str(os.getpid()).encode()


def test_a_fork_that_fails_leaves_no_descriptor_open(monkeypatch):
    def no_process():
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_process)
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(20):
        with forked(_pid, "x") as result:
            assert result() == str(os.getpid()).encode()
    assert len(os.listdir("/proc/self/fd")) == before


def test_large_outputs_pass_through_the_pipe_whole():
    with forked(bytes, 5 * 2**20) as result:
        assert result() == bytes(5 * 2**20)
