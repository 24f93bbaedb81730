"""Deadline surge: 400 teams upload 1,000 prediction files within 60 s, scored by 2 workers.

Setup (not measured): a fresh temporary instance on the embedded defaults (SQLite database,
SQLite broker, local storage), one competition, one roc_auc problem (``--rows`` rows,
default 2,000; daily limit 5 and a minimum interval of ``--min-interval`` seconds, default 5,
between a team's uploads), ``--teams`` teams (default 400) with an API token each, plus
``--baseline`` (default 20) teams for the baseline, all made through ``tests.factories``.

The web server and the scoring worker are started with the very command lines of
``scripts/start`` (read from the script: gunicorn's worker count and threads, ``judge worker
--concurrency 2``), so tuning the script tunes the benchmark.

Baseline, in the same run: ``--baseline`` uploads on the idle server, each from its own team
on a new connection, each after the previous one is scored and the worker has pre-started its
next sandbox (4 warm-up uploads first, not counted).

The surge: ``--uploads`` uploads (default 1,000; each team 2 or 3, every file different)
planned over ``--seconds`` (default 60): half of them with a density rising towards the
deadline, half in a few short bursts (±0.3 s). A pool of client threads sends each upload at
its planned moment through ``POST /api/v1/problems/<id>/submissions`` (multipart, bearer
token, a new connection each, as 400 different teams would; the requests are encoded
beforehand and sent with ``http.client``, so that the client, on the same two cores, costs
little CPU). Latency runs from just before the request until its answer; how late the client
started a request is reported apart, and the latencies per 10 s of the surge.

Reported: accepted (202), rejected (4xx, by reason), server errors (5xx), connection errors
and time-outs; p50/p95/p99/max upload latency and the ratios to the baseline; lost (a 202
whose row is missing, or an accepted submission that never reached a final state); the
time until every accepted submission is scored, from the start of the surge and from its
last upload; failed scorings by message; errors in the server logs; the load average.

Targets: 0 lost, 0 server errors, p99 upload latency under 1 s.

Run from the repository root, as root (the sandbox needs it):

    .venv/bin/python benchmarks/deadline_surge.py [--teams 400] [--uploads 1000]
        [--seconds 60] [--rows 2000] [--min-interval 5] [--baseline 20] [--keep]
        [--production]   # PostgreSQL + Redis: eval "$(scripts/test-servers)" first
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import math
import os
import random
import re
import shlex
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import requests
from _common import (
    BIN,
    REPO,
    heading,
    line,
    percentile,
    quiet_logs,
    ratio,
    spread,
    temp_instance,
)

from tests.integration.servers import Process, free_port, wait_until

TARGET_P99 = 1.0
BURSTS, BURST_SHARE, BURST_SD = 8, 0.5, 0.3
CLIENT_THREADS = 256
WARMUP = 4  # baseline uploads not counted: each gunicorn worker's first requests
IDLE_AFTER_SCORING = 2.0  # the worker pre-starts its next sandbox after each job (~1.2 s CPU)
FINAL = ("scored", "failed", "cancelled")
# Its own sandbox root and slot uids, apart from the tests' and the other benchmarks'.
SANDBOX = {"SANDBOX_ROOT": "/run/judge-sandbox-surge", "SANDBOX_UID_BASE": "64100"}


@dataclass
class Outcome:
    team: int
    planned: float  # seconds after the surge's start
    sent: float = math.nan  # when the request actually went out
    latency: float = math.nan
    status: int | None = None  # None: no HTTP answer
    submission_id: int | None = None
    reason: str = ""


@dataclass
class Servers:
    url: str
    web: Process
    worker: Process

    @property
    def address(self) -> tuple[str, int]:
        host, port = self.url.removeprefix("http://").split(":")
        return host, int(port)


@dataclass(frozen=True)
class Request:
    """One upload, encoded before the surge: the client spends almost no CPU on sending it."""

    path: str
    headers: dict[str, str]
    body: bytes


def main() -> None:
    args = _arguments()
    quiet_logs()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("terminated"))  # still stop the servers
    with (
        _servers(args.production) as settings,
        temp_instance(keep=args.keep, **SANDBOX, **settings) as instance,
    ):
        heading(
            f"deadline_surge: {args.teams} teams, {args.uploads} uploads in {args.seconds:g} s, "
            f"{args.rows:,}-row roc_auc files, min interval {args.min_interval} s, "
            f"{'PostgreSQL + Redis' if args.production else 'embedded defaults (SQLite)'}"
        )
        labels = np.random.default_rng(7).integers(0, 2, args.rows)
        problem_id, tokens = _setup(instance, labels, args)
        files = [_predictions(labels, n) for n in range(args.uploads + WARMUP + args.baseline)]
        plan = _plan(args.teams, args.uploads, args.seconds, random.Random(11))
        surge = [_encode(problem_id, tokens[team], files[n]) for n, (_, team) in enumerate(plan)]
        extra = zip(tokens[args.teams :], files[args.uploads :], strict=True)
        idle = [_encode(problem_id, token, content) for token, content in extra]
        servers = _start(instance)
        try:
            base = _baseline(servers.address, problem_id, idle)
            outcomes, window = _surge(servers.address, surge, plan)
            answers = _report_answers(base, outcomes)
            scoring = _wait_final(outcomes, problem_id, window, args.score_timeout)
        finally:
            _stop(servers)
        _report_outcome(instance, base, outcomes, scoring, answers)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=400)
    parser.add_argument("--uploads", type=int, default=1_000)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--rows", type=int, default=2_000, help="Rows per file (default 2,000).")
    parser.add_argument("--min-interval", type=int, default=5, help="Seconds (default 5).")
    parser.add_argument("--baseline", type=int, default=20, help="Idle uploads (default 20).")
    parser.add_argument(
        "--score-timeout", type=float, default=1800.0, help="Give up scoring after S seconds."
    )
    parser.add_argument("--keep", action="store_true", help="Keep the instance and the logs.")
    parser.add_argument(
        "--production",
        action="store_true",
        help="PostgreSQL and Redis (JUDGE_TEST_POSTGRES_URL, JUDGE_TEST_REDIS_URL, as the tests; "
        "scripts/test-servers starts them) instead of the embedded defaults.",
    )
    return parser.parse_args()


@contextlib.contextmanager
def _servers(production: bool):
    """Settings for a fresh database of its own on PostgreSQL and a key prefix on Redis."""
    if not production:
        yield {}
        return
    from tests.support.databases import PostgresDatabases, RedisBroker

    postgres_url, redis_url = (os.environ.get(f"JUDGE_TEST_{n}_URL") for n in ("POSTGRES", "REDIS"))
    if not (postgres_url and redis_url):
        raise SystemExit('--production: run `eval "$(scripts/test-servers)"` first')
    databases, broker = PostgresDatabases(postgres_url), RedisBroker(redis_url)
    try:
        yield {"DATABASE_URL": databases.url(databases.create()), **broker.environment()}
    finally:
        broker.close()
        databases.close()


# --- setup --------------------------------------------------------------------------------


def _setup(instance, labels: np.ndarray, args) -> tuple[int, list[str]]:
    """One problem; ``teams + baseline`` teams of one leader each, with an API token."""
    from judge.core.db import unit_of_work

    make = instance.make
    started = time.perf_counter()
    competition = make.competition()
    solution = "id,label\n" + "".join(f"{i},{v}\n" for i, v in enumerate(labels))
    problem = make.problem(competition, metric="roc_auc", solution=solution)
    with unit_of_work():
        problem.daily_limit, problem.min_interval_seconds = 5, args.min_interval
    tokens = []
    for n in range(args.teams + WARMUP + args.baseline):
        leader = make.user(f"leader{n}@surge.example")
        make.team(competition, leader, division=n % 2, name=f"팀 {n:03d} Surge")
        tokens.append(make.token(leader))
    line("setup (factories, not measured)", f"{time.perf_counter() - started:.1f} s")
    return problem.id, tokens


def _predictions(labels: np.ndarray, seed: int) -> bytes:
    """A valid prediction file, different for every seed (ROC AUC about 0.85)."""
    noise = np.random.default_rng(seed).random(len(labels))
    scores = (labels * 0.5 + noise) / 1.5
    return ("id,label\n" + "".join(f"{i},{s:.4f}\n" for i, s in enumerate(scores))).encode()


def _plan(teams: int, uploads: int, seconds: float, rng: random.Random) -> list[tuple[float, int]]:
    """(moment, team) for every upload, sorted by moment; each team 2 or 3 (1,000 / 400)."""
    bursts = [rng.uniform(0.1, 0.95) * seconds for _ in range(BURSTS)]
    plan = [
        (_moment(rng, seconds, bursts), team)
        for n in range(uploads)
        for team in [n % teams]  # round-robin: every team gets uploads // teams or one more
    ]
    return sorted(plan)


def _moment(rng: random.Random, seconds: float, bursts: list[float]) -> float:
    if rng.random() < BURST_SHARE:
        at = rng.gauss(rng.choice(bursts), BURST_SD)
    else:
        at = seconds * math.sqrt(rng.random())  # density rising linearly to the deadline
    return min(max(at, 0.0), seconds * 0.999)


# --- servers, as scripts/start runs them ---------------------------------------------------


def _start(instance) -> Servers:
    port = free_port()
    web_argv, worker_argv = _start_commands(port)
    line("web", " ".join(web_argv).replace(str(REPO) + "/", ""))
    line("worker", " ".join(worker_argv).replace(str(REPO) + "/", ""))
    worker = Process(worker_argv, instance.env, instance.logs / "worker.log")
    web = Process(web_argv, instance.env, instance.logs / "web.log")
    servers = Servers(f"http://127.0.0.1:{port}", web, worker)
    try:
        wait_until(lambda: "ready." in worker.output(), 90, "the worker", worker)
        wait_until(lambda: _answers(servers.url), 60, "gunicorn", web)
    except BaseException:
        _stop(servers)
        raise
    return servers


def _start_commands(port: int) -> tuple[list[str], list[str]]:
    """gunicorn's and the worker's command lines from scripts/start, for this port."""
    found: dict[str, list[str]] = {}
    for text in (REPO / "scripts" / "start").read_text().splitlines():
        words = shlex.split(text.replace("${PORT}", str(port)), comments=True)
        words = [_local(w) for w in words if w != "&"]
        if any(w.endswith("/gunicorn") for w in words):
            found["web"] = words
        elif any(w.endswith("/judge") for w in words) and "worker" in words:
            found["worker"] = words
    if set(found) != {"web", "worker"}:
        raise SystemExit("scripts/start: cannot find the gunicorn and judge worker lines")
    return found["web"], found["worker"]


def _local(word: str) -> str:
    return str(BIN / word.removeprefix(".venv/bin/")) if word.startswith(".venv/bin/") else word


def _answers(url: str) -> bool:
    try:
        return requests.get(f"{url}/api/v1/competitions", timeout=5).status_code == 200
    except requests.RequestException:
        return False


def _stop(servers: Servers) -> None:
    """SIGTERM to the worker's main process first: its pool discards the pre-started sandboxes."""
    servers.web.kill()
    with contextlib.suppress(ProcessLookupError):
        os.kill(servers.worker.proc.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        servers.worker.proc.wait(timeout=30)
    servers.worker.kill()


# --- uploads ------------------------------------------------------------------------------


def _encode(problem_id: int, token: str, content: bytes) -> Request:
    """A multipart upload as ``requests`` or a browser would send it."""
    boundary = uuid.uuid4().hex
    part = '--{}\r\nContent-Disposition: form-data; name="{}"{}\r\n{}\r\n'
    body = (
        part.format(boundary, "description", "", "").encode()
        + b"deadline surge\r\n"
        + part.format(
            boundary, "file", '; filename="predictions.csv"', "Content-Type: text/csv\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en",
               "Content-Type": f"multipart/form-data; boundary={boundary}"}  # fmt: skip
    return Request(f"/api/v1/problems/{problem_id}/submissions", headers, body)


def _upload(address: tuple[str, int], request: Request, outcome: Outcome) -> Outcome:
    """POST on a new connection (one team, one connection); the answer goes into ``outcome``."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection(*address, timeout=120)
    try:
        connection.request("POST", request.path, request.body, request.headers)
        answer = connection.getresponse()
        status, data = answer.status, answer.read()
    except (OSError, http.client.HTTPException) as exc:
        outcome.latency, outcome.reason = time.perf_counter() - started, type(exc).__name__
        return outcome
    finally:
        connection.close()
    outcome.latency, outcome.status = time.perf_counter() - started, status
    body = _json(data)
    if status == 202:
        outcome.submission_id = body["id"]
    else:
        error = body.get("error", {}) if isinstance(body, dict) else {}
        message = re.sub(r"\d+", "#", str(error.get("message", data[:80])))
        outcome.reason = f"{status} {error.get('code', '?')}: {message}"
    return outcome


def _json(data: bytes):
    try:
        return json.loads(data)
    except ValueError:
        return {}


def _baseline(address, problem_id: int, uploads: list[Request]) -> list[Outcome]:
    """Uploads on a really idle server: each waits until the previous one is scored and the
    worker has pre-started its next sandbox. The first WARMUP ones are not counted."""
    heading(f"baseline: {len(uploads) - WARMUP} uploads on the idle server, one at a time")
    outcomes = []
    for request in uploads:
        outcome = _upload(address, request, Outcome(-1, 0.0))
        if outcome.status != 202:
            raise SystemExit(f"baseline upload refused: {outcome}")
        wait_until(lambda o=outcome: _statuses(problem_id).get(o.submission_id) in FINAL, 120,
                   "a baseline submission to be scored")  # fmt: skip
        time.sleep(IDLE_AFTER_SCORING)
        outcomes.append(outcome)
    spread("upload latency (idle)", [o.latency for o in outcomes[WARMUP:]])
    return outcomes


def _surge(address, uploads: list[Request], plan) -> tuple[list[Outcome], tuple[float, float]]:
    """Send every planned upload at its moment; the wall-clock window it took."""
    seconds = plan[-1][0] if plan else 0.0
    heading(f"surge: {len(plan)} uploads from {len({t for _, t in plan})} teams in {seconds:.0f} s")
    outcomes = [Outcome(team, at) for at, team in plan]
    load_before = os.getloadavg()
    with ThreadPoolExecutor(CLIENT_THREADS) as pool:
        start = time.perf_counter()
        for n, outcome in enumerate(outcomes):
            delay = start + outcome.planned - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(_send, start, address, uploads[n], outcome)
    end = time.perf_counter()
    line("load average before | after the surge", f"{_load(load_before)} | {_load()}")
    line("surge took (last answer after the first send)", f"{end - start:.1f} s")
    return outcomes, (start, end)


def _send(start: float, address, request: Request, outcome: Outcome) -> None:
    outcome.sent = time.perf_counter() - start
    _upload(address, request, outcome)


def _load(values: tuple[float, float, float] | None = None) -> str:
    return " ".join(f"{v:.2f}" for v in values or os.getloadavg())


# --- scoring ------------------------------------------------------------------------------


def _statuses(problem_id: int) -> dict[int, str]:
    import sqlalchemy as sa

    from judge.core.extensions import db
    from judge.submissions.models import Submission

    rows = db.session.execute(
        sa.select(Submission.id, Submission.status).where(Submission.problem_id == problem_id)
    ).all()
    db.session.commit()  # end the read, so the next one sees the worker's commits
    return {row.id: row.status.value for row in rows}


@dataclass
class Scoring:
    done_after_start: float | None  # None: not all final before the timeout
    done_after_last: float | None
    statuses: dict[int, str]


def _wait_final(outcomes: list[Outcome], problem_id: int, window, timeout: float) -> Scoring:
    heading("scoring the backlog with the worker of scripts/start")
    start, end = window
    accepted = {o.submission_id for o in outcomes if o.submission_id is not None}
    last_report = time.perf_counter()
    while True:
        statuses = _statuses(problem_id)
        open_ = [i for i in accepted if statuses.get(i) not in FINAL]
        now = time.perf_counter()
        if not open_:
            return Scoring(now - start, now - end, statuses)
        if now - end > timeout:
            return Scoring(None, None, statuses)
        if now - last_report > 30:
            line(f"  {now - start:5.0f} s after the surge's start", f"{len(open_)} still open")
            last_report = now
        time.sleep(0.25)


# --- report -------------------------------------------------------------------------------


def _report_answers(idle: list[Outcome], outcomes: list[Outcome]) -> tuple[int, float]:
    """Answers and latencies, printed before the wait for scoring; (5xx count, p99)."""
    base = [o.latency for o in idle[WARMUP:]]
    accepted = [o for o in outcomes if o.status == 202]
    latencies = [o.latency for o in outcomes if o.status is not None]
    heading("answers")
    line("accepted (202)", str(len(accepted)))
    rejected = Counter(o.reason for o in outcomes if o.status and 400 <= o.status < 500)
    line("rejected (4xx)", str(sum(rejected.values())))
    for reason, count in rejected.most_common():
        line(f"  {count:4d} ×", reason[:110])
    server_errors = [o for o in outcomes if o.status and o.status >= 500]
    line("server errors (5xx)", str(len(server_errors)))
    unanswered = Counter(o.reason for o in outcomes if o.status is None)
    line("connection errors / time-outs", f"{sum(unanswered.values())} {dict(unanswered) or ''}")
    heading("upload latency (answered requests)")
    spread("surge", latencies)
    spread("baseline (idle server)", base)
    ratio("surge p50 / baseline p50", percentile(latencies, 50), percentile(base, 50))
    ratio("surge p99 / baseline p50", percentile(latencies, 99), percentile(base, 50))
    lateness = [o.sent - o.planned for o in outcomes]
    line("client lateness (sent − planned) max", f"{max(lateness) * 1000:.1f} ms")
    _by_window(outcomes)
    return len(server_errors), percentile(latencies, 99)


def _by_window(outcomes: list[Outcome], width: float = 10.0) -> None:
    """Latency per slice of the surge: where the slow answers came from."""
    slices: dict[int, list[float]] = {}
    for o in outcomes:
        if o.status is not None:
            slices.setdefault(int(o.planned // width), []).append(o.latency)
    for index, values in sorted(slices.items()):
        spread(f"  sent in {index * width:3.0f}–{(index + 1) * width:.0f} s", values)


def _report_outcome(instance, idle, outcomes, scoring: Scoring, answers: tuple[int, float]):
    accepted = [o for o in outcomes if o.status == 202]
    lost = _lost(accepted, scoring)
    _report_scoring(accepted, scoring, {o.submission_id for o in idle})
    _report_logs(instance)
    _verdicts(lost, *answers)


def _lost(accepted: list[Outcome], scoring: Scoring) -> int | None:
    """Lost submissions; None when the wait timed out with some still queued or running
    (slow or lost: the benchmark cannot tell)."""
    heading("lost")
    statuses = scoring.statuses
    missing = [o.submission_id for o in accepted if o.submission_id not in statuses]
    stuck = [o.submission_id for o in accepted if statuses.get(o.submission_id) not in FINAL]
    stuck = [i for i in stuck if i in statuses]
    line("202 without a row in the database", f"{len(missing)} {missing[:10] or ''}")
    line("accepted, not final at the end of the wait", f"{len(stuck)} {stuck[:10] or ''}")
    if scoring.done_after_start is None and not missing:
        return None
    return len(missing) + len(stuck)


def _report_scoring(accepted: list[Outcome], scoring: Scoring, idle: set[int | None]) -> None:
    heading("scoring")
    ids = {o.submission_id for o in accepted}
    finals = Counter(scoring.statuses.get(i, "missing") for i in ids)
    line("accepted submissions by final state", str(dict(finals)))
    unanswered = set(scoring.statuses) - ids - idle
    line("surge rows without a 202 (client gave up)", f"{len(unanswered)}")
    if scoring.done_after_start is None:
        line("all accepted submissions final", "NOT within the time-out")
        return
    line("all scored, after the surge's start", f"{scoring.done_after_start:.1f} s")
    line("all scored, after the surge's last answer", f"{scoring.done_after_last:.1f} s")
    line("scoring throughput", f"{len(ids) / scoring.done_after_start:.2f} submissions/s")
    _failures(ids)


def _failures(ids: set[int]) -> None:
    import sqlalchemy as sa

    from judge.core.extensions import db
    from judge.submissions.models import Status, Submission

    messages = db.session.scalars(
        sa.select(Submission.error_message).where(
            Submission.id.in_(ids), Submission.status == Status.FAILED
        )
    ).all()
    for message, count in Counter(messages).most_common(5):
        line(f"  failed {count} ×", str(message)[:110])


def _report_logs(instance) -> None:
    heading("server logs")
    for name in ("web.log", "worker.log"):
        text = (instance.logs / name).read_text(errors="replace")
        errors = len(re.findall(r"Traceback|\bERROR\b|CRITICAL|WORKER TIMEOUT", text))
        line(f"{name}: tracebacks, ERROR, CRITICAL lines", str(errors))


def _verdicts(lost: int | None, server_errors: int, p99: float) -> None:
    heading("targets")
    if lost is None:
        line("lost = 0", "not known: scoring did not finish within --score-timeout")
    else:
        line("lost = 0", f"{lost}: {'met' if lost == 0 else 'MISSED'}")
    line("server errors = 0", f"{server_errors}: {'met' if server_errors == 0 else 'MISSED'}")
    met = p99 < TARGET_P99
    line("p99 upload < 1 s", f"{p99 * 1000:.1f} ms: {'met' if met else 'MISSED'}")
    line("uptime", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
