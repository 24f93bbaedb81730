"""The warm scorer: one long-lived sandbox, a fresh child per job, nothing crossing jobs.

Each job here runs the real warm parent with the probe entry of tests/sandbox/warm_support.py
(a ``#probe`` submission runs as Python in the job's child). ``jobs`` behaves as
judge.scoring.warm does: it starts a fresh warm sandbox when the last one was discarded.
"""

from __future__ import annotations

import json
import os
import resource
import time
from pathlib import Path

import pytest

from judge.core.config import DEFAULTS, MiB
from judge.problems import solution as solutions
from judge.problems.models import SplitMethod
from judge.sandbox import Limits, Result, SandboxUnavailable
from judge.sandbox.warm import Warm, _Lines, start_warm
from judge.scoring import runner, warm
from judge.scoring.engine.score import score
from judge.scoring.engine.solution import write_prepared
from judge.scoring.runner import RESULT, ScoringSetup
from tests.sandbox.conftest import CONFIG
from tests.sandbox.warm_support import probe_job

REPORT = "\nimport json\njson.dump(report, open(output, 'w'))\n"
SOLUTION = "id,label\n" + "".join(f"{i},{i % 2}\n" for i in range(40))
PREDICTIONS = "id,label\n" + "".join(f"{i},{(i % 2) * 0.6 + (i % 7) / 20}\n" for i in range(40))


@pytest.fixture(scope="module")
def scoring(tmp_path_factory) -> dict:
    """A prepared binary solution, a prediction file and the score the engine gives it."""
    folder = tmp_path_factory.mktemp("warm-scoring")
    (folder / "solution.csv").write_text(SOLUTION)
    (folder / "predictions.csv").write_text(PREDICTIONS)
    summary = solutions.inspect(folder / "solution.csv", id_column="id", prediction_columns=[],
                                split_method=SplitMethod.FRACTION, public_fraction=0.5,
                                salt="warm")  # fmt: skip
    write_prepared(summary.frame, "id", summary.target_columns, summary.sides,
                   folder / "solution.parquet")  # fmt: skip
    job = {"metric": "roc_auc", "id_column": "id", "prediction_columns": ["label"],
           "target_columns": summary.target_columns, "max_bytes": 10**6}  # fmt: skip
    (folder / "job.json").write_text(json.dumps(job))
    expected = score(job, folder / "predictions.csv", folder / "solution.parquet")
    assert expected["status"] == "scored"
    return {"folder": folder, "expected": expected}


class Jobs:
    """Run jobs on a warm sandbox, starting a fresh one whenever the last was discarded."""

    def __init__(self, runtime: Path, code: Path, folder: Path, limits: Limits) -> None:
        self.job = probe_job(runtime, code, limits)
        self.folder = folder
        self.started: list[Warm] = []

    @property
    def warm(self) -> Warm:
        if not self.started or not self.started[-1].usable():
            self.started.append(start_warm(self.job, CONFIG, max_jobs=50, result_name=RESULT))
        return self.started[-1]

    def probe(self, code: str) -> tuple[Result, dict | None]:
        """Run ``code`` in a job; its result and the ``report`` it set."""
        result = self.run(code + REPORT)
        raw = result.outputs.get(RESULT)
        return result, json.loads(raw) if raw else None

    def run(self, code: str) -> Result:
        path = self.folder / f"probe-{sum(w.served for w in self.started)}.py"
        path.write_text("#probe\n" + code)
        return self.warm.run({"job.json": path, "submission": path, "solution.parquet": path})

    def score(self) -> dict:
        inputs = {name: self.folder / name for name in ("job.json", "solution.parquet")}
        result = self.warm.run({**inputs, "submission": self.folder / "predictions.csv"})
        assert result.ok, result
        return json.loads(result.outputs[RESULT])

    def close(self) -> None:
        for each in self.started:
            each.close()


@pytest.fixture
def jobs(runtime, probe_code, scoring):
    opened = Jobs(runtime, probe_code, scoring["folder"], Limits(cpu_seconds=3, wall_seconds=12))
    yield opened
    opened.close()


def test_a_warm_sandbox_scores_file_after_file_like_the_engine(jobs, scoring):
    for _ in range(3):
        assert jobs.score() == scoring["expected"]
    assert len(jobs.started) == 1 and jobs.warm.served == 3


def test_a_job_sees_only_its_own_inputs(jobs):
    first, report_a = jobs.probe("import os\nreport = {'in': os.listdir('/in')}")
    second, report_b = jobs.probe("import os\nreport = {'in': os.listdir('/in')}")
    assert first.ok and second.ok
    assert report_a == {"in": ["1"]} and report_b == {"in": ["2"]}


def test_files_a_job_leaves_are_never_seen_by_the_next(jobs, scoring):
    _, report = jobs.probe(
        "import os\n"
        "for path in ('/tmp/secret', '/dev/shm/secret', '/out/secret'):\n"
        "    open(path, 'w').write('job A')\n"
        "report = {}\n"
    )
    assert report == {}
    assert not jobs.started[0].usable()  # discarded: it found what job A left
    _, after = jobs.probe(
        "import os\nreport = {p: os.listdir(p) for p in ('/tmp', '/dev/shm', '/out')}"
    )
    assert after == {"/tmp": [], "/dev/shm": [], "/out": []}
    assert jobs.score() == scoring["expected"]


def test_a_process_a_job_leaves_is_gone_before_the_next(jobs, scoring):
    _, report = jobs.probe(
        "import os, time\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        "    if os.fork() == 0:\n"
        "        time.sleep(100)\n"
        "    os._exit(0)\n"
        "time.sleep(0.2)\n"
        "report = {'pids': sorted(int(p) for p in os.listdir('/proc') if p.isdigit())}\n"
    )
    assert len(report["pids"]) >= 4  # init, the parent, this job, its daemon (and zombie)
    _, after = jobs.probe(
        "import os\nreport = {'pids': sorted(int(p) for p in os.listdir('/proc') if p.isdigit())}"
    )
    assert after["pids"] == [1, 2, after["pids"][2]]
    assert jobs.score() == scoring["expected"]


ATTACKS = """
import ctypes, os, resource, signal
libc = ctypes.CDLL(None, use_errno=True)
report = {}

def attempt(name, action):
    try:
        outcome = action()
    except OSError as exc:
        report[name] = "refused: " + type(exc).__name__
        return
    report[name] = "refused" if outcome == -1 else "allowed"

attempt("ptrace", lambda: libc.ptrace(16, 2, 0, 0))
attempt("mem", lambda: open('/proc/2/mem', 'rb').read(1))
attempt("environ", lambda: open('/proc/2/environ', 'rb').read())
attempt("fds", lambda: os.listdir('/proc/2/fd'))
attempt("oom_score_adj", lambda: open('/proc/2/oom_score_adj', 'w').write('1000'))
attempt("kill parent", lambda: os.kill(2, signal.SIGKILL))
attempt("kill init", lambda: os.kill(1, signal.SIGKILL))
attempt("kill all", lambda: os.kill(-1, signal.SIGKILL))
attempt("kill group", lambda: os.killpg(2, signal.SIGKILL))
attempt("stop parent", lambda: os.kill(2, signal.SIGSTOP))
attempt("prlimit", lambda: resource.prlimit(2, resource.RLIMIT_NOFILE, (3, 3)))
attempt("affinity", lambda: os.sched_setaffinity(2, {0}))
attempt("priority", lambda: os.setpriority(os.PRIO_PROCESS, 2, 19))
attempt("pidfd", lambda: os.pidfd_open(2))
"""


def test_a_job_cannot_touch_its_parent_and_the_next_job_scores(jobs, scoring):
    result, report = jobs.probe(ATTACKS)
    assert result.ok, result
    assert {name: outcome.split(":")[0] for name, outcome in report.items()} == dict.fromkeys(
        report, "refused"
    )
    assert len(report) == 14
    assert jobs.started[0].usable()  # nothing left behind: the same parent serves on
    assert jobs.score() == scoring["expected"]
    assert len(jobs.started) == 1


def test_a_job_shares_no_writable_memory_with_its_parent(jobs):
    """Everything a job inherits from the parent's memory is private copy-on-write: no
    shared writable mapping (which a job could write and the next job read)."""
    _, report = jobs.probe(
        "report = {'shared': [line for line in open('/proc/self/maps')\n"
        "                     if line.split()[1][1] == 'w' and line.split()[1][3] == 's']}"
    )
    assert report == {"shared": []}


@pytest.mark.parametrize(
    ("code", "limit", "signal"),
    [
        ("import os\nos.abort()", None, 6),
        ("import ctypes\nctypes.string_at(0)", None, 11),
        ("while True:\n    pass", "cpu_time", 24),  # SIGXCPU
        ("import time\ntime.sleep(100)", "wall_time", 9),  # its process group SIGKILLed
        ("report = bytearray(8 * 1024**3)", "memory", None),
    ],
    ids=["abort", "segfault", "cpu", "hang", "memory"],
)
def test_a_crash_or_hang_costs_only_its_own_job(jobs, scoring, code, limit, signal):
    result, report = jobs.probe(code)
    assert report is None and not result.ok
    assert (result.limit, result.signal) == (limit, signal)
    assert jobs.score() == scoring["expected"]
    assert len(jobs.started) == 1  # the same parent serves on


def test_a_fork_bomb_costs_only_its_own_job(jobs, scoring):
    result, _ = jobs.probe(
        "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass"
    )
    assert result.limit in ("wall_time", "cpu_time")
    assert jobs.score() == scoring["expected"]


def test_score_file_with_warm_on_serves_file_after_file_from_one_sandbox(runtime, scoring):
    setup = ScoringSetup(python=runtime / "bin" / "python", limits=Limits(), config=CONFIG,
                         warm=True)  # fmt: skip
    folder, before, cold = scoring["folder"], warm.started_count(), runner.counts.cold
    job = json.loads((folder / "job.json").read_text())
    try:
        for _ in range(2):
            verdict = runner.score_file(setup, job, folder / "predictions.csv",
                                        folder / "solution.parquet")  # fmt: skip
            assert verdict.scored, verdict
            assert (verdict.public, verdict.private) == (1.0, 1.0)
    finally:
        runner.discard_waiting()  # closes the warm sandbox too
    assert warm.started_count() == before + 1
    assert runner.counts.cold == cold  # never fell back to a fresh sandbox


PARENT_THREADS = """
with open("/proc/2/status") as status:
    report = {"threads": [row.split()[1] for row in status if row.startswith("Threads:")]}
"""


def test_the_warm_parent_forks_each_job_from_a_single_thread(jobs, scoring):
    """After its imports and its rehearsal (a made-up file scored), the parent runs one
    thread: fork() copies only the calling thread, so a lock another one held would stay
    locked in every child."""
    assert jobs.score() == scoring["expected"]
    result, report = jobs.probe(PARENT_THREADS)
    assert report == {"threads": ["1"]}, result.stderr


def test_a_warm_parent_running_a_second_thread_is_refused(runtime, probe_code, scoring):
    limits = Limits(cpu_seconds=3, wall_seconds=12)
    parent = start_warm(probe_job(runtime, probe_code, limits, entry="threaded"), CONFIG,
                        max_jobs=5, result_name=RESULT)  # fmt: skip
    folder = scoring["folder"]
    inputs = {name: folder / name for name in ("job.json", "solution.parquet")}
    try:
        with pytest.raises(SandboxUnavailable, match="2 threads"):
            parent.run({**inputs, "submission": folder / "predictions.csv"})
    finally:
        parent.close()
    assert not parent.usable()


@pytest.mark.parametrize("memory", [512 * MiB, DEFAULTS["SCORING_MEMORY_BYTES"]],
                         ids=["512MiB", "default"])  # fmt: skip
def test_a_warm_scorer_scores_within_the_memory_limit(runtime, scoring, memory):
    """The real warm scorer (imports, rehearsal, a forked child per file) under the
    smallest address-space limit numpy imports in, and under the shipped default."""
    limits = Limits(cpu_seconds=10, wall_seconds=30, memory_bytes=memory)
    setup = ScoringSetup(python=runtime / "bin" / "python", limits=limits, config=CONFIG,
                         warm=True)  # fmt: skip
    folder = scoring["folder"]
    job = json.loads((folder / "job.json").read_text())
    try:
        verdicts = [warm.score_file(setup, job, folder / "predictions.csv",
                                    folder / "solution.parquet") for _ in range(2)]  # fmt: skip
    finally:
        warm.close()
    expected = scoring["expected"]
    assert [(v.scored, v.public, v.private) for v in verdicts] == [
        (True, expected["public"], expected["private"])
    ] * 2


MESSAGE_QUEUE = """
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
libc.mq_open.restype = ctypes.c_int
report = {}
fd = libc.mq_open(b"/judge-next", os.O_CREAT | os.O_RDWR, 0o600, None)
report["open"] = "refused" if fd == -1 else "opened"
if fd != -1:
    report["send"] = libc.mq_send(fd, b"job A", 5, 0)
"""


def test_a_message_queue_cannot_carry_data_to_the_next_job(jobs, scoring):
    """POSIX message queues live in the IPC namespace, which every job of a warm sandbox
    shares, and no directory lists them: a job may not create one."""
    _, report = jobs.probe(MESSAGE_QUEUE)
    assert report == {"open": "refused"}
    _, after = jobs.probe(
        "import ctypes, os\nlibc = ctypes.CDLL(None, use_errno=True)\n"
        "report = {'open': libc.mq_open(b'/judge-next', os.O_RDONLY)}"
    )
    assert after == {"open": -1}
    assert jobs.score() == scoring["expected"]


def test_a_shared_memory_segment_a_job_leaves_is_never_seen_by_the_next(jobs, scoring):
    _, report = jobs.probe(
        "import ctypes\nlibc = ctypes.CDLL(None, use_errno=True)\n"
        "report = {'segment': libc.shmget(0x4A554447, 4096, 0o1600)}"
    )
    assert report["segment"] >= 0
    assert not jobs.started[0].usable()  # discarded: it found the segment
    _, after = jobs.probe("report = {'shm': open('/proc/sysvipc/shm').readlines()[1:]}")
    assert after == {"shm": []}
    assert jobs.score() == scoring["expected"]


def test_a_job_cannot_plant_files_for_the_next_jobs_inputs(jobs, scoring):
    _, report = jobs.probe(
        "import os\nreport = {}\n"
        "for path in ('/in/2', '/in/1/solution.parquet', '/in/1/extra'):\n"
        "    try:\n"
        "        os.makedirs(path) if path == '/in/2' else open(path, 'w').write('A')\n"
        "        report[path] = 'written'\n"
        "    except OSError as exc:\n"
        "        report[path] = type(exc).__name__\n"
    )
    assert "written" not in report.values() and len(report) == 3
    assert jobs.score() == scoring["expected"]
    assert len(jobs.started) == 1


def test_the_parents_proc_files_are_closed_to_a_job(jobs):
    _, report = jobs.probe(
        "import os\nreport = {}\n"
        "for name in ('maps', 'cwd', 'root', 'stack', 'syscall', 'io', 'auxv'):\n"
        "    try:\n"
        "        path = f'/proc/2/{name}'\n"
        "        os.listdir(path) if name in ('cwd', 'root') else open(path, 'rb').read()\n"
        "        report[name] = 'read'\n"
        "    except OSError as exc:\n"
        "        report[name] = type(exc).__name__\n"
    )
    assert report == dict.fromkeys(("maps", "cwd", "root", "stack", "syscall", "io", "auxv"),
                                   "PermissionError")  # fmt: skip


def test_a_job_that_kills_its_parent_loses_only_its_own_job(jobs, scoring):
    """tkill names a thread id and is not filtered: the parent dies, the host hears no answer,
    discards the sandbox, and the next job gets a fresh one."""
    result, report = jobs.probe(
        "import ctypes, platform, signal, time\nlibc = ctypes.CDLL(None, use_errno=True)\n"
        "number = {'x86_64': 200, 'aarch64': 130}[platform.machine()]\n"
        "libc.syscall(number, 2, signal.SIGKILL)\ntime.sleep(1)\nreport = {}\n"
    )
    assert not result.ok and report is None
    assert not jobs.started[0].usable()
    assert jobs.score() == scoring["expected"]
    assert len(jobs.started) == 2


def test_a_result_over_its_cap_is_reported_as_output_size(jobs, scoring):
    result = jobs.run("open(output, 'wb').write(b'x' * (2 * 1024**2))")
    assert result.limit == "output_size"
    assert len(result.outputs.get(RESULT, b"")) <= 1024**2
    assert jobs.score() == scoring["expected"]


def test_a_reply_is_read_on_a_descriptor_past_1023():
    """A long-lived worker holds many files: select() refuses descriptors past 1023 (the
    suite's demo and CLI scorings failed so), the warm sandbox's reply reader must not."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 1100:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
    read_end, write_end = os.pipe()
    high = os.dup2(read_end, 1050)
    os.close(read_end)
    try:
        os.write(write_end, b'{"ready": true}\n')
        assert _Lines(high).read(time.monotonic() + 5) == {"ready": True}
    finally:
        os.close(write_end)
        os.close(high)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
