"""The prepared solution: written once at upload, read by every scoring run."""

from __future__ import annotations

import pandas as pd
import pytest

from judge.scoring.engine.solution import read_prepared, write_prepared


def test_round_trip_keeps_ids_targets_and_sides(tmp_path):
    frame = pd.DataFrame({"id": ["가01", "b", "c"], "label": ["x", "y", "z"], "n": [1, 2, 3]})
    sides = pd.Series(["public", "private", "ignored"])
    write_prepared(frame, "id", ["label", "n"], sides, tmp_path / "s.parquet")
    prepared = read_prepared(tmp_path / "s.parquet")
    assert prepared.ids.tolist() == ["가01", "b", "c"]
    assert prepared.targets.columns.tolist() == ["label", "n"]
    assert prepared.targets["n"].tolist() == ["1", "2", "3"]
    assert prepared.sides.tolist() == ["public", "private", "ignored"]


def test_numeric_ids_are_stored_as_text(tmp_path):
    frame = pd.DataFrame({"id": [10, 20], "target": [0.5, 1.0]})
    write_prepared(frame, "id", ["target"], pd.Series(["public", "private"]), tmp_path / "s.pq")
    prepared = read_prepared(tmp_path / "s.pq")
    assert prepared.ids.tolist() == ["10", "20"]
    assert prepared.targets["target"].tolist() == ["0.5", "1.0"]


def test_target_names_may_clash_with_storage_names(tmp_path):
    frame = pd.DataFrame({"key": ["a", "b"], "id": ["1", "0"], "side": ["p", "q"]})
    write_prepared(frame, "key", ["id", "side"], pd.Series(["public", "private"]), tmp_path / "s")
    prepared = read_prepared(tmp_path / "s")
    assert prepared.targets.to_dict("list") == {"id": ["1", "0"], "side": ["p", "q"]}


def test_sides_indexed_by_id_as_fraction_split_returns_them(tmp_path):
    frame = pd.DataFrame({"id": ["a", "b"], "target": ["1", "0"]})
    sides = pd.Series(["private", "public"], index=["a", "b"])
    write_prepared(frame, "id", ["target"], sides, tmp_path / "s")
    assert read_prepared(tmp_path / "s").sides.tolist() == ["private", "public"]


@pytest.mark.parametrize(
    ("ids", "sides", "error"),
    [
        (["a", "a"], ["public", "private"], "duplicate"),
        (["a", ""], ["public", "private"], "empty"),
        (["a", "b"], ["public", "secret"], "Unknown sides"),
    ],
)
def test_bad_solutions_are_refused(tmp_path, ids, sides, error):
    frame = pd.DataFrame({"id": ids, "target": ["1", "0"]})
    with pytest.raises(ValueError, match=error):
        write_prepared(frame, "id", ["target"], pd.Series(sides), tmp_path / "s")


def test_sides_as_categories_are_stored_as_text_and_a_missing_one_is_refused(tmp_path):
    """The split by id gives its sides as categories (no text per row)."""
    frame = pd.DataFrame({"id": ["a", "b", "c"], "target": ["1", "0", "1"]})
    sides = pd.Series(pd.Categorical(["public", "private", "public"]))
    write_prepared(frame, "id", ["target"], sides, tmp_path / "s")
    assert read_prepared(tmp_path / "s").sides.tolist() == ["public", "private", "public"]
    missing = pd.Series(pd.Categorical(["public", None, "private"]))
    with pytest.raises(ValueError, match="Unknown sides"):
        write_prepared(frame, "id", ["target"], missing, tmp_path / "t")


def test_an_order_that_does_not_sort_the_ids_is_refused(tmp_path):
    """The stored order is what scoring matches ids on: a wrong one (here hiding a
    duplicate) is refused, not stored."""
    import pyarrow as pa

    frame = pd.DataFrame({"id": ["b", "a", "b", "c"], "target": ["1", "0", "1", "0"]})
    sides = pd.Series(["public", "private", "public", "private"])
    with pytest.raises(ValueError, match="does not sort"):
        write_prepared(frame, "id", ["target"], sides, tmp_path / "s", order=pa.array([0, 1, 2, 3]))
    with pytest.raises(ValueError, match="duplicate"):
        write_prepared(frame, "id", ["target"], sides, tmp_path / "s", order=pa.array([1, 0, 2, 3]))


def test_sides_in_another_order_are_refused(tmp_path):
    frame = pd.DataFrame({"id": ["a", "b"], "target": ["1", "0"]})
    sides = pd.Series(["public", "private"], index=["b", "a"])
    with pytest.raises(ValueError, match="indexed like the frame"):
        write_prepared(frame, "id", ["target"], sides, tmp_path / "s")


@pytest.mark.parametrize(
    ("ids", "error"),
    [
        (["c", "b", "a", "b"], "duplicate"),  # twins apart in the file, next to each other sorted
        (["가", "나", "다", "가"], "duplicate"),
        (["b", "a", ""], "empty"),  # last in the file, first sorted
        (["b", None, "a"], "empty"),
    ],
)
def test_duplicate_and_empty_ids_are_found_wherever_they_are(tmp_path, ids, error):
    frame = pd.DataFrame({"id": ids, "target": ["1"] * len(ids)})
    sides = pd.Series(["public"] * len(ids))
    with pytest.raises(ValueError, match=error):
        write_prepared(frame, "id", ["target"], sides, tmp_path / "s")
    assert not (tmp_path / "s").exists()
