"""Judges score finalists on the rubric: independently, and never their own affiliation's team.

- A judge is a person with the judge role in the competition. The organizer may assign
  a judge to problems: then the judge sees and scores only those problems' finalists
  (and is awaited only there); a judge without an assignment judges every problem.
- Conflict of interest: a judge whose affiliation (compared without case and spaces) is
  the affiliation of any member of a team cannot score that team, nor see its scores.
- Independence: a judge sees the other judges' scores of a finalist only once their own
  scores of it are complete. Organizers see every score and who has yet to score.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from judge.accounts.models import User
from judge.audit import log as audit
from judge.competitions import policy
from judge.competitions.models import Competition, CompetitionRole, Role
from judge.core.errors import Forbidden, Invalid
from judge.core.extensions import db
from judge.finals import formula, news
from judge.finals.assignments import assigned_problem_ids, judges_problem
from judge.finals.models import Criterion, Finalist, JudgeScore, ProblemJudge
from judge.finals.services import require_open
from judge.problems.models import Problem


def criteria(competition: Competition) -> list[Criterion]:
    query = (
        sa.select(Criterion)
        .where(Criterion.competition_id == competition.id)
        .order_by(Criterion.position, Criterion.id)
    )
    return list(db.session.scalars(query))


def add_criterion(competition: Competition, name: str, weight: float, max_points: float,
                  description: str = "", actor: User | None = None) -> Criterion:  # fmt: skip
    """Add a rubric criterion (its name unique in the rubric); audited, as it moves ranks."""
    require_open(competition)
    name = name.strip()
    if not name:
        raise Invalid(_("Name the criterion."), field="name")
    if weight <= 0 or max_points <= 0:
        raise Invalid(_("The weight and the maximum points must be above zero."),
                      field="weight")  # fmt: skip
    if name.casefold() in {c.name.casefold() for c in criteria(competition)}:
        raise Invalid(_("The rubric already has a criterion named “%(name)s”.", name=name),
                      field="name")  # fmt: skip
    criterion = Criterion(competition_id=competition.id, name=name, weight=weight,
                          max_points=max_points, description=description,
                          position=len(criteria(competition)))  # fmt: skip
    db.session.add(criterion)
    db.session.flush()
    audit.record(actor, "criterion_added", competition.id, name, None,
                 {"weight": weight, "max_points": max_points})  # fmt: skip
    return criterion


def remove_criterion(competition: Competition, criterion_id: int,
                     actor: User | None = None) -> None:  # fmt: skip
    require_open(competition)
    criterion = db.session.get(Criterion, criterion_id)
    if criterion is not None and criterion.competition_id == competition.id:
        audit.record(actor, "criterion_removed", competition.id, criterion.name,
                     {"weight": criterion.weight, "max_points": criterion.max_points})  # fmt: skip
        db.session.delete(criterion)
        db.session.flush()


def judges(competition: Competition) -> list[User]:
    query = (
        sa.select(User)
        .join(CompetitionRole, CompetitionRole.user_id == User.id)
        .where(CompetitionRole.competition_id == competition.id, CompetitionRole.role == Role.JUDGE)
        .order_by(User.name, User.id)
    )
    return list(db.session.scalars(query))


def judges_of(problem: Problem) -> list[User]:
    """The competition's judges who judge ``problem``."""
    assigned = assignments(problem.competition)
    return [j for j in judges(problem.competition)
            if j.id not in assigned or problem in assigned[j.id]]  # fmt: skip


def finalists_for(judge: User, competition: Competition) -> list[Finalist]:
    """The finalists the judge judges: every one, or those of the assigned problems."""
    assigned = assigned_problem_ids(judge, competition)
    return [f for f in competition_finalists(competition)
            if not assigned or f.problem_id in assigned]  # fmt: skip


def assignments(competition: Competition) -> dict[int, list[Problem]]:
    """Each assigned judge's problems, by user id (judges of every problem are absent)."""
    query = (
        sa.select(ProblemJudge.user_id, Problem)
        .join(Problem, Problem.id == ProblemJudge.problem_id)
        .where(Problem.competition_id == competition.id)
        .order_by(Problem.id)
    )
    out: dict[int, list[Problem]] = {}
    for user_id, problem in db.session.execute(query):
        out.setdefault(user_id, []).append(problem)
    return out


def assign(problem: Problem, judge_id: int, actor: User) -> None:
    """Let the judge score ``problem`` (and, once assigned somewhere, only assigned problems)."""
    competition = problem.competition
    require_open(competition)
    judge = next((j for j in judges(competition) if j.id == judge_id), None)
    if judge is None:
        raise Invalid(_("Choose one of the competition's judges."), field="judge_id")
    if db.session.get(ProblemJudge, (problem.id, judge.id)) is None:
        db.session.add(ProblemJudge(problem_id=problem.id, user_id=judge.id))
        audit.record(actor, "judge_assigned", competition.id, f"{judge.name} → {problem.title}",
                     None, {"problem": problem.slug})  # fmt: skip
        db.session.flush()


def unassign(problem: Problem, judge_id: int, actor: User) -> None:
    require_open(problem.competition)
    row = db.session.get(ProblemJudge, (problem.id, judge_id))
    if row is not None:
        judge = db.session.get(User, judge_id)
        subject = f"{judge.name} → {problem.title}"
        audit.record(actor, "judge_unassigned", problem.competition.id, subject,
                     {"problem": problem.slug}, None)  # fmt: skip
        db.session.delete(row)
        db.session.flush()


def _normal(affiliation: str) -> str:
    return "".join(affiliation.split()).casefold()


def conflicted(judge: User, finalist: Finalist) -> bool:
    """The judge shares an affiliation with a member of the finalist's team."""
    mine = _normal(judge.affiliation or "")
    return bool(mine) and any(_normal(m.affiliation or "") == mine for m in finalist.team.members)


def competition_finalists(competition: Competition) -> list[Finalist]:
    query = (
        sa.select(Finalist)
        .join(Problem, Problem.id == Finalist.problem_id)
        .where(Problem.competition_id == competition.id, Finalist.disqualified_at.is_(None))
        .order_by(Problem.id, Finalist.division_id, Finalist.private_rank)
    )
    return list(db.session.scalars(query))


def points_of(finalist: Finalist, judge_id: int) -> dict[int, float]:
    rows = db.session.scalars(
        sa.select(JudgeScore).where(JudgeScore.finalist_id == finalist.id,
                                    JudgeScore.judge_id == judge_id)
    )  # fmt: skip
    return {row.criterion_id: row.points for row in rows}


def _rubric(competition: Competition) -> list[formula.Criterion]:
    return [formula.Criterion(c.id, c.weight, c.max_points) for c in criteria(competition)]


def require_judge(user: User | None, competition: Competition) -> None:
    if not policy.is_judge(user, competition):
        raise Forbidden(_("Only the competition's judges score finalists."))


def save_scores(judge: User, finalist: Finalist, points: dict[int, float],
                now: datetime) -> None:  # fmt: skip
    """A judge's points for one finalist; a change to points already given is audited."""
    competition = finalist.problem.competition
    require_judge(judge, competition)
    require_open(competition)
    check_may_score(judge, finalist)
    rubric = {c.id: c for c in criteria(competition)}
    _check_points(rubric, points)
    write_points(judge, finalist, rubric, points, now)
    db.session.flush()
    news.judge_finished(judge, competition, missing(competition), now)


def check_may_score(judge: User, finalist: Finalist) -> None:
    if not judges_problem(judge, finalist.problem):
        raise Forbidden(_("You are not a judge of this problem."))
    if conflicted(judge, finalist) or finalist.disqualified:
        raise Forbidden(_("You cannot score this team: you share an affiliation with it."))


def write_points(judge: User, finalist: Finalist, rubric: dict[int, Criterion],
                 points: dict[int, float], now: datetime) -> None:  # fmt: skip
    """Store checked points; changing points already given is audited."""
    earlier = points_of(finalist, judge.id)
    for criterion_id, value in points.items():
        _store(finalist.id, judge.id, criterion_id, value, now)
    changed = {k: v for k, v in earlier.items() if points.get(k, v) != v}
    if changed:
        audit.record(judge, "judge_score_changed", finalist.problem.competition_id,
                     f"{judge.name} → {finalist.team.name}",
                     {rubric[k].name: v for k, v in changed.items()},
                     {rubric[k].name: points[k] for k in changed})  # fmt: skip


def _check_points(rubric: dict[int, Criterion], points: dict[int, float]) -> None:
    for criterion_id, value in points.items():
        criterion = rubric.get(criterion_id)
        if criterion is None:
            raise Invalid(_("Unknown criterion."), field="points")
        if not 0 <= value <= criterion.max_points:
            most = format(criterion.max_points, "g")
            raise Invalid(_("%(name)s: give 0 to %(most)s points.", name=criterion.name,
                            most=most), field=str(criterion_id))  # fmt: skip


def _store(finalist_id: int, judge_id: int, criterion_id: int, value: float,
           now: datetime) -> None:  # fmt: skip
    row = db.session.scalar(
        sa.select(JudgeScore).where(JudgeScore.finalist_id == finalist_id,
                                    JudgeScore.judge_id == judge_id,
                                    JudgeScore.criterion_id == criterion_id)
    )  # fmt: skip
    if row is None:
        row = JudgeScore(finalist_id=finalist_id, judge_id=judge_id, criterion_id=criterion_id)
        db.session.add(row)
    row.points, row.updated_at = value, now


def judge_totals(finalist: Finalist) -> dict[int, float]:
    """Each judge's complete total for the finalist (judges still scoring are left out)."""
    rubric = _rubric(finalist.problem.competition)
    rows = db.session.scalars(sa.select(JudgeScore).where(JudgeScore.finalist_id == finalist.id))
    by_judge: dict[int, dict[int, float]] = {}
    for row in rows:
        by_judge.setdefault(row.judge_id, {})[row.criterion_id] = row.points
    totals = {j: formula.judge_total(rubric, p) for j, p in by_judge.items()}
    return {j: t for j, t in totals.items() if t is not None}


@dataclass(frozen=True)
class JudgeView:
    """What one judge sees of one finalist."""

    finalist: Finalist
    conflicted: bool
    own: dict[int, float]
    total: float | None  # the judge's own weighted total on 0–100, once every criterion is in
    others: list[float] | None  # other judges' totals: None until the judge's own are in


def judge_view(judge: User, finalist: Finalist) -> JudgeView:
    rubric = _rubric(finalist.problem.competition)
    if conflicted(judge, finalist):
        return JudgeView(finalist, True, {}, None, None)
    own = points_of(finalist, judge.id)
    total = formula.judge_total(rubric, own)
    others = None
    if total is not None:
        others = [t for j, t in judge_totals(finalist).items() if j != judge.id]
    return JudgeView(finalist, False, own, total, others)


def missing(competition: Competition) -> dict[int, list[User]]:
    """For each finalist, the judges (without a conflict) who have not finished scoring."""
    rubric = _rubric(competition)
    panels: dict[int, list[User]] = {}
    out = {}
    for finalist in competition_finalists(competition):
        if finalist.problem_id not in panels:
            panels[finalist.problem_id] = judges_of(finalist.problem)
        out[finalist.id] = [
            j for j in panels[finalist.problem_id]
            if not conflicted(j, finalist)
            and formula.judge_total(rubric, points_of(finalist, j.id)) is None
        ]  # fmt: skip
    return out
