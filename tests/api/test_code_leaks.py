"""An outside probe of a code problem, from the attacker's side: every channel a team's
program controls (what it prints, the values and names it writes, its run time) must carry
nothing of the hidden test inputs back to the team. Organizers keep the full log."""

from __future__ import annotations

import base64
import io

import pytest

from judge.core.extensions import db
from judge.submissions.models import Status, Submission
from tests.api.test_code_submissions import INPUTS, SOLUTION, code_zip, run, take_code
from tests.api.test_scoring_programs import attach, program_zip

HIDDEN_ROWS = INPUTS.splitlines()[1:]  # "1,feature-value-0001", …


def encodings(row: str) -> list[str]:
    """What the probe makes of a hidden row: the value itself, reversed, and base64."""
    value = row.split(",")[1]
    return [value, value[::-1], base64.b64encode(row.encode()).decode()[:16]]


FORBIDDEN = [text for row in HIDDEN_ROWS for text in encodings(row)]

# The demo probe: every hidden row with a prefix, reversed and in base64; then exit 3.
PROBE = """
import base64, os, sys
for line in open(os.path.join(sys.argv[1], "test.csv")).read().splitlines()[1:]:
    print("~" + line.replace(",", ",~"))
    print(line[::-1])
    print(base64.b64encode(line.encode()).decode())
    sys.stderr.write("cannot parse " + line.split(",")[1] + "\\n")
sys.exit(3)
"""


def leaks(text: str) -> list[str]:
    return [hidden for hidden in FORBIDDEN if hidden in text]


@pytest.fixture
def world(make, api):
    competition = make.competition()
    problem = make.problem(competition, solution=SOLUTION, daily_limit=None)
    organizer, leader = competition.roles[0].user, make.user()
    make.team(competition, leader, name="Probers")
    assert (
        take_code(api, problem, organizer, {"wall_seconds": 20, "cpu_seconds": 20}).status_code
        == 200
    )
    return problem, organizer, leader


def team_views(api, client, login, problem, leader, submission) -> dict[str, str]:
    """Everything the team can read about its submission: API, list, web page, live status."""
    slug, pslug = problem.competition.slug, problem.slug
    views = {
        "api submission": api.get(f"/submissions/{submission.id}", as_=leader).text,
        "api list": api.get(f"/problems/{problem.id}/submissions", as_=leader).text,
    }
    login(leader)
    views["problem page"] = client.get(f"/c/{slug}/p/{pslug}").text
    views["live status"] = client.get(
        f"/c/{slug}/p/{pslug}/submissions/{submission.id}/status",
        headers={"X-Requested-With": "XMLHttpRequest"},
    ).text
    return views


CRASHED = (
    "Your program failed: it did not exit with status 0. On the hidden inputs its exit status "
    "is shown to the organizers only; a validation run shows it."
)


def test_the_probe_sees_only_that_it_failed(api, client, login, world):
    problem, organizer, leader = world
    submission = run(api, problem, leader, code_zip(PROBE))
    assert submission.status == Status.FAILED
    assert submission.error_message == CRASHED
    for name, text in team_views(api, client, login, problem, leader, submission).items():
        assert "Your program failed: it did not exit with status 0." in text, name
        assert "exit status 3" not in text, name
        assert leaks(text) == [], name
    assert "~1,~feature-value-0001" in submission.log  # the organizers keep the full log
    assert "exit status 3" in submission.log
    client.get("/logout")
    login(organizer)
    log_page = client.get(f"/c/{problem.competition.slug}/p/{problem.slug}/all-submissions/"
                          f"{submission.id}").text  # fmt: skip
    assert "~1,~feature-value-0001" in log_page


def test_an_exit_status_chosen_from_the_hidden_inputs_reaches_nobody_but_the_organizers(api, world):
    """The probe exited with int(bmi * 1000) % 256: eight bits of a hidden value a run."""
    problem, _organizer, leader = world
    spelling = (
        "import os, sys\nrow = open(os.path.join(sys.argv[1], 'test.csv')).read()"
        ".splitlines()[1]\nsys.exit(len(row) % 250 + 2)\n"
    )
    submission = run(api, problem, leader, code_zip(spelling))
    assert submission.error_message == CRASHED
    assert "exit status" in submission.log


def test_a_limit_is_named_with_its_value_and_nothing_printed(api, world):
    problem, organizer, leader = world
    take_code(api, problem, organizer, {"wall_seconds": 2, "cpu_seconds": 20}, inputs=None)
    printer = PROBE.replace("sys.exit(3)", "import time\ntime.sleep(60)")
    submission = run(api, problem, leader, code_zip(printer))
    assert submission.error_message == "Your program ran longer than the time limit (2 s)."
    assert leaks(api.get(f"/submissions/{submission.id}", as_=leader).text) == []


# Writes its predictions from the hidden rows: ids and a header taken from them.
SMUGGLE_IDS = """
import os, sys
rows = open(os.path.join(sys.argv[1], "test.csv")).read().splitlines()[1:]
with open(os.path.join(sys.argv[2], "predictions.csv"), "w") as out:
    out.write("id,label\\n")
    for row in rows:
        out.write(row.split(",")[1] + ",plain\\n")
"""
SMUGGLE_HEADER = """
import os, sys
rows = open(os.path.join(sys.argv[1], "test.csv")).read().splitlines()[1:]
with open(os.path.join(sys.argv[2], "predictions.csv"), "w") as out:
    out.write("id,label," + ",".join(row.split(",")[1] for row in rows[:8]) + "\\n")
    out.write("1,plain" + ",x" * 8 + "\\n")
"""
SMUGGLE_MISSING = """
import os, sys
with open(os.path.join(sys.argv[2], "predictions.csv"), "w") as out:
    out.write("id,label\\n1,plain\\n")
"""


WITHHELD = (
    "What your program wrote did not pass the checks of a submission. On the hidden inputs the "
    "details are shown to the organizers only (the lines and counts they name could carry what "
    "your program read); a validation run on the public inputs shows them."
)
# Counts and lines the program chooses spell what it read: the outside probe wrote
# age0 * 1000 + age1 unknown ids and read "66051 ids are not in the test set".
SMUGGLE_COUNT = """
import os, sys
rows = open(os.path.join(sys.argv[1], "test.csv")).read().splitlines()[1:]
value = len(rows[0].split(",")[1])  # something only the hidden inputs know
with open(os.path.join(sys.argv[2], "predictions.csv"), "w") as out:
    out.write("id,label\\n")
    for i in range(1, 41):
        out.write(f"{i},plain\\n")
    for i in range(value * 7):
        out.write(f"zz{i},plain\\n")
"""
SMUGGLE_LINE = """
import os, sys
rows = open(os.path.join(sys.argv[1], "test.csv")).read().splitlines()[1:]
spoiled = len(rows[0]) % 37
with open(os.path.join(sys.argv[2], "predictions.csv"), "w") as out:
    out.write("id,label\\n")
    for i in range(1, 41):
        out.write(f"{1 if i == spoiled else i},plain\\n")  # a repeated id at a chosen line
"""


@pytest.mark.parametrize(("program", "detail"), [
    (SMUGGLE_IDS, "40 ids are not in the test set (first at line 2)."),
    (SMUGGLE_HEADER, "The file has 8 columns that are not expected (first at column 3)."),
    (SMUGGLE_MISSING, "39 test ids have no prediction."),
    (SMUGGLE_COUNT, "ids are not in the test set"),
    (SMUGGLE_LINE, "first at line"),
])  # fmt: skip
def test_what_the_program_wrote_is_judged_for_the_team_without_a_number(
    api, world, program, detail
):
    problem, _organizer, leader = world
    submission = run(api, problem, leader, code_zip(program))
    assert submission.status == Status.FAILED
    assert submission.error_message == WITHHELD
    assert not any(ch.isdigit() for ch in submission.error_message)
    mine = api.get(f"/submissions/{submission.id}", as_=leader).get_json()
    assert leaks(str(mine)) == [] and detail not in str(mine)
    assert detail in submission.log  # the organizers see why


NUMBERS = "id,target\n" + "".join(f"{i},{i / 7:.5f}\n" for i in range(1, 41))
SMUGGLE_VALUES = """
import os, sys
rows = open(os.path.join(sys.argv[1], "test.csv")).read().splitlines()[1:]
with open(os.path.join(sys.argv[2], "predictions.csv"), "w") as out:
    out.write("id,target\\n")
    for row in rows:
        out.write(row.split(",")[0] + "," + row.split(",")[1] + "\\n")
"""


def test_a_value_that_is_not_a_number_is_named_to_the_organizers_only(make, api):
    competition = make.competition()
    problem = make.problem(competition, solution=NUMBERS, metric="rmse", daily_limit=None)
    organizer, leader = competition.roles[0].user, make.user()
    make.team(competition, leader)
    assert take_code(api, problem, organizer, {"wall_seconds": 20}).status_code == 200
    submission = run(api, problem, leader, code_zip(SMUGGLE_VALUES))
    assert submission.error_message == WITHHELD
    assert "In column 'target', 40 values are not numbers (first at line 2)." in submission.log


def test_the_names_of_written_files_are_not_shown(api, world):
    problem, _organizer, leader = world
    naming = (
        "import os, sys\nrow = open(os.path.join(sys.argv[1], 'test.csv')).read()"
        ".splitlines()[1]\nopen(os.path.join(sys.argv[2], '..\\\\' + row), 'w').close()\n"
    )
    submission = run(api, problem, leader, code_zip(naming))
    assert submission.status == Status.FAILED
    assert submission.error_message == (
        "Your program wrote a file whose name is not allowed; use relative names without “..”."
    )


# A sponsor's program that reports what it could not read, quoting the team's output.
ECHO_SCORER = """
import os, sys
res = open(os.path.join(sys.argv[1], "res", "predictions.csv")).read()
open(os.path.join(sys.argv[2], "scores.txt"), "w").write("\\n".join(res.splitlines()[1:]))
"""


def test_a_scoring_programs_message_does_not_quote_the_teams_output(api, world):
    problem, organizer, leader = world
    assert attach(api, problem, organizer, program_zip(code=ECHO_SCORER),
                  columns=[{"key": "matches"}]).status_code == 200  # fmt: skip
    submission = run(api, problem, leader, code_zip(SMUGGLE_IDS))
    assert submission.status == Status.FAILED
    assert leaks(submission.error_message) == [], submission.error_message
    assert "feature-value-0001" in submission.log


def test_the_team_sees_no_run_time_of_a_run_on_hidden_data(api, world):
    problem, organizer, leader = world
    sleeper = "import sys, time\ntime.sleep(1.5)\nsys.exit(3)\n"
    submission = run(api, problem, leader, code_zip(sleeper))
    assert submission.run_seconds >= 1.5  # the organizers' figure
    mine = api.get(f"/submissions/{submission.id}", as_=leader).get_json()
    assert mine["started_at"] is None and mine["finished_at"] is None
    listed = api.get(f"/problems/{problem.id}/submissions", as_=leader).get_json()
    assert {(s["started_at"], s["finished_at"]) for s in listed} == {(None, None)}
    managed = api.get(f"/problems/{problem.id}/all-submissions", as_=organizer).get_json()
    assert [s["finished_at"] is not None for s in managed] == [True]


def test_a_failed_run_counts_beyond_a_small_stated_allowance(api, client, login, world):
    problem, organizer, leader = world
    refused = api.patch(f"/problems/{problem.id}", as_=organizer, json={"failed_daily_limit": 50})
    assert refused.status_code == 422
    assert refused.get_json()["error"]["message"] == (
        "On a problem that takes code, at most 3 failed runs a day can be given back."
    )
    api.patch(f"/problems/{problem.id}", as_=organizer,
              json={"daily_limit": 2, "failed_daily_limit": 1})  # fmt: skip
    failing = code_zip("import sys\nsys.exit(3)\n")
    counted = [run(api, problem, leader, failing).counted for _ in range(3)]
    assert counted == [False, True, True]
    response = api.post(f"/problems/{problem.id}/submissions", as_=leader,
                        data={"file": (io.BytesIO(failing), "code.zip")})  # fmt: skip
    assert response.status_code == 429
    login(leader)
    page = client.get(f"/c/{problem.competition.slug}/p/{problem.slug}").text
    assert "A run that fails gives its submission back, up to 1 a day" in page
    db.session.expire_all()
    assert db.session.query(Submission).count() == 3
