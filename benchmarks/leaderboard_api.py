"""The public leaderboard on a big problem: 10,000 teams, 1,000,000 scored submissions.

Setup (not measured, ``_board_data``): a temporary instance with one competition (two
divisions), one roc_auc problem, ``--teams`` teams (alternating divisions) and
``--submissions`` scored submissions with a public and a private score each, inserted in
bulk, and every team's standing. On the embedded defaults (SQLite) by default; with
``--database-url`` (a PostgreSQL server, e.g. ``$JUDGE_TEST_POSTGRES_URL``) in a database
of its own that it creates and drops.

Measured, ``--requests`` times each after a few warm-up requests, anonymous:

- ``GET /api/v1/problems/<id>/leaderboard``: the whole public board, all divisions;
- ``GET /api/v1/problems/<id>/leaderboard?division_id=<one>``: one division's board;
- ``GET /c/<competition>/p/<problem>/leaderboard?page=<middle>``: the web page, one page of
  the board as the web shows it;

through the Flask test client (each request in its own app context, as in production) and
through gunicorn (2 workers, 4 threads, as ``tests/integration/servers.py`` starts it) over
HTTP with a keep-alive session. Then the organizer's CSV export of the whole board
(``/api/v1/problems/<id>/leaderboard.csv``) through gunicorn: time to the first bytes and
to the last.

Baseline in the same run, on the same database: the bare query of the same rows (the
standings joined with the team names, in the board's order; ``LIMIT``/``OFFSET`` for the
page) on the DBAPI connection, plus ``json.dumps`` of the rows (``csv.writer`` for the
export). p50, p95 and p99 are printed with the ratio p95 / baseline p95.

Targets: p95 ≤ 50 ms and ≤ 3× the baseline for each board and path.

Run from the repository root:

    .venv/bin/python benchmarks/leaderboard_api.py [--teams 10000] [--submissions 1000000]
        [--requests 200] [--database-url postgresql+psycopg://judge:judge@127.0.0.1/judge_test]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import time
from collections.abc import Callable

import requests
from _board_data import build
from _common import heading, line, percentile, quiet_logs, spread, temp_instance, timed

from tests.integration.servers import start_web

TARGET_P95 = 0.050
TARGET_RATIO = 3.0
WARMUP = 10
PAGE_SIZE = 100  # judge.leaderboard.views.PAGE_SIZE


def main() -> None:
    args = _arguments()
    quiet_logs()
    with _database(args.database_url) as settings, temp_instance(**settings) as instance:
        where = "PostgreSQL" if settings else "SQLite"
        heading(f"leaderboard_api on {where}: {args.teams:,} teams, {args.submissions:,} "
                f"scored submissions, {args.requests} requests per case")  # fmt: skip
        line("load average (1, 5, 15 min)", " ".join(f"{v:.2f}" for v in os.getloadavg()))
        took, ids = timed(build, instance, args.teams, args.submissions)
        line("setup (not measured)", f"{took:.1f} s")
        page = max(1, args.teams // PAGE_SIZE // 2)
        paths = _paths(ids, page)
        baselines = _baseline(instance.app, ids, page, args.requests)
        results = {"test client": _test_client(instance.app, paths, args.requests)}
        results["gunicorn"] = _gunicorn(instance, paths, ids, args.requests, baselines)
        _report(results, baselines)
        line("load average (1, 5, 15 min)", " ".join(f"{v:.2f}" for v in os.getloadavg()))


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=10_000)
    parser.add_argument("--submissions", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--database-url", help="a PostgreSQL server to create a database on")
    return parser.parse_args()


@contextlib.contextmanager
def _database(server_url: str | None):
    """No settings (SQLite under the instance), or a fresh database of its own on the server."""
    if not server_url:
        yield {}
        return
    from tests.support.databases import PostgresDatabases

    databases = PostgresDatabases(server_url)
    try:
        yield {"DATABASE_URL": databases.url(databases.create())}
    finally:
        databases.close()


def _paths(ids: dict, page: int) -> dict[str, str]:
    api = f"/api/v1/problems/{ids['problem_id']}/leaderboard"
    web = f"/c/{ids['competition_slug']}/p/{ids['problem_slug']}/leaderboard"
    return {
        "whole board": api,
        "one division": f"{api}?division_id={ids['division_id']}",
        f"web page {page}": f"{web}?page={page}",
    }


# --- baseline -----------------------------------------------------------------------------

BOARD_SQL = (
    "SELECT s.*, t.name FROM standings s JOIN teams t ON t.id = s.team_id"
    " WHERE s.problem_id = {p} AND s.public_score IS NOT NULL"
    " AND t.disbanded_at IS NULL AND t.disqualified_at IS NULL{division}"
    " ORDER BY s.public_score DESC, s.public_submitted_at, s.team_id{limit}"
)


def _baseline(app, ids: dict, page: int, n: int) -> dict:
    """The bare query of the same rows and ``json.dumps`` (``csv.writer``) of them."""
    from judge.core.extensions import db

    heading("baseline: the bare query of the same rows on the DBAPI connection + json.dumps")
    p, d = "?" if db.engine.dialect.paramstyle == "qmark" else "%s", ""
    cases = {
        "whole board": (BOARD_SQL.format(p=p, division="", limit=""), (ids["problem_id"],)),
        "one division": (
            BOARD_SQL.format(p=p, division=f" AND s.division_id = {p}", limit=""),
            (ids["problem_id"], ids["division_id"]),
        ),
        f"web page {page}": (
            BOARD_SQL.format(p=p, division=d, limit=f" LIMIT {p} OFFSET {p}"),
            (ids["problem_id"], PAGE_SIZE, (page - 1) * PAGE_SIZE),
        ),
    }
    with app.app_context():
        raw = db.engine.raw_connection()
        try:
            results = {case: _base_case(raw, sql, params, n) for case, (sql, params) in
                       cases.items()}  # fmt: skip
            sql, params = cases["whole board"]
            results["csv"] = _measure(lambda: _csv(_rows(raw, sql, params)), n // 4)
            spread("whole board as CSV (csv.writer)", results["csv"])
        finally:
            raw.close()
    return results


def _rows(raw, sql: str, params: tuple) -> list:
    cursor = raw.cursor()
    cursor.execute(sql, params)
    rows = cursor.fetchall()
    cursor.close()
    return rows


def _base_case(raw, sql: str, params: tuple, n: int) -> list[float]:
    def work() -> int:
        return len(json.dumps(_rows(raw, sql, params), default=str))

    values = _measure(work, n)
    spread(f"{len(_rows(raw, sql, params)):,} rows", values)
    return values


def _csv(rows: list) -> int:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return len(out.getvalue())


# --- the platform -------------------------------------------------------------------------


def _test_client(app, paths: dict[str, str], n: int) -> dict:
    from tests.conftest import IsolatedClient  # one app context per request, as in production

    heading("Flask test client (in process)")
    app.test_client_class = IsolatedClient
    client = app.test_client()
    results = {}
    for case, path in paths.items():
        answer = client.get(path)
        _check(answer.status_code, answer.data)
        results[case] = _measure(lambda path=path: client.get(path).status_code, n)
        spread(f"{case} ({len(answer.data) / 1024:,.0f} KiB)", results[case])
    return results


def _gunicorn(instance, paths: dict[str, str], ids: dict, n: int, baselines: dict) -> dict:
    heading("gunicorn over HTTP (2 workers, 4 threads, keep-alive session)")
    web, url = start_web(instance.env, instance.logs / "web.log", seconds=180)  # a busy machine
    try:
        session = requests.Session()
        results = {}
        for case, path in paths.items():
            answer = session.get(url + path, timeout=30)
            _check(answer.status_code, answer.content)
            results[case] = _measure(
                lambda path=path: session.get(url + path, timeout=30).status_code, n
            )
            spread(f"{case} ({len(answer.content) / 1024:,.0f} KiB)", results[case])
        _export(session, url, ids, n // 4, baselines)
        return results
    finally:
        web.kill()


def _export(session, url: str, ids: dict, n: int, baselines: dict) -> None:
    """The organizer's CSV of the whole board: first bytes, and the whole of it."""
    path = f"{url}/api/v1/problems/{ids['problem_id']}/leaderboard.csv"
    headers = {"Authorization": f"Bearer {ids['token']}"}
    firsts, wholes = [], []

    def fetch() -> int:
        started = time.perf_counter()
        with session.get(path, headers=headers, stream=True, timeout=60) as answer:
            chunks = answer.iter_content(chunk_size=None)
            size = len(next(chunks))
            firsts.append(time.perf_counter() - started)
            size += sum(len(chunk) for chunk in chunks)
        wholes.append(time.perf_counter() - started)
        return size

    size = fetch()
    firsts.clear(), wholes.clear()
    _measure(fetch, n)
    spread(f"CSV export, first bytes ({size / 1024:,.0f} KiB)", firsts[WARMUP:])
    spread("CSV export, whole body", wholes[WARMUP:])
    line("CSV whole body p50 / baseline p50",
         f"{percentile(wholes[WARMUP:], 50) / percentile(baselines['csv'], 50):.2f}×")  # fmt: skip


def _check(status: int, body: bytes) -> None:
    if status != 200 or len(body) < 1000:
        raise SystemExit(f"unexpected answer {status}: {body[:500]!r}")


def _measure(fn: Callable[[], object], n: int) -> list[float]:
    for _ in range(WARMUP):
        fn()
    return [timed(fn)[0] for _ in range(n)]


def _report(results: dict, baselines: dict) -> None:
    heading(f"targets: p95 ≤ {TARGET_P95 * 1000:.0f} ms and ≤ {TARGET_RATIO:g}× the baseline p95")
    for path, cases in results.items():
        for case, values in cases.items():
            p95, base = percentile(values, 95), percentile(baselines[case], 95)
            met = p95 <= TARGET_P95 and p95 / base <= TARGET_RATIO
            line(f"{path}, {case}",
                 f"p95 {p95 * 1000:6.1f} ms, {p95 / base:5.2f}× baseline "
                 f"{base * 1000:.1f} ms: {'met' if met else 'MISSED'}")  # fmt: skip


if __name__ == "__main__":
    main()
