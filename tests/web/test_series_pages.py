"""A problem with phases on the web: the participants' page with a tab per phase, the team's
uploads with a score per task, the problem list, and the organizers' forms."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa

from judge.audit.models import AuditEntry
from judge.core import storage
from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.problems import series as service
from judge.problems import services as problems
from judge.problems.models import Carry, Problem, ProblemSeries
from judge.submissions import lifecycle
from judge.submissions.models import FailureKind, Submission
from tests.factories import SOLUTION_CSV
from tests.web.test_submission_pages import submit_file

OTHER_TRUTH = "id,label\n" + "".join(f"t{i},{i % 3}\n" for i in range(30))


def staged_truth(truth: str = SOLUTION_CSV):
    return storage.staged(io.BytesIO(truth.encode()), 10**9, "solution")


def two_phases(cast, *, publish: bool = True) -> ProblemSeries:
    """예선 (open now, two tasks) and 본선 (later, the top 3 teams of 예선, one task)."""
    organizer, competition = cast["organizer"], cast.competition
    now = utcnow()
    with unit_of_work():
        series = service.create_series(
            competition, slug="vision", title="Defect vision", description="Find.", actor=organizer
        )
    with unit_of_work(), staged_truth() as staged:
        service.add_phase(series, slug="vision-pre-a", solution_upload=staged,
                          solution_filename="truth.csv", actor=organizer,
                          sponsor=competition.sponsors[0], metric="accuracy", score_decimals=3,
                          daily_limit=3, opens_at=now - timedelta(days=1),
                          closes_at=now + timedelta(days=5), phase_name="예선")  # fmt: skip
    with unit_of_work(), staged_truth(OTHER_TRUTH) as staged:
        service.add_task(series, 0, slug="vision-pre-b", solution_upload=staged,
                         solution_filename="truth.csv", actor=organizer)  # fmt: skip
    with unit_of_work(), staged_truth() as staged:
        service.add_phase(series, slug="vision-final", solution_upload=staged,
                          solution_filename="truth.csv", actor=organizer, carry=Carry.TOP_N,
                          carry_top_n=3, opens_at=now + timedelta(days=6),
                          closes_at=now + timedelta(days=9), phase_name="본선")  # fmt: skip
    if publish:
        with unit_of_work():
            for row in service.rows(series):
                problems.publish(row, utcnow())
    return series


def row(slug: str) -> Problem:
    return db.session.scalar(sa.select(Problem).where(Problem.slug == slug))


def child_of(parent: Submission, task: Problem) -> Submission:
    """The task's submission fanned out from ``parent``, as the upload fan-out makes it."""
    with unit_of_work():
        child = Submission(problem_id=task.id, team_id=parent.team_id, user_id=parent.user_id,
                           filename=parent.filename, storage_key=parent.storage_key,
                           size=parent.size, quota_day=parent.quota_day, counted=False,
                           parent_id=parent.id)  # fmt: skip
        db.session.add(child)
    return child


def score(submission: Submission, public: float, private: float) -> None:
    with unit_of_work():
        attempt = lifecycle.claim(submission.id, utcnow(), timedelta(minutes=5), "w")
        lifecycle.record_scores(submission, attempt, public, private, "log", utcnow())


def fail(submission: Submission, message: str) -> None:
    with unit_of_work():
        attempt = lifecycle.claim(submission.id, utcnow(), timedelta(minutes=5), "w")
        lifecycle.record_failure(submission, attempt, FailureKind.INVALID, message, "log",
                                 utcnow())  # fmt: skip


def page(client, cast, phase: int | None = None) -> str:
    query = f"?phase={phase}" if phase else ""
    response = client.get(f"/c/{cast.competition.slug}/s/vision{query}")
    assert response.status_code == 200, response.text
    return response.text


def upload_row(text: str, submission: Submission) -> str:
    start = text.index(f'data-upload="{submission.id}"')
    return text[start : text.index("</tr>", start)]


# --- the participants' page ------------------------------------------------------------


def test_the_problem_list_shows_a_series_once_with_its_current_phase(client, cast):
    two_phases(cast)
    text = client.get(f"/c/{cast.competition.slug}").text
    assert text.count('data-series="vision"') == 1
    assert "Defect vision" in text and f"/c/{cast.competition.slug}/s/vision" in text
    current = text[text.index("data-current-phase>") :][:200]
    assert "예선" in current and "본선" not in current
    assert "vision-pre-b" not in text  # the task rows are not listed on their own
    assert f"/p/{cast.problem.slug}" in text  # a problem on its own is listed as before


def test_the_page_shows_each_phase_as_a_tab_with_its_window_and_entry(client, cast):
    two_phases(cast)
    text = page(client, cast)
    assert 'data-phase-tab="1"' in text and 'data-phase-tab="2"' in text
    assert 'aria-current="page" class="current" data-phase-tab="1"' in text  # open now
    assert "Every team may upload." in text
    assert "vision-pre-a" in text and "vision-pre-b" in text  # one board per task
    assert text.count("/leaderboard") == 2
    final = page(client, cast, phase=2)
    assert 'aria-current="page" class="current" data-phase-tab="2"' in final
    assert "The top 3 teams of 예선 enter." in final
    assert "vision-final/leaderboard" in final
    assert "data-decides" not in final  # 예선, the first phase, decides until changed


def test_a_team_sees_one_row_per_upload_with_a_score_per_task(client, cast, as_role):
    two_phases(cast)
    pia = as_role("participant")
    first, second = row("vision-pre-a"), row("vision-pre-b")
    scored = submit_file(first, pia)
    score(scored, 0.5, 0.25)
    score(child_of(scored, second), 0.75, 0.125)
    scoring = submit_file(first, pia)
    score(scoring, 0.5, 0.5)
    child_of(scoring, second)  # still queued on task 2
    failed = submit_file(first, pia)
    score(failed, 0.9, 0.9)
    fail(child_of(failed, second), "The column label is missing.")
    text = page(client, cast)
    assert "data-phase-uploads" in text and 'id="my-submissions"' not in text
    assert "data-submit-form" in text and "/p/vision-pre-a/submissions" in text
    done = upload_row(text, scored)
    assert 'data-state="scored"' in done and "0.500" in done and "0.750" in done
    assert "0.250" not in done and "0.125" not in done  # private scores before the reveal
    pending = upload_row(text, scoring)
    assert 'data-state="scoring"' in pending and ">scoring<" in pending
    broken = upload_row(text, failed)
    assert 'data-state="failed"' in broken and "The column label is missing." in broken
    assert "0.900" not in broken  # no number beside an error


def test_staff_see_private_scores_of_a_phase_before_the_reveal(client, cast, as_role, make):
    two_phases(cast)
    first, second = row("vision-pre-a"), row("vision-pre-b")
    upload = submit_file(first, cast["participant"])
    score(upload, 0.5, 0.25)
    score(child_of(upload, second), 0.75, 0.125)
    as_role("participant")
    assert "private score" not in page(client, cast)
    client.post("/logout")
    as_role("organizer")
    text = page(client, cast)
    assert "data-phase-uploads" not in text  # organizers have no team
    assert "Manage this problem" in text


def test_a_one_task_phase_keeps_the_problem_pages_own_list(client, cast, as_role):
    two_phases(cast)
    with unit_of_work():
        final = row("vision-final")
        final.opens_at = utcnow() - timedelta(hours=1)
    as_role("participant")
    text = page(client, cast, phase=2)
    assert 'id="my-submissions"' in text and "data-phase-uploads" not in text


def test_a_scoring_only_phase_has_no_form_but_lists_the_teams_entries(client, cast, as_role):
    series = two_phases(cast)
    with unit_of_work(), staged_truth() as staged:
        service.add_phase(series, slug="vision-rescore", solution_upload=staged,
                          solution_filename="truth.csv", actor=cast["organizer"],
                          carry=Carry.ALL, scoring_only=True)  # fmt: skip
    with unit_of_work():
        problems.publish(row("vision-rescore"), utcnow())
    as_role("participant")
    text = page(client, cast, phase=3)
    assert "none: the carried entries are scored" in text
    assert "entry of 본선 is carried here." in text
    assert "data-submit-form" not in text and "data-phase-uploads" in text


def test_a_row_page_stays_and_links_to_its_phase(client, cast):
    two_phases(cast)
    text = client.get(f"/c/{cast.competition.slug}/p/vision-pre-b").text
    assert "Task 2 of 예선." in text and "/s/vision?phase=1" in text
    own = client.get(f"/c/{cast.competition.slug}/p/{cast.problem.slug}").text
    assert "data-series-row" not in own  # a problem on its own looks as today


def test_a_series_of_drafts_does_not_exist_for_participants(client, cast, as_role):
    two_phases(cast, publish=False)
    as_role("participant")
    assert client.get(f"/c/{cast.competition.slug}/s/vision").status_code == 404
    assert "Defect vision" not in client.get(f"/c/{cast.competition.slug}").text


def test_the_page_speaks_korean(client, cast):
    two_phases(cast)
    text = client.get(f"/c/{cast.competition.slug}/s/vision?phase=2",
                      headers={"Accept-Language": "ko"}).text  # fmt: skip
    assert "예선의 상위 3팀이 참가합니다." in text


# --- the organizers' forms -------------------------------------------------------------


def new_series_form(**changes) -> dict:
    form = {
        "series_slug": "vision", "title": "Defect vision", "description": "Find them.",
        "sponsor_id": "", "metric": "accuracy", "score_decimals": "3",
        "phase_name": "예선", "opens_at": "", "closes_at": "", "daily_limit": "5",
        "total_limit": "", "max_final_selections": "2",
        "slug": "vision-pre", "id_column": "id", "prediction_columns": "",
        "split_method": "fraction",
    }  # fmt: skip
    return form | changes


def test_an_organizer_creates_a_problem_with_phases(client, cast, as_role):
    as_role("organizer")
    data = new_series_form(sponsor_id=str(cast.competition.sponsors[0].id))
    data["solution"] = (io.BytesIO(SOLUTION_CSV.encode()), "truth.csv")
    response = client.post(f"/c/{cast.competition.slug}/series/new", data=data)
    assert response.status_code == 302, response.text
    assert response.location.endswith("/s/vision/manage")
    series = db.session.scalar(sa.select(ProblemSeries).where(ProblemSeries.slug == "vision"))
    (first,) = service.rows(series)
    assert (first.slug, first.phase_name, first.title, first.score_decimals) == (
        "vision-pre", "예선", "Defect vision", 3)  # fmt: skip
    data = {"phase_name": "본선", "opens_at": "", "closes_at": "", "daily_limit": "2",
            "total_limit": "", "max_final_selections": "1", "carry": "top_n",
            "carry_top_n": "10", "slug": "vision-final", "id_column": "id",
            "prediction_columns": "", "split_method": "all",
            "solution": (io.BytesIO(SOLUTION_CSV.encode()), "truth.csv")}  # fmt: skip
    response = client.post(f"/c/{cast.competition.slug}/s/vision/phases/new", data=data)
    assert response.status_code == 302, response.text
    final = row("vision-final")
    assert (final.phase_index, final.carry, final.carry_top_n, final.daily_limit) == (
        1, Carry.TOP_N, 10, 2)  # fmt: skip
    data = {"slug": "vision-final-b", "id_column": "id", "prediction_columns": "",
            "split_method": "fraction",
            "solution": (io.BytesIO(OTHER_TRUTH.encode()), "truth.csv")}  # fmt: skip
    response = client.post(f"/c/{cast.competition.slug}/s/vision/phases/2/tasks/new", data=data)
    assert response.status_code == 302, response.text
    assert (row("vision-final-b").phase_index, row("vision-final-b").task_index) == (1, 1)
    manage = client.get(f"/c/{cast.competition.slug}/s/vision/manage").text
    assert "본선" in manage and "vision-final-b" in manage


def test_a_bad_field_is_shown_beside_it_and_nothing_is_kept(client, cast, as_role):
    as_role("organizer")
    data = new_series_form(sponsor_id=str(cast.competition.sponsors[0].id), series_slug="X!")
    data["solution"] = (io.BytesIO(SOLUTION_CSV.encode()), "truth.csv")
    text = client.post(f"/c/{cast.competition.slug}/series/new", data=data).text
    assert "Use 3–64 lowercase letters, digits and hyphens for the short name." in text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProblemSeries)) == 0
    data = new_series_form(
        sponsor_id=str(cast.competition.sponsors[0].id), slug=cast.problem.slug
    )  # the task's address is taken
    data["solution"] = (io.BytesIO(SOLUTION_CSV.encode()), "truth.csv")
    response = client.post(f"/c/{cast.competition.slug}/series/new", data=data)
    assert response.status_code == 200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProblemSeries)) == 0


def test_an_organizer_renames_and_moves_a_phase_on_every_task(client, cast, as_role):
    two_phases(cast)
    as_role("organizer")
    form = {"phase0-phase_name": "Qualifier", "phase0-opens_at": "", "phase0-closes_at": "",
            "phase0-daily_limit": "7", "phase0-total_limit": "",
            "phase0-max_final_selections": "2"}  # fmt: skip
    response = client.post(f"/c/{cast.competition.slug}/s/vision/phases/1", data=form)
    assert response.status_code == 302, response.text
    for slug in ("vision-pre-a", "vision-pre-b"):
        assert (row(slug).phase_name, row(slug).daily_limit) == ("Qualifier", 7)
    form["phase0-daily_limit"] = "-1"
    text = client.post(f"/c/{cast.competition.slug}/s/vision/phases/1", data=form).text
    assert 'class="error"' in text
    assert row("vision-pre-b").daily_limit == 7


def test_an_organizer_edits_what_the_whole_problem_shares(client, cast, as_role):
    two_phases(cast)
    as_role("organizer")
    form = {"title": "Defect vision 2", "description": "New.", "score_decimals": "2"}
    response = client.post(f"/c/{cast.competition.slug}/s/vision/settings", data=form)
    assert response.status_code == 302, response.text
    assert {r.title for r in db.session.scalars(sa.select(Problem).where(
        Problem.series_id.is_not(None)))} == {"Defect vision 2"}  # fmt: skip
    text = client.post(f"/c/{cast.competition.slug}/s/vision/settings",
                       data=form | {"title": ""}).text  # fmt: skip
    assert 'class="error"' in text


def test_choosing_the_deciding_phase_asks_first_and_is_audited(client, cast, as_role):
    two_phases(cast)
    as_role("organizer")
    address = f"/c/{cast.competition.slug}/s/vision/phases/2/decides"
    ask = client.get(address).text
    assert "Rank the teams by 본선" in ask and "Until now: 예선." in ask
    assert row("vision-pre-a").decides_ranking
    response = client.post(address, data={"choice": "yes"})
    assert response.status_code == 302
    assert row("vision-final").decides_ranking and not row("vision-pre-a").decides_ranking
    entry = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert "vision-final" in str(entry.after)


@pytest.mark.parametrize("role", ["participant", "judge", "other_sponsor", "sponsor"])
def test_only_organizers_manage_a_series(client, cast, as_role, role):
    two_phases(cast)
    as_role(role)
    base = f"/c/{cast.competition.slug}/s/vision"
    assert client.get(f"{base}/manage").status_code == 403
    assert client.post(f"{base}/settings", data={"title": "Mine"}).status_code == 403
    assert client.post(f"{base}/phases/2/decides").status_code == 403
    assert row("vision-pre-a").title == "Defect vision"


def test_a_taken_short_name_is_said_in_the_words_of_the_add_button(client, cast, as_role):
    """The console's button says 단계가 있는 문제; the refusal names the same thing."""
    two_phases(cast)
    as_role("organizer")
    data = new_series_form(sponsor_id=str(cast.competition.sponsors[0].id), slug="vision-2")
    data["solution"] = (io.BytesIO(SOLUTION_CSV.encode()), "truth.csv")
    text = client.post(f"/c/{cast.competition.slug}/series/new", data=data,
                       headers={"Accept-Language": "ko"}).text  # fmt: skip
    assert "단계가 있는 문제 추가" in client.get(f"/c/{cast.competition.slug}",
                                             headers={"Accept-Language": "ko"}).text  # fmt: skip
    assert "이 대회에는 같은 짧은 이름의 단계가 있는 문제가 이미 있습니다." in text
