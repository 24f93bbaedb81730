"""Who may post notices and answer questions, and who sees which question."""

from __future__ import annotations

from dataclasses import dataclass

from judge.accounts.models import User
from judge.competitions import policy
from judge.competitions.models import Competition
from judge.notices.models import Notice, Question
from judge.problems import services as problems
from judge.problems.models import Problem


def can_post(user: User | None, competition: Competition, problem: Problem | None) -> bool:
    """Organizers for anything; a sponsor's members for their sponsor's problems."""
    if problem is None:
        return policy.is_organizer(user, competition)
    return problems.can_manage(user, problem)


def can_edit(user: User | None, notice: Notice) -> bool:
    return can_post(user, notice.competition, notice.problem)


@dataclass(frozen=True)
class Reader:
    """What one person may read in one competition, asked once for a whole list."""

    user: User | None
    organizer: bool
    sponsor_ids: frozenset[int]
    visible_problem_ids: frozenset[int]

    @classmethod
    def of(cls, user: User | None, competition: Competition) -> Reader:
        return cls(
            user=user,
            organizer=policy.is_organizer(user, competition),
            sponsor_ids=frozenset(policy.sponsor_ids_of(user, competition)),
            visible_problem_ids=frozenset(
                p.id for p in problems.visible_problems(competition, user)
            ),
        )

    def sees_problem(self, problem: Problem | None) -> bool:
        return problem is None or problem.id in self.visible_problem_ids

    def answers(self, question: Question) -> bool:
        """Organizers, and the members of the sponsor whose problem the question is about."""
        problem = question.problem
        return self.organizer or (problem is not None and problem.sponsor_id in self.sponsor_ids)

    def asked(self, question: Question) -> bool:
        return self.user is not None and question.asker_id == self.user.id

    def sees_question(self, question: Question) -> bool:
        if self.answers(question) or self.asked(question):
            return True
        return question.published_at is not None and self.sees_problem(question.problem)
