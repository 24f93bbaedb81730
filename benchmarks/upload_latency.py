"""Upload-to-scored latency on the embedded defaults, through real gunicorn and a real worker.

A temporary instance (SQLite database, SQLite broker, local storage) is served by gunicorn
(2 workers) and scored by one ``judge worker`` (concurrency 1, with its periodic sweep), both
started as ``tests/integration/servers.py`` starts them. One competition, one roc_auc problem
with a 10,000-row solution and one team; a 10,000-row prediction file is uploaded ``-k``
times (default 20), one after the other, through ``POST /api/v1/problems/<id>/submissions``
with an API token. Each latency runs from just before the upload until a poll of the status
URL (every 20 ms) sees the submission finished. One warm-up upload comes first (the worker's
first sandbox run does a preflight); it is reported apart.

Built-in metrics score warm by default (``SCORING_WARM``): each pool process keeps one warm
sandbox whose parent has imported everything, so back-to-back uploads pay no imports. With
``JUDGE_SCORING_WARM=false`` in the environment the worker keeps one fresh sandbox
pre-started instead, which helps only when the next upload comes after its imports (about
1.3 s). ``--pause S`` waits S seconds between uploads (a participant's think time); the
default 0 sends them back to back.

Reported: median, p90 and max latency; the upload request alone; the breakdown from the
submission rows (created_at → started_at: upload commit, broker and queue wait;
started_at → finished_at: claim and scoring, of which the sandboxed process itself; finished
→ seen by the client: commit, standing update and polling). Baseline, in this process: the
bare work, ``pandas.read_csv`` of both files + ``roc_auc_score`` after aligning by id.

Targets (issue 16, back to back): median upload-to-scored ≤ 150 ms, p95 ≤ 500 ms. The ratio
median latency / baseline is printed.

Run from the repository root, as root (the sandbox needs it):

    .venv/bin/python benchmarks/upload_latency.py [-k 20] [--rows 10000] [--pause 0] [--keep]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import requests
from _common import (
    baseline_auc,
    heading,
    line,
    median,
    percentile,
    quiet_logs,
    ratio,
    sandbox_wall,
    temp_instance,
    timed,
    write_binary_files,
)

from tests.integration.servers import start_web, start_worker

TARGET_SECONDS = 0.150
TARGET_P95_SECONDS = 0.500
POLL_SECONDS = 0.02
FINISHED = ("scored", "failed", "cancelled")


@dataclass
class Upload:
    submission_id: int
    started: datetime  # wall clock, just before the POST
    accepted_after: float  # seconds until the 202 came back
    seen_after: float  # seconds until a poll saw it finished
    seen: datetime  # wall clock of that poll's answer
    status: str


def main() -> None:
    args = _arguments()
    quiet_logs()
    with temp_instance(keep=args.keep) as instance:
        heading(
            f"upload_latency: {args.k} uploads of {args.rows:,} rows, roc_auc, "
            f"{args.pause:g} s between uploads"
        )
        print(f"  {_load()}")
        solution, predictions = write_binary_files(instance.logs, args.rows)
        baseline = _baseline(solution, predictions, max(args.k, 5))
        problem_id, token = _setup(instance, solution)
        web, url = start_web(instance.env, instance.logs / "web.log")
        worker = start_worker(instance.env, instance.logs / "worker.log", "bench")
        try:
            session = requests.Session()
            session.headers["Authorization"] = f"Bearer {token}"
            content = predictions.read_bytes()
            warm = _upload(session, url, problem_id, content)
            line("warm-up upload (first sandbox run, preflight)", f"{warm.seen_after:.3f} s")
            uploads = []
            for _ in range(args.k):
                if args.pause:
                    time.sleep(args.pause)
                    session.close()  # gunicorn drops connections idle for 2 s (keepalive)
                uploads.append(_upload(session, url, problem_id, content))
        except BaseException:
            print(worker.output())
            raise
        finally:
            _stop(worker)
            web.kill()
        _report(uploads, baseline)
        print(f"  {_load()}")


def _load() -> str:
    with open("/proc/loadavg") as file:
        return "load average " + ", ".join(file.read().split()[:3])


def _stop(worker) -> None:
    """A warm shutdown (SIGTERM to the main process only): each pool process discards its
    pre-started sandbox on the way out. Then make sure that everything is gone."""
    os.kill(worker.proc.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        worker.proc.wait(timeout=20)
    worker.kill()


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", type=int, default=20, help="Measured uploads (default 20).")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument(
        "--pause", type=float, default=0.0, help="Seconds between uploads (default 0)."
    )
    parser.add_argument("--keep", action="store_true", help="Keep the instance and the logs.")
    return parser.parse_args()


def _baseline(solution: Path, predictions: Path, repeat: int) -> float:
    heading("baseline: pandas.read_csv x2 + merge on id + roc_auc_score (in process, warm)")
    baseline_auc(solution, predictions)  # imports
    times = [timed(baseline_auc, solution, predictions)[0] for _ in range(repeat)]
    line(f"median of {repeat}", f"{median(times) * 1000:.1f} ms")
    return median(times)


def _setup(instance, solution: Path) -> tuple[int, str]:
    from judge.core.db import unit_of_work

    make = instance.make
    competition = make.competition()
    problem = make.problem(
        competition, metric="roc_auc", solution=solution.read_text(), daily_limit=None
    )
    with unit_of_work():  # on INSERT the ORM turns daily_limit=None into the column default, 5
        problem.daily_limit = None
    leader = make.user("leader@bench.example")
    make.team(competition, leader, name="Bench Team")
    return problem.id, make.token(leader)


def _upload(session: requests.Session, url: str, problem_id: int, content: bytes) -> Upload:
    started_wall = datetime.now(UTC)
    started = time.perf_counter()
    answer = session.post(
        f"{url}/api/v1/problems/{problem_id}/submissions",
        files={"file": ("predictions.csv", content)},
        timeout=60,
    )
    accepted_after = time.perf_counter() - started
    if answer.status_code != 202:
        raise SystemExit(f"upload refused: {answer.status_code} {answer.text}")
    accepted = answer.json()
    status_url = url + accepted["status_url"]
    while True:
        state = session.get(status_url, timeout=30).json()["status"]
        if state in FINISHED:
            seen_after, seen = time.perf_counter() - started, datetime.now(UTC)
            break
        if time.perf_counter() - started > 120:
            raise SystemExit(f"submission {accepted['id']} still {state} after 120 s")
        time.sleep(POLL_SECONDS)
    if state != "scored":
        raise SystemExit(f"submission {accepted['id']} ended {state}")
    return Upload(accepted["id"], started_wall, accepted_after, seen_after, seen, state)


def _report(uploads: list[Upload], baseline: float) -> None:
    from judge.core.extensions import db
    from judge.submissions.models import Submission

    db.session.commit()  # a fresh snapshot: the worker's commits
    rows = {u.submission_id: db.session.get(Submission, u.submission_id) for u in uploads}
    latencies = [u.seen_after for u in uploads]
    heading("upload → scored (client side, polling every 20 ms)")
    line("latency median | p90 | max", _triple(latencies))
    line("latency p95", f"{percentile(latencies, 95) * 1000:7.1f} ms")
    line(
        "upload request alone (202) median | p90 | max",
        _triple([u.accepted_after for u in uploads]),
    )
    heading("breakdown from the submission rows (medians, p90, max)")
    parts = {
        "client start → created_at (request start)": [],
        "created_at → started_at (commit, broker, queue)": [],
        "started_at → finished_at (claim, scoring)": [],
        "  of which the sandboxed process (wall)": [],
        "finished_at → seen by client (commit, poll)": [],
    }
    for upload in uploads:
        row = rows[upload.submission_id]
        values = (
            (row.created_at - upload.started).total_seconds(),
            (row.started_at - row.created_at).total_seconds(),
            (row.finished_at - row.started_at).total_seconds(),
            sandbox_wall(row.log or ""),
            (upload.seen - row.finished_at).total_seconds(),
        )
        for key, value in zip(parts, values, strict=True):
            parts[key].append(value)
    for label, values in parts.items():
        line(label, _triple(values))
    heading("result")
    line("target: median upload → scored ≤ 150 ms", _verdict(median(latencies), TARGET_SECONDS))
    line("target: p95 upload → scored ≤ 500 ms",
         _verdict(percentile(latencies, 95), TARGET_P95_SECONDS))  # fmt: skip
    ratio("median latency / baseline", median(latencies), baseline)


def _triple(values: list[float]) -> str:
    return (
        " | ".join(
            f"{v * 1000:7.1f}" for v in (median(values), percentile(values, 90), max(values))
        )
        + " ms"
    )


def _verdict(value: float, limit: float) -> str:
    met = "met" if value <= limit else "MISSED"
    return f"{value * 1000:.1f} ms: {met}"


if __name__ == "__main__":
    main()
