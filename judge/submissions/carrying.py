"""Carrying the teams' entries of one phase of a series to the next (docs/design/phases.md).

A team's entry of a phase is the one its private board ranks (``Standing.final_submission_id``
of the phase's first task row: the team's final selection, else its best public one — the rule
the shortlist uses). Carrying copies it as a new submission of the next phase's first task row:
the same stored file, ``carried_from_id`` set, counted in no quota, queued once the
transaction commits. A team already carried to the phase is skipped, so carrying twice adds
nothing. Services flush; callers commit.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from judge.accounts.models import User
from judge.audit import log as audit
from judge.competitions import policy
from judge.core import storage
from judge.core.errors import Conflict, Forbidden, Invalid
from judge.core.extensions import db
from judge.leaderboard import services as leaderboard
from judge.leaderboard.models import Standing
from judge.notifications import services as notifications
from judge.notifications.kinds import Kind
from judge.problems import services as problems
from judge.problems.models import Carry, Problem
from judge.submissions import fanout, kinds, lifecycle, quota
from judge.submissions.models import Status, Submission
from judge.teams.models import Team


class Board(enum.StrEnum):
    """Which board of the earlier phase picks the top N teams."""

    PRIVATE = "private"
    PUBLIC = "public"  # only before the earlier phase's private board is revealed


@dataclass(frozen=True)
class Plan:
    """What carrying to ``target`` now does: the entries it copies and the teams it skips."""

    target: Problem
    source: Problem
    board: Board | None  # None: every team with an entry (carry 'all')
    entries: list[Submission]
    already: int  # teams whose entry was carried before
    per_division: list[tuple[str, int]] = field(default_factory=list)  # entries carried now
    unfit: int = 0  # teams whose entry is a file a task of the phase does not take: skipped


def source_of(target: Problem) -> Problem | None:
    """The first task row of the phase before ``target``'s (None: not a carrying phase)."""
    if target.series_id is None or target.carry == Carry.NONE or not target.phase_index:
        return None
    return db.session.scalar(
        sa.select(Problem).where(Problem.series_id == target.series_id,
                                 Problem.phase_index == target.phase_index - 1)
        .order_by(Problem.task_index).limit(1))  # fmt: skip


def earlier_phase(target: Problem) -> Problem:
    """The row ``target`` takes entries from; refused for a row that takes none."""
    source = source_of(target) if target.task_index == 0 else None
    if source is None:
        raise Conflict(_("This phase takes no entries from an earlier phase."))
    return source


def plan(target: Problem, board: Board, now: datetime) -> Plan:
    """What :func:`carry` would do now (changes nothing)."""
    source = earlier_phase(target)
    carried = _carried_teams(target)
    if target.carry == Carry.ALL:
        every = _all_teams(source)
        team_ids, board_used = [t for t in every if t not in carried], None
        already = sum(1 for t in every if t in carried)
    else:
        board_used = Board(board)
        team_ids, already = _top_teams(target, source, board_used, now, carried)
    found = _entries(source, team_ids)
    entries = [entry for entry in found if _fits(target, entry)]
    return Plan(target, source, board_used, entries, already, _per_division(source, entries),
                unfit=len(found) - len(entries))  # fmt: skip


def _fits(target: Problem, entry: Submission) -> bool:
    """Whether every task of ``target``'s phase takes the entry's file, as an upload to the
    phase is checked (a phase whose tasks take another type of file cannot score it)."""
    path = storage.path_of(entry.storage_key)
    try:
        if problems.extension(entry.filename) not in target.mode.extensions:
            return False
        kinds.kind_of(target, path, entry.filename)
        fanout.check_fits(target, path, entry.filename)
    except Invalid:
        return False
    return True


def _all_teams(source: Problem) -> list[int]:
    """Every team on the earlier phase with an entry, as its boards list them."""
    return list(db.session.scalars(
        sa.select(Standing.team_id).join(Team, Team.id == Standing.team_id)
        .where(Standing.problem_id == source.id, Standing.final_submission_id.is_not(None),
               Team.disbanded_at.is_(None), Team.disqualified_at.is_(None))
        .order_by(Standing.team_id)))  # fmt: skip


def _top_teams(target: Problem, source: Problem, board: Board, now: datetime,
               carried: dict[int, int]) -> tuple[list[int], int]:  # fmt: skip
    """The top N teams of each division on the chosen board of the earlier phase not carried
    yet, and how many of them were; a division never gets more than N (carrying again by the
    other board adds none beyond them)."""
    if board == Board.PUBLIC and leaderboard.is_revealed(source, now):
        raise Invalid(_("The earlier phase's private leaderboard is revealed: the top teams "
                        "are taken from it."), field="board")  # fmt: skip
    ranked = leaderboard.private_board if board == Board.PRIVATE else leaderboard.public_board
    top_n, new, already = target.carry_top_n or 0, [], 0
    for division in source.competition.divisions:
        top = [row.team_id for row in ranked(source, division.id)[:top_n]]
        room = top_n - sum(1 for d in carried.values() if d == division.id)
        already += sum(1 for t in top if t in carried)
        new += [t for t in top if t not in carried][: max(room, 0)]
    return new, already


def _carried_teams(target: Problem) -> dict[int, int]:
    """The teams carried to ``target`` already, with their divisions."""
    return dict(db.session.execute(
        sa.select(Submission.team_id, Team.division_id).join(Team, Team.id == Submission.team_id)
        .where(Submission.problem_id == target.id, Submission.carried_from_id.is_not(None))
        .distinct()).all())  # fmt: skip


def _entries(source: Problem, team_ids: list[int]) -> list[Submission]:
    if not team_ids:
        return []
    return list(db.session.scalars(
        sa.select(Submission).join(Standing, Standing.final_submission_id == Submission.id)
        .where(Standing.problem_id == source.id, Standing.team_id.in_(team_ids))
        .order_by(Submission.team_id)))  # fmt: skip


def _per_division(source: Problem, entries: list[Submission]) -> list[tuple[str, int]]:
    return [(d.name, sum(1 for s in entries if s.team.division_id == d.id))
            for d in source.competition.divisions]  # fmt: skip


def carry(target: Problem, actor: User | None, now: datetime,
          board: Board = Board.PRIVATE) -> Plan:  # fmt: skip
    """Copy each qualifying team's entry of the earlier phase to ``target`` and queue it;
    audited (``phase_carried``) and each carried team told. ``actor`` None: the automatic
    carry at the earlier phase's close."""
    if actor is not None and not policy.is_organizer(actor, target.competition):
        raise Forbidden(_("Only the competition's organizers may carry entries to a phase."))
    _lock(target)
    done = plan(target, board, now)
    for entry in done.entries:
        _copy(entry, target, now)
    audit.record(actor, "phase_carried", target.competition_id, target.title,
                 {"already": done.already, "unfit": done.unfit},
                 {"phase": _phase_number(target), "from": _phase_number(done.source),
                  "board": done.board, "carried": len(done.entries)})  # fmt: skip
    db.session.flush()
    _tell(done, now)
    return done


def _lock(target: Problem) -> None:
    """Two carries of one phase at once run one after the other: a write to the phase's row
    before anything is read (PostgreSQL locks the row; SQLite takes its write lock, which a
    SELECT ... FOR UPDATE does not), so the second sees the first's copies."""
    db.session.execute(sa.update(Problem).where(Problem.id == target.id)
                       .values(carry=Problem.carry)
                       .execution_options(synchronize_session=False))  # fmt: skip


def _copy(entry: Submission, target: Problem, now: datetime) -> Submission:
    """The one place a carried entry is made (a phase of several tasks fans it out here)."""
    copy = Submission(
        problem_id=target.id, team_id=entry.team_id, user_id=entry.user_id,
        filename=entry.filename, description=entry.description,
        storage_key=entry.storage_key, size=entry.size,
        kind=kinds.kind_of(target, storage.path_of(entry.storage_key), entry.filename),
        status=Status.QUEUED, counted=False, carried_from_id=entry.id,
        quota_day=quota.local_day(now, target.competition.timezone),
        created_at=now, enqueued_at=now, queued_at=now,
    )  # fmt: skip
    db.session.add(copy)
    db.session.flush()
    lifecycle.publish_after_commit(copy.id)
    fanout.fan_out(copy, now)  # scored on each task of the phase, as an upload is
    return copy


def _phase_number(row: Problem) -> int:
    return (row.phase_index or 0) + 1


def _tell(done: Plan, now: datetime) -> None:
    target, source = done.target, done.source
    link = notifications.path("problems.show", slug=target.competition.slug,
                              problem_slug=target.slug)  # fmt: skip
    for entry in done.entries:
        notifications.notify_team(
            entry.team, Kind.ENTRY_CARRIED, f"carried:{target.id}:{entry.team_id}", now,
            link=link, problem=target,
            params={"problem": target.title, "submission": entry.id,
                    "phase": target.phase_name, "number": _phase_number(target),
                    "from": source.phase_name, "from_number": _phase_number(source)})  # fmt: skip


def qualified(problem: Problem, team: Team | None) -> bool:
    """Whether ``team`` has an entry carried to ``problem``'s phase (a top N phase takes
    uploads only from the teams that qualified); without a team, whether any team has."""
    phase_rows = sa.select(Problem.id).where(
        Problem.series_id == problem.series_id, Problem.phase_index == problem.phase_index
    )
    query = sa.select(Submission.id).where(Submission.problem_id.in_(phase_rows),
                                           Submission.carried_from_id.is_not(None))  # fmt: skip
    if team is not None:
        query = query.where(Submission.team_id == team.id)
    return db.session.scalar(query.limit(1)) is not None


def may_upload(problem: Problem, team: Team) -> bool:
    """Whether the phase takes ``team``'s uploads at all (in its window)."""
    if problem.scoring_only:
        return False
    return problem.carry != Carry.TOP_N or qualified(problem, team)


def check_takes_uploads(problem: Problem, team: Team) -> None:
    """A scoring-only phase takes no uploads; a top N phase only the qualified teams'."""
    if problem.scoring_only:
        raise Forbidden(_("This phase takes no uploads: it scores the entries carried from the "
                          "previous phase."))  # fmt: skip
    if not may_upload(problem, team):
        if not qualified(problem, None):  # nobody carried yet: nothing decided
            raise Forbidden(_("The teams that enter this phase are not chosen yet."))
        raise Forbidden(_("Only the teams that qualified in the previous phase may submit to "
                          "this phase, and your team did not qualify."))  # fmt: skip


def _first_row(problem: Problem) -> Problem:
    if problem.task_index == 0:
        return problem
    return db.session.scalar(sa.select(Problem).where(
        Problem.series_id == problem.series_id, Problem.phase_index == problem.phase_index,
        Problem.task_index == 0))  # fmt: skip


def due(now: datetime) -> list[Problem]:
    """Carrying phases whose earlier phase has closed and finished scoring, while they still
    take entries; a top N phase only once the earlier private board is revealed (carrying by
    an unrevealed board would tell teams where they stand on it)."""
    targets = db.session.scalars(
        sa.select(Problem).where(Problem.series_id.is_not(None), Problem.task_index == 0,
                                 Problem.carry != Carry.NONE)
        .order_by(Problem.id))  # fmt: skip
    return [t for t in targets if _ready(t, now)]


def _ready(target: Problem, now: datetime) -> bool:
    source = source_of(target)
    if source is None or leaderboard.submissions_closed(target, now):
        return False
    if not leaderboard.submissions_closed(source, now) or _still_scoring(source):
        return False
    return target.carry == Carry.ALL or leaderboard.is_revealed(source, now)


def _still_scoring(source: Problem) -> bool:
    return db.session.scalar(
        sa.select(Submission.id).where(Submission.problem_id == source.id,
                                       Submission.status.in_((Status.QUEUED, Status.RUNNING)))
        .limit(1)) is not None  # fmt: skip


def carry_due(now: datetime) -> int:
    """The automatic carry (a periodic task): each due phase's new entries, by the private
    board; a phase with nothing new is left alone (no audit entry). Returns entries carried."""
    carried = 0
    for target in due(now):
        if plan(target, Board.PRIVATE, now).entries:
            carried += len(carry(target, None, now).entries)
    return carried
