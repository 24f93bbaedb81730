"""Submissions over the API, and what each role may see of them."""

import io
from datetime import timedelta
from pathlib import Path

import pytest

from judge.competitions.models import Role
from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.problems import services as problems
from judge.submissions.models import Submission
from tests.submissions.helpers import score, scored

PRIVATE_MARK = 0.987654


@pytest.fixture
def world(make):
    competition = make.competition()
    problem = make.problem(competition, daily_limit=None)
    leader, rival, judge, sponsor = make.user(), make.user(), make.user(), make.user()
    make.team(competition, leader, name="Ours")
    make.team(competition, rival, name="Rivals")
    make.role(competition, judge, Role.JUDGE)
    make.sponsor_member(competition, sponsor)
    organizer = competition.roles[0].user
    return problem, {"leader": leader, "rival": rival, "judge": judge, "sponsor": sponsor,
                     "organizer": organizer}  # fmt: skip


def upload(api, problem, user, content=b"id,label\n1,0\n", name="pred.csv"):
    data = {"file": (io.BytesIO(content), name), "description": "baseline"}
    return api.post(f"/problems/{problem.id}/submissions", as_=user, data=data)


def test_upload_is_accepted_at_once(api, world):
    problem, people = world
    response = upload(api, problem, people["leader"])
    assert response.status_code == 202
    body = response.json
    assert body["status"] == "queued"
    assert body["quota"]["total_left"] is None
    status = api.get(body["status_url"].removeprefix("/api/v1"), as_=people["leader"])
    assert (status.status_code, status.json["status"]) == (200, "queued")
    assert status.json["description"] == "baseline"


@pytest.mark.parametrize(("who", "code"), [("rival", 404), ("judge", 404), (None, 401)])
def test_others_cannot_see_a_teams_submission(api, world, who, code):
    problem, people = world
    submission_id = upload(api, problem, people["leader"]).json["id"]
    response = api.get(f"/submissions/{submission_id}", as_=people.get(who))
    assert response.status_code == code


def test_staff_and_outsiders_cannot_submit(api, make, world):
    problem, people = world
    assert upload(api, problem, people["judge"]).status_code == 403
    assert upload(api, problem, make.user()).status_code == 403
    assert upload(api, problem, None).status_code == 401


@pytest.mark.parametrize(
    ("name", "content", "needle"),
    [("picture.png", b"\x89PNG", ".csv"), ("../../etc/x.csv", b"a", "file name"),
     ("empty.csv", b"", "empty")],
)  # fmt: skip
def test_bad_uploads_are_refused_and_nothing_is_stored(api, app, world, name, content, needle):
    problem, people = world
    before = sorted(Path(app.config["STORAGE_DIR"]).rglob("*"))
    response = upload(api, problem, people["leader"], content, name)
    assert response.status_code == 422
    assert needle in response.json["error"]["message"]
    assert db.session.query(Submission).count() == 0
    assert sorted(Path(app.config["STORAGE_DIR"]).rglob("*")) == before


def test_huge_upload_is_refused_early_with_413(api, app, world):
    problem, people = world
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    response = upload(api, problem, people["leader"], b"x" * 20_000)
    assert response.status_code == 413
    assert db.session.query(Submission).count() == 0


def test_closed_problem_refuses(api, world):
    problem, people = world
    with unit_of_work():
        problems.update_settings(problem, opens_at=utcnow() - timedelta(days=2),
                                 closes_at=utcnow() - timedelta(days=1))  # fmt: skip
    response = upload(api, problem, people["leader"])
    assert response.status_code == 403
    assert "closed" in response.json["error"]["message"]


def test_private_scores_hidden_from_participants_until_reveal(api, world):
    problem, people = world
    submission = scored(problem, people["leader"], 0.123456, PRIVATE_MARK)
    leader = people["leader"]
    texts = [
        api.get(f"/submissions/{submission.id}", as_=leader).text,
        api.get(f"/problems/{problem.id}/submissions", as_=leader).text,
        api.get(f"/problems/{problem.id}/leaderboard", as_=leader).text,
        api.get(f"/problems/{problem.id}/leaderboard?board=private", as_=leader).text,
        api.post(f"/submissions/{submission.id}/final", as_=leader).text,
    ]
    assert all(str(PRIVATE_MARK) not in text for text in texts)
    private = api.get(f"/problems/{problem.id}/leaderboard?board=private", as_=leader)
    assert private.status_code == 403
    assert api.post(f"/problems/{problem.id}/reveal", as_=leader).status_code == 403
    assert api.post(f"/problems/{problem.id}/reveal", as_=people["organizer"]).status_code == 200
    revealed = api.get(f"/problems/{problem.id}/leaderboard?board=private", as_=leader)
    assert revealed.json["rows"][0]["score"] == PRIVATE_MARK
    assert api.get(f"/submissions/{submission.id}", as_=leader).json["private_score"] == (
        PRIVATE_MARK
    )


def test_sponsor_sees_private_any_time_judge_once_closed(api, world):
    problem, people = world
    scored(problem, people["leader"], 0.1, PRIVATE_MARK)
    path = f"/problems/{problem.id}/leaderboard?board=private"
    assert api.get(path, as_=people["sponsor"]).status_code == 200
    assert api.get(path, as_=people["judge"]).status_code == 403
    with unit_of_work():
        problems.update_settings(problem, opens_at=utcnow() - timedelta(days=2),
                                 closes_at=utcnow() - timedelta(minutes=1))  # fmt: skip
    assert api.get(path, as_=people["judge"]).status_code == 200


def test_final_selection_rules(api, world):
    problem, people = world
    mine = scored(problem, people["leader"], 0.5, 0.5)
    theirs = scored(problem, people["rival"], 0.5, 0.5)
    queued_id = upload(api, problem, people["leader"]).json["id"]
    leader = people["leader"]
    assert api.post(f"/submissions/{theirs.id}/final", as_=leader).status_code == 404
    assert api.post(f"/submissions/{queued_id}/final", as_=leader).status_code == 422
    selected = api.post(f"/submissions/{mine.id}/final", as_=leader)
    assert (selected.status_code, selected.json["selected"]) == (200, True)
    dropped = api.delete(f"/submissions/{mine.id}/final", as_=leader)
    assert dropped.json["selected"] is False


def test_selection_limit(api, make):
    competition = make.competition()
    problem = make.problem(competition, daily_limit=None, max_final_selections=1)
    leader = make.user()
    make.team(competition, leader)
    first, second = scored(problem, leader, 0.1, 0.1), scored(problem, leader, 0.2, 0.2)
    assert api.post(f"/submissions/{first.id}/final", as_=leader).status_code == 200
    refused = api.post(f"/submissions/{second.id}/final", as_=leader)
    assert refused.status_code == 409
    assert "unselect" in refused.json["error"]["message"]


def test_cancel_queued_only(api, world):
    problem, people = world
    queued = upload(api, problem, people["leader"]).json["id"]
    cancelled = api.post(f"/submissions/{queued}/cancel", as_=people["leader"])
    assert cancelled.json["status"] == "cancelled"
    again = api.post(f"/submissions/{queued}/cancel", as_=people["leader"])
    assert again.status_code == 409


def test_board_csv_for_managers_is_formula_safe(api, make, world):
    problem, people = world
    competition = problem.competition
    evil = make.user()
    make.team(competition, evil, name='=HYPERLINK("http://x")')
    scored(problem, evil, 0.9, 0.9)
    assert (
        api.get(f"/problems/{problem.id}/leaderboard.csv", as_=people["leader"]).status_code == 403
    )
    csv_text = api.get(f"/problems/{problem.id}/leaderboard.csv", as_=people["sponsor"]).text
    assert "'=HYPERLINK" in csv_text
    assert "\n1,=" not in csv_text


def test_quota_endpoint(api, make):
    competition = make.competition()
    problem = make.problem(competition, daily_limit=3)
    leader = make.user()
    make.team(competition, leader)
    upload(api, problem, leader)
    body = api.get(f"/problems/{problem.id}/quota", as_=leader).json
    assert body["daily_left"] == 2
    assert body["resets_at"].endswith("+00:00") or body["resets_at"].endswith("Z")


def test_scored_submission_shows_public_score(api, world):
    problem, people = world
    submission_id = upload(api, problem, people["leader"]).json["id"]
    score(db.session.get(Submission, submission_id), 0.75, 0.5)
    body = api.get(f"/submissions/{submission_id}", as_=people["leader"]).json
    assert (body["status"], body["public_score"]) == ("scored", 0.75)
    assert "private_score" not in body


def test_a_queued_submission_says_its_place_and_wait_and_nothing_of_who_is_ahead(api, world):
    problem, people = world
    for _ in range(2):
        upload(api, problem, people["rival"])
    ours = upload(api, problem, people["leader"]).json["id"]
    body = api.get(f"/submissions/{ours}", as_=people["leader"]).json
    # Round-robin: the rivals' first file, then ours (not behind both of theirs).
    assert (body["queue_position"], body["estimated_wait_seconds"]) == (2, None)
    assert "Rivals" not in str(body) and str(people["rival"].email) not in str(body)
    listed = api.get(f"/problems/{problem.id}/submissions", as_=people["rival"]).json
    assert [item["queue_position"] for item in listed] == [3, 1]  # newest first
    score(db.session.get(Submission, ours), 0.5, 0.5)
    body = api.get(f"/submissions/{ours}", as_=people["leader"]).json
    assert (body["queue_position"], body["estimated_wait_seconds"]) == (None, None)
