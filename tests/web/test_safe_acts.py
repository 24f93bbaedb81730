"""Replacing a solution and re-scoring ask first, with the counts the acts use; a re-score
that changes a team's public scores tells the team once, in its language."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa

from judge.audit.models import AuditEntry
from judge.core import orphans
from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.notifications.kinds import Kind
from judge.submissions import jobs
from judge.submissions.models import Status, Submission
from tests.notifications.helpers import set_locale, told
from tests.submissions.helpers import submit
from tests.web.conftest import SECRET_SOLUTION, blobs

FLIPPED = "id,label\n" + "".join(f"{i},secret-{(i + 1) % 2}\n" for i in range(1, 41))
WRONG = FLIPPED.encode()


def page_of(cast) -> str:
    return f"/c/{cast.competition.slug}/p/visible"


@pytest.fixture
def three(cast):
    """Two submissions of the participant's team (one right, one wrong), one of the rival's,
    scored by the worker's own path."""
    made = [submit(cast.problem, cast["participant"], SECRET_SOLUTION.encode()),
            submit(cast.problem, cast["participant"], WRONG),
            submit(cast.problem, cast["rival"], SECRET_SOLUTION.encode())]  # fmt: skip
    for submission in made:
        jobs.score_submission(submission.id, "test-worker")
    return [s.id for s in made]


def statuses(ids) -> list[Status]:
    db.session.expire_all()
    return [db.session.get(Submission, i).status for i in ids]


def upload(client, cast, text: str, name: str = "v2.csv"):
    data = {"solution": (io.BytesIO(text.encode()), name)}
    return client.post(f"{page_of(cast)}/solution", data=data)


def test_a_new_solution_waits_for_confirmation_then_rescores_and_tells_each_team_once(
    client, cast, as_role, login, three
):
    set_locale(cast["rival"], "ko")
    as_role("organizer")
    asked = upload(client, cast, FLIPPED)
    assert asked.headers["Location"].endswith("/p/visible/solution/confirm")
    page = client.get(asked.headers["Location"]).text
    assert "Current solution: solution.csv, 40 rows." in page
    assert "New solution: v2.csv, 40 rows" in page
    assert "3 scored or failed submissions will be re-scored" in page
    assert "Replace and re-score 3 submissions" in page and "Replace only" in page
    assert 'class="primary"' not in page.split("data-confirm")[1]
    assert cast.problem.solution.filename == "solution.csv"  # nothing changed yet
    assert statuses(three) == [Status.SCORED] * 3
    done = client.post(asked.headers["Location"], data={"choice": "rescore"},
                       follow_redirects=True)  # fmt: skip
    assert "The solution is replaced. 3 submissions are queued to be scored again." in done.text
    assert cast.problem.solution.filename == "v2.csv"
    assert statuses(three) == [Status.QUEUED] * 3
    actions = db.session.scalars(sa.select(AuditEntry.action)).all()
    assert "solution_replaced" in actions and "rescored" in actions
    for submission_id in three:
        jobs.score_submission(submission_id, "test-worker")
    db.session.expire_all()
    assert [db.session.get(Submission, i).public_score for i in three] == [0.0, 1.0, 0.0]
    (ours,) = told(cast["participant"], Kind.SCORE_CHANGED)  # two changed: told once
    (theirs,) = told(cast["rival"], Kind.SCORE_CHANGED)
    assert ours.key != theirs.key
    login(cast["participant"])
    listing = client.get("/notifications").text
    assert "A re-score of " in listing and "changed your team&#39;s scores" in listing
    login(cast["rival"])
    assert "재채점" in client.get("/notifications").text


def test_replace_only_keeps_the_scores_and_tells_nobody(client, cast, as_role, three):
    as_role("organizer")
    confirm = upload(client, cast, FLIPPED).headers["Location"]
    done = client.post(confirm, data={"choice": "only"}, follow_redirects=True)
    assert "The solution is replaced." in done.text and "queued" not in done.text
    assert cast.problem.solution.filename == "v2.csv"
    assert statuses(three) == [Status.SCORED] * 3
    assert told(cast["participant"], Kind.SCORE_CHANGED) == []
    again = client.get(confirm, follow_redirects=True).text  # the upload was used
    assert "No new solution waits for confirmation" in again


def test_a_newer_upload_takes_the_place_and_one_left_alone_is_swept(client, cast, as_role):
    as_role("organizer")
    before = blobs()
    upload(client, cast, FLIPPED, "first.csv")
    confirm = upload(client, cast, FLIPPED.replace("secret-0", "secret-9"), "second.csv")
    page = client.get(confirm.headers["Location"]).text
    assert "second.csv" in page and "first.csv" not in page
    assert "0 scored or failed submissions" in page and "Replace only" in page
    assert cast.problem.solution.filename == "solution.csv"
    assert len(blobs() - before) == 2  # kept aside, named by no row
    with unit_of_work():
        orphans.collect(utcnow() + timedelta(days=30), timedelta(hours=1))
    assert blobs() == before
    gone = client.post(confirm.headers["Location"], data={"choice": "only"},
                       follow_redirects=True)  # fmt: skip
    assert "no longer kept; please upload it again" in gone.text
    assert cast.problem.solution.filename == "solution.csv"


def test_once_revealed_a_new_solution_must_rescore(client, cast, as_role, three):
    with unit_of_work():
        cast.problem.revealed_at = utcnow()
    as_role("organizer")
    confirm = upload(client, cast, FLIPPED).headers["Location"]
    page = client.get(confirm).text
    assert "Replace and re-score 3 submissions" in page and "Replace only" not in page
    refused = client.post(confirm, data={"choice": "only"}, follow_redirects=True)
    assert cast.problem.solution.filename == "solution.csv"
    assert "Replace the solution of" in refused.text  # asked again, nothing done


def test_a_bad_upload_is_refused_on_the_manage_page_and_nothing_is_kept(client, cast, as_role):
    as_role("organizer")
    before = blobs()
    answer = upload(client, cast, "id,label\n1,a\n1,a\n")
    assert answer.status_code == 200 and "duplicated ids" in answer.text
    assert blobs() == before


def test_rescore_all_asks_with_the_count_first(client, cast, as_role, three):
    as_role("organizer")
    url = f"{page_of(cast)}/all-submissions/rescore"
    assert f'action="{url}"' in client.get(f"{page_of(cast)}/all-submissions").text
    page = client.get(url).text
    assert "3 submissions will be scored again." in page
    assert statuses(three) == [Status.SCORED] * 3
    done = client.post(url, follow_redirects=True)
    assert "3 submissions are queued to be scored again." in done.text
    assert statuses(three) == [Status.QUEUED] * 3


def test_the_reveal_asks_with_the_number_of_teams(client, cast, as_role, three):
    as_role("organizer")
    url = f"{page_of(cast)}/leaderboard/reveal"
    page = client.get(url).text
    assert "The private scores and ranks of 2 teams will be shown to everyone." in page
    db.session.expire_all()
    assert cast.problem.revealed_at is None
    client.post(url)
    db.session.expire_all()
    assert cast.problem.revealed_at is not None
