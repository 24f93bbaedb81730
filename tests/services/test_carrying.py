"""Carrying a phase's entries to the next phase, qualification, scoring-only phases, and the
phase that decides the ranking in finals (judge.submissions.carrying, judge.finals)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from judge.audit.models import AuditEntry
from judge.core.db import unit_of_work, utcnow
from judge.core.errors import Conflict, Forbidden, Invalid
from judge.core.extensions import db
from judge.finals import services as finals
from judge.notifications import services as notifications
from judge.notifications.kinds import Kind
from judge.notifications.models import Notification
from judge.problems import series as service
from judge.problems import services as problems
from judge.problems.models import Carry
from judge.submissions import carrying, quota
from judge.submissions import services as submissions
from judge.submissions.carrying import Board
from judge.submissions.models import Status, Submission
from tests.services.test_problem_series import add_phase, new_series
from tests.submissions.helpers import score, submit

# (team, division, public, private): the public and private boards disagree on purpose.
TEAMS = [("알파", 0, 0.70, 0.91), ("베타", 0, 0.90, 0.88), ("감마", 0, 0.80, 0.85),
         ("델타", 0, 0.60, 0.70), ("엡실론", 1, 0.75, 0.80), ("제타", 1, 0.95, 0.60),
         ("에타", 1, 0.50, 0.55)]  # fmt: skip


class World:
    def __init__(self, make, carry=Carry.TOP_N, top_n=2, scoring_only=False):
        self.organizer = make.user()
        make.user(admin=True)
        self.competition = make.competition(self.organizer)
        self.series = new_series(self.competition, self.organizer)
        now = utcnow()
        self.pre = add_phase(self.series, self.organizer, "vision-pre", phase_name="예선",
                             metric="accuracy",
                             sponsor=self.competition.sponsors[0], daily_limit=3,
                             opens_at=now - timedelta(days=20),
                             closes_at=now + timedelta(days=1))  # fmt: skip
        self.final = add_phase(self.series, self.organizer, "vision-final", phase_name="본선",
                               carry=carry,
                               carry_top_n=top_n if carry == Carry.TOP_N else None,
                               scoring_only=scoring_only, decides_ranking=True)  # fmt: skip
        with unit_of_work():
            for row in (self.pre, self.final):
                problems.publish(row, now)
        self.teams, self.leaders, self.entries = {}, {}, {}
        for name, division, public, private in TEAMS:
            leader = make.user(name=f"{name} 팀장")
            self.teams[name] = make.team(self.competition, leader, division=division, name=name)
            self.leaders[name] = leader
            score(submit(self.pre, leader), public - 0.2, private - 0.2)  # an earlier, worse one
            self.entries[name] = score(submit(self.pre, leader), public, private)

    def close_pre(self, reveal=False):
        with unit_of_work():
            self.pre.closes_at = utcnow() - timedelta(minutes=1)
            if reveal:
                self.pre.revealed_at = utcnow()

    def carry(self, board=Board.PRIVATE):
        with unit_of_work():
            return carrying.carry(self.final, self.organizer, utcnow(), board)

    def carried(self) -> list[Submission]:
        db.session.expire_all()
        return list(db.session.scalars(sa.select(Submission).where(
            Submission.problem_id == self.final.id).order_by(Submission.id)))  # fmt: skip

    def names(self, rows) -> set[str]:
        return {s.team.name for s in rows}


@pytest.fixture
def world(make):
    return World(make)


def test_the_top_n_of_each_division_of_the_private_board_are_carried_as_copies(world):
    world.close_pre()
    plan = carrying.plan(world.final, Board.PRIVATE, utcnow())
    assert world.names(plan.entries) == {"알파", "베타", "엡실론", "제타"}
    assert plan.per_division == [("대학원", 2), ("학부", 2)] and plan.already == 0
    world.carry()
    copies = world.carried()
    assert world.names(copies) == {"알파", "베타", "엡실론", "제타"}
    for copy in copies:
        entry = world.entries[copy.team.name]  # its best entry, not the earlier worse one
        assert copy.carried_from_id == entry.id
        assert (copy.storage_key, copy.filename, copy.user_id) == (
            entry.storage_key, entry.filename, entry.user_id)  # fmt: skip
        assert copy.status == Status.QUEUED and not copy.counted


def test_before_the_reveal_the_organizer_may_take_the_public_board(world):
    world.close_pre()
    world.carry(Board.PUBLIC)
    assert world.names(world.carried()) == {"베타", "감마", "제타", "엡실론"}
    other = carrying.plan(world.final, Board.PRIVATE, utcnow())  # 알파 is in its top 2
    assert (other.entries, other.already) == ([], 3)  # but each division has its 2 already
    world.close_pre(reveal=True)
    with pytest.raises(Invalid, match="private leaderboard is revealed"):
        carrying.plan(world.final, Board.PUBLIC, utcnow())


def test_a_teams_final_selection_is_its_entry(make):
    world = World(make, carry=Carry.ALL)
    chosen = db.session.scalars(sa.select(Submission).where(
        Submission.team_id == world.teams["알파"].id, Submission.problem_id == world.pre.id,
        Submission.id != world.entries["알파"].id)).one()  # fmt: skip
    with unit_of_work():
        submissions.set_selected(chosen, world.leaders["알파"], True, utcnow())
    world.close_pre()
    world.carry()
    [copy] = [c for c in world.carried() if c.team.name == "알파"]
    assert copy.carried_from_id == chosen.id


def test_carrying_twice_adds_nothing_and_says_how_many_were_carried(world):
    world.close_pre()
    world.carry()
    again = carrying.plan(world.final, Board.PRIVATE, utcnow())
    assert (again.entries, again.already) == ([], 4)
    done = world.carry()
    assert (done.entries, done.already) == ([], 4)
    assert len(world.carried()) == 4


def test_carrying_is_audited_and_the_carried_teams_are_told(world):
    world.close_pre()
    world.carry()
    [entry] = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "phase_carried"))  # fmt: skip
    assert entry.actor_id == world.organizer.id
    assert entry.after == {"phase": 2, "from": 1, "board": "private", "carried": 4}
    told = db.session.scalars(sa.select(Notification).where(
        Notification.kind == Kind.ENTRY_CARRIED)).all()  # fmt: skip
    assert {n.team_id for n in told} == {world.teams[n].id for n in ("알파", "베타", "엡실론",
                                                                     "제타")}  # fmt: skip
    assert all(n.problem_id == world.final.id for n in told)
    with force_locale("en"):
        line = notifications.describe(told[0])
    assert "of 예선 is scored on 본선 of Defect vision" in line and "uses none of your" in line


def test_carried_entries_use_no_submissions(world):
    world.close_pre()
    before = {n: quota.status(world.pre, t, utcnow()) for n, t in world.teams.items()}
    world.carry()
    for name, team in world.teams.items():
        assert quota.status(world.pre, team, utcnow()) == before[name]
        left = quota.status(world.final, team, utcnow(), world.leaders[name])
        assert (left.daily_left, left.total_left) == (world.final.daily_limit,
                                                      world.final.total_limit)  # fmt: skip


def test_a_team_that_did_not_qualify_may_not_upload_to_a_top_n_phase(world):
    world.close_pre()
    not_yet = "The teams that enter this phase are not chosen yet"  # not "did not qualify"
    with pytest.raises(Forbidden, match=not_yet):
        submissions.check_can_submit(world.final, world.leaders["알파"], utcnow())
    world.carry()
    with pytest.raises(Forbidden, match="your team did not qualify"):
        submissions.check_can_submit(world.final, world.leaders["감마"], utcnow())
    with pytest.raises(Forbidden, match="your team did not qualify"):
        submit(world.final, world.leaders["감마"])
    submissions.check_can_submit(world.final, world.leaders["알파"], utcnow())
    upload = submit(world.final, world.leaders["알파"])
    assert upload.counted and upload.carried_from_id is None


def test_carry_all_takes_every_team_with_an_entry_but_not_the_disqualified(make):
    world = World(make, carry=Carry.ALL)
    with unit_of_work():
        world.teams["델타"].disqualified_at = utcnow()
    world.close_pre()
    done = world.carry()
    assert done.board is None
    assert world.names(world.carried()) == {n for n, *_ in TEAMS} - {"델타"}
    submissions.check_can_submit(world.final, world.leaders["감마"], utcnow())  # all may upload


def test_a_scoring_only_phase_takes_no_uploads(make):
    world = World(make, carry=Carry.ALL, scoring_only=True)
    world.close_pre()
    world.carry()
    for name in ("알파", "델타"):
        with pytest.raises(Forbidden, match="This phase takes no uploads"):
            submit(world.final, world.leaders[name])
    assert len(world.carried()) == len(TEAMS)


def test_only_organizers_carry_and_only_to_a_phase_that_takes_entries(world, make):
    world.close_pre()
    with pytest.raises(Forbidden):
        carrying.carry(world.final, world.leaders["알파"], utcnow())
    with pytest.raises(Conflict, match="takes no entries from an earlier phase"):
        carrying.carry(world.pre, world.organizer, utcnow())
    alone = make.problem(world.competition)
    with pytest.raises(Conflict, match="takes no entries from an earlier phase"):
        carrying.plan(alone, Board.PRIVATE, utcnow())
    assert world.carried() == []


def test_the_automatic_carry_waits_for_the_close_the_scores_and_the_reveal(make):
    everyone = World(make, carry=Carry.ALL)
    assert carrying.carry_due(utcnow()) == 0  # the earlier phase is still open
    queued = submit(everyone.pre, everyone.leaders["알파"])
    everyone.close_pre()
    with unit_of_work():
        assert carrying.carry_due(utcnow()) == 0  # one entry is still being scored
    score(queued, 0.1, 0.1)
    with unit_of_work():
        assert carrying.carry_due(utcnow()) == len(TEAMS)
    with unit_of_work():
        assert carrying.carry_due(utcnow()) == 0  # nothing new: no second audit entry
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(
        AuditEntry.action == "phase_carried", AuditEntry.actor_id.is_(None))) == 1  # fmt: skip

    top = World(make)
    top.close_pre()
    with unit_of_work():
        assert carrying.carry_due(utcnow()) == 0  # the private board is not revealed yet
    top.close_pre(reveal=True)
    with unit_of_work():
        assert carrying.carry_due(utcnow()) == 4
    assert top.names(top.carried()) == {"알파", "베타", "엡실론", "제타"}


def test_finals_shortlist_from_the_deciding_phase_only(world):
    world.close_pre()
    world.carry()
    for copy in world.carried():
        public, private = {n: (p, q) for n, _d, p, q in TEAMS}[copy.team.name]
        score(copy, public, private)
    with unit_of_work():
        world.final.closes_at = utcnow() - timedelta(minutes=1)
    with pytest.raises(Conflict, match="does not decide the ranking"):
        finals.shortlist(world.pre, world.organizer, utcnow())
    db.session.rollback()
    with unit_of_work():
        chosen = finals.shortlist(world.final, world.organizer, utcnow())
    assert {f.team.name for f in chosen} == {"알파", "베타", "엡실론", "제타"}
    assert {f.problem_id for f in chosen} == {world.final.id}


def test_the_deciding_phase_changes_audited_until_there_is_a_shortlist(world):
    with unit_of_work():
        finals.set_deciding(world.competition, world.series.id, world.pre.id, world.organizer)
    assert service.deciding_row(world.series) == world.pre
    world.close_pre()
    with unit_of_work():
        finals.shortlist(world.pre, world.organizer, utcnow())
    with pytest.raises(Conflict, match="has a shortlist"):
        finals.set_deciding(world.competition, world.series.id, world.final.id,
                            world.organizer)  # fmt: skip
    db.session.rollback()
    assert service.deciding_row(world.series) == world.pre
    changes = db.session.scalars(sa.select(AuditEntry.after).where(
        AuditEntry.action == "problem_settings_changed").order_by(AuditEntry.id)).all()  # fmt: skip
    assert changes[-1] == {"decides_ranking": "vision-pre"}
