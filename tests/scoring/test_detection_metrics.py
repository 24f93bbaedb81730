"""Detection metrics map_50 and map_50_95 against pycocotools' COCOeval on random boxes and
edge cases; then through the engine: Kaggle's PredictionString, one row per image, and
messages naming row and column in both languages."""

from __future__ import annotations

import contextlib
import io

import numpy as np
import pyarrow as pa
import pytest
from flask_babel import force_locale
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

from judge.scoring.engine.boxes import boxes
from judge.scoring.engine.metrics import METRICS
from judge.scoring.messages import translate

from .conftest import IDS, csv_text

RNG = np.random.default_rng(31)
CLASSES = ["car", "person", "dog"]


def engine(name: str, truth: list[str], guess: list[str]) -> float:
    read = lambda values, scored: boxes(pa.chunked_array([values], pa.string()), scored)  # noqa: E731
    return METRICS[name].compute(read(truth, False), read(guess, True))


def coco(truth: list[str], guess: list[str]) -> tuple[float, float]:
    """pycocotools' AP@[.5:.95] and AP@.5 (stats[0], stats[1]) on the same boxes."""
    evaluation = evaluate(truth, guess)
    return float(evaluation.stats[0]), float(evaluation.stats[1])


def coco_per_class(truth: list[str], guess: list[str]) -> tuple[dict, dict]:
    """pycocotools' AP@[.5:.95] and AP@.5 of each category, by name: its precision table
    (IoU × recall × category × area × max detections) at area "all" and 100 detections,
    averaged over the cells it filled (-1: none), as summarize() does per category."""
    evaluation = evaluate(truth, guess)
    names = [c["name"] for c in evaluation.cocoGt.dataset["categories"]]
    table = evaluation.eval["precision"][:, :, :, 0, 2]

    def mean(cells: np.ndarray) -> float:
        return float(cells[cells > -1].mean()) if (cells > -1).any() else -1.0

    return ({n: mean(table[:, :, k]) for k, n in enumerate(names)},
            {n: mean(table[0, :, k]) for k, n in enumerate(names)})  # fmt: skip


def evaluate(truth: list[str], guess: list[str]) -> COCOeval:
    names = sorted({w for t in truth for w in t.split()[::5]})
    images, annotations, results = [], [], []
    for image, (t, g) in enumerate(zip(truth, guess, strict=True), start=1):
        images.append({"id": image, "width": 1000, "height": 1000})
        for c, *xywh in np.array(t.split(), dtype=object).reshape(-1, 5):
            box = [float(v) for v in xywh]
            annotations.append({"id": len(annotations) + 1, "image_id": image, "iscrowd": 0,
                                "category_id": names.index(c) + 1, "bbox": box,
                                "area": box[2] * box[3]})  # fmt: skip
        for c, score, *xywh in np.array(g.split(), dtype=object).reshape(-1, 6):
            if c in names:
                box = [float(v) for v in xywh]
                results.append({"image_id": image, "category_id": names.index(c) + 1,
                                "bbox": box, "score": float(score)})  # fmt: skip
    ground = COCO()
    categories = [{"id": i + 1, "name": n} for i, n in enumerate(names)]
    ground.dataset = {"images": images, "annotations": annotations, "categories": categories}
    with contextlib.redirect_stdout(io.StringIO()):
        ground.createIndex()
        evaluation = COCOeval(ground, ground.loadRes(results) if results else COCO(), "bbox")
        evaluation.evaluate()
        evaluation.accumulate()
        evaluation.summarize()
    return evaluation


def random_image(truth_boxes: int) -> tuple[str, str]:
    """True boxes and predictions: some near a true box, some anywhere, some of another class."""
    truth, guess = [], []
    for _ in range(truth_boxes):
        c = RNG.choice(CLASSES)
        x, y, w, h = (
            RNG.uniform(0, 200, 2).round(1).tolist() + RNG.uniform(5, 80, 2).round(1).tolist()
        )
        truth.append(f"{c} {x} {y} {w} {h}")
        if RNG.random() < 0.8:
            jitter = RNG.normal(0, 0.15 * min(w, h), 4).round(1)
            c2 = c if RNG.random() < 0.85 else RNG.choice(CLASSES)
            guess.append(f"{c2} {RNG.random():.4f} {x + jitter[0]} {y + jitter[1]} "
                         f"{max(w + jitter[2], 1)} {max(h + jitter[3], 1)}")  # fmt: skip
    for _ in range(RNG.integers(0, 4)):
        c = RNG.choice(CLASSES)
        guess.append(
            f"{c} {RNG.random():.4f} " + " ".join(RNG.uniform(1, 150, 4).round(1).astype(str))
        )
    return " ".join(truth), " ".join(guess)


def test_map_matches_pycocotools_on_random_boxes():
    for _ in range(25):
        pairs = [random_image(int(RNG.integers(0, 6))) for _ in range(int(RNG.integers(1, 8)))]
        truth, guess = [t for t, _ in pairs], [g for _, g in pairs]
        if not any(truth):
            continue
        expected_50_95, expected_50 = coco(truth, guess)
        assert engine("map_50", truth, guess) == pytest.approx(expected_50, abs=1e-12)
        assert engine("map_50_95", truth, guess) == pytest.approx(expected_50_95, abs=1e-12)


def details(name: str, truth: list[str], guess: list[str]) -> dict[str, float]:
    read = lambda values, scored: boxes(pa.chunked_array([values], pa.string()), scored)  # noqa: E731
    return METRICS[name].details(read(truth, False), read(guess, True))


def test_each_class_ap_matches_pycocotools_per_category_on_random_boxes():
    compared = 0
    for _ in range(25):
        pairs = [random_image(int(RNG.integers(0, 6))) for _ in range(int(RNG.integers(1, 8)))]
        truth, guess = [t for t, _ in pairs], [g for _, g in pairs]
        if not any(truth):
            continue
        expected_50_95, expected_50 = coco_per_class(truth, guess)
        assert details("map_50", truth, guess) == pytest.approx(expected_50, abs=1e-12)
        assert details("map_50_95", truth, guess) == pytest.approx(expected_50_95, abs=1e-12)
        compared += len(expected_50)
    assert compared > 25  # most rounds hold several classes


EDGES = [
    (["car 0 0 10 10"], ["car 0.9 0 0 10 10"]),  # a perfect box
    (["car 0 0 10 10"], [""]),  # nothing predicted
    (["car 0 0 10 10", ""], ["", "car 0.9 0 0 10 10"]),  # the right box on the wrong image
    (["car 0 0 10 10"], ["person 0.9 0 0 10 10"]),  # the wrong class
    (["car 0 0 10 10 car 0 0 10 10"], ["car 0.9 0 0 10 10"]),  # two equal true boxes, one found
    (["car 0 0 10 10"], ["car 0.9 0 0 10 10 car 0.8 0 0 10 10"]),  # a duplicate is false
    (["car 0 0 10 10"], ["car 0.5 0 0 10 10 car 0.5 50 50 5 5"]),  # equal confidences
    (["car 0 0 10 10 dog 20 20 10 10"], ["car 0.7 0 0 10 5 dog 0.2 21 21 10 10"]),  # IoU 0.5
    (["car 0 0 10 10"], ["car 0.9 0 0 0 0 car 0.1 0 0 10 10"]),  # a zero-size box
]


@pytest.mark.parametrize(("truth", "guess"), EDGES)
def test_map_matches_pycocotools_on_edge_cases(truth, guess):
    expected_50_95, expected_50 = coco(truth, guess)
    assert engine("map_50", truth, guess) == pytest.approx(expected_50, abs=1e-12)
    assert engine("map_50_95", truth, guess) == pytest.approx(expected_50_95, abs=1e-12)
    per_class_50_95, per_class_50 = coco_per_class(truth, guess)
    assert details("map_50", truth, guess) == pytest.approx(per_class_50, abs=1e-12)
    assert details("map_50_95", truth, guess) == pytest.approx(per_class_50_95, abs=1e-12)


def test_only_the_most_confident_100_boxes_of_an_image_and_class_count():
    many = " ".join(f"car {0.5 + i / 1000} 500 500 5 5" for i in range(100))
    truth, guess = ["car 0 0 10 10"], [many + " car 0.1 0 0 10 10"]
    assert engine("map_50", truth, guess) == 0 == coco(truth, guess)[1]


def test_a_side_without_true_boxes_is_undefined():
    with pytest.raises(ValueError):
        engine("map_50", ["", ""], ["car 0.9 0 0 10 10", ""])


TRUTH = ["car 0 0 10 10", "", "car 0 0 10 10 dog 50 50 20 20", "dog 5 5 10 10", "",
         "car 100 100 30 30"]  # fmt: skip


def test_the_engine_scores_one_prediction_string_per_image(make_problem):
    problem = make_problem("map_50", {"PredictionString": TRUTH})
    guess = ["car 0.9 0 0 10 10", "", "car 0.8 1 1 10 10 dog 0.3 90 90 5 5", "dog 0.6 5 5 10 10",
             "car 0.2 0 0 3 3", "car 0.5 100 100 30 30"]  # fmt: skip
    result = problem.submit(csv_text("id,PredictionString", list(zip(IDS, guess, strict=True))))
    assert result["status"] == "scored", result
    assert result["public"] == pytest.approx((1 + 0) / 2)  # a1 a3 a5: car found twice, dog missed
    assert result["private"] == pytest.approx(1.0)  # a2 a4 a6
    assert result["details"]["public"] == pytest.approx({"car": 1.0, "dog": 0.0})
    assert result["details"]["private"] == pytest.approx({"car": 1.0, "dog": 1.0})


def test_each_side_s_details_name_only_the_classes_of_its_own_truth(make_problem):
    truth = ["car 0 0 10 10", "bus 0 0 10 10", "", "bus 5 5 10 10", "car 9 9 5 5", ""]
    problem = make_problem("map_50_95", {"PredictionString": truth})  # public: a1 a3 a5
    guess = ["car 0.9 0 0 10 10", "bus 0.8 0 0 10 10", "bus 0.7 1 1 3 3", "", "", ""]
    result = problem.submit(csv_text("id,PredictionString", list(zip(IDS, guess, strict=True))))
    assert result["status"] == "scored", result
    assert result["details"]["public"] == {"car": pytest.approx(51 / 101)}  # bus is private only
    assert result["details"]["private"] == {"bus": pytest.approx(51 / 101)}  # 1 of 2 found
    assert result["public"] == result["private"] == pytest.approx(51 / 101)


def test_several_box_columns_key_each_class_by_its_column(make_problem):
    truth = {"front": ["car 0 0 10 10"] * 6, "rear": ["bus 0 0 10 10"] * 6}
    problem = make_problem("map_50", truth)
    row = "car 0.9 0 0 10 10,bus 0.9 50 50 10 10"
    result = problem.submit("id,front,rear\n" + "".join(f"{i},{row}\n" for i in IDS))
    assert result["status"] == "scored", result
    assert result["details"]["public"] == pytest.approx({"front: car": 1.0, "rear: bus": 0.0})
    assert result["public"] == pytest.approx(0.5)


def test_a_metric_without_details_returns_none(make_problem):
    problem = make_problem("dice_rle", {"mask": ["1 2"] * 6}, options={"height": 2, "width": 2})
    result = problem.submit("id,mask\n" + "".join(f"{i},1 2\n" for i in IDS))
    assert result["status"] == "scored" and "details" not in result, result


BAD = [
    ("car 0.9 0 0 10", "In column 'PredictionString', 1 value is not whole boxes (first at line "
     "2: 'car 0.9 0 0 10'). Each box is six values separated by spaces: class, confidence, x, "
     "y, width and height.", "여섯"),
    ("car high 0 0 10 10", "In column 'PredictionString', 1 box has a confidence or coordinate "
     "that is not a number (first at line 2: 'car high 0 0 10 10').", "숫자"),
    ("car 0.9 0 0 -10 10", "In column 'PredictionString', 1 box has a negative width or height "
     "(first at line 2: 'car 0.9 0 0 -10 10').", "음수"),
]  # fmt: skip


@pytest.mark.parametrize(("first", "message", "korean"), BAD)
def test_a_bad_box_string_is_refused_by_row_and_column_in_both_languages(
    app, make_problem, first, message, korean
):
    truth = [f"car {n} {n} 10 10" for n in range(11, 17)]
    problem = make_problem("map_50_95", {"PredictionString": truth})
    rest = "".join(f"{i},\n" for i in IDS[1:])
    assert problem.invalid(f"id,PredictionString\na1,{first}\n" + rest) == message
    with force_locale("ko"):
        shown = translate(message)
    assert korean in shown and "box" not in shown, shown


def test_an_unknown_image_id_is_refused(make_problem):
    truth = [f"car {n} {n} 10 10" for n in range(11, 17)]  # none empty, as every text holds ""
    problem = make_problem("map_50", {"PredictionString": truth})
    rows = [(i, "") for i in IDS[:5]] + [("b9", "car 0.5 0 0 1 1")]
    assert problem.invalid(csv_text("id,PredictionString", rows)) == (
        "1 id is not in the test set (first at line 7), for example 'b9'. "
        "1 test id has no prediction, for example 'a6'."
    )


def test_a_side_with_more_than_200_classes_gets_no_details_but_its_score(make_problem):
    many = " ".join(f"c{n} 0 0 10 10" for n in range(201))
    problem = make_problem("map_50", {"PredictionString": [many] * 6})
    guess = " ".join(f"c{n} 0.9 0 0 10 10" for n in range(201))
    result = problem.submit("id,PredictionString\n" + "".join(f"{i},{guess}\n" for i in IDS))
    assert result["status"] == "scored", result
    assert result["public"] == result["private"] == pytest.approx(1.0)
    assert result["details"] == {"public": None, "private": None}
