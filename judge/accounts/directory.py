"""The site administrators' list of accounts: search by name, address or affiliation."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from judge.accounts.models import User
from judge.core.errors import NotFound
from judge.core.extensions import db

PER_PAGE = 50


@dataclass(frozen=True)
class Page:
    users: list[User]
    number: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PER_PAGE))


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search(text: str | None, number: int = 1) -> Page:
    """Accounts whose name, address or affiliation contains ``text``, newest first."""
    query = sa.select(User)
    words = (text or "").strip()
    if words:
        pattern = f"%{_escaped(words.lower())}%"
        query = query.where(
            sa.or_(*(sa.func.lower(column).like(pattern, escape="\\")
                     for column in (User.name, User.email, User.affiliation)))
        )  # fmt: skip
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    number = min(max(number, 1), max(1, -(-total // PER_PAGE)))
    found = db.session.scalars(
        query.order_by(User.id.desc()).offset((number - 1) * PER_PAGE).limit(PER_PAGE)
    )
    return Page(list(found), number, total)


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("No such user."))
    return user
