"""Issue 13, items 1 and 3, from the attacker's side: changing teams neither buys uploads
nor erases what a team did.

A participant who used up a problem's daily (or total) limit leaves the team — as its last
member, which disbands it — forms a new one and tries again; or joins a friend's team. The
uploads they already made count for them wherever they go. The disbanded team, its
submissions and their logs stay for the organizers, with an audit entry.
"""

from __future__ import annotations

import io

import pytest

from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.submissions import lifecycle
from judge.submissions.models import FailureKind, Submission
from tests.api.conftest import error_code
from tests.submissions.helpers import LEASE, score


@pytest.fixture
def competition(make):
    return make.competition(max_team_size=3)


def accept(api, competition, user):
    api.post(f"/competitions/{competition.slug}/rules/accept", as_=user)


def create_team(api, competition, user, name):
    accept(api, competition, user)
    body = {"name": name, "division_id": competition.divisions[0].id}
    response = api.post(f"/competitions/{competition.slug}/teams", as_=user, json=body)
    assert response.status_code == 201, response.json
    return response.json


def leave(api, team, user):
    assert api.delete(f"/teams/{team['id']}/members/me", as_=user).status_code == 204


def upload(api, problem, user, content=b"id,label\n1,0\n"):
    data = {"file": (io.BytesIO(content), "pred.csv"), "description": ""}
    return api.post(f"/problems/{problem.id}/submissions", as_=user, data=data)


def use_up(api, problem, user, n):
    for i in range(n):
        assert upload(api, problem, user, f"id,label\n1,{i}\n".encode()).status_code == 202


def test_a_new_team_does_not_reset_the_daily_limit(api, make, competition):
    problem = make.problem(competition, daily_limit=2)
    attacker = make.user()
    first = create_team(api, competition, attacker, "Probe One")
    use_up(api, problem, attacker, 2)
    assert upload(api, problem, attacker).status_code == 429
    leave(api, first, attacker)  # the last member: the team disbands
    create_team(api, competition, attacker, "Probe Two")
    refused = upload(api, problem, attacker)
    assert refused.status_code == 429
    assert "You have used today's 2 submissions" in refused.json["error"]["message"]
    assert api.get(f"/problems/{problem.id}/quota", as_=attacker).json["daily_left"] == 0


def test_a_new_team_does_not_reset_the_total_limit(api, make, competition):
    problem = make.problem(competition, daily_limit=None, total_limit=2)
    attacker = make.user()
    first = create_team(api, competition, attacker, "Total One")
    use_up(api, problem, attacker, 2)
    leave(api, first, attacker)
    create_team(api, competition, attacker, "Total Two")
    refused = upload(api, problem, attacker)
    assert refused.status_code == 429
    assert "You have used all 2 of your submissions" in refused.json["error"]["message"]
    assert api.get(f"/problems/{problem.id}/quota", as_=attacker).json["total_left"] == 0


def test_joining_another_team_carries_the_count_but_not_to_teammates(api, make, competition):
    problem = make.problem(competition, daily_limit=2)
    attacker, friend = make.user(), make.user()
    mine = create_team(api, competition, attacker, "Spent")
    use_up(api, problem, attacker, 2)
    theirs = create_team(api, competition, friend, "Fresh")
    leave(api, mine, attacker)
    accept(api, competition, attacker)
    joined = api.post(f"/competitions/{competition.slug}/teams/join", as_=attacker,
                      json={"code": theirs["invite_code"]})  # fmt: skip
    assert joined.status_code == 200
    assert upload(api, problem, attacker).status_code == 429
    assert upload(api, problem, friend).status_code == 202  # the team still has room


def test_a_refunded_upload_does_not_count_for_the_person(api, make, competition):
    problem = make.problem(competition, daily_limit=1, failed_daily_limit=1)
    user = make.user()
    create_team(api, competition, user, "Refunded")
    submission = db.session.get(Submission, upload(api, problem, user).json["id"])
    with unit_of_work():
        attempt = lifecycle.claim(submission.id, utcnow(), LEASE, "w")
        lifecycle.record_failure(submission, attempt, FailureKind.INVALID, "bad", "", utcnow())
    assert upload(api, problem, user).status_code == 202


def test_disbanded_team_keeps_its_history_for_organizers(api, client, login, make, competition):
    problem = make.problem(competition, daily_limit=None)
    organizer = competition.roles[0].user
    member = make.user()
    team = create_team(api, competition, member, "Vanishing")
    submission_id = upload(api, problem, member).json["id"]
    score(db.session.get(Submission, submission_id), 0.9, 0.8)
    board = f"/problems/{problem.id}/leaderboard"
    assert [row["team"] for row in api.get(board).json["rows"]] == ["Vanishing"]
    leave(api, team, member)

    assert api.get(board).json["rows"] == []  # gone from the public board
    assert api.get(f"/teams/{team['id']}").status_code == 404
    assert "Vanishing" not in api.get(f"/competitions/{competition.slug}/teams").text
    gone = api.post(f"/competitions/{competition.slug}/teams/join", as_=make.user(),
                    json={"code": team["invite_code"]})  # fmt: skip
    assert gone.status_code in (403, 404)

    login(organizer)
    page = client.get(f"/teams/{team['id']}")
    assert page.status_code == 200 and "Vanishing" in page.text and "disbanded" in page.text
    assert "Vanishing" in client.get(f"/c/{competition.slug}/manage").text
    log = client.get(f"/c/{competition.slug}/p/{problem.slug}/all-submissions/{submission_id}")
    assert log.status_code == 200 and "Vanishing" in log.text
    audit = client.get(f"/c/{competition.slug}/audit").text
    assert "Team disbanded" in audit and "Vanishing" in audit
    assert db.session.get(Submission, submission_id) is not None


def test_a_disbanded_teams_name_can_be_taken_again(api, make, competition):
    first, second = make.user(), make.user()
    team = create_team(api, competition, first, "Reusable")
    leave(api, team, first)
    again = create_team(api, competition, second, "Reusable")
    assert again["id"] != team["id"]
    third = make.user()
    accept(api, competition, third)
    body = {"name": "Reusable", "division_id": competition.divisions[0].id}
    taken = api.post(f"/competitions/{competition.slug}/teams", as_=third, json=body)
    assert error_code(taken) == "conflict"  # the new team holds the name now


def fail(submission_id, side="invalid"):
    """The worker records the upload as failing the problem's check, or failing on the
    organizer's side (a program the team's code broke); given back if free."""
    submission = db.session.get(Submission, submission_id)
    with unit_of_work():
        attempt = lifecycle.claim(submission.id, utcnow(), LEASE, "w")
        if side == "invalid":
            lifecycle.record_failure(submission, attempt, FailureKind.INVALID, "bad", "", utcnow())
        else:
            lifecycle.record_failure(submission, attempt, FailureKind.SYSTEM, "failed", "",
                                     utcnow(), "organizer")  # fmt: skip
            lifecycle.refund_system(submission)
    return db.session.get(Submission, submission_id)


@pytest.mark.parametrize("side", ["invalid", "organizer"])
def test_a_new_team_does_not_renew_the_free_failures(api, make, competition, side):
    problem = make.problem(competition, daily_limit=5, failed_daily_limit=3)
    attacker = make.user()
    first = create_team(api, competition, attacker, "Failing One")
    for i in range(3):
        failed = fail(upload(api, problem, attacker, f"x,{i}\n".encode()).json["id"], side)
        assert not failed.counted
    quota_url = f"/problems/{problem.id}/quota"
    assert api.get(quota_url, as_=attacker).json["failed_left"] == 0
    leave(api, first, attacker)  # the last member: the team disbands
    create_team(api, competition, attacker, "Failing Two")
    left = api.get(quota_url, as_=attacker).json
    assert (left["daily_left"], left["failed_left"]) == (5, 0)

    assert fail(upload(api, problem, attacker).json["id"], side).counted  # not given back
    assert api.get(quota_url, as_=attacker).json["daily_left"] == 4
