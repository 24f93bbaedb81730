"""A draft competition, or a draft problem, does not exist for anyone but its staff, on every
channel: its pages, the problem-by-id API answers, the CSV and certificate downloads, the
participant export, the publish confirm page. Each answers exactly as an address that names
nothing does (status code and message), so a guessed slug or id tells nothing."""

from __future__ import annotations

import re

import pytest

from judge.competitions.models import CompetitionState
from judge.core.db import unit_of_work
from tests.submissions.helpers import submit


def _channels(slug: str, problem) -> list[tuple[str, str]]:
    one = f"/api/v1/problems/{problem.id}"
    page = f"/c/{slug}/p/{problem.slug}"
    return [
        ("GET", f"{one}/submissions"), ("GET", f"{one}/quota"), ("GET", f"{one}/files"),
        ("GET", f"{one}/validation-runs"), ("GET", f"{one}/leaderboard.csv"),
        ("POST", f"{one}/submissions"), ("POST", f"{one}/submit-for-review"),
        ("GET", f"/api/v1/competitions/{slug}/my-team"),
        ("POST", f"/api/v1/competitions/{slug}/teams/join"),
        ("GET", f"{page}/leaderboard.csv"), ("GET", f"{page}/dashboard"),
        ("GET", f"{page}/solution/confirm"), ("GET", f"/c/{slug}/results/certificates.zip"),
        ("GET", f"/c/{slug}/participants.csv"), ("GET", f"/c/{slug}/manage/publish"),
        ("GET", f"/c/{slug}/audit"),
    ]  # fmt: skip


def _tokenless(page: str) -> str:
    """The page without its CSRF tokens, which carry the second they were signed in."""
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token"', page)


def _ask(client, make, user, method: str, path: str):
    headers = {"Accept-Language": "en"}
    if user is not None and path.startswith("/api/"):
        headers["Authorization"] = f"Bearer {make.token(user)}"
    return client.open(path, method=method, headers=headers)


@pytest.mark.parametrize("role", ["anonymous", "outsider", "participant"])
def test_a_draft_answers_as_nothing_does_on_every_channel(client, make, cast, as_role, role):
    with unit_of_work():
        cast.competition.state = CompetitionState.DRAFT
    user = as_role(role)
    slug, problem = cast.competition.slug, cast.problem
    for method, path in _channels(slug, problem):
        draft = _ask(client, make, user, method, path)
        assert draft.status_code in (401, 404), (method, path, draft.status_code)
        missing = path.replace(slug, "no-such-slug").replace(f"/{problem.id}", "/987654")
        nothing = _ask(client, make, user, method, missing)
        assert draft.status_code == nothing.status_code, path
        if draft.is_json:
            assert draft.json["error"] == nothing.json["error"], path
        assert cast.competition.title not in draft.text and problem.title not in draft.text


@pytest.mark.parametrize("role", ["outsider", "participant", "other_sponsor"])
def test_a_draft_problem_answers_as_a_missing_one(client, make, cast, as_role, role):
    user = as_role(role)
    slug, draft = cast.competition.slug, cast.draft
    for page in ("", "/leaderboard", "/manage", "/all-submissions", "/dashboard"):
        hidden = client.get(f"/c/{slug}/p/{draft.slug}{page}")
        missing = client.get(f"/c/{slug}/p/no-such-problem{page}")
        same = hidden.text.replace(draft.slug, "no-such-problem")  # the language form's "next"
        assert (hidden.status_code, _tokenless(same)) == (404, _tokenless(missing.text)), page
    for api in ("", "/files", "/submissions", "/leaderboard"):
        hidden = _ask(client, make, user, "GET", f"/api/v1/problems/{draft.id}{api}")
        missing = _ask(client, make, user, "GET", f"/api/v1/problems/987654{api}")
        assert (hidden.status_code, hidden.json) == (404, missing.json), api


def test_another_teams_submission_answers_as_a_missing_one(client, make, cast):
    rival = cast["rival"]
    theirs = submit(cast.problem, cast["participant"])
    for path in ("/api/v1/submissions/{}", "/api/v1/submissions/{}/log",
                 "/api/v1/validation-runs/{}"):  # fmt: skip
        hidden = _ask(client, make, rival, "GET", path.format(theirs.id))
        missing = _ask(client, make, rival, "GET", path.format(987654))
        assert (hidden.status_code, hidden.json) == (404, missing.json), path
