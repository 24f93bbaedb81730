"""A series groups a problem's phases and tasks, each a problem row (judge.problems.series)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from judge.audit.models import AuditEntry
from judge.core import storage
from judge.core.db import unit_of_work, utcnow
from judge.core.errors import Conflict, Forbidden, Invalid
from judge.core.extensions import db
from judge.problems import series as service
from judge.problems import services as problems
from judge.problems.models import Carry, Problem
from tests.factories import SOLUTION_CSV

OTHER_TRUTH = "id,label\n" + "".join(f"t{i},{i % 3}\n" for i in range(30))


@pytest.fixture
def organizer(make):
    return make.user()


@pytest.fixture
def competition(make, organizer):
    make.user(admin=True)
    return make.competition(organizer)


def new_series(competition, organizer, slug="vision"):
    with unit_of_work():
        return service.create_series(competition, slug=slug, title="Defect vision",
                                     description="Find the defects.", actor=organizer)  # fmt: skip


def add_phase(series, organizer, slug, truth=SOLUTION_CSV, **settings):
    with unit_of_work(), storage.staged(io.BytesIO(truth.encode()), 10**9, "s") as staged:
        return service.add_phase(
            series,
            slug=slug,
            solution_upload=staged,
            solution_filename="truth.csv",
            actor=organizer,
            **settings,
        )


def add_task(series, phase, organizer, slug, truth=OTHER_TRUTH, **settings):
    with unit_of_work(), storage.staged(io.BytesIO(truth.encode()), 10**9, "s") as staged:
        return service.add_task(
            series,
            phase,
            slug=slug,
            solution_upload=staged,
            solution_filename="truth.csv",
            actor=organizer,
            **settings,
        )


def two_phases(competition, organizer):
    """예선 (two tasks) and 본선 (one task, the top 3 teams of 예선, deciding the ranking)."""
    series = new_series(competition, organizer)
    sponsor = competition.sponsors[0]
    opens = utcnow() + timedelta(days=1)
    add_phase(series, organizer, "vision-pre-a", sponsor=sponsor, metric="accuracy",
              score_decimals=3, daily_limit=3, opens_at=opens,
              closes_at=opens + timedelta(days=10))  # fmt: skip
    add_task(series, 0, organizer, "vision-pre-b", split_method="all")
    add_phase(series, organizer, "vision-final", carry=Carry.TOP_N, carry_top_n=3,
              decides_ranking=True)  # fmt: skip
    return series


def test_a_series_has_phases_of_tasks_sharing_what_the_participant_sees_as_one(
    competition, organizer
):
    series = two_phases(competition, organizer)
    rows = service.rows(series)
    assert [(r.slug, r.phase_index, r.task_index) for r in rows] == [
        ("vision-pre-a", 0, 0), ("vision-pre-b", 0, 1), ("vision-final", 1, 0)]  # fmt: skip
    assert {(r.title, r.description, r.metric, r.score_decimals) for r in rows} == {
        ("Defect vision", "Find the defects.", "accuracy", 3)}  # fmt: skip
    first, second, final = rows
    assert (second.daily_limit, second.opens_at, second.closes_at) == (
        first.daily_limit,
        first.opens_at,
        first.closes_at,
    )  # the phase's window and limits
    assert second.split_method.value == "all" and second.solution.rows == 30  # its own task
    assert final.daily_limit == 5 and final.opens_at is None  # a phase of its own
    assert (final.carry, final.carry_top_n) == (Carry.TOP_N, 3)
    assert [r.decides_ranking for r in rows] == [False, False, True]
    assert service.deciding_row(series) == final
    [entry] = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "problem_settings_changed"))  # fmt: skip
    assert (entry.before, entry.after) == ({"decides_ranking": "vision-pre-a"},
                                           {"decides_ranking": "vision-final"})  # fmt: skip


def test_shared_fields_change_on_every_row_at_once(competition, organizer):
    series = two_phases(competition, organizer)
    with unit_of_work():
        changed = service.edit_series(series, organizer, {"title": "Vision 2", "metric":
                                                          "f1_macro"}, utcnow())  # fmt: skip
    assert changed == ["metric", "title"]
    rows = service.rows(series)
    assert {(r.title, r.metric) for r in rows} == {("Vision 2", "f1_macro")}
    assert series.title == "Vision 2"
    with unit_of_work():
        service.edit_phase(series, 0, organizer, {"daily_limit": 9}, utcnow())
    assert [r.daily_limit for r in service.rows(series)] == [9, 9, 5]


def test_a_row_changes_its_own_fields_but_not_the_series_ones_alone(competition, organizer):
    series = two_phases(competition, organizer)
    row = service.rows(series)[0]
    with unit_of_work():
        problems.change_settings(row, organizer, {"public_fraction": 0.5}, utcnow())
    assert row.public_fraction == 0.5
    with pytest.raises(Invalid, match="change title on the whole problem or phase"):
        problems.change_settings(row, organizer, {"title": "Only me"}, utcnow())
    db.session.rollback()
    assert {r.title for r in service.rows(series)} == {"Defect vision"}


def test_a_refused_change_changes_no_row(competition, organizer):
    series = two_phases(competition, organizer)
    with pytest.raises(Invalid, match="Unknown metric"), unit_of_work():
        service.edit_series(series, organizer, {"metric": "no-such"}, utcnow())
    with pytest.raises(Invalid, match="Unknown field: split_method"):
        service.edit_series(series, organizer, {"split_method": "all"}, utcnow())
    with pytest.raises(Invalid, match="Please give the problem a title"):
        service.edit_series(series, organizer, {"title": "  "}, utcnow())
    db.session.expire_all()
    assert {(r.metric, r.title) for r in service.rows(series)} == {("accuracy", "Defect vision")}
    assert series.title == "Defect vision"


def test_the_first_phase_takes_nothing_from_an_earlier_one(competition, organizer):
    series = new_series(competition, organizer)
    with pytest.raises(Invalid, match="The first phase has no earlier phase"):
        add_phase(series, organizer, "vision-a", sponsor=competition.sponsors[0],
                  metric="accuracy", carry=Carry.ALL)  # fmt: skip
    assert service.rows(series) == []


@pytest.mark.parametrize(("settings", "message"), [
    ({"carry": Carry.TOP_N}, "Say how many of the best teams"),
    ({"carry": Carry.ALL, "carry_top_n": 3}, "applies only when the top teams"),
    ({"scoring_only": True}, "must take the earlier phase's entries"),
    ({"metric": "rmse"}, "metric belong to the whole problem"),
    ({"title": "Final"}, "title belong to the whole problem"),
])  # fmt: skip
def test_a_later_phase_is_checked_with_a_clear_message(competition, organizer, settings,
                                                       message):  # fmt: skip
    series = new_series(competition, organizer)
    add_phase(series, organizer, "vision-a", sponsor=competition.sponsors[0], metric="accuracy")
    with pytest.raises(Invalid, match=message):
        add_phase(series, organizer, "vision-b", **settings)
    db.session.rollback()
    assert [r.slug for r in service.rows(series)] == ["vision-a"]


def test_only_organizers_make_a_series_and_its_short_name_is_its_own(make, competition,
                                                                     organizer):  # fmt: skip
    member = make.user()
    make.sponsor_member(competition, member)
    with pytest.raises(Forbidden):
        service.create_series(competition, slug="vision", title="V", actor=member)
    new_series(competition, organizer)
    with pytest.raises(Conflict):
        service.create_series(competition, slug="vision", title="V", actor=organizer)


def test_the_database_keeps_a_series_consistent(make, competition, organizer):
    series = two_phases(competition, organizer)
    alone = make.problem(competition)
    assert alone.series_id is None and alone.decides_ranking  # a problem on its own
    for change in ({"phase_index": 0}, {"series_id": series.id},
                   {"decides_ranking": False}):  # fmt: skip
        row = db.session.get(Problem, alone.id)
        for name, value in change.items():
            setattr(row, name, value)
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
    first = service.rows(series)[0]
    first.decides_ranking = True  # a second deciding row
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    other = make.competition()
    strange = make.problem(other)
    strange.series_id, strange.phase_index, strange.task_index = series.id, 2, 0
    strange.decides_ranking = False
    with pytest.raises(IntegrityError):  # a series of another competition
        db.session.flush()
    db.session.rollback()


def test_a_phase_has_a_name_on_each_of_its_rows_and_renaming_it_is_audited(
    competition, organizer, make
):
    series = new_series(competition, organizer)
    add_phase(series, organizer, "vision-pre-a", sponsor=competition.sponsors[0],
              metric="accuracy", phase_name=" 예선 ")  # fmt: skip
    add_task(series, 0, organizer, "vision-pre-b")
    add_phase(series, organizer, "vision-final", carry=Carry.ALL)
    first, second, final = service.rows(series)
    assert [service.phase_label(r) for r in (first, second)] == ["예선", "예선"]
    assert service.phase_label(final) == "Phase 2"  # no name given

    with unit_of_work():
        service.rename_phase(series, 1, "본선", organizer)
    assert service.phase_label(final) == "본선"
    [entry] = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "problem_settings_changed",
        AuditEntry.before["phase"].as_integer() == 2))  # fmt: skip
    assert (entry.before["phase_name"], entry.after["phase_name"]) == (None, "본선")

    with pytest.raises(Invalid, match="at most 100"), unit_of_work():
        service.rename_phase(series, 0, "긴" * 101, organizer)
    with pytest.raises(Forbidden), unit_of_work():
        service.rename_phase(series, 0, "Qualifying", make.user())
    assert [r.phase_name for r in service.rows(series)] == ["예선", "예선", "본선"]


def test_a_problem_on_its_own_cannot_carry_a_phase_name(make):
    problem = make.problem(make.competition())
    problem.phase_name = "예선"
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
