"""Uploading predictions, final selection, cancelling. Services flush; callers commit.

The web process never parses an uploaded file: it stores the bytes and a
sandboxed worker validates and scores them.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from judge.accounts.models import User
from judge.competitions import consent, policy
from judge.core import storage
from judge.core.errors import Conflict, Forbidden, Invalid, NotFound
from judge.core.extensions import db
from judge.leaderboard import services as leaderboard
from judge.problems import services as problems
from judge.problems.models import Problem
from judge.submissions import carrying, fanout, kinds, lifecycle, quota
from judge.submissions.models import Quota, Status, Submission
from judge.teams import services as teams
from judge.teams.models import Team


def accepted_types(problem: Problem) -> frozenset[str]:
    """File types a problem takes: code as a zip; a sponsor's program may read more than CSV."""
    return problem.mode.extensions


def max_bytes() -> int:
    return int(current_app.config["MAX_SUBMISSION_BYTES"])


def get_submission(submission_id: int) -> Submission:
    submission = db.session.get(Submission, submission_id)
    if submission is None:
        raise NotFound(_("No such submission."))
    return submission


def can_view(user: User | None, submission: Submission) -> bool:
    """The submitting team, the competition's organizers and the problem's sponsor."""
    return teams.is_member(user, submission.team) or problems.can_manage(user, submission.problem)


def check_viewable(user: User | None, submission: Submission) -> Submission:
    """``submission`` if ``user`` may see it, else the very 404 of one that does not exist:
    another team's submission id must not tell that it exists."""
    if not can_view(user, submission):
        raise NotFound(_("No such submission."))
    return submission


def check_open(problem: Problem, now: datetime) -> None:
    """Submissions are accepted only while the problem is published and its window is open."""
    opens, closes = problem.window()
    if not problem.is_published:
        raise NotFound(_("No such problem."))
    policy.check_open_to_teams(problem.competition)
    if opens is not None and now < opens:
        raise Forbidden(_("Submissions for this problem have not opened yet."))
    if closes is not None and now >= closes:
        raise Forbidden(_("Submissions for this problem are closed."))
    fanout.check_takes_uploads(problem)


def team_for_submission(problem: Problem, user: User) -> Team:
    team = teams.team_of(user, problem.competition)
    if team is None:
        raise Forbidden(_("Join or create a team in this competition before submitting."))
    if team.disqualified:
        raise Forbidden(
            _(
                "Your team was disqualified from this competition, so it can no longer submit."
                " Reason: %(reason)s",
                reason=team.disqualified_reason,
            )
        )
    return team


def check_can_submit(problem: Problem, user: User, now: datetime, validation: bool = False) -> None:
    """What refuses an upload without looking at it: the window, the uploader's unverified
    address, the user's team and the team's remaining submissions or validation runs (read
    only; :func:`submit` checks again and takes one)."""
    check_open(problem, now)
    if not user.email_verified:
        raise Forbidden(
            _(
                "Please confirm your email address before submitting: follow the link we sent"
                " you, or ask for a new one with the button at the top of the page."
            )
        )
    consent.check_current(user, problem.competition)
    team = team_for_submission(problem, user)
    carrying.check_takes_uploads(problem, team)
    if not validation:
        quota.check_room(problem, team, now)
        return
    _check_takes_validation_runs(problem)
    quota.check_validation_room(problem, team, now)


def _check_takes_validation_runs(problem: Problem) -> None:
    if not problem.takes_validation_runs:
        raise Conflict(_("This problem has no validation inputs, so it takes no validation runs."))


def submit(
    problem: Problem,
    user: User,
    upload: storage.StagedFile,
    filename: str,
    description: str,
    now: datetime,
    validation: bool = False,
) -> Submission:
    """Store an upload as a queued submission, using one of the team's submissions; or, with
    ``validation``, as a validation run, using one of the team's validation runs instead.

    On a phase of a series the upload goes to the phase's first task row and is fanned out
    to its other task rows (judge.submissions.fanout), counted once."""
    check_open(problem, now)
    team = team_for_submission(problem, user)
    carrying.check_takes_uploads(problem, team)
    if validation:
        _check_takes_validation_runs(problem)
    filename = problems.clean_filename(filename)
    if problems.extension(filename) not in accepted_types(problem):
        raise Invalid(_(problem.mode.wrong_type), field="file")
    if upload.size == 0:
        raise Invalid(_("The file is empty."), field="file")
    kind = kinds.kind_of(problem, upload.path, filename)
    fanout.check_fits(problem, upload.path, filename)
    if validation:
        kinds.check_code(kind)
        day = quota.take_validation(problem, team, now)
    else:
        day = quota.take(problem, team, now, user)
    submission = Submission(
        problem_id=problem.id,
        team_id=team.id,
        user_id=user.id,
        filename=filename,
        description=(description or "").strip()[:500],
        storage_key=storage.put(upload),
        size=upload.size,
        status=Status.QUEUED,
        quota_day=day,
        kind=kind,
        counted=not validation,  # it never uses the submission limits, so never gives back
        validation=validation,
        created_at=now,
        enqueued_at=now,
        queued_at=now,
    )
    db.session.add(submission)
    db.session.flush()
    lifecycle.publish_after_commit(submission.id)
    if not validation:
        fanout.fan_out(submission, now)
    return submission


def team_submissions(problem: Problem, team: Team, validation: bool = False) -> list[Submission]:
    """The team's uploads to ``problem`` (or its validation runs), newest first: not the
    children an upload to a phase made on its other task rows (judge.submissions.fanout)."""
    return list(
        db.session.scalars(
            sa.select(Submission)
            .where(Submission.problem_id == problem.id, Submission.team_id == team.id,
                   Submission.validation.is_(validation), Submission.parent_id.is_(None))
            .order_by(Submission.created_at.desc(), Submission.id.desc())
        )
    )  # fmt: skip


def _lock_team_problem(submission: Submission) -> None:
    """Serialise final-selection changes of one team on one problem (row lock on its quota)."""
    db.session.execute(
        sa.select(Quota.id)
        .where(Quota.team_id == submission.team_id, Quota.problem_id == submission.problem_id)
        .with_for_update()
    )


def set_selected(submission: Submission, user: User, selected: bool, now: datetime) -> Submission:
    """Choose (or drop) a submission as one of the team's finals for the private board; an
    upload to a phase with each of its tasks' submissions (a child alone is refused)."""
    if not teams.is_member(user, submission.team):
        raise NotFound(_("No such submission."))
    fanout.refuse_child_selection(submission)
    policy.check_open_to_teams(submission.problem.competition)  # finals rank the board
    closes = submission.problem.window()[1]
    if closes is not None and now >= closes:
        raise Forbidden(_("Final selections are locked: submissions are closed."))
    members = fanout.family(submission)
    if selected and (fanout.upload_status(submission, members) != Status.SCORED
                     or submission.validation):  # fmt: skip
        raise Invalid(_("Only a scored submission can be selected as final."))
    for member in members:
        _select_one(member, selected, now)
    return submission


def _select_one(submission: Submission, selected: bool, now: datetime) -> None:
    _lock_team_problem(submission)
    if selected and not submission.selected:
        _check_room_for_selection(submission)
    submission.selected = selected
    db.session.flush()
    leaderboard.refresh_standing(submission.problem, submission.team, now)  # finals changed


def _check_room_for_selection(submission: Submission) -> None:
    limit = submission.problem.max_final_selections
    count = db.session.scalar(
        sa.select(sa.func.count(Submission.id)).where(
            Submission.team_id == submission.team_id,
            Submission.problem_id == submission.problem_id,
            Submission.selected.is_(True),
        )
    )
    if count >= limit:
        raise Conflict(
            _("Your team already selected %(n)d final submissions; unselect one first.", n=limit)
        )


def cancel(submission: Submission, actor: User, now: datetime) -> Submission:
    """Cancel a queued submission (organizers, the problem's sponsor, or its own team; a team
    not once its competition is archived); an upload to a phase with its tasks' submissions,
    only while every one of them is queued (a child alone is refused)."""
    if not can_view(actor, submission):
        raise NotFound(_("No such submission."))
    fanout.refuse_child_cancel(submission)
    if not is_staff_viewer(actor, submission.problem):
        policy.check_open_to_teams(submission.problem.competition)
    members = [member.id for member in fanout.family(submission)]
    cancelled = db.session.execute(
        sa.update(Submission)
        .where(Submission.id.in_(members), Submission.status == Status.QUEUED)
        .values(status=Status.CANCELLED, cancelled_at=now, finished_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if cancelled != len(members):  # the caller's unit of work keeps none of it
        if len(members) > 1:
            raise Conflict(_("Only an upload still queued on every task of its phase can be "
                             "cancelled."))  # fmt: skip
        raise Conflict(_("Only a queued submission can be cancelled."))
    db.session.refresh(submission)
    return submission


def is_staff_viewer(user: User | None, problem: Problem) -> bool:
    return problems.can_manage(user, problem) or policy.is_judge(user, problem.competition)
