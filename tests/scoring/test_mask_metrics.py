"""Segmentation metrics on run-length-encoded masks against scikit-learn's F1 (Dice) and
Jaccard (IoU) on the decoded pixels, on random masks and edge cases; then through the engine:
the image size and the empty-mask rule from the problem, and messages naming row and column."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from flask_babel import force_locale
from sklearn.metrics import f1_score, jaccard_score

from judge.scoring.engine.masks import by_class, masks
from judge.scoring.engine.metrics import METRICS
from judge.scoring.messages import translate

from .conftest import IDS, csv_text

RNG = np.random.default_rng(23)
H, W = 6, 5


def encode(mask: np.ndarray) -> str:
    """Kaggle's RLE of a 2-d mask: column-major, 1-based start and length pairs."""
    flat = np.concatenate([[0], mask.flatten(order="F").astype(int), [0]])
    edges = np.flatnonzero(flat[1:] != flat[:-1]) + 1
    starts, ends = edges[::2], edges[1::2]
    return " ".join(f"{s} {e - s}" for s, e in zip(starts, ends, strict=True))


def engine(name: str, truth: list[str], guess: list[str], **options) -> float:
    read = lambda values: masks(pa.chunked_array([values], pa.string()), H * W)  # noqa: E731
    return METRICS[name].compute(read(truth), read(guess), height=H, width=W, **options)


def reference(score, truths, guesses, empty: str = "one") -> float:
    values = []
    for truth, guess in zip(truths, guesses, strict=True):
        if not truth.any() and not guess.any():
            values += [1.0] if empty == "one" else []
            continue
        values.append(score(truth.flatten(), guess.flatten()))
    return float(np.mean(values))


def random_masks(count: int):
    return [RNG.random((H, W)) < RNG.choice([0.0, 0.2, 0.6]) for _ in range(count)]


@pytest.mark.parametrize("empty", ["one", "skip"])
def test_dice_and_iou_match_scikit_learn_on_the_decoded_pixels(empty):
    for _ in range(30):
        truths, guesses = random_masks(12), random_masks(12)
        if all(not t.any() and not g.any() for t, g in zip(truths, guesses, strict=True)):
            continue
        rle = [encode(m) for m in truths], [encode(m) for m in guesses]
        assert engine("dice_rle", *rle, empty=empty) == pytest.approx(
            reference(f1_score, truths, guesses, empty)
        )
        assert engine("iou_rle", *rle, empty=empty) == pytest.approx(
            reference(jaccard_score, truths, guesses, empty))  # fmt: skip


def test_edge_cases():
    assert engine("dice_rle", ["1 30"], ["1 30"]) == 1.0  # the whole image
    assert engine("dice_rle", ["1 2"], ["3 2"]) == 0.0  # touching, not overlapping
    assert engine("iou_rle", ["1 4"], ["3 4"]) == pytest.approx(2 / 6)
    assert engine("dice_rle", ["", "1 2"], ["", "1 2"], empty="skip") == 1.0
    assert engine("dice_rle", ["", "1 2"], ["", "5 2"], empty="one") == 0.5
    with pytest.raises(ValueError):
        engine("dice_rle", [""], [""], empty="skip")  # nothing left to average


TRUTH = ["1 4", "", "3 3", "10 2", "", "7 1"]  # public: a1 a3 a5, private: a2 a4 a6
OPTIONS = {"height": H, "width": W}


def test_the_engine_takes_the_image_size_and_empty_rule_from_the_problem(make_problem):
    problem = make_problem("dice_rle", {"mask": TRUTH}, options=OPTIONS | {"empty": "skip"})
    guess = ["1 4", "", "3 1", "10 2", "", "8 1"]
    result = problem.submit(csv_text("id,mask", list(zip(IDS, guess, strict=True))))
    assert result["status"] == "scored", result
    assert result["public"] == pytest.approx((1 + 2 * 1 / 4) / 2)  # a5 skipped
    assert result["private"] == pytest.approx((1 + 0) / 2)  # a2 skipped


BAD = [
    ("1 2 3", "In column 'mask', 1 mask is not pairs of numbers (first at line 2: '1 2 3'). "
              "A mask is pairs of a start pixel and a run length separated by spaces.", "시작"),
    ("29 5", "In column 'mask', 1 mask runs outside the image (first at line 2: '29 5'). "
             "Pixels are numbered from 1 down each column, up to 30.", "30"),
    ("5 2 1 2", "In column 'mask', 1 mask has runs out of order or overlapping (first at "
                "line 2: '5 2 1 2'). Runs go in order of their start pixel and do not overlap.",
     "겹치"),
    ("0 3", "In column 'mask', 1 mask runs outside the image (first at line 2: '0 3'). "
            "Pixels are numbered from 1 down each column, up to 30.", "30"),
]  # fmt: skip


@pytest.mark.parametrize(("first", "message", "korean"), BAD)
def test_a_bad_mask_is_refused_by_row_and_column_in_both_languages(
    app, make_problem, first, message, korean
):
    truth = [f"{n} 3" for n in range(11, 17)]  # none empty: an empty secret is in every text
    problem = make_problem("iou_rle", {"mask": truth}, options=OPTIONS)
    rest = "".join(f"{i},\n" for i in IDS[1:])
    assert problem.invalid(f"id,mask\na1,{first}\n" + rest) == message
    with force_locale("ko"):
        shown = translate(message)
    assert korean in shown and "mask" not in shown.replace("'mask'", ""), shown


def test_a_mask_problem_without_an_image_size_is_a_setup_error(make_problem):
    problem = make_problem("dice_rle", {"mask": TRUTH})
    result = problem.submit(csv_text("id,mask", [(i, "") for i in IDS]))
    assert result["status"] == "error" and "height" in result["message"]


def class_masks(columns: list[list[str]]) -> np.ndarray:
    return by_class([masks(pa.chunked_array([c], pa.string()), H * W) for c in columns])


def miou(truth: list[list[str]], guess: list[list[str]], empty: str = "one") -> float:
    compute = METRICS["miou"].compute
    return compute(class_masks(truth), class_masks(guess), height=H, width=W, empty=empty)


def pixel_reference(truths: list, guesses: list, empty: str) -> float:
    """scikit-learn's Jaccard per class on every pixel of every image, averaged over classes."""
    scores = []
    for truth, guess in zip(truths, guesses, strict=True):
        t, g = (
            np.concatenate([m.flatten() for m in truth]),
            np.concatenate([m.flatten() for m in guess]),
        )
        if t.any() or g.any() or empty == "one":
            scores.append(jaccard_score(t, g, zero_division=1))
    return float(np.mean(scores))


@pytest.mark.parametrize("empty", ["one", "skip"])
def test_miou_matches_scikit_learns_jaccard_per_class_on_the_decoded_pixels(empty):
    for _ in range(30):
        classes = int(RNG.integers(1, 5))
        truths = [random_masks(8) for _ in range(classes)]
        guesses = [random_masks(8) for _ in range(classes)]
        if empty == "skip" and not any(m.any() for c in truths + guesses for m in c):
            continue
        encoded = (
            [[encode(m) for m in c] for c in truths],
            [[encode(m) for m in c] for c in guesses],
        )
        assert miou(*encoded, empty=empty) == pytest.approx(pixel_reference(truths, guesses, empty))


def test_miou_counts_pixels_over_all_images_and_applies_the_empty_rule_per_class():
    truth = [["1 4", "1 4"], ["", ""]]  # class 1: 4 pixels in each image; class 2: none
    guess = [["1 4", ""], ["", ""]]
    assert miou(truth, guess) == pytest.approx((4 / 8 + 1) / 2)  # not the mean per image
    assert miou(truth, guess, empty="skip") == pytest.approx(4 / 8)
    assert miou([["", ""]], [["", "3 1"]]) == 0.0  # a class predicted but absent: 0
    with pytest.raises(ValueError):
        miou([[""]], [[""]], empty="skip")


def test_miou_scores_one_row_per_image_with_a_mask_column_per_class(make_problem):
    road = ["1 4", "", "3 3", "10 2", "", "7 1"]
    sky = ["20 5", "20 5", "", "", "", ""]
    problem = make_problem("miou", {"road": road, "sky": sky}, options=OPTIONS)
    guess = [("1 4", "20 5"), ("", "20 5"), ("3 1", ""), ("", ""), ("", ""), ("7 1", "")]
    rows = [(i, *g) for i, g in zip(IDS, guess, strict=True)]
    result = problem.submit(csv_text("id,road,sky", rows))
    assert result["status"] == "scored", result
    assert result["public"] == pytest.approx((5 / 7 + 1) / 2)  # a1 a3 a5: road 4+1 of 4+3
    assert result["private"] == pytest.approx((1 / 3 + 1) / 2)  # a2 a4 a6: road 1 of 2+1


def test_miou_refuses_a_bad_mask_naming_its_class_column_and_line(make_problem):
    truth = [f"{n} 3" for n in range(11, 17)]  # none empty: an empty secret is in every text
    problem = make_problem("miou", {"road": truth, "sky": truth[::-1]}, options=OPTIONS)
    bad = "".join(f"{i},,\n" for i in IDS[:5]) + "a6,,30 2\n"
    assert problem.invalid("id,road,sky\n" + bad) == (
        "In column 'sky', 1 mask runs outside the image (first at line 7: '30 2'). "
        "Pixels are numbered from 1 down each column, up to 30."
    )
