"""Submitting predictions on the problem page, the team's own list, live status, finals."""

from __future__ import annotations

import io
import itertools
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from babel.dates import format_date

from judge.core import storage
from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.submissions import lifecycle, quota
from judge.submissions import services as submissions
from judge.submissions.models import FailureKind, Status, Submission
from tests.web.conftest import blobs, count

XHR = {"X-Requested-With": "XMLHttpRequest", "Accept": "application/json"}
_contents = itertools.count(1)


def url(cast, problem=None) -> str:
    return f"/c/{cast.competition.slug}/p/{(problem or cast.problem).slug}"


def upload(client, address: str, name="predictions.csv", content=None, xhr=False, **options):
    content = content if content is not None else f"id,label\n{next(_contents)},1\n".encode()
    data = {"file": (io.BytesIO(content), name), "description": "gradient boosting"}
    return client.post(f"{address}/submissions", data=data, headers=XHR if xhr else {}, **options)


def submit_file(problem, user) -> Submission:
    """A queued submission made through the service, as the page would."""
    content = f"id,label\n{next(_contents)},0\n".encode()
    with unit_of_work(), storage.staged(io.BytesIO(content), 10**6, "test") as staged:
        return submissions.submit(problem, user, staged, "predictions.csv", "", utcnow())


def scored(problem, user, public: float, private: float) -> Submission:
    """A submission scored as a worker would score it."""
    submission = submit_file(problem, user)
    with unit_of_work():
        attempt = lifecycle.claim(submission.id, utcnow(), timedelta(minutes=5), "test-worker")
        lifecycle.record_scores(submission, attempt, public, private, "log", utcnow())
    return submission


def reset_text(problem) -> str:
    tz = problem.competition.timezone
    at = quota.next_reset(utcnow(), tz).astimezone(ZoneInfo(tz))  # local midnight
    return f"{format_date(at, 'medium', locale='en')}, 12:00\u202fAM {at.tzname()}"


# --- submitting through the page --------------------------------------------------------


def test_participant_sees_the_form_and_their_limits(client, cast, as_role):
    as_role("participant")
    page = client.get(url(cast)).text
    assert "data-submit-form" in page and 'enctype="multipart/form-data"' in page
    assert "<progress" in page and "submit.js" in page
    assert "5 of 5" in page
    assert reset_text(cast.problem) in page
    assert "3 more today" in page  # failed uploads that won't count


def test_submitting_creates_a_queued_submission_and_uses_one_of_the_day(client, cast, as_role):
    as_role("participant")
    response = upload(client, url(cast), name="첫제출.csv")
    assert response.status_code == 302
    assert response.location.endswith(f"{url(cast)}#my-submissions")
    page = client.get(url(cast)).text
    assert "Your file is uploaded and waits to be scored." in page
    assert "4 of 5" in page
    assert "첫제출.csv" in page and "gradient boosting" in page
    assert 'class="badge status-queued"' in page
    submission = db.session.scalars(sa.select(Submission)).one()
    assert submission.status == Status.QUEUED and submission.team_id == cast.team.id


def test_the_queue_hears_of_a_submission_only_after_its_commit(client, cast, as_role, monkeypatch):
    seen = []

    def send(task, *args):
        with db.engine.connect() as other:  # a worker's view: only committed rows
            rows = other.execute(sa.select(Submission.status)).all()
        seen.append((task.name, args, rows))
        return True

    monkeypatch.setattr("judge.core.queue.send", send)
    as_role("participant")
    assert upload(client, url(cast), xhr=True).status_code == 202
    assert seen == [("judge.score_next", (), [(Status.QUEUED,)])]


def test_script_upload_answers_202_with_a_status_url(client, cast, as_role):
    as_role("participant")
    response = upload(client, url(cast), xhr=True)
    assert response.status_code == 202
    body = response.get_json()
    assert body["status"] == "queued"
    assert body["status_url"] == f"{url(cast)}/submissions/{body['id']}/status"
    assert f'id="submission-{body["id"]}"' in body["row_html"]
    assert "4 of 5" in body["quota_html"]
    status = client.get(body["status_url"], headers=XHR)
    assert status.status_code == 200
    assert status.get_json()["id"] == body["id"] and status.get_json()["finished"] is False


def test_over_the_daily_limit_answers_429_with_the_reset_time(client, cast, as_role, make):
    problem = make.problem(cast.competition, slug="once", daily_limit=1)
    as_role("participant")
    assert upload(client, url(cast, problem), xhr=True).status_code == 202
    before = blobs()
    response = upload(client, url(cast, problem), xhr=True, content=b"id,label\n77,1\n")
    assert response.status_code == 429
    error = response.get_json()["error"]
    assert error["code"] == "limit_reached"
    assert "used today's 1 submissions" in error["message"]
    assert reset_text(problem) in error["message"]
    assert count(Submission) == 1
    assert blobs() == before
    assert "0 of 1" in client.get(url(cast, problem)).text


def test_over_the_limit_without_script_shows_the_message(client, cast, as_role, make):
    problem = make.problem(cast.competition, slug="once", daily_limit=1)
    as_role("participant")
    upload(client, url(cast, problem))
    page = upload(client, url(cast, problem), follow_redirects=True).text
    assert "The count resets at" in page and reset_text(problem) in page
    assert count(Submission) == 1


@pytest.mark.parametrize("role", ["outsider", "judge", "sponsor", "organizer"])
def test_people_without_a_team_see_no_form_and_cannot_submit(client, cast, as_role, role):
    as_role(role)
    page = client.get(url(cast)).text
    assert "data-submit-form" not in page and 'name="file"' not in page
    response = upload(client, url(cast), xhr=True)
    assert response.status_code == 403
    assert "Join or create a team" in response.get_json()["error"]["message"]
    assert count(Submission) == 0


def test_outsider_is_pointed_to_the_team_page(client, cast, as_role):
    as_role("outsider")
    page = client.get(url(cast)).text
    assert "Join or create a team to submit predictions." in page
    assert f'href="/c/{cast.competition.slug}/team"' in page


def test_anonymous_visitors_are_asked_to_log_in(client, cast):
    page = client.get(url(cast)).text
    assert "Log in and join a team to submit predictions." in page
    assert "data-submit-form" not in page
    assert upload(client, url(cast), xhr=True).status_code == 401
    assert upload(client, url(cast)).status_code == 302
    assert count(Submission) == 0


def test_draft_problem_cannot_be_submitted_to(client, cast, as_role):
    as_role("participant")
    assert upload(client, url(cast, cast.draft), xhr=True).status_code == 404
    assert upload(client, url(cast, cast.draft)).status_code == 404
    assert count(Submission) == 0


def test_an_image_is_refused_with_a_clear_message(client, cast, as_role):
    as_role("participant")
    before = blobs()
    response = upload(client, url(cast), name="screenshot.png", content=b"\x89PNG\r\n", xhr=True)
    assert response.status_code == 422
    assert response.get_json()["error"]["message"] == "Upload your predictions as a .csv file."
    page = upload(client, url(cast), name="screenshot.png", follow_redirects=True).text
    assert "Upload your predictions as a .csv file." in page
    assert "5 of 5" in page
    assert count(Submission) == 0 and blobs() == before


def test_a_missing_file_is_asked_for(client, cast, as_role):
    as_role("participant")
    response = client.post(f"{url(cast)}/submissions", data={"description": "x"}, headers=XHR)
    assert response.status_code == 422
    assert response.get_json()["error"]["message"] == "Choose a file to upload."


def test_a_file_over_the_size_limit_answers_413(client, cast, as_role, app):
    app.config["MAX_SUBMISSION_BYTES"] = 16
    as_role("participant")
    response = upload(client, url(cast), content=b"id,label\n" + b"1,1\n" * 10, xhr=True)
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "too_large"
    assert count(Submission) == 0


def test_an_expired_form_answers_json_to_the_script(client, cast, as_role, app):
    as_role("participant")
    app.config["WTF_CSRF_ENABLED"] = True
    response = upload(client, url(cast), xhr=True)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "csrf"
    assert count(Submission) == 0


def test_closed_problem_shows_a_message_instead_of_the_form(client, cast, as_role, make):
    problem = make.problem(cast.competition, slug="over", closes_at=utcnow() - timedelta(hours=1))
    as_role("participant")
    page = client.get(url(cast, problem)).text
    assert "Submissions for this problem are closed." in page
    assert "data-submit-form" not in page
    assert "Final selections are locked." in page
    response = upload(client, url(cast, problem), xhr=True)
    assert response.status_code == 403
    assert response.get_json()["error"]["message"] == "Submissions for this problem are closed."


def test_problem_not_yet_open_says_so(client, cast, as_role, make):
    problem = make.problem(cast.competition, slug="later", opens_at=utcnow() + timedelta(days=1))
    as_role("participant")
    assert "have not opened yet" in client.get(url(cast, problem)).text
    assert upload(client, url(cast, problem), xhr=True).status_code == 403


# --- the team's list and live status ----------------------------------------------------


def test_status_answers_only_for_the_own_team(client, cast, as_role, make):
    own = submit_file(cast.problem, cast["participant"])
    theirs = submit_file(cast.problem, cast["rival"])
    other_problem = make.problem(cast.competition, slug="other")
    as_role("participant")
    base = f"{url(cast)}/submissions"
    assert client.get(f"{base}/{own.id}/status").status_code == 200
    response = client.get(f"{base}/{theirs.id}/status")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
    assert client.get(f"{url(cast, other_problem)}/submissions/{own.id}/status").status_code == 404
    assert client.get(f"{base}/999999/status").status_code == 404


def test_status_needs_a_login(client, cast):
    own = submit_file(cast.problem, cast["participant"])
    response = client.get(f"{url(cast)}/submissions/{own.id}/status")
    assert response.status_code == 401 and response.is_json


def test_rows_being_scored_are_marked_for_polling_and_finished_ones_are_not(client, cast, as_role):
    queued = submit_file(cast.problem, cast["participant"])
    done = scored(cast.problem, cast["participant"], 0.123456, 0.987654)
    as_role("participant")
    page = client.get(url(cast)).text
    queued_row = re.search(rf'<tr id="submission-{queued.id}"[^>]*>', page).group(0)
    done_row = re.search(rf'<tr id="submission-{done.id}"[^>]*>', page).group(0)
    assert "data-pending" in queued_row and f"/submissions/{queued.id}/status" in queued_row
    assert "data-pending" not in done_row
    status = client.get(f"{url(cast)}/submissions/{done.id}/status").get_json()
    assert status["status"] == "scored" and status["finished"] is True
    assert status["public_score"] == "0.12346"
    assert "987654" not in str(status)


def test_scored_row_shows_the_public_score_only(client, cast, as_role):
    scored(cast.problem, cast["participant"], 0.123456, 0.987654)
    as_role("participant")
    page = client.get(url(cast)).text
    assert "0.12346" in page and 'class="badge status-scored"' in page
    assert "987654" not in page and "Private score" not in page


def test_failed_submission_shows_its_message_and_that_it_does_not_count(client, cast, as_role):
    submission = submit_file(cast.problem, cast["participant"])
    with unit_of_work():
        attempt = lifecycle.claim(submission.id, utcnow(), timedelta(minutes=5), "w")
        message = "Row 3: the id 99 is not in the test set."
        lifecycle.record_failure(submission, attempt, FailureKind.INVALID, message, "", utcnow())
    as_role("participant")
    page = client.get(url(cast)).text
    assert 'class="badge status-failed"' in page
    assert "Row 3: the id 99 is not in the test set." in page
    assert "This upload does not count against your limits." in page
    assert "5 of 5" in page and "2 more today" in page


def test_queued_submission_can_be_cancelled(client, cast, as_role):
    submission = submit_file(cast.problem, cast["participant"])
    as_role("participant")
    page = client.get(url(cast)).text
    assert f"{url(cast)}/submissions/{submission.id}/cancel" in page
    response = client.post(f"{url(cast)}/submissions/{submission.id}/cancel")
    assert response.status_code == 302
    assert db.session.get(Submission, submission.id).status == Status.CANCELLED
    page = client.get(url(cast)).text
    assert "The submission is cancelled." in page and 'class="badge status-cancelled"' in page


def test_another_teams_submission_cannot_be_cancelled_or_selected(client, cast, as_role):
    theirs = scored(cast.problem, cast["rival"], 0.5, 0.5)
    queued = submit_file(cast.problem, cast["rival"])
    as_role("participant")
    assert client.post(f"{url(cast)}/submissions/{queued.id}/cancel").status_code == 404
    response = client.post(f"{url(cast)}/submissions/{theirs.id}/final", data={"selected": "1"})
    assert response.status_code == 404
    assert db.session.get(Submission, queued.id).status == Status.QUEUED
    assert not db.session.get(Submission, theirs.id).selected


def test_final_selection_and_its_limit(client, cast, as_role):
    first, second, third = (
        scored(cast.problem, cast["participant"], v, v) for v in (0.1, 0.2, 0.3)
    )
    as_role("participant")
    base = f"{url(cast)}/submissions"
    assert "Final submissions selected: 0 of 2." in client.get(url(cast)).text
    for chosen in (first, second):
        client.post(f"{base}/{chosen.id}/final", data={"selected": "1"})
    page = client.post(
        f"{base}/{third.id}/final", data={"selected": "1"}, follow_redirects=True
    ).text
    assert "Your team already selected 2 final submissions; unselect one first." in page
    assert "Final submissions selected: 2 of 2." in page
    assert not db.session.get(Submission, third.id).selected
    page = client.post(
        f"{base}/{first.id}/final", data={"selected": "0"}, follow_redirects=True
    ).text
    assert "The submission is no longer selected as final." in page
    assert "Final submissions selected: 1 of 2." in page


def test_a_queued_submission_cannot_be_selected(client, cast, as_role):
    queued = submit_file(cast.problem, cast["participant"])
    as_role("participant")
    page = client.post(
        f"{url(cast)}/submissions/{queued.id}/final", data={"selected": "1"}, follow_redirects=True
    ).text
    assert "Only a scored submission can be selected as final." in page


def test_a_queued_row_shows_its_place_in_the_queue_and_the_poll_updates_it(client, cast,
                                                                           as_role):  # fmt: skip
    for _ in range(2):
        submit_file(cast.problem, cast["rival"])
    as_role("participant")
    body = upload(client, url(cast), xhr=True).get_json()
    assert "Place in the queue: 2" in body["row_html"]  # behind one of the rival's two
    page = client.get(url(cast)).get_data(as_text=True)
    assert "Place in the queue: 2" in page and "Rival Team" not in page
    scored(cast.problem, cast["rival"], 0.5, 0.5)  # the next one the rule takes is ours
    db.session.execute(sa.update(Submission).where(Submission.id < body["id"],
                                                   Submission.status == Status.QUEUED)
                       .values(status=Status.CANCELLED))  # fmt: skip
    db.session.commit()
    status = client.get(body["status_url"], headers=XHR).get_json()
    assert "Place in the queue: 1" in status["row_html"]
