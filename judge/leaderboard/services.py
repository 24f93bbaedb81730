"""Standings kept up to date as scores arrive, the boards, and who may see the private one."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple, TypeVar

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from judge.accounts.models import User
from judge.audit import log as audit
from judge.competitions import policy
from judge.competitions.models import Competition
from judge.core.errors import Conflict, Forbidden, NotFound
from judge.core.extensions import db
from judge.finals.assignments import judges_problem
from judge.leaderboard import cache, ranking, versions
from judge.leaderboard.models import Standing
from judge.problems import services as problems
from judge.problems.models import Problem
from judge.scoring.programs import columns
from judge.submissions.models import Score, Split, Status, Submission
from judge.teams.models import Team

T = TypeVar("T")


class Row(NamedTuple):
    """One team's line on a board (a tuple: a board of 10,000 teams builds 10,000 of them)."""

    rank: int
    team_id: int
    team: str
    division_id: int
    score: float
    submitted_at: datetime
    entries: int
    public_score: float | None = None
    private_score: float | None = None
    auto_selected: bool = False
    details: dict | None = None  # a scoring program's column values for this board


def _entries(problem: Problem, team_id: int) -> list[ranking.Entry]:
    rows = db.session.execute(
        sa.select(Submission.id, Submission.created_at, Submission.selected, Score.split,
                  Score.value, Score.details)
        .join(Score, Score.submission_id == Submission.id)
        .where(Submission.problem_id == problem.id, Submission.team_id == team_id,
               Submission.status == Status.SCORED)
    )  # fmt: skip
    merged: dict[int, dict] = {}
    for sub_id, created_at, selected, split, value, details in rows:
        item = merged.setdefault(sub_id, {"at": created_at, "selected": selected})
        item[split] = value
        item[(split, "details")] = details
    return [
        ranking.Entry(sid, v["at"], v.get(Split.PUBLIC), v.get(Split.PRIVATE), v["selected"],
                      v.get((Split.PUBLIC, "details")), v.get((Split.PRIVATE, "details")))
        for sid, v in merged.items()
    ]  # fmt: skip


def _tiebreak(problem: Problem) -> ranking.TieBreak:
    """The problem's secondary columns as a sort key (none for built-in metrics)."""
    secondary = columns.load(problem.score_columns)
    if len(secondary) < 2:
        return ranking.no_tiebreak
    return lambda details: columns.tie_breakers(details, secondary)


#: Problem settings that decide which entry is a team's final one, or its final score.
STANDING_SETTINGS = frozenset({"blend_public_weight", "max_final_selections"})


def change_settings(problem: Problem, actor: User, settings: dict, now: datetime) -> list[str]:
    """problems.change_settings, then every team's standing again if a setting that decides
    them changed (no board keeps a final score of the old rule)."""
    changed = problems.change_settings(problem, actor, settings, now)
    if STANDING_SETTINGS.intersection(changed):
        teams = db.session.scalars(
            sa.select(Team).join(Standing, Standing.team_id == Team.id)
            .where(Standing.problem_id == problem.id)
        ).all()  # fmt: skip
        for team in teams:
            refresh_standing(problem, team, now)
    return changed


def refresh_standing(problem: Problem, team: Team, now: datetime) -> Standing:
    """Recompute one team's standing on one problem from its scored submissions."""
    entries = _entries(problem, team.id)
    higher, tiebreak = problem.higher_is_better, _tiebreak(problem)
    best_public = ranking.best(entries, lambda e: e.public, higher, tiebreak,
                               lambda e: e.public_details)  # fmt: skip
    finals, auto = ranking.finals(entries, problem.max_final_selections, higher, tiebreak)
    weight = problem.blend_public_weight
    best_final = ranking.best(finals, lambda e: ranking.blended(e, weight), higher, tiebreak,
                              lambda e: e.private_details)  # fmt: skip
    standing = _standing_row(problem, team)
    standing.division_id = team.division_id
    standing.entries = len(entries)
    standing.public_score = best_public.public if best_public else None
    standing.public_submission_id = best_public.submission_id if best_public else None
    standing.public_submitted_at = best_public.submitted_at if best_public else None
    standing.public_details = best_public.public_details if best_public else None
    standing.private_score = best_final.private if best_final else None
    standing.final_score = ranking.blended(best_final, weight) if best_final else None
    standing.final_submission_id = best_final.submission_id if best_final else None
    standing.final_submitted_at = best_final.submitted_at if best_final else None
    standing.final_details = best_final.private_details if best_final else None
    standing.auto_selected = auto
    standing.last_submitted_at = max((e.submitted_at for e in entries), default=None)
    standing.updated_at = now
    db.session.flush()
    return standing


def _standing_row(problem: Problem, team: Team) -> Standing:
    standing = db.session.scalar(
        sa.select(Standing).where(Standing.problem_id == problem.id, Standing.team_id == team.id)
    )
    if standing is None:
        standing = Standing(problem_id=problem.id, team_id=team.id, division_id=team.division_id)
        db.session.add(standing)
    return standing


# The columns a board shows, in the order of Row's fields after ``rank``.
_PUBLIC = (Standing.public_score, Standing.public_submitted_at, Standing.entries,
           Standing.public_score, sa.null(), sa.false(), Standing.public_details)  # fmt: skip
_PRIVATE = (Standing.final_score, Standing.final_submitted_at, Standing.entries,
            Standing.public_score, Standing.private_score, Standing.auto_selected,
            Standing.final_details)  # fmt: skip


def _board(problem: Problem, private: bool, division_id: int | None) -> list[Row]:
    """One query of the columns shown, ranked in SQL's order (the secondary columns of a
    scoring program, when there are some, re-sort equal scores here)."""
    shown = _PRIVATE if private else _PUBLIC
    score, at = shown[0], shown[1]
    direction = sa.desc(score) if problem.higher_is_better else sa.asc(score)
    query = (
        sa.select(Standing.team_id, Team.name, Standing.division_id, *shown)
        .join(Team, Team.id == Standing.team_id)
        .where(
            Standing.problem_id == problem.id,
            score.is_not(None),
            Team.disbanded_at.is_(None),  # a disbanded or disqualified team leaves every board
            Team.disqualified_at.is_(None),
        )
        .order_by(direction, at, Standing.team_id)
    )
    if division_id is not None:
        query = query.where(Standing.division_id == division_id)
    found = db.session.execute(query).all()
    tiebreak = _tiebreak(problem)
    if tiebreak is not ranking.no_tiebreak:  # equal primary scores: secondary columns, then time
        found.sort(key=lambda row: _board_key(row, problem.higher_is_better, tiebreak))
    return [Row(rank, *row) for rank, row in enumerate(found, start=1)]


def _board_key(row, higher_is_better: bool, tiebreak: ranking.TieBreak) -> tuple:
    """``row``: team_id, name, division_id, score, submitted_at, …, details."""
    rank = ranking.order_key(row[3], row[4], higher_is_better, tiebreak(row[-1]))
    return (*rank, row[0])


def _board_problem(where) -> Problem:
    """The problem with its competition and divisions in one query (a board reads all three)."""
    query = (sa.select(Problem).join(Competition, Competition.id == Problem.competition_id)
             .where(where).options(joinedload(Problem.competition)
                                   .joinedload(Competition.divisions)))  # fmt: skip
    problem = db.session.scalars(query).unique().one_or_none()
    if problem is None:
        raise NotFound(_("No such problem."))
    return problem


def board_problem(problem_id: int) -> Problem:
    """The problem ``problem_id`` for reading its board (404 when there is none)."""
    return _board_problem(Problem.id == problem_id)


def board_problem_by_slug(slug: str, problem_slug: str) -> Problem:
    """The problem ``problem_slug`` of the competition ``slug`` for reading its board."""
    return _board_problem(sa.and_(Competition.slug == slug, Problem.slug == problem_slug))


def loaded_version(problem: Problem) -> int:
    """The board version loaded with ``problem``, without a query: for requests that read a
    board and change nothing before. Read before the board's rows, so what is kept under it
    is never older than it (a change in the reader's own transaction would not be in it:
    those read :func:`board_version`)."""
    return problem.board_version


def board_version(problem: Problem) -> int:
    """The problem's board version as this transaction sees it (read it once per request
    when several kept things of the problem are read together)."""
    return versions.read(problem.id, db.session)


def kept(problem: Problem, what: tuple, build: Callable[[], T], store: str = cache.BOARDS,
         version: int | None = None) -> T:  # fmt: skip
    """``build()`` once per board version of the problem in this process (not a copy: do not
    change it); ``what`` names it, with the problem's settings that shape every board."""
    shape = (problem.id, problem.higher_is_better, json.dumps(problem.score_columns))
    if version is None:
        version = board_version(problem)
    return cache.kept((*shape, *what), version, build, store)


def public_board(problem: Problem, division_id: int | None = None,
                 version: int | None = None) -> list[Row]:  # fmt: skip
    """Each team's best public score; ties to the earlier submission."""
    return kept(problem, ("rows", False, division_id), lambda: _board(problem, False, division_id),
                version=version)  # fmt: skip


def private_board(problem: Problem, division_id: int | None = None,
                  version: int | None = None) -> list[Row]:  # fmt: skip
    """Teams ranked by their final submissions' private (or blended) score."""
    return kept(problem, ("rows", True, division_id), lambda: _board(problem, True, division_id),
                version=version)  # fmt: skip


def is_revealed(problem: Problem, now: datetime) -> bool:
    """Revealed (by an organizer or at ``reveal_at``) and no longer taking submissions: a
    private board shown while teams still submit would let them aim at its rows, so moving a
    close date later hides it again until then."""
    _, closes = problem.window()
    if closes is not None and now < closes:
        return False
    return problem.revealed_at is not None or (
        problem.reveal_at is not None and now >= problem.reveal_at
    )


def submissions_closed(problem: Problem, now: datetime) -> bool:
    _, closes = problem.window()
    return closes is not None and now >= closes


def can_see_private(user: User | None, problem: Problem, now: datetime) -> bool:
    """Everyone after the reveal; organizers and the sponsor always; once closed, the judges
    of the problem (those assigned to it, or to no problem at all)."""
    if is_revealed(problem, now) or problems.can_manage(user, problem):
        return True
    return (policy.is_judge(user, problem.competition) and submissions_closed(problem, now)
            and judges_problem(user, problem))  # fmt: skip


def require_private(user: User | None, problem: Problem, now: datetime) -> None:
    if not can_see_private(user, problem, now):
        raise Forbidden(_("The private leaderboard is not revealed yet."))


def reveal_plan(problem: Problem) -> int:
    """How many teams' private scores :func:`reveal` shows to everyone (changes nothing)."""
    return len(private_board(problem))


def reveal(problem: Problem, now: datetime, actor: User | None = None) -> Problem:
    """Show the private board to everyone; refused while the problem takes submissions (it
    would stay hidden until they close, see :func:`is_revealed`)."""
    closes = problem.window()[1]
    if closes is not None and now < closes:
        raise Conflict(_("Submissions to %(problem)s are still open: its private leaderboard "
                         "can be revealed once they close.", problem=problem.title))  # fmt: skip
    if problem.revealed_at is None:
        audit.record(actor, "revealed", problem.competition_id, problem.title)
    problem.revealed_at = problem.revealed_at or now
    db.session.flush()
    return problem


def hide(problem: Problem) -> Problem:
    problem.revealed_at = None
    db.session.flush()
    return problem
