"""Organizers and sponsors put a scoring program on a problem from its manage page."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest

from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.problems.models import Problem
from tests.api.test_scoring_programs import program_zip
from tests.web.conftest import blobs

URL = "/c/{slug}/p/visible"


def manage(cast) -> str:
    return URL.format(slug=cast.competition.slug) + "/manage"


def upload(client, cast, columns: str, content: bytes | None = None, name="scorer.zip"):
    data = {"program": (io.BytesIO(content or program_zip()), name), "columns": columns}
    return client.post(URL.format(slug=cast.competition.slug) + "/program", data=data,
                       follow_redirects=True)  # fmt: skip


def visible(cast) -> Problem:
    problem = db.session.scalar(db.select(Problem).filter_by(slug="visible"))
    db.session.refresh(problem)
    return problem


@pytest.mark.parametrize("role", ["organizer", "sponsor"])
def test_a_manager_attaches_a_program_with_columns_and_can_go_back(client, cast, as_role, role):
    with unit_of_work():  # in setup (not open yet), when the sponsor may still change scoring
        cast.problem.opens_at = utcnow() + timedelta(days=1)
    as_role(role)
    page = upload(client, cast, "dice, Dice, higher, 3\nseconds, Run time, lower, 1\n").text
    assert "The scoring program is in place" in page
    assert "Run time" in page and "lower is better" in page
    problem = visible(cast)
    assert problem.score_columns[1] == {"key": "seconds", "label": "Run time",
                                        "higher_is_better": False, "precision": 1}  # fmt: skip
    page = client.post(URL.format(slug=cast.competition.slug) + "/program/remove",
                       follow_redirects=True).text  # fmt: skip
    assert "scored by the built-in metric again" in page
    assert visible(cast).scoring_program_key is None


@pytest.mark.parametrize(("columns", "content", "message"), [
    ("dice, Dice, sideways, 3", None, "Line 1: the direction must be “higher” or “lower”."),
    ("", None, "Give at least one leaderboard column"),
    ("dice", b"PK\x03\x04 not really", "The program is not a readable zip file."),
])  # fmt: skip
def test_bad_uploads_explain_and_keep_nothing(client, cast, as_role, columns, content, message):
    as_role("organizer")
    before = blobs()
    page = upload(client, cast, columns, content).text
    assert message in page
    assert visible(cast).scoring_program_key is None
    assert blobs() == before


@pytest.mark.parametrize("role", ["participant", "judge", "other_sponsor"])
def test_others_cannot_attach_a_program(client, cast, as_role, role):
    as_role(role)
    data = {"columns": "x", "program": (io.BytesIO(program_zip()), "p.zip")}
    response = client.post(URL.format(slug=cast.competition.slug) + "/program", data=data)
    assert response.status_code in (403, 404)
    assert visible(cast).scoring_program_key is None


def code_form(**changes: str) -> dict:
    limits = {"cpu_seconds": "60", "wall_seconds": "120", "memory_mb": "2048",
              "output_mb": "64", "disk_mb": "512"}  # fmt: skip
    return {"inputs": (io.BytesIO(b"id,x\n1,2\n"), "test.csv"), **limits, **changes}


def test_a_manager_switches_a_problem_to_code_and_teams_see_it(client, cast, as_role, login):
    as_role("organizer")
    data = code_form(cpu_seconds="60")
    page = client.post(URL.format(slug=cast.competition.slug) + "/code", data=data,
                       follow_redirects=True).text  # fmt: skip
    assert "Teams now submit code" in page
    problem = visible(cast)
    assert problem.mode.accepts_code and problem.code_limits["wall_seconds"] == 120
    as_role("participant")
    page = client.get(URL.format(slug=cast.competition.slug)).text
    assert "Submit code" in page and 'accept=".zip"' in page
    assert "id,x" not in page


def test_code_limits_out_of_range_are_refused_on_the_form(client, cast, as_role):
    as_role("organizer")
    data = code_form(cpu_seconds="0")
    page = client.post(URL.format(slug=cast.competition.slug) + "/code", data=data).text
    assert 'class="field has-error"' in page
    assert not visible(cast).mode.accepts_code


def test_once_submissions_open_only_organizers_change_the_program(client, cast, as_role):
    as_role("sponsor")
    page = upload(client, cast, "dice, Dice, higher, 3").text
    assert "only the competition&#39;s organizers may change “program” now" in page
    assert visible(cast).scoring_program_key is None


def test_a_manager_sets_validation_inputs_on_the_code_form(client, cast, as_role):
    as_role("organizer")
    data = code_form(validation_daily_limit="4")
    data["validation_inputs"] = (io.BytesIO(b"id,x\n1,public\n"), "test.csv")
    page = client.post(URL.format(slug=cast.competition.slug) + "/code", data=data,
                       follow_redirects=True).text  # fmt: skip
    assert "Teams may run their code on the validation inputs (test.csv)" in page
    assert "4 times a day" in page
    problem = visible(cast)
    assert problem.takes_validation_runs and problem.validation_daily_limit == 4
    page = client.get(f"/c/{cast.competition.slug}/audit").text
    assert "Validation inputs set" in page
