"""Factories that create committed rows through the real services."""

from __future__ import annotations

import io
import itertools
from datetime import datetime, timedelta

from judge.accounts import consent
from judge.accounts import services as accounts
from judge.competitions import services as competitions
from judge.competitions.models import Competition, CompetitionState, Division, Role, Sponsor
from judge.core import storage
from judge.core.db import unit_of_work, utcnow
from judge.problems import services as problems
from judge.teams import services as teams

SOLUTION_CSV = "id,label\n" + "".join(f"{i},{i % 2}\n" for i in range(1, 41))


class Factories:
    def __init__(self, password: str) -> None:
        self.password = password
        self._seq = itertools.count(1)

    def _n(self) -> int:
        return next(self._seq)

    def user(self, email: str | None = None, *, admin: bool = False, **fields):
        n = self._n()
        with unit_of_work():
            user = accounts.register(
                email or f"user{n}@example.com",
                fields.pop("name", f"User {n}"),
                self.password,
                fields.pop("affiliation", ""),
                is_admin=admin,
            )
            consent.accept_at_sign_up(user, False, utcnow())  # as signing up does
        return user

    def token(self, user) -> str:
        with unit_of_work():
            _token, plain = accounts.create_token(user, "test")
        return plain

    def session(self, user) -> str:
        """A logged-in session's id, as the session cookie carries it."""
        with unit_of_work():
            return accounts.start_session(user, utcnow())

    def competition(self, organizer=None, *, draft: bool = False, **fields) -> Competition:
        """A competition with two divisions and a sponsor, published unless ``draft``."""
        n = self._n()
        organizer = organizer or self.user(admin=True)
        fields.setdefault("title", f"Challenge {n}")
        with unit_of_work():
            competition = competitions.create_competition(
                slug=fields.pop("slug", f"challenge-{n}"), actor=organizer, **fields
            )
            competitions.add_division(competition, "대학원", "Graduate students")
            competitions.add_division(competition, "학부", "Undergraduates")
            competitions.add_sponsor(competition, f"Sponsor {n}")
            if not draft:  # as if published (without the audit entry a publish writes)
                competition.state = CompetitionState.PUBLISHED
        return competition

    def division(self, competition: Competition, index: int = 0) -> Division:
        return competition.divisions[index]

    def sponsor(self, competition: Competition, index: int = 0) -> Sponsor:
        return competition.sponsors[index]

    def role(self, competition: Competition, user, role: Role) -> None:
        with unit_of_work():
            competitions.assign_role(competition, user.email, role, self._organizer(competition))

    def sponsor_member(self, competition: Competition, user, index: int = 0) -> None:
        with unit_of_work():
            competitions.add_sponsor_member(competition.sponsors[index], user.email,
                                            self._organizer(competition))  # fmt: skip

    def _organizer(self, competition: Competition):
        return next(r.user for r in competition.roles if r.role == Role.ORGANIZER)

    def problem(
        self,
        competition: Competition,
        *,
        solution: str = SOLUTION_CSV,
        publish: bool = True,
        files: dict[str, bytes] | None = None,
        **settings,
    ):
        n = self._n()
        settings.setdefault("title", f"Problem {n}")
        settings.setdefault("metric", "accuracy")
        actor = self.user(admin=True)
        with (
            unit_of_work(),
            storage.staged(io.BytesIO(solution.encode()), 10**9, "solution") as staged,
        ):
            problem = problems.create_problem(
                competition,
                competition.sponsors[0],
                slug=settings.pop("slug", f"problem-{n}"),
                solution_upload=staged,
                solution_filename="solution.csv",
                actor=actor,
                **settings,
            )
            for name, content in (files or {"train.csv": b"id,x,label\n1,0.5,1\n"}).items():
                with storage.staged(io.BytesIO(content), 10**7, name) as public:
                    problems.add_public_file(problem, public, name)
            if publish:
                problems.publish(problem, utcnow())
        return problem

    def accept_rules(self, competition: Competition, user) -> None:
        with unit_of_work():
            competitions.accept_rules(competition, user, utcnow())

    def team(
        self,
        competition: Competition,
        leader=None,
        *,
        division: int = 0,
        name: str | None = None,
        members=(),
    ):
        leader = leader or self.user()
        self.accept_rules(competition, leader)
        with unit_of_work():
            team = teams.create_team(
                competition,
                competition.divisions[division],
                name or f"Team {self._n()}",
                leader,
                utcnow(),
            )
        for member in members:
            self.accept_rules(competition, member)
            with unit_of_work():
                teams.join_team(competition, team.invite_code, member, utcnow())
        return team


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


def now() -> datetime:
    return utcnow()
