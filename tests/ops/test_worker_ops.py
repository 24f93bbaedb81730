"""Operations with the real pieces: gunicorn, a Celery worker, bubblewrap, JSON logs."""

from __future__ import annotations

import json
import os
import signal
import subprocess

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from tests.integration.servers import BIN, REPO, start_web, start_worker, wait_until
from tests.integration.test_scoring_end_to_end import token, upload, wait_for_status

SECRET_KEY = "sk-ops-never-in-a-log-4821"
SOLUTION_VALUES = [f"{91234.5678 + 17.0131 * i:.4f}" for i in range(200)]
SOLUTION = "id,target\n" + "".join(f"{i},{v}\n" for i, v in enumerate(SOLUTION_VALUES))


def json_lines(text: str) -> list[dict]:
    """Every line, parsed: in JSON mode nothing else may be written (no banner either)."""
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def health(url: str) -> tuple[int, dict]:
    answer = requests.get(f"{url}/health", timeout=5)
    return answer.status_code, answer.json()


def metric_values(url: str) -> dict[tuple, float]:
    text = requests.get(f"{url}/metrics", timeout=5).text
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}  # fmt: skip


def test_health_metrics_and_job_logs_with_a_real_worker(instance, tmp_path):
    make = instance.make
    competition = make.competition()
    problem = make.problem(competition, metric="rmse", solution=SOLUTION, daily_limit=None)
    leader = make.user("leader@example.com")
    make.team(competition, leader, name="Busan Boosters")
    env = {**instance.env, "JUDGE_LOG_FORMAT": "json", "JUDGE_WORKER_HEARTBEAT_SECONDS": "1",
           "JUDGE_SECRET_KEY": SECRET_KEY,
           "GUNICORN_CMD_ARGS": "--logger-class judge.core.gunicorn_logs.Logger"}  # fmt: skip
    web, url = start_web(env, tmp_path / "web.log")
    worker = start_worker(env, tmp_path / "worker.log", "ops1")
    try:
        wait_until(lambda: health(url)[1]["status"] == "ok", 20, "a live worker", worker)
        status, body = health(url)
        assert status == 200
        assert body["checks"]["workers"]["live"] == 1 and body["checks"]["workers"]["slots"] == 1

        headers = token(url, leader.email)
        wrong_format = {"file": ("p.csv", b"id;target\n0;1.5\n")}
        sent = requests.post(f"{url}/api/v1/problems/{problem.id}/submissions", headers=headers,
                             files=wrong_format, timeout=30)  # fmt: skip
        assert sent.status_code == 202, sent.text
        accepted = sent.json()
        failed = wait_for_status(url, headers, accepted, 60)
        assert failed["status"] == "failed", failed
        good = wait_for_status(url, headers, upload(url, headers, problem.id,
                                                    SOLUTION.encode()), 60)  # fmt: skip
        assert good["status"] == "scored", (good, worker.output())

        got = metric_values(url)
        assert got[("judge_submission_failures_total", (("reason", "validation"),))] == 1
        assert got[("judge_submissions", (("state", "scored"),))] == 1
        assert got[("judge_workers_live", ())] == 1
        labels = (("metric", "rmse"), ("problem", str(problem.id)))
        assert got[("judge_scoring_seconds_count", labels)] == 2
    finally:
        worker.kill(signal.SIGKILL)
    try:
        # A worker that died stops beating: the site still serves, but says so.
        wait_until(lambda: health(url)[1]["checks"]["workers"]["live"] == 0, 20, "worker gone")
        status, body = health(url)
        assert (status, body["status"]) == (200, "degraded")
    finally:
        web.kill()

    worker_log = (tmp_path / "worker.log").read_text()
    web_log = (tmp_path / "web.log").read_text()
    job = [x for x in json_lines(worker_log) if x.get("submission_id") == accepted["id"]]
    loggers = {x["logger"] for x in job}
    assert {"judge.submissions.jobs", "celery.app.trace"} <= loggers, job
    # Every line of the scoring names the problem. (On a loaded machine the sweep may hand
    # the job over again; that delivery's one "nothing to do" line is before any lookup.)
    scoring = [x for x in job if x["logger"] == "judge.submissions.jobs" and "attempt" in x]
    assert scoring and all(x["problem_id"] == problem.id for x in scoring), job
    assert any(x.get("attempt") == 1 for x in job)
    requests_logged = [x for x in json_lines(web_log) if x["logger"] == "judge.core.request_log"]
    upload_line = next(x for x in requests_logged if x["status"] == 202)
    assert upload_line["request_id"] == sent.headers["X-Request-ID"]
    assert upload_line["path"] == f"/api/v1/problems/{problem.id}/submissions"
    everything = worker_log + web_log
    bearer = headers["Authorization"].removeprefix("Bearer ")
    for secret in (SECRET_KEY, bearer, "correct horse", *SOLUTION_VALUES[:50]):
        assert secret not in everything, secret


def _niceness(pid: int) -> int:
    return os.getpriority(os.PRIO_PROCESS, pid)


def _children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as file:
        return [int(n) for n in file.read().split()]


def test_the_worker_runs_below_the_web_server(instance, tmp_path):
    """Its pool processes too (they claim and record); the web server keeps the niceness it
    was started with (this process's), and the sandbox adds its own 10."""
    worker = start_worker(instance.env, tmp_path / "worker.log", "nice1", concurrency=2)
    try:
        pool = _children(worker.proc.pid)
        assert len(pool) >= 2, pool
        assert _niceness(worker.proc.pid) == _niceness(0) + 10
        assert {_niceness(pid) for pid in pool} == {_niceness(0) + 10}
    finally:
        worker.kill()


@pytest.mark.parametrize("value", ["fast", "-5", "20"])
def test_a_bad_worker_niceness_is_refused_by_name(instance, tmp_path, value):
    env = {**instance.env, "JUDGE_WORKER_NICE": value}
    done = subprocess.run([str(BIN / "judge"), "worker", "--concurrency", "1"], env=env,
                          cwd=REPO, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode != 0
    assert f"JUDGE_WORKER_NICE must be a whole number from 0 to 19, not {value}." in done.stderr
