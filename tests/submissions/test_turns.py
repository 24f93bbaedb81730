"""The fair queue: round-robin across teams, and each queued file's place in it."""

from __future__ import annotations

from datetime import timedelta

from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.submissions import heartbeat, lifecycle, turns
from judge.submissions.models import FailureKind, Submission
from tests.submissions.helpers import LEASE, submit


def teams(make, count: int):
    competition = make.competition()
    problem = make.problem(competition, daily_limit=None)
    leaders = [make.user() for _ in range(count)]
    for n, leader in enumerate(leaders):
        make.team(competition, leader, name=f"Team {n}")
    return problem, leaders


def take_next(now) -> Submission:
    """What a worker does: claim the fair rule's pick and give its team the turn."""
    with unit_of_work():
        submission_id = turns.next_queued()
        assert lifecycle.claim(submission_id, now, LEASE, "w1@host")
        submission = db.session.get(Submission, submission_id)
        turns.take_turn(submission.team_id, now)
    return submission


def test_a_burst_waits_one_turn_per_round_behind_the_other_teams(make):
    problem, (burst, *others) = teams(make, 4)
    start = utcnow() - timedelta(minutes=10)
    mine = [submit(problem, burst, now=start + timedelta(seconds=n)) for n in range(5)]
    theirs = [submit(problem, o, now=start + timedelta(seconds=10 + n)) for n, o in
              enumerate(others)]  # fmt: skip
    served = [take_next(utcnow() + timedelta(seconds=n)).id for n in range(8)]
    # Team 0 came first; then each team once a round, in the order they were last served.
    assert served == [mine[0].id, *(s.id for s in theirs), *(s.id for s in mine[1:])]


def test_each_place_is_the_order_the_rule_serves_them_in(make):
    problem, leaders = teams(make, 3)
    start = utcnow() - timedelta(minutes=10)
    waiting = [submit(problem, leaders[n], now=start + timedelta(seconds=i))
               for i, n in enumerate([0, 0, 0, 1, 2, 2, 1])]  # fmt: skip
    take_next(utcnow())  # team 0 has had a turn
    queued = [s for s in waiting if db.session.get(Submission, s.id).status.value == "queued"]
    db.session.expire_all()
    places = turns.places(queued, slots=1)
    expected = sorted(queued, key=lambda s: places[s.id].position)
    served = [take_next(utcnow() + timedelta(seconds=n)).id for n in range(len(queued))]
    assert served == [s.id for s in expected]
    assert sorted(p.position for p in places.values()) == list(range(1, len(queued) + 1))


def test_the_wait_is_estimated_from_recent_file_scorings_and_the_live_slots(make):
    problem, (first, second) = teams(make, 2)
    done = submit(problem, first)
    now = utcnow()
    with unit_of_work():
        attempt = lifecycle.claim(done.id, now - timedelta(seconds=6), LEASE, "w1@host")
        lifecycle.record_failure(done, attempt, FailureKind.INVALID, "bad", "", now)
    waiting = [submit(problem, first), submit(problem, first), submit(problem, second)]
    db.session.expire_all()
    assert turns.places_now(waiting, utcnow()) == {  # no worker: no estimate
        waiting[0].id: turns.Place(1, None),
        waiting[1].id: turns.Place(3, None),
        waiting[2].id: turns.Place(2, None),
    }
    with unit_of_work():
        heartbeat.beat("w1@host", 2, utcnow())
    places = turns.places_now(waiting, utcnow())
    # Two slots: the third waits for one of the first two, then runs (about 6 s each).
    assert [places[s.id].estimated_wait_seconds for s in waiting] == [6, 12, 6]
