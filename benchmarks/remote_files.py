"""What a worker without shared storage pays to fetch a job's files through the app.

A temporary instance (SQLite, local storage, ``FILES_KEY`` set) is served by gunicorn
(2 workers). One roc_auc problem with a ``--rows``-row solution (default 1,000,000) and one
submission of the same size, claimed as a worker would. A "remote worker" in this process
(the same database, its own empty storage, ``FILES_URL`` pointing at gunicorn) then fetches
the submission and the prepared solution with signed URLs, checking their SHA-256, ``-k``
times (default 5) into a fresh storage folder each time (cold), and once more from its own
cache (warm).

Baseline, measured in the same run: copying the same two files from the shared storage
(what the sandbox does with its inputs anyway). The ratio cold fetch / baseline is printed.

Run from the repository root:

    .venv/bin/python benchmarks/remote_files.py [-k 5] [--rows 1000000]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from _common import (
    heading,
    line,
    median,
    quiet_logs,
    ratio,
    repeat,
    temp_instance,
    timed,
    write_binary_files,
)

from tests.integration.servers import start_web

FILES_KEY = "benchmark-files-key"


def main() -> None:
    args = _arguments()
    quiet_logs()
    with temp_instance(FILES_KEY=FILES_KEY) as instance:
        submission, attempt, keys = _claimed_job(instance, args.rows)
        sizes = [_size(instance, key) for key in keys]
        heading(f"remote_files: submission {sizes[0] / 1e6:.1f} MB + prepared solution "
                f"{sizes[1] / 1e6:.1f} MB, {args.k} cold fetches")  # fmt: skip
        web, url = start_web(instance.env, instance.logs / "web.log")
        try:
            cold, warm = _fetches(instance, url, submission, attempt, keys, args.k)
        finally:
            web.kill()
        baseline = repeat(lambda: _copy_shared(instance, keys), args.k)
        total = sum(sizes)
        line("baseline: copy from shared storage (median)", f"{median(baseline) * 1000:9.1f} ms")
        line("cold: signed fetch + SHA-256 check (median)", f"{median(cold) * 1000:9.1f} ms"
             f"  ({total / median(cold) / 1e6:.0f} MB/s)")  # fmt: skip
        line("warm: from the worker's cache", f"{warm * 1000:9.1f} ms")
        ratio("cold fetch / shared-storage copy", median(cold), median(baseline))


def _claimed_job(instance, rows: int):
    from judge.core import storage
    from judge.core.db import unit_of_work, utcnow
    from judge.scoring.setup import lease
    from judge.submissions import lifecycle
    from judge.submissions import services as submissions

    folder = Path(tempfile.mkdtemp())
    solution_path, predictions_path = write_binary_files(folder, rows)
    make = instance.make
    competition = make.competition()
    problem = make.problem(competition, metric="roc_auc", solution=solution_path.read_text(),
                           daily_limit=None, files={})  # fmt: skip
    leader = make.user("leader@example.com")
    make.team(competition, leader)
    with (
        unit_of_work(),
        predictions_path.open("rb") as handle,
        storage.staged(handle, 10**10, "file") as staged,
    ):
        submission = submissions.submit(problem, leader, staged, "p.csv", "", utcnow())
    with unit_of_work():
        attempt = lifecycle.claim(submission.id, utcnow(), lease(), "bench@remote")
    shutil.rmtree(folder)
    return submission, attempt, (submission.storage_key, problem.solution.prepared_key)


def _size(instance, key: str) -> int:
    from judge.core import storage

    return storage.path_of(key).stat().st_size


def _fetches(instance, url: str, submission, attempt: int, keys, times: int):
    from judge import create_app
    from judge.core.extensions import db
    from judge.submissions import fetch

    cold: list[float] = []
    for n in range(times + 1):
        folder = Path(tempfile.mkdtemp(prefix="judge-remote-worker-"))
        config = dict(instance.app.config) | {"STORAGE_DIR": str(folder), "FILES_URL": url}
        worker = create_app(config)
        with worker.app_context():
            took, _paths = timed(lambda: [fetch.local_file(k, submission.id, attempt)
                                          for k in keys])  # fmt: skip
            if n == times:
                warm, _paths = timed(lambda: [fetch.local_file(k, submission.id, attempt)
                                              for k in keys])  # fmt: skip
            db.engine.dispose()
        if n > 0:  # the first one warms gunicorn up
            cold.append(took)
        shutil.rmtree(folder)
    return cold, warm


def _copy_shared(instance, keys) -> None:
    from judge.core import storage

    folder = Path(tempfile.mkdtemp())
    for key in keys:
        shutil.copyfile(storage.path_of(key), folder / key)
    shutil.rmtree(folder)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", type=int, default=5)
    parser.add_argument("--rows", type=int, default=1_000_000)
    return parser.parse_args()


if __name__ == "__main__":
    main()
