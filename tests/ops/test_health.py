"""/health: what a load balancer and an operator read, and that it stays quick and discreet."""

from __future__ import annotations

import subprocess
from datetime import timedelta

import sqlalchemy as sa

from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.submissions import heartbeat, lifecycle
from judge.submissions.models import Submission
from tests.integration.servers import wait_until
from tests.submissions.helpers import score, submit


def setup_problem(make):
    competition = make.competition()
    problem = make.problem(competition)
    leader = make.user()
    make.team(competition, leader)
    return problem, leader


def test_fresh_site_serves_but_says_no_worker_is_there(client):
    answer = client.get("/health")
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["status"] == "degraded"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["broker"]["ok"] is True
    assert body["checks"]["workers"] == {"ok": False, "live": 0, "slots": 0, "busy": 0}
    assert body["checks"]["queue"]["queued"] == 0
    assert answer.headers["Cache-Control"] == "no-store"


def test_live_worker_and_queue_depth(client, make):
    problem, leader = setup_problem(make)
    waiting = [submit(problem, leader, now=utcnow()) for _ in range(3)]
    score(waiting[2], 0.5, 0.5)
    with unit_of_work():
        db.session.execute(sa.update(Submission).where(Submission.id == waiting[0].id)
                           .values(queued_at=utcnow() - timedelta(minutes=1)))  # fmt: skip
        heartbeat.beat("w1@scoring-host", 4, utcnow())
    body = client.get("/health").get_json()
    assert body["status"] == "ok"
    assert body["checks"]["workers"] == {"ok": True, "live": 1, "slots": 4, "busy": 0}
    queue = body["checks"]["queue"]
    assert (queue["queued"], queue["running"], queue["ok"]) == (2, 0, True)
    assert 55 < queue["oldest_queued_seconds"] < 110


def test_queued_work_that_no_worker_takes_is_not_ok_though_a_worker_beats(client, make):
    problem, leader = setup_problem(make)
    submit(problem, leader, now=utcnow() - timedelta(minutes=3))
    with unit_of_work():
        heartbeat.beat("stuck@scoring-host", 2, utcnow())  # alive, but takes nothing
    answer = client.get("/health")
    body = answer.get_json()
    assert (answer.status_code, body["status"]) == (200, "degraded")
    assert body["checks"]["workers"]["ok"] is True
    queue = body["checks"]["queue"]
    assert (queue["ok"], queue["queued"], queue["wait_limit_seconds"]) == (False, 1, 120)
    assert queue["oldest_queued_seconds"] >= 180


def test_the_wait_counts_from_a_rescore_not_from_the_upload(client, make):
    problem, leader = setup_problem(make)
    old = score(submit(problem, leader, now=utcnow() - timedelta(days=2)), 0.5, 0.5)
    with unit_of_work():
        assert lifecycle.rescore(old.id, utcnow())
        heartbeat.beat("w1@scoring-host", 2, utcnow())
    body = client.get("/health").get_json()
    assert body["status"] == "ok"
    assert body["checks"]["queue"]["queued"] == 1
    assert body["checks"]["queue"]["oldest_queued_seconds"] < 60


def test_a_worker_that_stopped_beating_is_not_counted(client):
    with unit_of_work():
        heartbeat.beat("dead@host", 2, utcnow() - timedelta(minutes=1))
        heartbeat.beat("alive@host", 1, utcnow())
    assert client.get("/health").get_json()["checks"]["workers"]["live"] == 1
    with unit_of_work():
        heartbeat.forget("alive@host")
    body = client.get("/health").get_json()
    assert body["checks"]["workers"]["live"] == 0
    assert body["status"] == "degraded"


def test_database_down_is_503_and_names_no_path(app_with, tmp_path):
    missing = tmp_path / "gone" / "judge.db"
    client = app_with(SQLALCHEMY_DATABASE_URI=f"sqlite:///{missing}")
    answer = client.get("/health")
    assert answer.status_code == 503
    body = answer.get_json()
    assert body["status"] == "down"
    assert body["checks"]["database"]["ok"] is False
    assert body["checks"]["queue"]["ok"] is False
    assert str(tmp_path) not in answer.text


def test_a_hung_database_gives_503_by_the_deadline_without_its_address(app_with, silent_port):
    url = f"postgresql://judge:hunter2-secret@127.0.0.1:{silent_port}/judge"
    client = app_with(SQLALCHEMY_DATABASE_URI=url, HEALTH_TIMEOUT_SECONDS=0.3)
    answer = client.get("/health")
    assert answer.status_code == 503
    assert answer.get_json()["checks"]["database"] == {"ok": False, "error": "timeout"}
    assert "hunter2" not in answer.text and "127.0.0.1" not in answer.text


def test_broker_down_or_hung_is_degraded_not_down(app_with, closed_port, silent_port):
    for port, error in ((closed_port, "ConnectionError"), (silent_port, None)):
        client = app_with(BROKER_URL=f"redis://:hunter2-secret@127.0.0.1:{port}/0",
                          HEALTH_TIMEOUT_SECONDS=0.3)  # fmt: skip
        answer = client.get("/health")
        assert answer.status_code == 200
        body = answer.get_json()
        assert body["status"] == "degraded"
        assert body["checks"]["broker"]["ok"] is False
        assert body["checks"]["broker"]["error"] in (error, "timeout", "TimeoutError")
        assert "hunter2" not in answer.text and str(port) not in answer.text


def test_a_real_redis_broker_is_checked_and_its_loss_seen(app_with, closed_port, tmp_path):
    port = closed_port
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                               "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
                              stdout=subprocess.DEVNULL)  # fmt: skip
    try:
        client = app_with(BROKER_URL=f"redis://127.0.0.1:{port}/0")
        wait_until(lambda: client.get("/health").get_json()["checks"]["broker"]["ok"], 10,
                   "redis to answer")  # fmt: skip
    finally:
        server.kill()
        server.wait(timeout=10)
    body = client.get("/health").get_json()
    assert body["checks"]["broker"]["ok"] is False and body["status"] == "degraded"


def test_operators_see_the_queue_per_problem_by_id_and_no_title(client, make):
    competition = make.competition()
    first, second = make.problem(competition), make.problem(competition)
    leader = make.user()
    make.team(competition, leader)
    submit(first, leader, now=utcnow() - timedelta(minutes=2))
    submit(first, leader)
    score(submit(second, leader), 0.5, 0.5)
    submit(second, leader)
    answer = client.get("/health")  # from this host, as /metrics may be read
    by_problem = answer.get_json()["checks"]["queue"]["by_problem"]
    assert [(q["problem"], q["queued"]) for q in by_problem] == [(first.id, 2), (second.id, 1)]
    assert 115 < by_problem[0]["oldest_queued_seconds"] < 180
    assert by_problem[1]["oldest_queued_seconds"] < 60
    assert second.title not in answer.text and first.title not in answer.text


def test_anyone_else_sees_only_the_whole_queue(client, make):
    problem, leader = setup_problem(make)
    submit(problem, leader)
    body = client.get("/health", environ_base={"REMOTE_ADDR": "10.1.2.3"}).get_json()
    assert body["checks"]["queue"]["queued"] == 1
    assert "by_problem" not in body["checks"]["queue"]
