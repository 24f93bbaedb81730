"""Every file of the hostile corpus through the real path, with the outcome its sender sees.

The cases, and what each must produce, are listed in corpus/manifest.toml.
"""

from __future__ import annotations

import csv
import html
import io
import re
import tomllib
import unicodedata
from pathlib import Path

import pytest
import sqlalchemy as sa

from judge.core.extensions import db
from judge.submissions import jobs
from judge.submissions.models import Submission
from judge.teams import services as teams
from tests.hostile import generators
from tests.hostile.conftest import SECRETS
from tests.submissions.helpers import scored

CORPUS = Path(__file__).parent / "corpus"
CASES = tomllib.loads((CORPUS / "manifest.toml").read_text(encoding="utf-8"))["case"]
DEFAULT_NAMES = {"prediction": "predictions.csv", "prediction_web": "predictions.csv",
                 "solution": "solution.csv"}  # fmt: skip


def case_id(case: dict) -> str:
    source = case.get("file") or case.get("generator") or repr(case["text"])[:24]
    name = case.get("generator_name") or case.get("name")
    return f"{case['use']}:{source}" + (f":{name!r:.24}" if name else "")


def content(case: dict) -> bytes:
    if "file" in case:
        return (CORPUS / case["file"]).read_bytes()
    return getattr(generators, case["generator"])()


def text(case: dict) -> str:
    return case["text"] if "text" in case else getattr(generators, case["generator"])()


def filename(case: dict) -> str:
    if "generator_name" in case:
        return getattr(generators, case["generator_name"])()
    return case.get("name") or DEFAULT_NAMES.get(case["use"]) or case["file"]


def test_the_corpus_is_large_and_every_file_is_used():
    files = {p.name for p in CORPUS.iterdir()} - {"manifest.toml", ".gitattributes"}
    assert len(CASES) >= 40
    assert files == {case["file"] for case in CASES if "file" in case}
    for case in CASES:
        assert "generator" not in case or callable(getattr(generators, case["generator"]))


def check_safe(response) -> str:
    """No server error, no traceback, no hidden label; the body's text, unescaped."""
    assert response.status_code < 500, response.text[:500]
    body = html.unescape(response.get_data(as_text=True))
    assert "Traceback" not in body
    leaked = [secret for secret in SECRETS if secret in body]
    assert not leaked, leaked
    return body


def check_message(message: str, case: dict) -> None:
    for words in case.get("message", []):
        assert words in message, (words, message)
    hidden = [c for c in message if unicodedata.category(c) == "Cf"]
    assert not hidden, f"invisible characters in the message: {hidden!r}"


SHOWN = re.compile(r'<div class="flash [^"]*" role="status">(.*?)</div>'
                   r'|<p class="error" role="alert">(.*?)</p>', re.S)  # fmt: skip


def shown_messages(page: str) -> str:
    """The flashed messages and field errors of a page, as the person reads them."""
    return "\n".join(html.unescape(a or b) for a, b in SHOWN.findall(page))


def upload_prediction(api, world, case):
    data = {"file": (io.BytesIO(content(case)), filename(case)), "description": "hostile"}
    return api.post(f"/problems/{world.problem.id}/submissions", as_=world.leader, data=data)


def score_and_read(api, world, submission_id: int) -> dict:
    """Run the scoring job as the worker would (real engine, real sandbox), then read the
    submission as its team sees it over the API."""
    jobs.score_submission(submission_id, "hostile-test")
    response = api.get(f"/submissions/{submission_id}", as_=world.leader)
    check_safe(response)
    return response.json


def run_prediction(api, world, case):
    response = upload_prediction(api, world, case)
    body = check_safe(response)
    assert response.status_code == case["status"], body[:500]
    if response.status_code != 202:
        check_message(response.json["error"]["message"], case)
        return
    result = score_and_read(api, world, response.json["id"])
    assert result["status"] == case["outcome"], result
    if case["outcome"] == "failed":
        check_message(result["error_message"], case)
    else:
        assert result["public_score"] is not None
        assert len(result["filename"]) <= 255 and result["filename"].endswith(".csv")


def run_prediction_web(client, login, world, case):
    login(world.leader)
    address = f"/c/{world.competition.slug}/p/{world.problem.slug}"
    data = {"file": (io.BytesIO(content(case)), filename(case)), "description": "hostile"}
    response = client.post(f"{address}/submissions", data=data, follow_redirects=True)
    check_safe(response)
    assert response.status_code == case["status"]
    latest = db.session.scalar(sa.select(Submission.id).order_by(Submission.id.desc()))
    if "outcome" not in case:
        assert latest is None
        check_message(shown_messages(response.text), case)
        return
    jobs.score_submission(latest, "hostile-test")
    page = check_safe(client.get(address))
    submission = db.session.get(Submission, latest)
    assert submission.status.value == case["outcome"], submission.error_message
    if case["outcome"] == "failed":
        check_message(page, case)


def run_solution(api, world, case):
    data = {"solution": (io.BytesIO(content(case)), filename(case))}
    response = api.put(f"/problems/{world.problem.id}/solution", as_=world.organizer, data=data)
    assert response.status_code < 500 and "Traceback" not in response.text
    assert response.status_code == case["status"], response.text[:500]
    if response.status_code >= 400:
        check_message(response.json["error"]["message"], case)


def run_public_file(api, world, case):
    data = {"file": (io.BytesIO(content(case)), filename(case)), "description": ""}
    response = api.post(f"/problems/{world.problem.id}/files", as_=world.organizer, data=data)
    check_safe(response)
    assert response.status_code == case["status"], response.text[:500]
    if response.status_code >= 400:
        check_message(response.json["error"]["message"], case)
        return
    stored = response.json
    assert stored["size"] == len(content(case))  # kept as sent, never unpacked
    assert len(stored["filename"]) <= 255
    assert stored["filename"].rsplit(".", 1)[-1] == filename(case).rsplit(".", 1)[-1]


def create_team(api, make, world, name: str, division_id: int | None = None):
    user = make.user()
    make.accept_rules(world.competition, user)
    division_id = division_id or world.competition.divisions[0].id
    body = {"name": name, "division_id": division_id}
    return user, api.post(f"/competitions/{world.competition.slug}/teams", as_=user, json=body)


def run_team_name(api, make, world, case):
    _user, response = create_team(api, make, world, text(case))
    check_safe(response)
    assert response.status_code == case["status"], response.text[:500]
    if response.status_code >= 400:
        check_message(response.json["error"]["message"], case)


def run_team_name_web(client, login, make, world, case):
    user = make.user()
    make.accept_rules(world.competition, user)
    login(user)
    form = {"name": text(case), "division_id": world.competition.divisions[0].id}
    response = client.post(f"/c/{world.competition.slug}/team/create", data=form,
                           follow_redirects=True)  # fmt: skip
    check_safe(response)
    assert response.status_code == case["status"]
    check_message(shown_messages(response.text), case)
    assert teams.team_of(user, world.competition) is None


def exported_cells(api, world, column: str) -> list[str]:
    response = api.get(f"/problems/{world.problem.id}/leaderboard.csv", as_=world.organizer)
    assert response.status_code == 200
    return [row[column] for row in csv.DictReader(io.StringIO(response.text))]


def run_team_name_export(api, make, world, case):
    user, response = create_team(api, make, world, text(case))
    assert response.status_code == 201, response.text
    scored(world.problem, user, 0.5, 0.5)
    cells = exported_cells(api, world, "team")
    assert any(cell.startswith(tuple(case["message"])) for cell in cells), cells


def run_division_export(api, make, world, case):
    slug = world.competition.slug
    response = api.post(f"/competitions/{slug}/divisions", as_=world.organizer,
                        json={"name": text(case)})  # fmt: skip
    assert response.status_code == 201, response.text
    user, created = create_team(api, make, world, "Division Test", response.json["id"])
    assert created.status_code == 201, created.text
    scored(world.problem, user, 0.5, 0.5)
    cells = exported_cells(api, world, "division")
    assert any(cell.startswith(tuple(case["message"])) for cell in cells), cells


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_hostile_input_gets_a_clear_answer(app, api, client, login, make, world, case):
    app.config.update(case.get("config", {}))
    use = case["use"]
    if use == "prediction":
        run_prediction(api, world, case)
    elif use == "prediction_web":
        run_prediction_web(client, login, world, case)
    elif use == "solution":
        run_solution(api, world, case)
    elif use == "public_file":
        run_public_file(api, world, case)
    elif use == "team_name":
        run_team_name(api, make, world, case)
    elif use == "team_name_web":
        run_team_name_web(client, login, make, world, case)
    elif use == "team_name_export":
        run_team_name_export(api, make, world, case)
    elif use == "division_export":
        run_division_export(api, make, world, case)
    else:
        pytest.fail(f"unknown use {use!r}")
