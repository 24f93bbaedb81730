"""The public leaderboard API on a big problem: 1,000 teams, 100,000 scored submissions.

Setup (not measured): a temporary SQLite instance with one competition (two divisions), one
roc_auc problem, ``--teams`` teams (default 1,000, alternating divisions) and
``--submissions`` scored submissions (default 100,000) with a public and a private score
each, inserted in bulk; then every team's standing is built with the real
``judge.leaderboard.services.refresh_standing``.

Measured, ``--requests`` times each (default 200, after a few warm-up requests), anonymous:
``GET /api/v1/problems/<id>/leaderboard`` (the public board, all divisions) and
``GET /api/v1/problems/<id>/leaderboard?division_id=<one>``,

- through the Flask test client, each request in its own app context as in production;
- through gunicorn (2 workers, 4 threads, as ``tests/integration/servers.py`` starts it) over
  HTTP with a keep-alive session.

Baseline in the same run: ``sqlite3`` ``SELECT * FROM standings WHERE problem_id=? ORDER BY
public_score`` (plus ``AND division_id=?`` for the division board) and ``json.dumps`` of the
rows. p50, p95 and p99 are reported with the ratios p50/p50 and p95/p95 against it.

Target: p95 ≤ 50 ms for each board and path.

Run from the repository root:

    .venv/bin/python benchmarks/leaderboard_api.py [--teams 1000] [--submissions 100000]
        [--requests 200]
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import requests
from _common import heading, line, percentile, quiet_logs, ratio, spread, temp_instance, timed

from tests.integration.servers import start_web

TARGET_P95 = 0.050
WARMUP = 10
CHUNK = 5_000


def main() -> None:
    args = _arguments()
    quiet_logs()
    with temp_instance() as instance:
        heading(
            f"leaderboard_api: {args.teams:,} teams, {args.submissions:,} scored submissions, "
            f"{args.requests} requests per case"
        )
        started = time.perf_counter()
        problem_id, division_id = _setup(instance, args.teams, args.submissions)
        line("setup (not measured)", f"{time.perf_counter() - started:.1f} s")
        paths = {
            "all divisions": f"/api/v1/problems/{problem_id}/leaderboard",
            "one division": f"/api/v1/problems/{problem_id}/leaderboard?division_id={division_id}",
        }
        baselines = _baseline(instance.path / "judge.db", problem_id, division_id, args.requests)
        results = {}
        results["test client"] = _test_client(instance.app, paths, args.requests)
        results["gunicorn"] = _gunicorn(instance, paths, args.requests)
        _report(results, baselines)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=1_000)
    parser.add_argument("--submissions", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    return parser.parse_args()


# --- setup --------------------------------------------------------------------------------


def _setup(instance, teams: int, submissions: int) -> tuple[int, int]:
    """Bulk rows for users, teams, submissions and scores; then the real standings."""
    from judge.core.extensions import db

    make = instance.make
    competition = make.competition()
    solution = "id,label\n" + "".join(f"{i},{i % 2}\n" for i in range(200))
    problem = make.problem(competition, metric="roc_auc", solution=solution)
    divisions = [d.id for d in competition.divisions]
    took, team_ids = timed(_teams, competition.id, divisions, teams)
    line(f"  insert {teams:,} users and teams", f"{took:.1f} s")
    took, _ = timed(_submissions, problem.id, team_ids, submissions)
    line(f"  insert {submissions:,} submissions and {2 * submissions:,} scores", f"{took:.1f} s")
    took, _ = timed(_standings, problem.id, team_ids)
    line(f"  refresh_standing for {teams:,} teams", f"{took:.1f} s")
    problem_id, division_id = problem.id, divisions[0]
    db.session.remove()  # the measured requests start from an empty session
    return problem_id, division_id


def _teams(competition_id: int, divisions: list[int], count: int) -> list[int]:
    import sqlalchemy as sa

    from judge.accounts.models import User
    from judge.core.db import unit_of_work, utcnow
    from judge.core.extensions import db
    from judge.teams.models import Team

    now = utcnow()
    with unit_of_work():
        db.session.execute(
            sa.insert(User),
            [{"email": f"bench{n}@bench.example", "name": f"Bench {n}", "affiliation": "",
              "password_hash": "!", "is_admin": False, "created_at": now}
             for n in range(count)],
        )  # fmt: skip
        users = db.session.scalars(
            sa.select(User.id).where(User.email.like("bench%@bench.example")).order_by(User.id)
        ).all()
        db.session.execute(
            sa.insert(Team),
            [{"competition_id": competition_id, "division_id": divisions[n % len(divisions)],
              "name": f"팀 {n:04d} Bench", "leader_id": user, "invite_code": f"bench{n:027d}",
              "member_count": 1, "created_at": now}
             for n, user in enumerate(users)],
        )  # fmt: skip
        return db.session.scalars(
            sa.select(Team.id).where(Team.competition_id == competition_id).order_by(Team.id)
        ).all()


def _submissions(problem_id: int, team_ids: list[int], count: int) -> None:
    import sqlalchemy as sa

    from judge.core.db import unit_of_work, utcnow
    from judge.core.extensions import db
    from judge.submissions.models import Score, Split, Status, Submission

    rng = random.Random(7)
    start = utcnow() - timedelta(days=30)
    with unit_of_work():
        first = (db.session.scalar(sa.select(sa.func.max(Submission.id))) or 0) + 1
        for offset in range(0, count, CHUNK):
            numbers = range(offset, min(offset + CHUNK, count))
            at = [start + timedelta(seconds=20 * n) for n in numbers]
            db.session.execute(
                sa.insert(Submission),
                [{"id": first + n, "problem_id": problem_id,
                  "team_id": team_ids[n % len(team_ids)], "user_id": None,
                  "filename": "predictions.csv", "description": "", "storage_key": "0" * 64,
                  "size": 1000, "status": Status.SCORED, "quota_day": when.date().isoformat(),
                  "counted": True, "selected": False, "attempts": 1, "worker": "bench",
                  "created_at": when, "enqueued_at": when, "started_at": when,
                  "finished_at": when + timedelta(seconds=1)}
                 for n, when in zip(numbers, at, strict=True)],
            )  # fmt: skip
            db.session.execute(
                sa.insert(Score),
                [{"submission_id": first + n, "split": split,
                  "value": 0.5 + 0.5 * rng.random(), "scored_at": when}
                 for n, when in zip(numbers, at, strict=True)
                 for split in (Split.PUBLIC, Split.PRIVATE)],
            )  # fmt: skip


def _standings(problem_id: int, team_ids: list[int]) -> None:
    from judge.core.db import unit_of_work, utcnow
    from judge.core.extensions import db
    from judge.leaderboard.services import refresh_standing
    from judge.problems.models import Problem
    from judge.teams.models import Team

    now = utcnow()
    with unit_of_work():
        problem = db.session.get(Problem, problem_id)
        for team_id in team_ids:
            refresh_standing(problem, db.session.get(Team, team_id), now)


# --- measurements -------------------------------------------------------------------------


def _baseline(database: Path, problem_id: int, division_id: int, n: int) -> dict:
    heading("baseline: sqlite3 SELECT * FROM standings ... ORDER BY public_score + json.dumps")
    connection = sqlite3.connect(database)
    queries = {
        "all divisions": (
            "SELECT * FROM standings WHERE problem_id=? ORDER BY public_score",
            (problem_id,),
        ),
        "one division": (
            "SELECT * FROM standings WHERE problem_id=? AND division_id=? ORDER BY public_score",
            (problem_id, division_id),
        ),
    }
    results = {}
    for case, (sql, params) in queries.items():

        def work(sql=sql, params=params) -> int:
            return len(json.dumps(connection.execute(sql, params).fetchall()))

        results[case] = _measure(work, n)
        spread(f"{case} ({len(connection.execute(sql, params).fetchall())} rows)", results[case])
    connection.close()
    return results


def _test_client(app, paths: dict[str, str], n: int) -> dict:
    from tests.conftest import IsolatedClient  # one app context per request, as in production

    heading("Flask test client (in process)")
    app.test_client_class = IsolatedClient
    client = app.test_client()
    results = {}
    for case, path in paths.items():
        answer = client.get(path)
        _check(answer.status_code, answer.get_json())
        results[case] = _measure(lambda path=path: client.get(path).status_code, n)
        rows = len(answer.get_json()["rows"])
        spread(f"{case} ({rows} rows, {len(answer.data) / 1024:.0f} KiB)", results[case])
    return results


def _gunicorn(instance, paths: dict[str, str], n: int) -> dict:
    heading("gunicorn over HTTP (2 workers, 4 threads, keep-alive session)")
    web, url = start_web(instance.env, instance.logs / "web.log")
    try:
        session = requests.Session()
        results = {}
        for case, path in paths.items():
            answer = session.get(url + path, timeout=30)
            _check(answer.status_code, answer.json())
            results[case] = _measure(
                lambda path=path: session.get(url + path, timeout=30).status_code, n
            )
            spread(f"{case} ({len(answer.content) / 1024:.0f} KiB)", results[case])
        return results
    finally:
        web.kill()


def _check(status: int, body: dict) -> None:
    if status != 200 or not body.get("rows"):
        raise SystemExit(f"unexpected answer {status}: {str(body)[:500]}")


def _measure(fn: Callable[[], object], n: int) -> list[float]:
    for _ in range(WARMUP):
        fn()
    return [timed(fn)[0] for _ in range(n)]


def _report(results: dict, baselines: dict) -> None:
    heading("ratios against the baseline, and the target p95 ≤ 50 ms")
    for path, cases in results.items():
        for case, values in cases.items():
            base = baselines[case]
            ratio(f"{path}, {case}: p50 / baseline p50", percentile(values, 50),
                  percentile(base, 50))  # fmt: skip
            ratio(f"{path}, {case}: p95 / baseline p95", percentile(values, 95),
                  percentile(base, 95))  # fmt: skip
            p95 = percentile(values, 95)
            verdict = "met" if p95 <= TARGET_P95 else "MISSED"
            line(f"{path}, {case}: p95", f"{p95 * 1000:.1f} ms: {verdict}")


if __name__ == "__main__":
    main()
