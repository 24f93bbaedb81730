"""Sustained scoring: small ROC AUC files uploaded back to back to gunicorn, scored by
``judge worker --concurrency 2``, against the same files scored in one warm process.

A temporary instance on the embedded defaults (SQLite database, SQLite broker, local
storage; the scoring settings as shipped, so built-in metrics score warm) is served by
gunicorn (2 workers) and scored by one ``judge worker --concurrency 2`` with its beat,
both started as ``tests/integration/servers.py`` starts them. One roc_auc problem with a
``--rows``-row solution (default 2,000) and ``--teams`` teams (default 10, so that the
fair queue has teams to alternate between); ``--files`` prediction files (default 200, a
different seed each) are uploaded one after another, round-robin over the teams, through
``POST /api/v1/problems/<id>/submissions`` by ``--clients`` client threads (default 1).
Two warm-up uploads come first (each pool process starts its warm sandbox); they are not
counted.

Reported: files scored per second from the first measured upload until the last one is
scored (end to end), the upload rate alone, and each file's upload → scored time from the
submission rows (created_at → finished_at). Baseline, in this process: the same files
scored one after another by pandas + scikit-learn with the imports done
(``pandas.read_csv`` of both files, merge on id, ``roc_auc_score``).

Targets (issue 16): ≥ 20 files/s end to end, and a time per file within 4× of the
baseline's.

Run from the repository root, as root (the sandbox needs it):

    .venv/bin/python benchmarks/worker_throughput.py [--files 200] [--rows 2000] [--clients 1]
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import requests
from _common import (
    baseline_auc,
    binary_file_series,
    heading,
    line,
    median,
    percentile,
    quiet_logs,
    ratio,
    sandbox_wall,
    temp_instance,
)

from tests.integration.servers import start_web, start_worker

TARGET_FILES_PER_SECOND = 20.0
TARGET_RATIO = 4.0
POLL_SECONDS = 0.05


def main() -> None:
    args = _arguments()
    quiet_logs()
    with temp_instance(keep=args.keep) as instance:
        heading(f"worker_throughput: {args.files} files of {args.rows:,} rows, roc_auc, "
                f"judge worker --concurrency 2, {args.clients} client(s)")  # fmt: skip
        print(f"  uptime: {_uptime()}")
        solution, files = binary_file_series(instance.logs, args.files + 2, args.rows)
        baseline = _baseline(solution, files[2:])
        problem_id, tokens = _setup(instance, solution, args.teams)
        web, url = start_web(instance.env, instance.logs / "web.log")
        worker = start_worker(instance.env, instance.logs / "worker.log", "bench", concurrency=2)
        try:
            sessions = [_session(token) for token in tokens]
            warmup = [_post(sessions[i], url, problem_id, files[i]) for i in range(2)]
            _wait_scored(instance, warmup, 120)
            started = time.perf_counter()
            ids, upload_seconds = _upload_all(sessions, url, problem_id, files[2:], args.clients)
            _wait_scored(instance, ids, 600)
            took = time.perf_counter() - started
        except BaseException:
            print(worker.output()[-5000:])
            raise
        finally:
            _stop(worker)
            web.kill()
        _report(instance, ids, took, upload_seconds, baseline)
        print(f"  uptime: {_uptime()}")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--teams", type=int, default=10)
    parser.add_argument("--clients", type=int, default=1, help="Uploading threads.")
    parser.add_argument("--keep", action="store_true", help="Keep the instance and the logs.")
    return parser.parse_args()


def _uptime() -> str:
    with open("/proc/loadavg") as file:
        return "load average " + ", ".join(file.read().split()[:3])


def _baseline(solution: Path, files: list[Path]) -> float:
    heading("baseline: pandas.read_csv x2 + merge on id + roc_auc_score, file after file")
    baseline_auc(solution, files[0])  # imports
    start = time.perf_counter()
    for path in files:
        baseline_auc(solution, path)
    took = time.perf_counter() - start
    line(
        "files per second", f"{len(files) / took:8.1f}  ({took / len(files) * 1000:.1f} ms a file)"
    )
    return took


def _setup(instance, solution: Path, teams: int) -> tuple[int, list[str]]:
    from judge.core.db import unit_of_work

    make = instance.make
    competition = make.competition()
    problem = make.problem(
        competition, metric="roc_auc", solution=solution.read_text(), daily_limit=None
    )
    with unit_of_work():  # on INSERT the ORM turns daily_limit=None into the column default, 5
        problem.daily_limit = None
    tokens = []
    for index in range(teams):
        leader = make.user(f"leader{index}@bench.example")
        make.team(competition, leader, name=f"Bench Team {index}")
        tokens.append(make.token(leader))
    return problem.id, tokens


def _session(token: str) -> requests.Session:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    return session


def _post(session: requests.Session, url: str, problem_id: int, path: Path) -> int:
    answer = session.post(f"{url}/api/v1/problems/{problem_id}/submissions",
                          files={"file": ("predictions.csv", path.read_bytes())},
                          timeout=60)  # fmt: skip
    if answer.status_code != 202:
        raise SystemExit(f"upload refused: {answer.status_code} {answer.text}")
    return answer.json()["id"]


def _upload_all(sessions, url: str, problem_id: int, files: list[Path],
                clients: int) -> tuple[list[int], float]:  # fmt: skip
    """Upload ``files`` round-robin over the teams' sessions from ``clients`` threads."""
    jobs = iter(list(zip(itertools.cycle(sessions), files)))
    lock = threading.Lock()
    ids: list[int] = []

    def upload() -> None:
        while True:
            with lock:
                job = next(jobs, None)
            if job is None:
                return
            submission_id = _post(job[0], url, problem_id, job[1])
            with lock:
                ids.append(submission_id)

    start = time.perf_counter()
    threads = [threading.Thread(target=upload) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if len(ids) != len(files):
        raise SystemExit(f"only {len(ids)} of {len(files)} uploads were accepted")
    return ids, time.perf_counter() - start


def _wait_scored(instance, ids: list[int], seconds: float) -> None:
    import sqlalchemy as sa

    from judge.core.extensions import db
    from judge.submissions.models import Submission

    deadline = time.monotonic() + seconds
    while True:
        db.session.commit()  # a fresh snapshot: the worker's commits
        states = db.session.execute(
            sa.select(Submission.status).where(Submission.id.in_(ids))
        ).scalars().all()  # fmt: skip
        done = [s for s in states if s.value in ("scored", "failed", "cancelled")]
        if len(done) == len(ids):
            if any(s.value != "scored" for s in done):
                raise SystemExit(f"not all scored: {sorted(s.value for s in done)}")
            return
        if time.monotonic() > deadline:
            raise SystemExit(f"{len(done)} of {len(ids)} finished after {seconds} s")
        time.sleep(POLL_SECONDS)


def _stop(worker) -> None:
    os.kill(worker.proc.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        worker.proc.wait(timeout=20)
    worker.kill()


def _report(instance, ids: list[int], took: float, uploads: float, baseline: float) -> None:
    from judge.core.extensions import db
    from judge.submissions.models import Submission

    db.session.commit()
    rows = [db.session.get(Submission, i) for i in ids]
    latencies = [(r.finished_at - r.created_at).total_seconds() for r in rows]
    heading("judge: gunicorn + judge worker --concurrency 2")
    line("uploads alone", f"{len(ids) / uploads:8.1f} files/s ({uploads:.2f} s)")
    line("first upload → last scored", f"{len(ids) / took:8.1f} files/s ({took:.2f} s)")
    line("upload → scored (rows) p50 | p95 | max",
         " | ".join(f"{v * 1000:7.1f}" for v in (median(latencies), percentile(latencies, 95),
                                                  max(latencies))) + " ms")  # fmt: skip
    parts = {
        "created → started (commit, broker, queue)": [
            (r.started_at - r.created_at).total_seconds() for r in rows],
        "started → finished (claim, scoring, record)": [
            (r.finished_at - r.started_at).total_seconds() for r in rows],
        "  of which the sandboxed job (wall)": [sandbox_wall(r.log or "") for r in rows],
    }  # fmt: skip
    for label, values in parts.items():
        line(f"{label} p50 | p95", f"{median(values) * 1000:7.1f} | "
             f"{percentile(values, 95) * 1000:7.1f} ms")  # fmt: skip
    heading("result")
    rate = len(ids) / took
    met = "met" if rate >= TARGET_FILES_PER_SECOND else "MISSED"
    line(
        "files per second, end to end",
        f"{rate:8.1f} vs target ≥ {TARGET_FILES_PER_SECOND:g}: {met}",
    )
    ratio("time per file / baseline", took, baseline, TARGET_RATIO)


if __name__ == "__main__":
    main()
