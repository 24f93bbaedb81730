"""Computed leaderboard columns as pure functions: their values, what an absent input makes of
them, the web form's lines, and what is refused."""

from __future__ import annotations

import pytest

from judge.core.errors import Invalid
from judge.scoring.programs import columns as cols
from judge.scoring.programs.run import ProgramRun
from judge.scoring.programs.scoring import verdict
from judge.scoring.runner import ORGANIZER_FAILED

LINES = "best, Best, higher, 3, max of a b\na, A, higher, 2\nb, B, lower, 2\n" \
        "c, C, higher, 2, hidden\nmean, Mean, higher, 2, hidden, avg of a c"  # fmt: skip


def parsed(text: str = LINES) -> list[cols.Column]:
    return cols.parse(cols.from_lines(text))


@pytest.mark.parametrize(("computation", "expected"), [
    ("avg", 0.5), ("sum", 1.0), ("min", 0.25), ("max", 0.75),
])  # fmt: skip
def test_each_computation_gives_its_value(computation, expected):
    column = cols.Column("c", "C", computation=computation, inputs=("a", "b"))
    assert cols.compute(column, {"a": 0.25, "b": 0.75}) == expected


def test_a_missing_input_makes_the_computed_value_absent_never_zero():
    columns = parsed()
    picked = cols.pick({"a": 0.5}, columns)
    assert "best" not in picked.values and "mean" not in picked.values
    assert picked.primary is None
    run = ProgramRun("scored", {"a": 0.5})
    result = verdict({"public": run, "private": run}, columns)
    assert (result.status, result.public, result.private) == ("error", None, None)
    assert result.message == ORGANIZER_FAILED
    assert "without a score for the leaderboard columns: b, best, c, mean" in result.log


def test_the_program_cannot_write_a_computed_value():
    picked = cols.pick({"a": 0.5, "b": 0.25, "c": 0.25, "best": 99.0}, parsed())
    assert picked.primary == 0.5 and picked.values["mean"] == 0.375


def test_the_web_forms_lines_round_trip():
    columns = parsed()
    assert [(c.key, c.computation, c.inputs, c.hidden) for c in columns] == [
        ("best", "max", ("a", "b"), False), ("a", None, (), False), ("b", None, (), False),
        ("c", None, (), True), ("mean", "avg", ("a", "c"), True)]  # fmt: skip
    stored = [c.as_dict() for c in columns]
    assert "computation" not in stored[1] and stored[0]["inputs"] == ["a", "b"]
    assert cols.to_lines(stored) == LINES
    assert cols.load(stored) == columns


@pytest.mark.parametrize(("raw", "message"), [
    ("best, Best, higher, 2, median of a b\na", "“median of a b” is neither “hidden” nor a "
     "computation such as “max of acc_1 acc_2” (avg, sum, min, max)."),
    ("best, Best, higher, 2, max of a zz\na", "Leaderboard column 1: it is computed from zz, "
     "which must be other columns that the program reports (not computed ones)."),
    ("best, Best, higher, 2, max of a best\na", "computed from best, which must be other"),
    ("x, X, higher, 2, max of a\ny, Y, higher, 2, sum of x\na", "Leaderboard column 2: it is "
     "computed from x"),
])  # fmt: skip
def test_bad_computations_are_refused_clearly(raw, message):
    with pytest.raises(Invalid) as refused:
        parsed(raw)
    assert message in refused.value.message


def test_json_columns_need_a_known_computation_and_inputs():
    with pytest.raises(Invalid, match="the computation must be one of avg, sum, min, max"):
        cols.parse([{"key": "a", "computation": "median", "inputs": ["b"]}, {"key": "b"}])
    with pytest.raises(Invalid, match="needs the keys of the columns it is computed from"):
        cols.parse([{"key": "a", "computation": "max", "inputs": []}, {"key": "b"}])


@pytest.mark.parametrize("raw", [
    "best, Best, higher, 2, max of a h\na\nh, H, higher, 2, hidden",  # max(a, h) > a is h
    "a\nh, H, higher, 2, hidden\nmean, Mean, higher, 2, avg of a h",  # 2 * mean - a is h
])  # fmt: skip
def test_a_shown_column_computed_from_a_hidden_one_is_refused(raw):
    """Teams would read the hidden value back from the shown one (and its inputs' keys)."""
    with pytest.raises(Invalid) as refused:
        parsed(raw)
    assert "computed from the hidden column h" in refused.value.message


@pytest.mark.parametrize("computation", ["sum", "avg"])
def test_a_computed_value_too_large_to_hold_fails_on_the_organizers_side(computation):
    """Two huge finite values (a team's predictions can make a squared error that large) sum
    past the largest float: the scoring fails on the organizer's side, it does not crash."""
    columns = parsed(f"total, Total, higher, 2, {computation} of a b\na\nb")
    run = ProgramRun("scored", {"a": 1.7e308, "b": 1.7e308})
    result = verdict({"public": run, "private": run}, columns)
    assert (result.status, result.public, result.private) == ("error", None, None)
    assert result.message == ORGANIZER_FAILED
    assert "total: too large to compute from a, b" in result.log
