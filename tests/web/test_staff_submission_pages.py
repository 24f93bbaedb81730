"""Organizers and the sponsor see every team's submissions, their logs, and re-score them."""

from __future__ import annotations

import pytest

from judge.core.extensions import db
from judge.submissions import jobs
from judge.submissions.models import Status, Submission
from tests.submissions.helpers import submit
from tests.web.conftest import SECRET_SOLUTION


def base(cast) -> str:
    return f"/c/{cast.competition.slug}/p/visible/all-submissions"


@pytest.fixture
def scored_one(cast):
    submission = submit(cast.problem, cast.people["participant"], SECRET_SOLUTION.encode())
    jobs.score_submission(submission.id, "test-worker")
    return submission


@pytest.mark.parametrize("role", ["organizer", "sponsor"])
def test_managers_see_all_submissions_and_the_log(client, cast, as_role, scored_one, role):
    as_role(role)
    page = client.get(base(cast)).text
    assert cast.team.name in page and "Re-score" in page
    page = client.get(f"{base(cast)}/{scored_one.id}").text
    assert "Scoring log" in page and "exit=0" in page


@pytest.mark.parametrize("role", ["participant", "rival", "judge", "other_sponsor", "anonymous"])
def test_nobody_else_sees_them(client, cast, as_role, scored_one, role):
    as_role(role)
    for url in (base(cast), f"{base(cast)}/{scored_one.id}"):
        response = client.get(url)
        assert response.status_code in (302, 403, 404)
        assert b"Scoring log" not in response.data and b"secret-" not in response.data
    response = client.post(f"{base(cast)}/{scored_one.id}/rescore")
    assert response.status_code in (302, 403, 404)
    db.session.expire_all()
    assert db.session.get(Submission, scored_one.id).status == Status.SCORED


def test_rescore_from_the_page_queues_it_and_keeps_history(client, cast, as_role, scored_one):
    as_role("organizer")
    page = client.post(f"{base(cast)}/{scored_one.id}/rescore", follow_redirects=True).text
    assert f"Submission {scored_one.id} is queued to be scored again." in page
    jobs.score_submission(scored_one.id, "test-worker")
    page = client.get(f"{base(cast)}/{scored_one.id}").text
    assert "Earlier scores" in page
    page = client.post(f"{base(cast)}/rescore", follow_redirects=True).text
    assert "1 submission is queued to be scored again." in page
