"""The three scoring modes (judge.problems.modes) as teams and organizers meet them: what
each one takes and how it refuses anything else, what the submit panel offers, what the API
says, and which of stage two's checks apply."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from judge.core.extensions import db
from judge.submissions.models import Submission
from tests.api.test_code_submissions import take_code
from tests.api.test_scoring_programs import SOLUTION, attach, program_zip


@dataclass(frozen=True)
class Expected:
    wrong_file: str  # an upload of a type the mode refuses
    refusal: str
    refusal_ko: str
    heading: str  # the submit panel's
    accept: str  # the file input's accept attribute
    scoring_program: bool  # the API's field
    stability: bool  # stage two's rank stability (bootstrap) applies
    reproduction: bool  # stage two re-runs the finalists' code


MODES = {
    "metric": Expected("model.zip", "Upload your predictions as a .csv file.",
                       "예측 결과를 .csv 파일로 올려 주세요.", "Submit predictions",
                       ".csv,.tsv,.txt", False, True, False),
    "program": Expected("notes.pdf", "Upload a .csv, .json or .zip file.",
                        ".csv, .json 또는 .zip 파일을 올리십시오.", "Submit predictions",
                        ".csv,.json,.jsonl,.tsv,.txt,.zip", True, False, False),
    "code": Expected("predictions.csv", "Upload your code as a .zip file with a metadata.yaml.",
                     "코드를 metadata.yaml이 든 .zip 파일로 올리십시오.", "Submit code",
                     ".zip", False, False, True),
}  # fmt: skip


@dataclass
class World:
    problem: object
    organizer: object
    leader: object
    expected: Expected


@pytest.fixture(params=list(MODES))
def world(request, make, api) -> World:
    competition = make.competition()
    problem = make.problem(competition, solution=SOLUTION, daily_limit=None)
    organizer, leader = competition.roles[0].user, make.user()
    make.team(competition, leader, name="Ours")
    if request.param == "program":
        assert attach(api, problem, organizer, program_zip()).status_code == 200
    if request.param == "code":
        assert take_code(api, problem, organizer, {"wall_seconds": 20}).status_code == 200
    db.session.refresh(problem)
    return World(problem, organizer, leader, MODES[request.param])


def _path(world: World, part: str = "") -> str:
    problem = world.problem
    return f"/c/{problem.competition.slug}{part}/p/{problem.slug}"


def test_an_upload_of_another_type_is_refused_in_both_languages(client, make, world):
    headers = {"Authorization": f"Bearer {make.token(world.leader)}"}
    for language, message in (("en", world.expected.refusal), ("ko", world.expected.refusal_ko)):
        data = {"file": (io.BytesIO(b"not for this problem"), world.expected.wrong_file)}
        response = client.post(f"/api/v1/problems/{world.problem.id}/submissions",
                               headers=headers | {"Accept-Language": language},
                               data=data)  # fmt: skip
        assert response.status_code == 422
        assert response.get_json()["error"]["message"] == message
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Submission)) == 0


def test_the_submit_panel_offers_what_the_mode_takes(client, login, world):
    login(world.leader)
    page = client.get(_path(world)).get_data(as_text=True)
    assert f'<h2 id="submit-title">{world.expected.heading}</h2>' in page
    assert f'accept="{world.expected.accept}"' in page


def test_the_api_tells_organizers_whether_a_program_scores(api, world):
    response = api.get(f"/problems/{world.problem.id}", as_=world.organizer)
    assert response.status_code == 200
    assert response.get_json()["scoring_program"] is world.expected.scoring_program


# A metric problem's bootstrap is queued and computed in tests/finals/test_bootstrap.py.
@pytest.mark.parametrize("world", [m for m, e in MODES.items() if not e.stability], indirect=True)
def test_rank_stability_is_refused_where_no_built_in_metric_ranks(client, login, world):
    login(world.organizer)
    page = client.post(_path(world, "/finals") + "/stability", follow_redirects=True)
    assert "Rank stability needs a problem scored by a built-in metric." in page.text


def test_only_code_finalists_are_re_run(client, login, world):
    login(world.organizer)
    console = client.get(f"/c/{world.problem.competition.slug}/finals").text
    assert ("Re-run the finalists' code" in console) is world.expected.reproduction
    page = client.post(_path(world, "/finals") + "/reproduce", follow_redirects=True).text
    assert ("Only code submissions can be re-run." in page) is not world.expected.reproduction
    assert ("0 re-runs are queued" in page) is world.expected.reproduction
