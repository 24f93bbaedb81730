"""Final scores, award allocation, finalizing (locking) and the published results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from judge.accounts.models import User
from judge.audit import log as audit
from judge.competitions.models import Competition, Division
from judge.core.errors import Conflict, Invalid
from judge.core.extensions import db
from judge.finals import formula, judging, news
from judge.finals.models import AwardTier, Finalist, ResultEntry, SpecialPrize
from judge.finals.services import finalists, require_open, settings_of
from judge.leaderboard import services as leaderboard
from judge.problems.models import Problem


@dataclass(frozen=True)
class Line:
    """One finalist's result in its problem and division."""

    finalist: Finalist
    standing: formula.Standing | None  # None: disqualified or kept from awards
    tier: AwardTier | None


def tiers(problem: Problem, division_id: int | None = None) -> list[AwardTier]:
    query = sa.select(AwardTier).where(AwardTier.problem_id == problem.id)
    if division_id is not None:
        query = query.where(AwardTier.division_id == division_id)
    return list(db.session.scalars(query.order_by(AwardTier.division_id, AwardTier.position,
                                                  AwardTier.id)))  # fmt: skip


def add_tier(problem: Problem, division_id: int, values: dict,
             actor: User | None = None) -> AwardTier:  # fmt: skip
    """Add an award tier (its names unique in the problem's division); audited (money)."""
    require_open(problem.competition)
    if division_id not in {d.id for d in problem.competition.divisions}:
        raise Conflict(_("Choose a division of this competition."))
    _refuse_same_name(tiers(problem, division_id), values)
    tier = AwardTier(problem_id=problem.id, division_id=division_id,
                     position=len(tiers(problem, division_id)), **values)  # fmt: skip
    db.session.add(tier)
    db.session.flush()
    audit.record(actor, "award_added", problem.competition_id, problem.title, None,
                 _tier_record(tier))  # fmt: skip
    return tier


def _refuse_same_name(existing: list[AwardTier], values: dict) -> None:
    names = {n.strip().casefold() for t in existing for n in (t.name_ko, t.name_en) if n}
    for key in ("name_ko", "name_en"):
        name = (values.get(key) or "").strip()
        if name.casefold() in names:
            raise Invalid(_("This problem's division already has an award named “%(name)s”.",
                            name=name), field=key)  # fmt: skip


def _tier_record(tier: AwardTier) -> dict:
    division = db.session.get(Division, tier.division_id)
    return {"division": division.name, "name": tier.name_ko, "teams": tier.teams,
            "amount": tier.amount, "currency": tier.currency}  # fmt: skip


def remove_tier(problem: Problem, tier_id: int, actor: User | None = None) -> None:
    require_open(problem.competition)
    tier = db.session.get(AwardTier, tier_id)
    if tier is not None and tier.problem_id == problem.id:
        audit.record(actor, "award_removed", problem.competition_id, problem.title,
                     _tier_record(tier))  # fmt: skip
        db.session.delete(tier)
        db.session.flush()


def compute(problem: Problem) -> dict[int, list[Line]]:
    """Per division: the ranked finalists with their tiers, then those without a rank."""
    settings = settings_of(problem.competition)
    weights = formula.Weights(settings.quantitative_weight, settings.formula,
                              settings.exponent, problem.higher_is_better)  # fmt: skip
    out: dict[int, list[Line]] = {}
    by_division: dict[int, list[Finalist]] = {}
    for finalist in finalists(problem):
        by_division.setdefault(finalist.division_id, []).append(finalist)
    for division_id, group in by_division.items():
        out[division_id] = _division_lines(problem, division_id, group, weights, settings)
    return out


def _division_lines(problem, division_id, group, weights, settings) -> list[Line]:
    eligible = [f for f in group if f.may_win]
    candidates = [formula.Candidate(f.id, f.private_score, _qualitative(f, settings))
                  for f in eligible]  # fmt: skip
    ranked = formula.final_ranking(candidates, weights)
    division_tiers = tiers(problem, division_id)
    allocation = formula.allocate(ranked, [formula.Tier(t.id, t.teams) for t in division_tiers])
    tier_of = {key: t for t in division_tiers for key in allocation.by_tier[t.id]}
    by_id = {f.id: f for f in group}
    lines = [Line(by_id[s.key], s, tier_of.get(s.key)) for s in ranked]
    return lines + [Line(f, None, None) for f in group if not f.may_win]


def _qualitative(finalist: Finalist, settings) -> float | None:
    totals = list(judging.judge_totals(finalist).values())
    return formula.aggregate(totals, settings.aggregation, settings.trim)


def problems_with_finalists(competition: Competition) -> list[Problem]:
    query = (
        sa.select(Problem)
        .where(Problem.competition_id == competition.id,
               sa.exists().where(Finalist.problem_id == Problem.id))
        .order_by(Problem.id)
    )  # fmt: skip
    return list(db.session.scalars(query))


def incomplete(competition: Competition) -> list[Finalist]:
    """Finalists who may win but have no final score yet (a missing judge, no score)."""
    return [line.finalist for problem in problems_with_finalists(competition)
            for lines in compute(problem).values() for line in lines
            if line.standing is not None and line.standing.rank is None]  # fmt: skip


def unrevealed(competition: Competition, now: datetime) -> list[Problem]:
    """The problems the results cover whose private leaderboard is not public yet."""
    return [p for p in problems_with_finalists(competition)
            if not leaderboard.is_revealed(p, now)]  # fmt: skip


@dataclass(frozen=True)
class FinalizePlan:
    finalists: int  # the result lines finalizing publishes
    unrevealed: list[Problem]  # private leaderboards it reveals
    waiting: list[Finalist]  # finalists without a final score (finalizing is refused)


def finalize_plan(competition: Competition, now: datetime) -> FinalizePlan:
    """What :func:`finalize` would publish and reveal now (changes nothing)."""
    lines = sum(len(group) for p in problems_with_finalists(competition)
                for group in compute(p).values())  # fmt: skip
    return FinalizePlan(lines, unrevealed(competition, now), incomplete(competition))


def finalize(competition: Competition, actor: User, now: datetime, *, reveal: bool) -> int:
    """Write the results and lock stage two; refused while a finalist lacks a final score.

    The results show numbers derived from the private scores (the quantitative part, the
    order), so publishing them reveals the private leaderboard of every problem they cover:
    the organizer confirms that with ``reveal``, else nothing is published.
    """
    settings = require_open(competition)
    waiting = incomplete(competition)
    if waiting:
        names = ", ".join(sorted({f.team.name for f in waiting}))
        raise Conflict(_("Some finalists have no final score yet: %(names)s", names=names))
    hidden = unrevealed(competition, now)
    if hidden and not reveal:
        titles = ", ".join(p.title for p in hidden)
        raise Conflict(_("Confirm the reveal of the private leaderboards of %(titles)s: the "
                         "results show numbers derived from the private scores.",
                         titles=titles), field="reveal")  # fmt: skip
    for problem in hidden:
        leaderboard.reveal(problem, now, actor)
    db.session.execute(sa.delete(ResultEntry).where(ResultEntry.competition_id == competition.id))
    written = 0
    for problem in problems_with_finalists(competition):
        for lines in compute(problem).values():
            for line in lines:
                db.session.add(_entry(competition, line))
                written += 1
    settings.locked_at, settings.locked_by_id = now, actor.id
    audit.record(actor, "results_finalized", competition.id, competition.title, None,
                 {"entries": written})  # fmt: skip
    db.session.flush()
    news.results_published(competition, now)
    return written


def _entry(competition: Competition, line: Line) -> ResultEntry:
    s = line.standing
    return ResultEntry(
        competition_id=competition.id,
        finalist_id=line.finalist.id,
        rank=s.rank if s else None,
        final_score=s.final if s else None,
        quantitative=s.quantitative if s else None,
        qualitative=s.qualitative if s else None,
        tier_id=line.tier.id if line.tier else None,
    )


def reopen(competition: Competition, actor: User, reason: str) -> None:
    settings = settings_of(competition)
    if settings.locked_at is None:
        raise Conflict(_("The results are not finalized."))
    if not reason.strip():
        raise Invalid(_("Give the reason for reopening the results."), field="reason")
    before = {"finalized_at": settings.locked_at.isoformat()}
    settings.locked_at, settings.locked_by_id = None, None
    audit.record(actor, "results_reopened", competition.id, competition.title, before,
                 {"reason": reason.strip()})  # fmt: skip
    db.session.flush()


def published(competition: Competition) -> list[ResultEntry] | None:
    """The finalized results (None while not finalized): everyone may read them."""
    if settings_of(competition).locked_at is None:
        return None
    query = (
        sa.select(ResultEntry)
        .join(Finalist, Finalist.id == ResultEntry.finalist_id)
        .where(ResultEntry.competition_id == competition.id)
        .order_by(Finalist.problem_id, Finalist.division_id,
                  ResultEntry.rank.is_(None), ResultEntry.rank, ResultEntry.id)
    )  # fmt: skip
    return list(db.session.scalars(query))


def special_prizes(competition: Competition) -> list[SpecialPrize]:
    query = sa.select(SpecialPrize).where(SpecialPrize.competition_id == competition.id)
    return list(db.session.scalars(query.order_by(SpecialPrize.id)))


def add_special_prize(competition: Competition, team_id: int, values: dict,
                      actor: User | None = None) -> SpecialPrize:  # fmt: skip
    """Give a team a special prize by hand; audited (money)."""
    require_open(competition)
    prize = SpecialPrize(competition_id=competition.id, team_id=team_id, **values)
    db.session.add(prize)
    db.session.flush()
    money = {"name": prize.name, "amount": prize.amount, "currency": prize.currency}
    audit.record(actor, "special_prize_added", competition.id, prize.team.name, None, money)
    return prize
