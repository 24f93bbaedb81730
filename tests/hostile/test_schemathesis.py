"""schemathesis against /api/v1/openapi.json: no server error, answers as documented.

The app runs in-process (WSGI) on a seeded competition: a published problem with a
public file, a team with a scored submission. Each operation gets generated requests
twice over: with generated path parameters (mostly unknown ids) and with the seeded
ones, so that the handlers behind the 404s run too. Requests carry the bearer token of
an administrator or of a participant. Examples are derandomized: every run sends the
same requests, so a failure is reproducible.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from judge import create_app
from judge.competitions.models import Role
from tests.submissions.helpers import scored

EXAMPLES = 20
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]  # fmt: skip


@pytest.fixture
def seeded(app, make) -> dict:
    """Path parameters that exist, and the tokens requests are sent with."""
    admin = make.user(admin=True)
    competition = make.competition(organizer=admin)
    problem = make.problem(competition, daily_limit=None)
    leader = make.user()
    team = make.team(competition, leader, name="Seeded Team")
    submission = scored(problem, leader, 0.5, 0.25)
    sponsor_member = make.user()
    make.sponsor_member(competition, sponsor_member)
    make.role(competition, make.user(), Role.JUDGE)
    params = {
        "slug": competition.slug,
        "problem_id": problem.id,
        "file_id": problem.files[0].id,
        "submission_id": submission.id,
        "team_id": team.id,
        "sponsor_id": competition.sponsors[0].id,
        "role_id": competition.roles[-1].id,
    }
    tokens = [make.token(admin), make.token(leader)]
    return {"params": params, "tokens": tokens}


def _documented_operations() -> list[str]:
    """Every operation's label (``GET /api/v1/…``), read from a bare app's document."""
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    paths = app.test_client().get("/api/v1/openapi.json").get_json()["paths"]
    return [f"{method.upper()} {path}" for path, item in paths.items() for method in item
            if method != "parameters"]  # fmt: skip


OPERATIONS = _documented_operations()


def strategy(operation, params: dict):
    generated = operation.as_strategy()
    names = [p.name for p in operation.path_parameters]
    if not names or not all(name in params for name in names):
        return generated
    known = {name: params[name] for name in names}
    return st.one_of(generated, operation.as_strategy(path_parameters=known))


def test_the_whole_api_is_exercised():
    assert len(OPERATIONS) >= 30


@pytest.mark.parametrize("label", OPERATIONS)
def test_no_server_error_and_answers_as_documented(app, seeded, label):
    """Each operation on a freshly seeded database, so that one that deletes or hides
    something (leaving a team, unpublishing) does not starve the others."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    method, path = label.split(" ", 1)
    operation = schema[path][method]

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(case=strategy(operation, seeded["params"]), token=st.sampled_from(seeded["tokens"]))
    def run(case, token):
        response = case.call(headers={"Authorization": f"Bearer {token}"})
        case.validate_response(response, checks=CHECKS)

    run()
