"""Stage two for organizers: settings, the shortlist, disqualification, overrides.

Every change here is refused once the results are finalized (reopen first), and every
privileged act is written to the audit log in the same transaction.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from judge.accounts.models import User
from judge.audit import log as audit
from judge.competitions.models import Competition
from judge.core import queue
from judge.core.errors import Conflict, Invalid
from judge.core.extensions import db
from judge.finals import formula, news
from judge.finals.models import Finalist, FinalsSettings, Reproduction
from judge.leaderboard import services as leaderboard
from judge.problems import series
from judge.problems.models import Problem, ProblemSeries

SETTINGS_FIELDS = ("finalists_per_division", "uploads_close_at", "max_upload_mb", "aggregation",
                   "trim", "quantitative_weight", "formula", "exponent",
                   "bootstrap_resamples")  # fmt: skip


def settings_of(competition: Competition) -> FinalsSettings:
    settings = db.session.get(FinalsSettings, competition.id)
    if settings is None:
        settings = FinalsSettings(competition_id=competition.id)
        db.session.add(settings)
        db.session.flush()
    return settings


def require_open(competition: Competition) -> FinalsSettings:
    settings = settings_of(competition)
    if settings.locked_at is not None:
        raise Conflict(_("The results are finalized. Reopen them to change anything."))
    return settings


def update_settings(competition: Competition, actor: User, values: dict) -> FinalsSettings:
    settings = require_open(competition)
    _check_settings(values)
    before = {k: _plain(getattr(settings, k)) for k in SETTINGS_FIELDS if k in values}
    for key, value in values.items():
        if key in SETTINGS_FIELDS:
            setattr(settings, key, value)
    after = {k: _plain(getattr(settings, k)) for k in before}
    if before != after:
        # the subject is data, not words: an entry is read in every reader's language
        audit.record(actor, "settings_changed", competition.id, competition.title, before, after)
    db.session.flush()
    return settings


def _check_settings(values: dict) -> None:
    if not 0 <= values.get("quantitative_weight", 0) <= 1:
        raise Invalid(_("The quantitative weight must be between 0 and 1."),
                      field="quantitative_weight")  # fmt: skip
    if values.get("formula", formula.RANK) not in (formula.RANK, formula.RATIO):
        raise Invalid(_("Unknown formula."), field="formula")
    if values.get("aggregation", formula.MEAN) not in (formula.MEAN, formula.TRIMMED_MEAN):
        raise Invalid(_("Unknown aggregation."), field="aggregation")
    if not 0 <= values.get("trim", 0) < 0.5:
        raise Invalid(_("The trimmed share must be at least 0 and below 0.5."), field="trim")
    if not 100 <= values.get("bootstrap_resamples", 1000) <= 10_000:
        raise Invalid(_("Use 100 to 10,000 bootstrap resamples."), field="bootstrap_resamples")
    if values.get("finalists_per_division", 1) < 1:
        raise Invalid(_("Shortlist at least one team."), field="finalists_per_division")


def _plain(value):
    return value.isoformat() if isinstance(value, datetime) else value


def finalists(problem: Problem) -> list[Finalist]:
    query = (
        sa.select(Finalist)
        .where(Finalist.problem_id == problem.id)
        .order_by(Finalist.division_id, Finalist.private_rank, Finalist.id)
    )
    return list(db.session.scalars(query))


def shortlist_plan(problem: Problem) -> list[tuple[str, int]]:
    """How many teams :func:`shortlist` would make finalists in each division (changes
    nothing): the same private boards and the same number per division."""
    per_division = settings_of(problem.competition).finalists_per_division
    return [(d.name, len(leaderboard.private_board(problem, d.id)[:per_division]))
            for d in problem.competition.divisions]  # fmt: skip


def check_decides(problem: Problem) -> Problem:
    """Finals rank a series by its deciding row (a problem on its own decides its own)."""
    if not problem.decides_ranking:
        raise Conflict(_("This phase does not decide the ranking: shortlist on the phase that "
                         "does, or choose this one on the finals console first."))  # fmt: skip
    return problem


def shortlist(problem: Problem, actor: User, now: datetime) -> list[Finalist]:
    """The top N teams of each division's private board become finalists (again: the
    shortlist is rebuilt, keeping what earlier finalists uploaded and were judged on)."""
    competition = problem.competition
    settings = require_open(competition)
    check_decides(problem)
    if not leaderboard.submissions_closed(problem, now):
        raise Conflict(_("Shortlist after submissions close."))
    kept = {f.team_id: f for f in finalists(problem)}
    chosen = []
    for division in competition.divisions:
        board = leaderboard.private_board(problem, division.id)
        for row in board[: settings.finalists_per_division]:
            chosen.append(_finalist(problem, row, kept.pop(row.team_id, None), now))
    for dropped in kept.values():
        db.session.delete(dropped)
    audit.record(actor, "shortlisted", competition.id, problem.title, None,
                 {"teams": [f.team.name for f in chosen]})  # fmt: skip
    db.session.flush()
    news.shortlisted(chosen, settings.uploads_close_at, now)
    return chosen


def _finalist(problem: Problem, row, finalist: Finalist | None, now: datetime) -> Finalist:
    if finalist is None:
        finalist = Finalist(problem_id=problem.id, team_id=row.team_id, shortlisted_at=now,
                            reproduction=(Reproduction.PENDING if problem.mode.reproduction
                                          else Reproduction.NOT_NEEDED))  # fmt: skip
        db.session.add(finalist)
    finalist.division_id = row.division_id
    finalist.private_rank = row.rank
    finalist.private_score = row.score
    return finalist


def finalist_of(competition: Competition, finalist_id: int) -> Finalist | None:
    finalist = db.session.get(Finalist, finalist_id)
    if finalist is None or finalist.problem.competition_id != competition.id:
        return None
    return finalist


def disqualify(finalist: Finalist, actor: User, reason: str, now: datetime) -> Finalist:
    require_open(finalist.problem.competition)
    if not reason.strip():
        raise Invalid(_("Give the reason for the disqualification."), field="reason")
    finalist.disqualified_at, finalist.disqualified_reason = now, reason.strip()
    audit.record(actor, "disqualified", finalist.problem.competition_id, finalist.team.name,
                 None, {"reason": finalist.disqualified_reason})  # fmt: skip
    db.session.flush()
    return finalist


def reinstate(finalist: Finalist, actor: User) -> Finalist:
    require_open(finalist.problem.competition)
    before = {"reason": finalist.disqualified_reason}
    finalist.disqualified_at, finalist.disqualified_reason = None, ""
    audit.record(actor, "reinstated", finalist.problem.competition_id, finalist.team.name,
                 before, None)  # fmt: skip
    db.session.flush()
    return finalist


def override_reproduction(finalist: Finalist, actor: User, reason: str) -> Finalist:
    """Let a team whose reproduction failed win anyway, for a written reason."""
    require_open(finalist.problem.competition)
    if finalist.reproduction != Reproduction.FAILED:
        raise Conflict(_("Only a failed reproduction can be overridden."))
    if not reason.strip():
        raise Invalid(_("Give the reason for the override."), field="reason")
    finalist.override_reason = reason.strip()
    audit.record(actor, "reproduction_overridden", finalist.problem.competition_id,
                 finalist.team.name, {"reproduction": finalist.reproduction},
                 {"override": finalist.override_reason})  # fmt: skip
    db.session.flush()
    return finalist


def request_reproductions(problem: Problem, actor: User) -> list[int]:
    """Mark the problem's code finalists pending; a re-run of each is queued on commit."""
    require_open(problem.competition)
    check_decides(problem)
    if not problem.mode.reproduction:
        raise Conflict(_("Only code submissions can be re-run."))
    chosen = [f for f in finalists(problem) if not f.disqualified]
    for finalist in chosen:
        finalist.reproduction, finalist.reproduction_note = Reproduction.PENDING, ""
        queue.after_commit("judge.finals.reproduce", finalist.id)
    db.session.flush()
    return [f.id for f in chosen]


def set_tolerance(problem: Problem, actor: User, tolerance: float) -> None:
    require_open(problem.competition)
    if not (0 <= tolerance <= 1e6):
        raise Invalid(_("The tolerance must be zero or more."), field="tolerance")
    before = problem.reproduction_tolerance
    problem.reproduction_tolerance = tolerance
    key = "reproduction_tolerance"
    audit.record(actor, "settings_changed", problem.competition_id, problem.title,
                 {key: before}, {key: tolerance})  # fmt: skip
    db.session.flush()


def set_medals(problem: Problem, actor: User, on: bool) -> None:
    require_open(problem.competition)
    if problem.medals != on:
        audit.record(actor, "settings_changed", problem.competition_id, problem.title,
                     {"medals": problem.medals}, {"medals": on})  # fmt: skip
        problem.medals = on
        db.session.flush()


def finalist_of_team(problem: Problem, team_id: int) -> Finalist | None:
    return db.session.scalar(
        sa.select(Finalist).where(Finalist.problem_id == problem.id, Finalist.team_id == team_id)
    )


def phased(competition: Competition) -> list[tuple[ProblemSeries, list[Problem]]]:
    """The competition's problems with phases, each with its rows' first tasks (its phases)."""
    found = db.session.scalars(sa.select(ProblemSeries).where(
        ProblemSeries.competition_id == competition.id).order_by(ProblemSeries.id))  # fmt: skip
    return [(s, [r for r in series.rows(s) if r.task_index == 0 or r.decides_ranking])
            for s in found]  # fmt: skip


def set_deciding(competition: Competition, series_id: int, row_id: int,
                 actor: User) -> Problem:  # fmt: skip
    """Make a phase of a series the one finals rank by (refused once there is a shortlist)."""
    require_open(competition)
    found = db.session.get(ProblemSeries, series_id)
    row = db.session.get(Problem, row_id)
    if found is None or found.competition_id != competition.id or row is None:
        raise Invalid(_("Choose a phase of this competition's problem."), field="row_id")
    return series.set_decides_ranking(found, row, actor)
