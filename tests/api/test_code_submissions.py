"""Teams submit code: it runs on the hidden test inputs in the sandbox, then it is scored."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from judge.core.extensions import db
from judge.submissions import jobs
from judge.submissions.models import Status, Submission
from tests.api.test_scoring_programs import attach, program_zip

SECRET = "label-secret-7731"  # only in the solution
SOLUTION = "id,label\n" + "".join(f"{i},{SECRET if i % 2 else 'plain'}\n" for i in range(1, 41))
INPUTS = "id,feature\n" + "".join(f"{i},feature-value-{i:04d}\n" for i in range(1, 41))

# Predicts from the hidden inputs; writes predictions.csv as the built-in metric expects.
PREDICT = f"""
import csv, os, sys
rows = list(csv.DictReader(open(os.path.join(sys.argv[1], "test.csv"))))
with open(os.path.join(sys.argv[2], "predictions.csv"), "w") as out:
    out.write("id,label\\n")
    for row in rows:
        odd = int(row["id"]) % 2
        out.write(f"{{row['id']}},{{'{SECRET}' if odd else 'plain'}}\\n")
"""

SNOOP = """
import os, sys
secret = ("label-secret-" + str(7700 + 31)).encode()  # not written out in this file
found = []
for top in ("/app", "/in", "/tmp", "/out", "/usr/local", "/opt", "/run", "/var", "/srv", "/root"):
    for folder, _dirs, files in os.walk(top):
        for name in files:
            try:
                if secret in open(os.path.join(folder, name), "rb").read():
                    found.append(os.path.join(folder, name))
            except OSError:
                pass
print("found", len(found))
sys.exit(3)
"""

LEAK = """
import os, sys
print(open(os.path.join(sys.argv[1], "test.csv")).read())
raise ValueError("cannot parse feature-value-0017")
"""


def code_zip(code: str, command: str = "python predict.py $input $output") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("predict.py", code)
        zf.writestr("metadata.yaml", f"command: {command}\n")
    return buffer.getvalue()


def take_code(api, problem, user, limits=None, inputs=INPUTS, name="test.csv"):
    data = {}
    if inputs is not None:
        data["inputs"] = (io.BytesIO(inputs.encode()), name)
    if limits is not None:
        data["limits"] = json.dumps(limits)
    return api.put(f"/problems/{problem.id}/code", as_=user, data=data)


@pytest.fixture
def world(make, api):
    competition = make.competition()
    problem = make.problem(competition, solution=SOLUTION, daily_limit=None)
    organizer, leader = competition.roles[0].user, make.user()
    make.team(competition, leader, name="Coders")
    response = take_code(api, problem, organizer, {"wall_seconds": 20, "cpu_seconds": 20})
    assert response.status_code == 200, response.text
    return problem, organizer, leader


def run(api, problem, user, content: bytes, name: str = "code.zip") -> Submission:
    data = {"file": (io.BytesIO(content), name)}
    response = api.post(f"/problems/{problem.id}/submissions", as_=user, data=data)
    assert response.status_code == 202, response.text
    jobs.score_submission(response.get_json()["id"], "test-worker")
    db.session.expire_all()
    return db.session.get(Submission, response.get_json()["id"])


def test_team_code_runs_on_the_hidden_inputs_and_is_scored(api, world):
    problem, _organizer, leader = world
    submission = run(api, problem, leader, code_zip(PREDICT))
    assert submission.status == Status.SCORED, submission.log
    assert submission.public_score == submission.private_score == 1.0


def test_the_solution_is_nowhere_in_the_teams_sandbox(api, world):
    problem, organizer, leader = world
    # Reading every file of the runtime (numpy, pandas, scikit-learn…) takes a while on a
    # busy 2-core machine: give the search time enough to finish.
    assert take_code(api, problem, organizer, {"wall_seconds": 120, "cpu_seconds": 120},
                     inputs=None).status_code == 200  # fmt: skip
    submission = run(api, problem, leader, code_zip(SNOOP))
    assert submission.status == Status.FAILED
    assert submission.error_message.startswith("Your program failed: it did not exit with status 0")
    assert "found 0" in submission.log


def test_the_team_sees_none_of_what_its_program_printed(api, world):
    problem, _organizer, leader = world
    submission = run(api, problem, leader, code_zip(LEAK))
    assert submission.status == Status.FAILED
    assert submission.error_message.startswith("Your program failed: it did not exit with status 0")
    assert "exit status 1" not in submission.error_message
    assert "feature-value-0017" in submission.log  # organizers see everything
    mine = api.get(f"/submissions/{submission.id}", as_=leader).get_data(as_text=True)
    assert "feature-value-" not in mine and "ValueError" not in mine


def test_the_wall_limit_is_named_and_the_next_submission_scores(api, world):
    problem, organizer, leader = world
    take_code(api, problem, organizer, {"wall_seconds": 2, "cpu_seconds": 20}, inputs=None)
    sleeper = run(api, problem, leader, code_zip("import time\ntime.sleep(60)\n"))
    assert sleeper.status == Status.FAILED
    assert sleeper.error_message.startswith("Your program ran longer than the time limit (2 s).")
    take_code(api, problem, organizer, {"wall_seconds": 20}, inputs=None)
    assert run(api, problem, leader, code_zip(PREDICT)).status == Status.SCORED


def test_output_over_the_limit_is_named(api, world):
    problem, organizer, leader = world
    take_code(api, problem, organizer, {"output_mb": 1, "wall_seconds": 20}, inputs=None)
    flood = "import os, sys\nopen(os.path.join(sys.argv[2], 'big'), 'wb').write(b'x' * 5_000_000)\n"
    submission = run(api, problem, leader, code_zip(flood))
    assert submission.status == Status.FAILED
    assert "more output than allowed (1 MiB)" in submission.error_message


def test_code_output_can_be_scored_by_the_sponsors_program(api, world):
    problem, organizer, leader = world
    assert attach(api, problem, organizer, program_zip(
        code=PREDICT_SCORER), columns=[{"key": "matches"}]).status_code == 200  # fmt: skip
    submission = run(api, problem, leader, code_zip(PREDICT))
    assert submission.status == Status.SCORED, submission.log
    assert submission.public_score + submission.private_score == 40


PREDICT_SCORER = """
import json, os, sys
ref = open(os.path.join(sys.argv[1], "ref", "solution.csv")).read().splitlines()[1:]
res = open(os.path.join(sys.argv[1], "res", "predictions.csv")).read().splitlines()[1:]
out = open(os.path.join(sys.argv[2], "scores.json"), "w")
json.dump({"matches": len(set(ref) & set(res))}, out)
"""


def test_code_problems_take_only_zips(api, world):
    problem, _organizer, leader = world
    data = {"file": (io.BytesIO(b"id,label\n1,x\n"), "predictions.csv")}
    response = api.post(f"/problems/{problem.id}/submissions", as_=leader, data=data)
    assert response.status_code == 422
    assert response.get_json()["error"]["message"] == (
        "Upload your code as a .zip file with a metadata.yaml."
    )


@pytest.mark.parametrize(("limits", "message"), [
    ({"wall_seconds": 0}, "must be between 1 and 21600"),
    ({"gpu": 1}, "Unknown limit: gpu"),
    ({"memory_mb": "lots"}, "must be a whole number"),
])  # fmt: skip
def test_bad_limits_are_refused(api, world, limits, message):
    problem, organizer, _leader = world
    response = take_code(api, problem, organizer, limits, inputs=None)
    assert response.status_code == 422
    assert message in response.get_json()["error"]["message"]


def test_a_problem_needs_hidden_inputs_before_it_takes_code(api, make):
    competition = make.competition()
    problem = make.problem(competition)
    response = take_code(api, problem, competition.roles[0].user, inputs=None)
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == "inputs"


def test_participants_never_get_the_hidden_inputs_or_the_settings(api, world):
    problem, _organizer, leader = world
    body = api.get(f"/problems/{problem.id}", as_=leader).get_data(as_text=True)
    assert "feature-value" not in body and "hidden_inputs" not in body
    assert take_code(api, problem, leader).status_code in (403, 404)


# Codabench-style: the sponsor's ingestion program imports the team's model module.
INGESTION = """
import importlib.util, os, sys
spec = importlib.util.spec_from_file_location("model", os.path.join(sys.argv[3], "model.py"))
model = importlib.util.module_from_spec(spec)
spec.loader.exec_module(model)
rows = open(os.path.join(sys.argv[1], "test.csv")).read().split()[1:]
with open(os.path.join(sys.argv[2], "predictions.csv"), "w") as out:
    out.write("id,label\\n")
    for row in rows:
        row_id = row.split(",")[0]
        out.write(f"{row_id},{model.predict(int(row_id))}\\n")
"""
MODEL = f"""
def predict(row_id):
    return "{SECRET}" if row_id % 2 else "plain"
"""


def test_a_sponsors_ingestion_program_runs_the_teams_model(api, world):
    problem, organizer, leader = world
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("ingestion.py", INGESTION)
        zf.writestr("metadata.yaml", "command: python $ingestion_program/ingestion.py $input "
                    "$output $submission_program\n")  # fmt: skip
    data = {"ingestion_program": (io.BytesIO(buffer.getvalue()), "ingestion.zip")}
    response = api.put(f"/problems/{problem.id}/code", as_=organizer, data=data)
    assert response.status_code == 200, response.text
    assert response.get_json()["ingestion_program"] is True
    team_zip = io.BytesIO()
    with zipfile.ZipFile(team_zip, "w") as zf:
        zf.writestr("model.py", MODEL)  # no metadata.yaml needed: the ingestion program runs
    submission = run(api, problem, leader, team_zip.getvalue())
    assert submission.status == Status.SCORED, submission.log
    assert submission.public_score == submission.private_score == 1.0
    removed = api.delete(f"/problems/{problem.id}/code/ingestion-program", as_=organizer)
    assert removed.get_json()["ingestion_program"] is False
