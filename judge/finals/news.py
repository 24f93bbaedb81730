"""What finalists and organizers hear about stage two: shortlisted, reproduction outcome,
results and awards, a judge who finished scoring, and the hand-in reminder (periodic)."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from judge.accounts.models import User
from judge.competitions.models import Competition
from judge.core.extensions import db
from judge.finals.models import AwardTier, Finalist, FinalsSettings, ResultEntry
from judge.notifications import services as notifications
from judge.notifications.kinds import Kind
from judge.problems.models import Problem
from judge.teams.models import Team

REMIND_BEFORE = timedelta(hours=24)


def _materials(competition: Competition) -> str:
    return notifications.path("finals.materials_page", slug=competition.slug)


def _tell(finalist: Finalist, kind: Kind, key: str, now: datetime, link: str,
          **params) -> list:  # fmt: skip
    problem = finalist.problem
    return notifications.notify_team(finalist.team, kind, key, now, link=link, problem=problem,
                              params={"team": finalist.team.name, "problem": problem.title,
                                      **params})  # fmt: skip


def shortlisted(finalists: list[Finalist], deadline: datetime | None, now: datetime) -> None:
    """Each finalist's team, once per problem (a rebuilt shortlist tells only newcomers)."""
    at = deadline.isoformat() if deadline else None
    for f in finalists:
        link = _materials(f.problem.competition)
        _tell(f, Kind.SHORTLISTED, f"shortlisted:{f.problem_id}:{f.team_id}", now, link,
              deadline_at=at)  # fmt: skip


def reproduced(finalist: Finalist, outcome: str, now: datetime) -> None:
    """The outcome only: the note compares private scores, which stay the organizers'."""
    link = _materials(finalist.problem.competition)
    _tell(finalist, Kind.REPRODUCTION, f"reproduction:{finalist.id}:{outcome}", now, link,
          outcome=str(outcome))  # fmt: skip


def results_published(competition: Competition, now: datetime) -> None:
    """Every participant, once: each team's members with the team's own awards named (in
    both languages), and those without a team with the plain line."""
    link = notifications.path("finals.results_page", slug=competition.slug)
    key = f"results:{competition.id}"
    awards = _awards(competition)
    teams = db.session.scalars(
        sa.select(Team).where(Team.competition_id == competition.id, Team.disbanded_at.is_(None))
    ).all()
    for team in teams:
        params = {"team": team.name, "award": awards.get(team.id)}
        notifications.notify_team(team, Kind.RESULTS_PUBLISHED, key, now, link=link,
                                  params=params)  # fmt: skip
    notifications.notify(notifications.participants(competition), Kind.RESULTS_PUBLISHED,
                         competition, key, now, link=link)  # fmt: skip


def _awards(competition: Competition) -> dict[int, dict]:
    """Each awarded team's tiers, named in both languages: team id → {"ko": .., "en": ..}."""
    rows = db.session.execute(
        sa.select(Finalist.team_id, AwardTier.name_ko, AwardTier.name_en)
        .join(ResultEntry, ResultEntry.finalist_id == Finalist.id)
        .join(AwardTier, AwardTier.id == ResultEntry.tier_id)
        .where(ResultEntry.competition_id == competition.id)
        .order_by(ResultEntry.id)
    ).all()
    names: dict[int, dict[str, list[str]]] = {}
    for team_id, ko, en in rows:
        named = names.setdefault(team_id, {"ko": [], "en": []})
        named["ko"].append(ko)
        named["en"].append(en)
    return {t: {lang: ", ".join(n) for lang, n in named.items()} for t, named in names.items()}


def judge_finished(judge: User, competition: Competition, waiting: dict, now: datetime) -> None:
    """Tell the organizers once a judge has scored every finalist they may score.

    ``waiting``: for each finalist, the judges yet to finish (judging.missing)."""
    if any(judge in judges for judges in waiting.values()):
        return
    notifications.notify(notifications.organizers(competition), Kind.JUDGE_FINISHED, competition,
                         f"judged:{competition.id}:{judge.id}", now,
                         link=notifications.path("finals.console", slug=competition.slug),
                         params={"judge": judge.name})  # fmt: skip


def remind_hand_in(now: datetime) -> int:
    """Finalists who have handed in nothing, within 24 hours of their hand-in deadline."""
    due = db.session.scalars(
        sa.select(Finalist)
        .join(Problem, Problem.id == Finalist.problem_id)
        .join(FinalsSettings, FinalsSettings.competition_id == Problem.competition_id)
        .where(
            Finalist.uploaded_at.is_(None),
            Finalist.disqualified_at.is_(None),
            FinalsSettings.uploads_close_at > now,
            FinalsSettings.uploads_close_at <= now + REMIND_BEFORE,
            FinalsSettings.locked_at.is_(None),
        )
    ).all()
    made = 0
    for f in due:
        deadline = db.session.get(FinalsSettings, f.problem.competition_id).uploads_close_at
        link = _materials(f.problem.competition)
        made += len(_tell(f, Kind.HANDIN_REMINDER, f"handin:{f.id}", now, link,
                          deadline_at=deadline.isoformat()))  # fmt: skip
    return made
