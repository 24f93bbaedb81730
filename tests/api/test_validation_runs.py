"""Validation runs: a team debugs its code on the problem's public validation inputs and sees
all of it; the run never touches the hidden inputs, is never scored, and has its own limit."""

from __future__ import annotations

import io

import pytest

from judge.core.extensions import db
from judge.submissions import jobs
from judge.submissions.files import job_files
from judge.submissions.models import Submission
from tests.api.test_code_submissions import PREDICT, SOLUTION, code_zip, take_code

PUBLIC = "id,feature\n" + "".join(f"{i},public-value-{i:04d}\n" for i in range(1, 6))

# Prints its inputs, looks for a hidden value anywhere it can read, and predicts.
SNOOP_AND_PREDICT = """
import os, sys
hidden = ("feature-value-" + str(17).zfill(4)).encode()  # not written out in this file
found = []
for top in ("/app", "/in", "/tmp", "/out", "/opt", "/run", "/var", "/srv", "/root"):
    for folder, _dirs, files in os.walk(top):
        for name in files:
            try:
                if hidden in open(os.path.join(folder, name), "rb").read():
                    found.append(os.path.join(folder, name))
            except OSError:
                pass
print("found", len(found))
print("inputs:", sorted(os.listdir(sys.argv[1])))
rows = open(os.path.join(sys.argv[1], "test.csv")).read().splitlines()[1:]
for row in rows:
    print(row)
sys.stderr.write("debugging on stderr\\n")
with open(os.path.join(sys.argv[2], "predictions.csv"), "w") as out:
    out.write("id,label\\n" + "".join(row.split(",")[0] + ",plain\\n" for row in rows))
"""


@pytest.fixture
def world(make, api):
    competition = make.competition()
    problem = make.problem(competition, solution=SOLUTION, daily_limit=3)
    organizer, leader = competition.roles[0].user, make.user()
    make.team(competition, leader, name="Debuggers")
    assert (
        take_code(api, problem, organizer, {"wall_seconds": 60, "cpu_seconds": 60}).status_code
        == 200
    )
    data = {"validation_inputs": (io.BytesIO(PUBLIC.encode()), "test.csv"),
            "validation_daily_limit": "2"}  # fmt: skip
    response = api.put(f"/problems/{problem.id}/code", as_=organizer, data=data)
    assert response.status_code == 200, response.text
    assert response.get_json()["validation_inputs"] == "test.csv"
    return problem, organizer, leader


def validation_run(api, problem, user, content: bytes) -> dict:
    data = {"file": (io.BytesIO(content), "code.zip")}
    response = api.post(f"/problems/{problem.id}/validation-runs", as_=user, data=data)
    assert response.status_code == 202, response.text
    jobs.score_submission(response.get_json()["id"], "test-worker")
    db.session.expire_all()
    return api.get(f"/validation-runs/{response.get_json()['id']}", as_=user).get_json()


def test_a_validation_run_shows_everything_and_sees_only_the_public_inputs(api, world):
    problem, _organizer, leader = world
    run = validation_run(api, problem, leader, code_zip(SNOOP_AND_PREDICT))
    assert run["status"] == "passed", run
    assert run["message"] == "Your program ran, and its predictions.csv passes the format check."
    output = run["output"]
    assert "found 0" in output  # no hidden input anywhere in its sandbox
    assert "inputs: ['test.csv']" in output and "3,public-value-0003" in output
    assert "debugging on stderr" in output
    assert "predictions.csv" in output and "wall=" in output  # what it wrote, how long it took
    assert run["run_seconds"] is not None
    # A worker on another host may fetch only the run's public files, never the hidden ones.
    granted = job_files(db.session.get(Submission, run["id"]))
    assert problem.hidden_inputs_key not in granted and problem.validation_inputs_key in granted


def test_a_validation_run_quotes_the_values_of_a_bad_file(api, world):
    problem, _organizer, leader = world
    bad = "import os, sys\nopen(os.path.join(sys.argv[2], 'predictions.csv'), 'w')" \
          ".write('id,lable\\n1,x\\n')\n"  # fmt: skip
    run = validation_run(api, problem, leader, code_zip(bad))
    assert run["status"] == "failed"
    assert "The file has columns that are not expected: 'lable'." in run["message"]


def test_a_failed_validation_run_shows_what_it_printed(api, world):
    problem, _organizer, leader = world
    run = validation_run(
        api, problem, leader, code_zip("print('step 1 done')\nraise SystemExit(3)\n")
    )
    assert run["status"] == "failed"
    assert run["message"] == "Your program failed (exit status 3)."
    assert "step 1 done" in run["output"]


def test_validation_runs_have_their_own_limit_and_never_reach_the_boards(api, world):
    problem, _organizer, leader = world
    for _ in range(2):
        assert validation_run(api, problem, leader, code_zip(PREDICT))["status"] == "passed"
    third = api.post(f"/problems/{problem.id}/validation-runs", as_=leader,
                     data={"file": (io.BytesIO(code_zip(PREDICT)), "code.zip")})  # fmt: skip
    assert third.status_code == 429
    assert third.get_json()["error"]["message"].startswith(
        "Your team has used today's 2 validation runs."
    )
    quota = api.get(f"/problems/{problem.id}/quota", as_=leader).get_json()
    assert quota["daily_left"] == 3 and quota["validation_left"] == 0
    assert api.get(f"/problems/{problem.id}/submissions", as_=leader).get_json() == []
    board = api.get(f"/problems/{problem.id}/leaderboard", as_=leader).get_json()
    assert board["rows"] == []
    runs = api.get(f"/problems/{problem.id}/validation-runs", as_=leader).get_json()
    assert [r["status"] for r in runs] == ["passed", "passed"]


def test_only_the_team_sees_its_validation_runs(api, make, world):
    problem, organizer, leader = world
    run = validation_run(api, problem, leader, code_zip(PREDICT))
    rival = make.user()
    make.team(problem.competition, rival)
    assert api.get(f"/validation-runs/{run['id']}", as_=rival).status_code == 404
    assert api.get(f"/validation-runs/{run['id']}", as_=organizer).status_code == 200


def test_validation_runs_need_validation_inputs(api, make):
    competition = make.competition()
    problem = make.problem(competition, solution=SOLUTION)
    leader = make.user()
    make.team(competition, leader)
    take_code(api, problem, competition.roles[0].user, {"wall_seconds": 20})
    response = api.post(f"/problems/{problem.id}/validation-runs", as_=leader,
                        data={"file": (io.BytesIO(code_zip(PREDICT)), "code.zip")})  # fmt: skip
    assert response.status_code == 409
    assert response.get_json()["error"]["message"] == (
        "This problem has no validation inputs, so it takes no validation runs."
    )


def test_the_problem_page_offers_validation_runs(api, client, login, world):
    problem, _organizer, leader = world
    login(leader)
    page = f"/c/{problem.competition.slug}/p/{problem.slug}"
    assert "Validation runs" in client.get(page).text
    response = client.post(f"{page}/validation-runs",
                           data={"file": (io.BytesIO(code_zip(PREDICT)), "code.zip")})  # fmt: skip
    assert response.status_code == 302
    runs = api.get(f"/problems/{problem.id}/validation-runs", as_=leader).get_json()
    jobs.score_submission(runs[0]["id"], "test-worker")
    shown = client.get(page).text
    assert "passes the format check" in shown and "exit=0" in shown
    assert "2 of 2" not in shown and "1 of 2" in shown  # validation runs left today
