"""A sponsor attaches a scoring program; submissions are scored by it, per split, by column."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from judge.core.extensions import db
from judge.submissions import jobs
from judge.submissions.models import Split, Status, Submission
from tests.api.conftest import error_code

SOLUTION = "id,label\n" + "".join(f"{i},{i % 2}\n" for i in range(1, 41))

# Reports the accuracy, how many rows it saw (a tie-breaker column) and one key no
# column names; fails without printing anything when the submission has a "crash" row.
PROGRAM = """
import json, os, sys
import pandas as pd
ref = pd.read_csv(os.path.join(sys.argv[1], "ref", "solution.csv"))
res = pd.read_csv(os.path.join(sys.argv[1], "res", "predictions.csv"))
if (res["label"].astype(str) == "crash").any():
    raise SystemExit(1)
merged = ref.merge(res, on="id", suffixes=("", "_pred"))
scores = {"accuracy": float((merged.label == merged.label_pred).mean()), "rows": len(ref),
          "debug_seconds": 0.1}
if (res["label"].astype(str) == "9").any():
    del scores["accuracy"]
json.dump(scores, open(os.path.join(sys.argv[2], "scores.json"), "w"))
"""
COLUMNS = [
    {"key": "accuracy", "label": "Accuracy", "higher_is_better": True, "precision": 3},
    {"key": "rows", "label": "Rows", "higher_is_better": False, "precision": 0},
]


def program_zip(code: str = PROGRAM, metadata: str = "command: python $program/score.py "
                "$input $output\n") -> bytes:  # fmt: skip
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("score.py", code)
        zf.writestr("metadata.yaml", metadata)
    return buffer.getvalue()


def attach(api, problem, user, content: bytes, columns=COLUMNS):
    data = {"program": (io.BytesIO(content), "scorer.zip"), "columns": json.dumps(columns)}
    return api.put(f"/problems/{problem.id}/scoring-program", as_=user, data=data)


@pytest.fixture
def world(make):
    competition = make.competition()
    problem = make.problem(competition, solution=SOLUTION, daily_limit=None)
    leader = make.user()
    make.team(competition, leader, name="Ours")
    return problem, competition.roles[0].user, leader


def submit_and_score(api, problem, user, rows: dict[int, str]) -> Submission:
    body = "id,label\n" + "".join(f"{i},{v}\n" for i, v in rows.items())
    data = {"file": (io.BytesIO(body.encode()), "predictions.csv")}
    response = api.post(f"/problems/{problem.id}/submissions", as_=user, data=data)
    assert response.status_code == 202, response.text
    submission_id = response.get_json()["id"]
    jobs.score_submission(submission_id, "test-worker")
    db.session.expire_all()
    return db.session.get(Submission, submission_id)


def test_a_program_scores_each_split_with_its_columns(api, world):
    problem, organizer, leader = world
    response = attach(api, problem, organizer, program_zip())
    assert response.status_code == 200, response.text
    assert response.get_json()["score_columns"][0]["key"] == "accuracy"
    truth = {i: i % 2 for i in range(1, 41)}
    submission = submit_and_score(api, problem, leader, truth)
    assert submission.status == Status.SCORED, submission.log
    public = next(s for s in submission.scores if s.split == Split.PUBLIC)
    private = next(s for s in submission.scores if s.split == Split.PRIVATE)
    assert public.value == private.value == 1.0
    assert public.details["rows"] + private.details["rows"] == 40
    assert "debug_seconds" not in public.details
    assert "Reported but not on the leaderboard (add columns to show them): debug_seconds" in (
        submission.log
    )


def test_with_the_split_all_one_run_on_the_whole_csv_gives_both_scores(api, world):
    problem, organizer, leader = world
    assert attach(api, problem, organizer, program_zip()).status_code == 200
    changed = api.patch(f"/problems/{problem.id}", as_=organizer, json={"split_method": "all"})
    assert changed.status_code == 200, changed.text
    guesses = {i: 1 if i <= 10 else i % 2 for i in range(1, 41)}  # 5 of 40 wrong
    submission = submit_and_score(api, problem, leader, guesses)
    assert submission.status == Status.SCORED, submission.log
    assert submission.public_score == submission.private_score == 35 / 40
    assert {s.split.value: s.details["rows"] for s in submission.scores} == {
        "public": 40, "private": 40}  # fmt: skip
    assert "one run on all the reference data" in submission.log


def test_a_missing_primary_value_fails_on_the_organizers_side(api, world):
    problem, organizer, leader = world
    attach(api, problem, organizer, program_zip())
    submission = submit_and_score(api, problem, leader, {i: 9 for i in range(1, 41)})
    assert submission.status == Status.FAILED
    assert submission.error_message == (
        "Scoring failed on the organizer's side (the organizer is notified)."
    )
    assert "without a score for the leaderboard columns: accuracy" in submission.log
    assert submission.scores == []


def test_a_crashing_program_tells_the_team_nothing_more(api, world):
    problem, organizer, leader = world
    attach(api, problem, organizer, program_zip())
    submission = submit_and_score(api, problem, leader, {i: "crash" for i in range(1, 41)})
    assert submission.status == Status.FAILED
    assert submission.error_message == (
        "The scoring program failed (exit status 1); the organizers can see its output."
    )
    mine = api.get(f"/submissions/{submission.id}", as_=leader).get_json()
    assert "log" not in json.dumps(mine)


@pytest.mark.parametrize(("content", "columns", "field", "message"), [
    (b"not a zip", COLUMNS, "program", "must be a .zip file"),
    (program_zip(metadata="description: none\n"), COLUMNS, "program", "has no “command”"),
    (program_zip(), [], "columns", "at least one leaderboard column"),
    (program_zip(), [{"key": "a"}, {"key": "a"}], "columns", "its own key"),
    (program_zip(), [{"key": "a b"}], "columns", "not a usable key"),
])  # fmt: skip
def test_bad_programs_and_columns_are_refused_clearly(api, world, content, columns, field,
                                                      message):  # fmt: skip
    problem, organizer, _leader = world
    name = "scorer.zip" if content.startswith(b"PK") else "scorer.txt"
    data = {"program": (io.BytesIO(content), name), "columns": json.dumps(columns)}
    response = api.put(f"/problems/{problem.id}/scoring-program", as_=organizer, data=data)
    assert response.status_code == 422, response.text
    assert response.get_json()["error"]["field"] == field
    assert message in response.get_json()["error"]["message"]
    db.session.refresh(problem)
    assert problem.scoring_program_key is None


def test_only_managers_attach_programs(api, world):
    problem, _organizer, leader = world
    response = attach(api, problem, leader, program_zip())
    assert response.status_code in (403, 404)
    assert error_code(response) in ("forbidden", "not_found")


def test_detaching_goes_back_to_the_metric(api, world):
    problem, organizer, _leader = world
    loss = [{"key": "loss", "higher_is_better": False}]
    attach(api, problem, organizer, program_zip(), columns=loss)
    db.session.refresh(problem)
    assert problem.higher_is_better is False
    response = api.delete(f"/problems/{problem.id}/scoring-program", as_=organizer)
    assert response.status_code == 200
    assert response.get_json()["score_columns"] is None
    db.session.refresh(problem)
    assert problem.higher_is_better is True and problem.scoring_program_key is None


def test_a_zip_submission_is_unpacked_into_res(api, world):
    problem, organizer, leader = world
    attach(api, problem, organizer, program_zip())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("predictions.csv", SOLUTION)
    data = {"file": (io.BytesIO(buffer.getvalue()), "bundle.zip")}
    response = api.post(f"/problems/{problem.id}/submissions", as_=leader, data=data)
    assert response.status_code == 202, response.text
    jobs.score_submission(response.get_json()["id"], "test-worker")
    db.session.expire_all()
    submission = db.session.get(Submission, response.get_json()["id"])
    assert submission.status == Status.SCORED, submission.log
    assert submission.public_score == 1.0


def test_a_zip_is_refused_where_the_metric_is_built_in(api, world):
    problem, _organizer, leader = world
    data = {"file": (io.BytesIO(b"PK"), "bundle.zip")}
    response = api.post(f"/problems/{problem.id}/submissions", as_=leader, data=data)
    assert response.status_code == 422
    assert response.get_json()["error"]["message"] == "Upload your predictions as a .csv file."


RUNTIME_PROBE = """
import json, sys
json.dump({"accuracy": 1.0, "system_python": float(sys.executable.startswith("/usr/"))},
          open(sys.argv[2] + "/scores.json", "w"))
"""


def test_a_problem_picks_its_runtime(app, api, world):
    problem, organizer, leader = world
    app.config["SANDBOX_RUNTIMES"] = {"system": "/usr/bin/python3"}
    attach(api, problem, organizer, program_zip(RUNTIME_PROBE),
           columns=[{"key": "accuracy"}, {"key": "system_python"}])  # fmt: skip
    wrong = api.patch(f"/problems/{problem.id}", as_=organizer, json={"runtime": "gpu"})
    assert wrong.status_code == 422
    assert wrong.get_json()["error"]["message"] == (
        "Unknown runtime “gpu”. Choose one of: default, system"
    )
    response = api.patch(f"/problems/{problem.id}", as_=organizer, json={"runtime": "system"})
    assert response.status_code == 200, response.text
    on_system = submit_and_score(api, problem, leader, {1: 1})
    assert on_system.scores[0].details["system_python"] == 1.0
    api.patch(f"/problems/{problem.id}", as_=organizer, json={"runtime": "default"})
    on_default = submit_and_score(api, problem, leader, {1: 1})
    assert on_default.scores[0].details["system_python"] == 0.0


def test_a_programs_problem_has_no_setup_to_score_locally(api, world):
    problem, organizer, _leader = world
    assert attach(api, problem, organizer, program_zip()).status_code == 200
    answer = api.get(f"/problems/{problem.id}/scoring-setup", as_=organizer)
    assert answer.status_code == 409
    assert "judge score-program" in answer.get_json()["error"]["message"]


def test_a_scoring_time_limit_goes_with_the_program(api, world):
    """Detaching the program drops its time limit: the problem's other settings still save."""
    problem, organizer, _leader = world
    attach(api, problem, organizer, program_zip())
    limited = api.patch(f"/problems/{problem.id}", json={"scoring_wall_seconds": 60},
                        as_=organizer)  # fmt: skip
    assert limited.status_code == 200, limited.text
    assert api.delete(f"/problems/{problem.id}/scoring-program", as_=organizer).status_code == 200
    renamed = api.patch(f"/problems/{problem.id}", json={"title": "Renamed"}, as_=organizer)
    assert renamed.status_code == 200, renamed.text
    db.session.refresh(problem)
    assert problem.title == "Renamed" and problem.scoring_wall_seconds is None
    assert renamed.get_json()["scoring_wall_seconds"] is None
    problem.scoring_wall_seconds = 60  # a limit left by a detach before it dropped the limit
    db.session.commit()
    again = api.patch(f"/problems/{problem.id}", json={"title": "Again"}, as_=organizer)
    assert again.status_code == 200, again.text
