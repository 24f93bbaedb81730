"""/metrics: figures read from the database, for Prometheus, and only for those allowed."""

from __future__ import annotations

from datetime import timedelta

from prometheus_client.parser import text_string_to_metric_families

from judge.core.db import unit_of_work, utcnow
from judge.submissions import heartbeat, lifecycle
from judge.submissions.models import FailureKind
from tests.submissions.helpers import LEASE, score, submit

LOCAL = {"REMOTE_ADDR": "127.0.0.1"}


def samples(text: str) -> dict[tuple[str, tuple], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def scrape(client, **headers) -> dict[tuple[str, tuple], float]:
    answer = client.get("/metrics", environ_base=LOCAL, headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.content_type.startswith("text/plain")
    return samples(answer.text)


def fail(submission, reason: str | None, kind=FailureKind.INVALID, seconds: float = 1.0):
    start = utcnow()
    with unit_of_work():
        attempt = lifecycle.claim(submission.id, start, LEASE, "w1@host")
        end = start + timedelta(seconds=seconds)
        lifecycle.record_failure(submission, attempt, kind, "msg", "", end, reason)


def test_queue_failures_and_scoring_times_come_from_the_database(client, make):
    competition = make.competition()
    problem = make.problem(competition, metric="accuracy", daily_limit=None)
    leader = make.user()
    make.team(competition, leader, name="Secret Squirrels")
    subs = [submit(problem, leader) for _ in range(6)]
    score(subs[0], 0.5, 0.5)
    fail(subs[1], "validation", seconds=0.2)
    fail(subs[2], "timeout", FailureKind.LIMIT, seconds=45)
    fail(subs[3], None, FailureKind.SYSTEM, seconds=3)  # an older row without a reason
    with unit_of_work():
        lifecycle.claim(subs[4].id, utcnow() - LEASE * 2, LEASE, "died@host")
        lifecycle.claim(subs[4].id, utcnow(), LEASE, "w1@host")  # the lease ran out: retried
        heartbeat.beat("w1@host", 2, utcnow())
    got = scrape(client)
    assert got[("judge_database_up", ())] == 1
    state = {s: got[("judge_submissions", (("state", s),))] for s in
             ("queued", "running", "scored", "failed", "cancelled")}  # fmt: skip
    assert state == {"queued": 1, "running": 1, "scored": 1, "failed": 3, "cancelled": 0}
    assert got[("judge_submissions_accepted_total", (("problem", str(problem.id)),))] == 6
    failures = {labels[0][1]: v for (name, labels), v in got.items()
                if name == "judge_submission_failures_total"}  # fmt: skip
    assert failures["validation"] == 1 and failures["timeout"] == 1 and failures["crash"] == 1
    assert failures["memory"] == 0 and failures["worker_lost"] == 0
    assert (got[("judge_workers_live", ())], got[("judge_worker_slots", ())]) == (1, 2)
    assert got[("judge_worker_slots_busy", ())] == 1
    assert got[("judge_scoring_retries_total", ())] == 1
    labels = (("metric", "accuracy"), ("problem", str(problem.id)))
    bucket = lambda le: got[("judge_scoring_seconds_bucket", (("le", le), *labels))]  # noqa: E731
    assert got[("judge_scoring_seconds_count", labels)] == 4
    assert bucket("0.5") >= 2  # the score (instant) and the 0.2 s validation failure
    assert bucket("5.0") == 3 and bucket("30.0") == 3 and bucket("60.0") == 4
    assert 48 < got[("judge_scoring_seconds_sum", labels)] < 50


def test_queue_depth_and_oldest_age_per_problem(client, make):
    competition = make.competition()
    first, second = make.problem(competition), make.problem(competition)
    leader = make.user()
    make.team(competition, leader)
    submit(first, leader, now=utcnow() - timedelta(minutes=2))
    submit(first, leader)
    score(submit(second, leader), 0.5, 0.5)
    got = scrape(client)
    depth = {labels: v for (name, labels), v in got.items() if name == "judge_problem_queue_depth"}
    assert depth == {(("problem", str(first.id)),): 2}  # none waits for the second
    assert 115 < got[("judge_problem_queue_oldest_seconds", (("problem", str(first.id)),))] < 180


def test_nothing_per_team_in_the_figures(client, make):
    competition = make.competition()
    problem = make.problem(competition)
    leader = make.user("leader@secret-team.example")
    make.team(competition, leader, name="Secret Squirrels")
    submit(problem, leader)
    text = client.get("/metrics", environ_base=LOCAL).text
    assert "Squirrels" not in text and "secret-team" not in text and "team" not in text


def test_only_this_host_without_a_proxy_when_no_token_is_set(client):
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 403
    relayed = client.get("/metrics", environ_base=LOCAL,
                         headers={"X-Forwarded-For": "203.0.113.9"})  # fmt: skip
    assert relayed.status_code == 403
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "::1"}).status_code == 200


def test_a_token_when_one_is_set(app_with):
    client = app_with(METRICS_TOKEN="s3cret-scrape-token")
    anywhere = {"REMOTE_ADDR": "10.1.2.3"}
    assert client.get("/metrics", environ_base=anywhere).status_code == 401
    wrong = {"Authorization": "Bearer nope"}
    assert client.get("/metrics", environ_base=LOCAL, headers=wrong).status_code == 401
    right = {"Authorization": "Bearer s3cret-scrape-token"}
    answer = client.get("/metrics", environ_base=anywhere, headers=right)
    assert answer.status_code == 200 and "judge_database_up 1.0" in answer.text


def test_database_down_still_answers_with_up_zero(app_with, tmp_path):
    client = app_with(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'gone' / 'x.db'}")
    got = scrape(client)
    assert got[("judge_database_up", ())] == 0
    assert ("judge_submissions", (("state", "queued"),)) not in got
