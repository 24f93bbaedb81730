"""The site-wide audit view: every competition's entries and the site-wide ones, newest first,
a page at a time, filtered by competition, actor and action."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from judge.accounts.models import User
from judge.audit.models import AuditEntry
from judge.core.extensions import db

PER_PAGE = 50


@dataclass(frozen=True)
class Filters:
    competition_id: int | None = None
    actor: str = ""  # part of the actor's name or address
    action: str | None = None


@dataclass(frozen=True)
class Page:
    entries: list[AuditEntry]
    number: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PER_PAGE))


def search(filters: Filters, number: int = 1) -> Page:
    """The entries that match every filter given, newest first."""
    query = sa.select(AuditEntry).where(*_conditions(filters))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
    number = min(max(number, 1), max(1, -(-total // PER_PAGE)))
    found = db.session.scalars(
        query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .offset((number - 1) * PER_PAGE)
        .limit(PER_PAGE)
    )
    return Page(list(found), number, total)


def _conditions(filters: Filters) -> list[sa.ColumnElement[bool]]:
    conditions = []
    if filters.competition_id is not None:
        conditions.append(AuditEntry.competition_id == filters.competition_id)
    if filters.action:
        conditions.append(AuditEntry.action == filters.action)
    words = filters.actor.strip()
    if words:
        people = sa.select(User.id).where(
            sa.or_(User.name.icontains(words, autoescape=True),
                   User.email.icontains(words, autoescape=True))
        )  # fmt: skip
        conditions.append(AuditEntry.actor_id.in_(people))
    return conditions
