"""A competition with one person in every role, for the web tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import current_app

from judge.competitions import services as competitions
from judge.competitions.models import Competition, Role
from judge.core.db import unit_of_work
from judge.core.extensions import db

# Labels no page may ever show: they exist only in the hidden solution.
SECRET_SOLUTION = "id,label\n" + "".join(f"{i},secret-{i % 2}\n" for i in range(1, 41))
ROLES = (
    "anonymous",
    "outsider",
    "participant",
    "rival",
    "judge",
    "sponsor",
    "other_sponsor",
    "organizer",
    "admin",
)


@dataclass
class Cast:
    competition: Competition
    people: dict = field(default_factory=dict)
    problem: object = None
    draft: object = None
    team: object = None
    rival_team: object = None

    def __getitem__(self, role: str):
        return self.people.get(role)


@pytest.fixture
def cast(make) -> Cast:
    return build_cast(make)


def build_cast(make) -> Cast:
    organizer = make.user(name="Olive Organizer")
    competition = make.competition(organizer, rules="Be fair.")
    with unit_of_work():
        competitions.add_sponsor(competition, "Other Sponsor")
    people = {
        "anonymous": None,
        "outsider": make.user(name="Otto Outsider"),
        "participant": make.user(name="Pia Participant"),
        "rival": make.user(name="Rita Rival"),
        "judge": make.user(name="Jude Judge"),
        "sponsor": make.user(name="Sam Sponsor"),
        "other_sponsor": make.user(name="Oscar Other"),
        "organizer": organizer,
        "admin": make.user(name="Ada Admin", admin=True),
    }
    make.role(competition, people["judge"], Role.JUDGE)
    make.sponsor_member(competition, people["sponsor"], 0)
    make.sponsor_member(competition, people["other_sponsor"], 1)
    return Cast(
        competition=competition,
        people=people,
        problem=make.problem(competition, slug="visible", solution=SECRET_SOLUTION),
        draft=make.problem(competition, slug="hidden-draft", title="Secret Draft", publish=False),
        team=make.team(competition, people["participant"], name="Pia Team"),
        rival_team=make.team(competition, people["rival"], name="Rival Team"),
    )


@pytest.fixture
def as_role(cast: Cast, login):
    """Log in as the cast member playing ``role`` (or stay anonymous)."""

    def act(role: str):
        user = cast[role]
        if user is not None:
            login(user)
        return user

    return act


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def blobs() -> set[Path]:
    root = Path(current_app.config["STORAGE_DIR"]) / "blobs"
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()
