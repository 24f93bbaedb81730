"""Two carries of one phase at the same moment (two organizers' clicks, or a click and the
beat): each qualifying team's entry is carried once, and one audit entry says so."""

from __future__ import annotations

import threading

import sqlalchemy as sa

from judge.audit.models import AuditEntry
from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.submissions import carrying
from judge.submissions.carrying import Board
from tests.services.test_carrying import World


def test_two_carries_at_once_carry_each_team_once(app, make):
    world = World(make)
    world.close_pre(reveal=True)
    target_id, organizer_id = world.final.id, world.organizer.id
    carried: list[int] = []
    barrier = threading.Barrier(2)

    def carry() -> None:
        with app.app_context():
            from judge.accounts.models import User
            from judge.problems.models import Problem

            target = db.session.get(Problem, target_id)
            organizer = db.session.get(User, organizer_id)
            db.session.commit()
            barrier.wait()
            with unit_of_work():
                carried.append(len(carrying.carry(target, organizer, utcnow(),
                                                  Board.PRIVATE).entries))  # fmt: skip

    threads = [threading.Thread(target=carry) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    copies = world.carried()
    assert sorted(carried) == [0, 4]
    assert len(copies) == len({s.team_id for s in copies}) == 4
    audits = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "phase_carried"))
    assert sorted(a.after["carried"] for a in audits) == [0, 4]
