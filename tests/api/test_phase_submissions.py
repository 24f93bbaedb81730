"""An upload to a phase of a problem with phases over the API: one answer per upload, with a
score per task; no score beside a failed task; private scores hidden before each reveal."""

from __future__ import annotations

import io

import pytest

from judge.core.db import unit_of_work, utcnow
from judge.leaderboard import services as leaderboard
from judge.submissions import fanout
from judge.submissions.models import FailureKind
from tests.submissions.helpers import score
from tests.submissions.phases import PREDICTIONS, two_tasks
from tests.submissions.test_phase_uploads import fail

PRIVATE_MARK = 0.987654


@pytest.fixture
def phase(make):
    return two_tasks(make, daily_limit=5)


def upload(api, problem, user):
    data = {"file": (io.BytesIO(PREDICTIONS), "pred.csv"), "description": "first"}
    return api.post(f"/problems/{problem.id}/submissions", as_=user, data=data)


def status(api, phase, submission_id):
    return api.get(f"/submissions/{submission_id}", as_=phase.leader).json


def test_an_upload_answers_once_with_each_task_still_scoring(api, phase):
    accepted = upload(api, phase.first, phase.leader)
    assert accepted.status_code == 202
    assert accepted.json["quota"]["daily_left"] == 4
    answer = status(api, phase, accepted.json["id"])
    assert answer["status"] == "queued"
    assert [(t["task"], t["status"]) for t in answer["tasks"]] == [
        ("vision-a", "scoring"), ("vision-b", "scoring")]  # fmt: skip
    listed = api.get(f"/problems/{phase.first.id}/submissions", as_=phase.leader).json
    assert [item["id"] for item in listed] == [accepted.json["id"]]


def test_an_upload_is_scored_once_every_task_is(api, phase):
    accepted = upload(api, phase.first, phase.leader).json
    first, second = fanout.family(_submission(accepted["id"]))
    score(first, 0.5, PRIVATE_MARK)
    running = status(api, phase, accepted["id"])
    assert running["status"] == "running"  # task B still waits: the upload has no score yet
    assert running["public_score"] is None
    assert [t["status"] for t in running["tasks"]] == ["scored", "scoring"]
    score(second, 0.25, PRIVATE_MARK)
    done = status(api, phase, accepted["id"])
    assert done["status"] == "scored"
    assert [(t["public_score"], t["public_score_display"]) for t in done["tasks"]] == [
        (0.5, "0.50000"), (0.25, "0.25000")]  # fmt: skip
    assert str(PRIVATE_MARK) not in api.get(f"/submissions/{accepted['id']}",
                                             as_=phase.leader).text  # fmt: skip


def test_a_failed_task_fails_the_upload_with_no_score_beside_it(api, phase):
    accepted = upload(api, phase.first, phase.leader).json
    first, second = fanout.family(_submission(accepted["id"]))
    score(first, 0.5, 0.5)
    fail(second, FailureKind.INVALID)
    answer = status(api, phase, accepted["id"])
    assert answer["status"] == "failed"
    assert answer["public_score"] is None and answer["public_score_display"] is None
    assert answer["error_message"] == "bad file"
    assert [(t["status"], t["public_score"]) for t in answer["tasks"]] == [
        ("scored", 0.5), ("failed", None)]  # fmt: skip


def test_a_private_score_shows_only_on_the_task_whose_board_is_revealed(api, make, phase):
    accepted = upload(api, phase.first, phase.leader).json
    first, second = fanout.family(_submission(accepted["id"]))
    score(first, 0.5, PRIVATE_MARK)
    score(second, 0.25, 0.125)
    with unit_of_work():
        leaderboard.reveal(phase.second, utcnow(), make.user(admin=True))
    tasks = status(api, phase, accepted["id"])["tasks"]
    assert "private_score" not in tasks[0]
    assert tasks[1]["private_score"] == 0.125


def test_an_upload_to_another_task_of_the_phase_is_refused_naming_the_first(api, phase):
    refused = upload(api, phase.second, phase.leader)
    assert refused.status_code == 422
    assert "“vision-a”" in refused.json["error"]["message"]


def test_a_task_alone_cannot_be_selected_or_cancelled(api, phase):
    accepted = upload(api, phase.first, phase.leader).json
    _first, second = fanout.family(_submission(accepted["id"]))
    for path in (f"/submissions/{second.id}/final", f"/submissions/{second.id}/cancel"):
        refused = api.post(path, as_=phase.leader)
        assert refused.status_code == 403
        assert f"upload {accepted['id']}" in refused.json["error"]["message"]
    cancelled = api.post(f"/submissions/{accepted['id']}/cancel", as_=phase.leader).json
    assert cancelled["status"] == "cancelled"
    assert [t["status"] for t in cancelled["tasks"]] == ["cancelled", "cancelled"]


def _submission(submission_id: int):
    from judge.core.extensions import db
    from judge.submissions.models import Submission

    db.session.expire_all()
    return db.session.get(Submission, submission_id)


def test_a_problem_row_says_its_phase_task_and_whether_it_takes_uploads(api, phase):
    answers = [api.get(f"/problems/{row.id}", as_=phase.leader).json
               for row in (phase.first, phase.second)]  # fmt: skip
    assert [(a["phase"], a["task"], a["takes_uploads"]) for a in answers] == [
        (1, 1, True), (1, 2, False)]  # fmt: skip
