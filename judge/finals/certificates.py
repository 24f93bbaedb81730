"""Certificates (상장) of the published results: one per award and awarded team.

An award is a tier a finalist reached or a special prize. Certificates exist only while the
results are published (finalized): the team's members download their own team's, the
competition's organizers any of them; everyone else gets nothing, before and after.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from judge.accounts.models import User
from judge.competitions import policy
from judge.competitions.models import Competition
from judge.finals import results
from judge.finals.models import ResultEntry, SpecialPrize
from judge.finals.services import settings_of
from judge.teams import services as teams
from judge.teams.models import Team


@dataclass(frozen=True)
class Award:
    """What one certificate says, apart from the words of its language: plain values, so a
    ZIP streamed after the request's database work can still lay certificates out."""

    key: str  # "tier-<result entry id>" or "prize-<special prize id>": the URL's name
    team: Team  # for who may download it; the page uses the plain values below
    team_name: str
    members: tuple[str, ...]
    name_ko: str
    name_en: str
    awarding_body: str
    amount: int
    currency: str
    problem: str | None  # a special prize is given for the competition as a whole
    division: str
    competition: str
    timezone: str
    published_at: datetime

    def name(self, language: str) -> str:
        return self.name_ko if language == "ko" else self.name_en

    def filename(self, language: str) -> str:
        team = re.sub(r'[\\/:*?"<>|\s]+', "_", self.team_name)  # safe in any file system
        return f"{team}-{self.key}-{language}.pdf"


def awards(competition: Competition) -> list[Award]:
    """Every award of the published results, tiers first; none while not published."""
    entries = results.published(competition)
    if entries is None:
        return []
    at = settings_of(competition).locked_at
    tiers = [_tier_award(e, at) for e in entries if e.tier is not None and e.rank is not None]
    return tiers + [_prize_award(p, at) for p in results.special_prizes(competition)]


def _tier_award(entry: ResultEntry, at: datetime) -> Award:
    tier, finalist = entry.tier, entry.finalist
    return _award(f"tier-{entry.id}", finalist.team, at, name_ko=tier.name_ko,
                  name_en=tier.name_en, awarding_body=tier.awarding_body, amount=tier.amount,
                  currency=tier.currency, problem=finalist.problem.title)  # fmt: skip


def _prize_award(prize: SpecialPrize, at: datetime) -> Award:
    return _award(f"prize-{prize.id}", prize.team, at, name_ko=prize.name, name_en=prize.name,
                  awarding_body=prize.awarding_body, amount=prize.amount,
                  currency=prize.currency, problem=None)  # fmt: skip


def _award(key: str, team: Team, at: datetime, **what) -> Award:
    competition = team.competition
    return Award(key, team, team.name, tuple(m.name for m in team.roster), **what,
                 division=team.division.name, competition=competition.title,
                 timezone=competition.timezone, published_at=at)  # fmt: skip


def may_download(user: User | None, award: Award) -> bool:
    return teams.is_member(user, award.team) or policy.is_organizer(user, award.team.competition)


def downloadable(user: User | None, competition: Competition) -> list[Award]:
    """The published awards whose certificates ``user`` may download."""
    return [a for a in awards(competition) if may_download(user, a)]


def find(user: User | None, competition: Competition, key: str) -> Award | None:
    """The award named ``key`` if it is published and ``user`` may download it."""
    return next((a for a in downloadable(user, competition) if a.key == key), None)


def of_team(user: User | None, team: Team) -> list[Award]:
    """The certificates of ``team`` that ``user`` may download (its members, organizers)."""
    return [a for a in downloadable(user, team.competition) if a.team.id == team.id]
