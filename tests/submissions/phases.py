"""A problem with phases whose first phase has two task rows, each with its own solution."""

from __future__ import annotations

import io
from dataclasses import dataclass

from judge.core import storage
from judge.core.db import unit_of_work, utcnow
from judge.problems import series as service
from judge.problems import services as problems
from judge.problems.models import Carry, Problem
from judge.teams.models import Team
from tests.factories import SOLUTION_CSV

#: Task B's truth is task A's with every label flipped: one file scores 1 on A and 0 on B.
FLIPPED_CSV = "id,label\n" + "".join(f"{i},{(i + 1) % 2}\n" for i in range(1, 41))
#: Task A's truth itself, as predictions.
PREDICTIONS = SOLUTION_CSV.encode()


@dataclass
class Phase:
    first: Problem  # task A: uploads go here
    second: Problem  # task B
    leader: object
    team: Team
    organizer: object
    later: list[Problem]  # phase 2's task rows, if any


def _staged(text: str):
    return storage.staged(io.BytesIO(text.encode()), 10**9, "solution")


def two_tasks(make, *, later_phase: bool = False, later_tasks: int = 1, **settings) -> Phase:
    """Phase 1 of a series, named 예선: tasks A (``first``) and B (``second``), both published
    and open; with ``later_phase``, a scoring-only phase 2 (no name, carrying every entry) of
    ``later_tasks`` tasks as well. ``settings`` are phase 1's."""
    organizer = make.user(admin=True)
    competition = make.competition(organizer)
    with unit_of_work():
        series = service.create_series(competition, slug="vision", title="Defect vision",
                                       actor=organizer)  # fmt: skip
    with unit_of_work(), _staged(SOLUTION_CSV) as staged:
        first = service.add_phase(series, slug="vision-a", solution_upload=staged,
                                  solution_filename="truth.csv", actor=organizer,
                                  sponsor=competition.sponsors[0], metric="accuracy",
                                  phase_name="예선", **settings)  # fmt: skip
    with unit_of_work(), _staged(FLIPPED_CSV) as staged:
        second = service.add_task(series, 0, slug="vision-b", solution_upload=staged,
                                  solution_filename="truth.csv", actor=organizer)  # fmt: skip
    later = []
    if later_phase:
        with unit_of_work(), _staged(SOLUTION_CSV) as staged:
            later.append(service.add_phase(series, slug="vision-final", solution_upload=staged,
                                           solution_filename="truth.csv", actor=organizer,
                                           carry=Carry.ALL, scoring_only=True))  # fmt: skip
    for n in range(1, later_tasks if later_phase else 1):
        with unit_of_work(), _staged(FLIPPED_CSV) as staged:
            later.append(service.add_task(series, 1, slug=f"vision-final-{n}",
                                          solution_upload=staged, solution_filename="truth.csv",
                                          actor=organizer))  # fmt: skip
    rows = [first, second, *later]
    with unit_of_work():
        for row in rows:
            with _staged("id,x\n1,0.5\n") as public:
                problems.add_public_file(row, public, "train.csv")
            problems.publish(row, utcnow())
    leader = make.user()
    return Phase(first, second, leader, make.team(competition, leader), organizer, later)
