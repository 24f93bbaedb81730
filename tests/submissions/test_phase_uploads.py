"""One upload to a phase of a series, scored on each of its tasks (judge.submissions.fanout)."""

from __future__ import annotations

import html
import io
import threading

import pytest
import sqlalchemy as sa

from judge.core import storage
from judge.core.db import unit_of_work, utcnow
from judge.core.errors import Conflict, Forbidden, Invalid
from judge.core.extensions import db
from judge.leaderboard import services as leaderboard
from judge.notifications.models import Notification
from judge.problems import code
from judge.submissions import carrying, fanout, lifecycle, quota, rescoring
from judge.submissions import services as submissions
from judge.submissions.carrying import Board
from judge.submissions.models import FailureKind, Quota, Status, Submission
from judge.teams import merges, moderation
from tests.submissions.helpers import LEASE, score, submit
from tests.submissions.phases import PREDICTIONS, two_tasks


@pytest.fixture
def phase(make):
    return two_tasks(make, daily_limit=3, failed_daily_limit=2)


def upload(phase):
    parent = submit(phase.first, phase.leader, PREDICTIONS)
    return parent, fanout.children(parent)


def fail(submission, kind=FailureKind.INVALID):
    now = utcnow()
    with unit_of_work():
        attempt = lifecycle.claim(submission.id, now, LEASE, "test-worker")
        assert lifecycle.record_failure(submission, attempt, kind, "bad file", "", now,
                                        "validation")  # fmt: skip
        if kind == FailureKind.SYSTEM:
            lifecycle.refund_system(submission)


def used_today(phase) -> int:
    return quota.status(phase.first, phase.team, utcnow()).daily_left


def test_one_upload_makes_one_submission_per_task_counted_once(phase):
    parent, children = upload(phase)
    (child,) = children
    assert (parent.problem_id, child.problem_id) == (phase.first.id, phase.second.id)
    assert child.parent_id == parent.id and child.status == Status.QUEUED
    same = ("storage_key", "filename", "size", "quota_day", "user_id", "team_id")
    assert [getattr(child, name) for name in same] == [getattr(parent, name) for name in same]
    assert (parent.counted, child.counted) == (True, False)
    assert used_today(phase) == 2  # one of three used
    on_second = db.session.scalar(sa.select(Quota).where(Quota.problem_id == phase.second.id))
    assert on_second is None


def test_uploads_to_another_task_or_a_scoring_only_phase_are_refused(make):
    phase = two_tasks(make, later_phase=True)
    with pytest.raises(Invalid) as refused:
        submit(phase.second, phase.leader, PREDICTIONS)
    assert "“예선”" in refused.value.message and "“vision-a”" in refused.value.message
    with pytest.raises(Forbidden) as closed:
        submit(phase.later[0], phase.leader, PREDICTIONS)
    assert "This phase takes no uploads" in closed.value.message
    assert db.session.scalar(sa.select(sa.func.count(Submission.id))) == 0


def test_the_count_comes_back_only_when_every_task_failed_validation(phase):
    parent, (child,) = upload(phase)
    fail(parent)
    assert db.session.get(Submission, parent.id).counted  # task B may still score it
    assert used_today(phase) == 2
    fail(child)
    assert not db.session.get(Submission, parent.id).counted
    assert used_today(phase) == 3
    scored_on_b, (child,) = upload(phase)
    fail(scored_on_b)
    score(child, 0.5, 0.5)
    assert db.session.get(Submission, scored_on_b.id).counted  # a score was had: it counts
    assert used_today(phase) == 2


def test_a_failure_on_our_side_comes_back_only_when_every_task_failed(phase):
    parent, (child,) = upload(phase)
    fail(child, FailureKind.SYSTEM)
    assert used_today(phase) == 2
    fail(parent, FailureKind.SYSTEM)
    assert used_today(phase) == 3
    row = db.session.scalar(sa.select(Quota).where(Quota.problem_id == phase.first.id))
    assert row.failed_count == 0  # our failure uses none of the free failed validations


def test_cancelling_the_upload_cancels_every_task_and_a_task_alone_is_refused(phase):
    parent, (child,) = upload(phase)
    with pytest.raises(Forbidden) as refused, unit_of_work():
        submissions.cancel(child, phase.leader, utcnow())
    assert f"upload {parent.id}" in refused.value.message
    with unit_of_work():
        submissions.cancel(parent, phase.leader, utcnow())
    db.session.expire_all()
    assert [s.status for s in fanout.family(parent)] == [Status.CANCELLED] * 2


def test_an_upload_with_a_task_already_running_cannot_be_cancelled(phase):
    parent, (child,) = upload(phase)
    with unit_of_work():
        lifecycle.claim(child.id, utcnow(), LEASE, "test-worker")
    with pytest.raises(Conflict) as refused, unit_of_work():
        submissions.cancel(parent, phase.leader, utcnow())
    assert "every task" in refused.value.message
    db.session.expire_all()
    assert [s.status for s in fanout.family(parent)] == [Status.QUEUED, Status.RUNNING]


def test_selecting_the_upload_selects_every_task_and_a_task_alone_is_refused(phase):
    parent, (child,) = upload(phase)
    score(parent, 1.0, 1.0)
    with pytest.raises(Invalid), unit_of_work():  # task B is still scoring
        submissions.set_selected(parent, phase.leader, True, utcnow())
    score(child, 0.0, 0.0)
    with pytest.raises(Forbidden), unit_of_work():
        submissions.set_selected(child, phase.leader, True, utcnow())
    with unit_of_work():
        submissions.set_selected(parent, phase.leader, True, utcnow())
    db.session.expire_all()
    assert [s.selected for s in fanout.family(parent)] == [True, True]
    with unit_of_work():
        submissions.set_selected(parent, phase.leader, False, utcnow())
    db.session.expire_all()
    assert [s.selected for s in fanout.family(parent)] == [False, False]


def test_a_failed_task_fails_the_upload_for_selection(phase):
    parent, (child,) = upload(phase)
    score(parent, 1.0, 1.0)
    fail(child)
    assert fanout.upload_status(parent) == Status.FAILED
    with pytest.raises(Invalid), unit_of_work():
        submissions.set_selected(parent, phase.leader, True, utcnow())


def test_rescoring_a_task_row_queues_only_its_own_submissions_and_counts_nothing(phase, make):
    parent, (child,) = upload(phase)
    score(parent, 1.0, 1.0)
    score(child, 0.0, 0.0)
    organizer = make.user(admin=True)
    with unit_of_work():
        queued = rescoring.rescore_problem(phase.second, organizer, utcnow())
    assert queued == [child.id]
    db.session.expire_all()
    assert [s.status for s in fanout.family(parent)] == [Status.SCORED, Status.QUEUED]
    fail(db.session.get(Submission, child.id))  # a re-score that fails gives nothing back
    assert used_today(phase) == 2


def test_the_team_list_shows_each_upload_once(phase):
    parent, _children = upload(phase)
    assert submissions.team_submissions(phase.first, phase.team) == [parent]
    assert submissions.team_submissions(phase.second, phase.team) == []


def test_each_task_board_ranks_its_own_submissions(phase):
    parent, (child,) = upload(phase)
    score(parent, 1.0, 1.0)
    score(child, 0.25, 0.25)
    boards = [leaderboard.public_board(row) for row in (phase.first, phase.second)]
    assert [[entry.score for entry in board] for board in boards] == [[1.0], [0.25]]


def test_two_tasks_failing_at_once_give_the_count_back_once(app, phase):
    parent, (child,) = upload(phase)
    now = utcnow()
    with unit_of_work():
        attempts = {s.id: lifecycle.claim(s.id, now, LEASE, "w") for s in (parent, child)}
    barrier = threading.Barrier(2)

    def finish(submission_id: int) -> None:
        with app.app_context():
            submission = db.session.get(Submission, submission_id)
            db.session.commit()
            barrier.wait()
            with unit_of_work():
                attempt = attempts[submission_id]
                lifecycle.record_failure(
                    submission, attempt, FailureKind.INVALID, "bad", "", now, "validation"
                )

    threads = [threading.Thread(target=finish, args=(i,)) for i in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.expire_all()
    assert not db.session.get(Submission, parent.id).counted
    row = db.session.scalar(sa.select(Quota).where(Quota.problem_id == phase.first.id))
    assert (row.day_count, row.failed_count) == (0, 1)


def test_the_team_hears_each_task_under_the_uploads_number(phase):
    parent, (child,) = upload(phase)
    score(parent, 1.0, 1.0)
    fail(child)
    told = db.session.scalars(sa.select(Notification).where(
        Notification.user_id == phase.leader.id).order_by(Notification.id)).all()  # fmt: skip
    assert [(n.kind.value, n.params["submission"], n.params["problem"]) for n in told] == [
        ("submission_scored", parent.id, "Defect vision · vision-a"),
        ("submission_failed", parent.id, "Defect vision · vision-b")]  # fmt: skip


def test_the_team_summary_counts_uploads_not_tasks(phase):
    upload(phase)
    assert moderation.summary(phase.team).submissions == 1
    assert merges.merge_plan(phase.team)[1] == 1


def test_a_file_one_task_cannot_take_is_refused_whole_naming_the_task(phase):
    with unit_of_work(), storage.staged(io.BytesIO(b"id\n1\n"), 10**6, "inputs") as inputs:
        code.take_code(phase.second, inputs, "inputs.csv", {"wall_seconds": 20})
    with pytest.raises(Invalid) as refused:
        submit(phase.first, phase.leader, PREDICTIONS)
    assert "“vision-b”" in refused.value.message and ".zip" in refused.value.message
    assert db.session.scalar(sa.select(sa.func.count(Submission.id))) == 0
    assert used_today(phase) == 3


def scored_and_closed(make, later_second_kind: str | None = None):
    """A two-task phase with one scored upload, then closed, and a later phase of two tasks
    to carry it to (its second task taking ``later_second_kind`` when given). Returns the
    phase and the upload."""
    phase = two_tasks(make, later_phase=True, later_tasks=2)
    parent, (child,) = upload(phase)
    score(parent, 1.0, 1.0)
    score(child, 0.0, 0.0)
    with unit_of_work():
        phase.first.closes_at = phase.second.closes_at = utcnow()
        if later_second_kind:
            phase.later[1].submission_kind = later_second_kind
    return phase, parent


def test_an_entry_carried_to_a_phase_is_scored_on_each_of_its_tasks(make):
    phase, parent = scored_and_closed(make)
    with unit_of_work():
        carrying.carry(phase.later[0], phase.organizer, utcnow(), Board.PUBLIC)
    db.session.expire_all()
    (carried,) = db.session.scalars(sa.select(Submission).where(
        Submission.problem_id == phase.later[0].id)).all()  # fmt: skip
    assert carried.carried_from_id == parent.id
    (on_second,) = fanout.children(carried)
    assert on_second.problem_id == phase.later[1].id and on_second.status == Status.QUEUED
    assert not carried.counted and not on_second.counted


def test_an_entry_no_task_of_the_next_phase_takes_is_skipped_and_said(make, client, login):
    """Phase 2's second task takes code only: the team's .csv entry cannot be scored there.
    The carry (by hand, and the beat's) skips it and says so, instead of failing whole."""
    phase, _ = scored_and_closed(make, later_second_kind="code")
    login(phase.organizer)
    target = phase.later[0]
    address = f"/c/{target.competition.slug}/p/{target.slug}/carry"
    page = html.unescape(client.get(address).text)
    assert "1 team's entry is a type of file a task of this phase does not take" in page
    assert "0 teams' entries will be scored" in page
    assert carrying.carry_due(utcnow()) == 0  # the beat: nothing carried, nothing raised
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(Submission.id)).where(
        Submission.problem_id.in_([row.id for row in phase.later]))) == 0  # fmt: skip


def test_a_draft_first_task_is_not_named_to_teams(make, client, login):
    """Task B is published, the phase's first task A is a draft again: a team on B's page
    (and its upload) is told to upload to the phase, never the draft task's name."""
    phase = two_tasks(make)
    with unit_of_work():
        phase.first.published_at = None
    login(phase.leader)
    page = client.get(f"/c/{phase.second.competition.slug}/p/{phase.second.slug}").text
    assert "vision-a" not in page
    assert "as a whole" in html.unescape(page)
    with pytest.raises(Invalid) as refused:
        submit(phase.second, phase.leader, PREDICTIONS)
    assert "vision-a" not in refused.value.message
