"""The new metrics score through the real sandbox path (runner.score_file with the runtime
scripts/setup-runtime builds), the problem's settings travelling in the job."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from judge import sandbox
from judge.sandbox.process import pids_of_uid
from judge.scoring import runner
from judge.scoring import warm as scoring_warm
from tests.support import slots

from .conftest import IDS, csv_text

RUNTIME = Path(os.environ.get("JUDGE_SANDBOX_RUNTIME", "/opt/judge/runtimes/default"))
# A root and uid range of their own (the warm runner's tests use 63000).
CONFIG = sandbox.SandboxConfig(root=Path(slots.root("/run/judge-sandbox-test-metrics")),
                               uid_base=slots.uid_base(63200), slots=2)  # fmt: skip
TRUTH = ["10", "20", "30", "40", "50", "60"]  # public: a1 a3 a5, private: a2 a4 a6


@pytest.fixture
def setup() -> runner.ScoringSetup:
    if not (RUNTIME / "bin" / "python").exists():
        pytest.fail(f"no sandbox runtime at {RUNTIME} (scripts/setup-runtime builds it)")
    return runner.ScoringSetup(python=RUNTIME / "bin" / "python", limits=sandbox.Limits(),
                               config=CONFIG)  # fmt: skip


@pytest.fixture(autouse=True)
def no_sandbox_left():
    yield
    runner.discard_waiting()
    uids = range(CONFIG.uid_base, CONFIG.uid_base + CONFIG.slots)
    assert [pid for uid in uids for pid in pids_of_uid(uid)] == []


def test_pinball_with_its_quantiles_scores_in_the_sandbox(setup, make_problem):
    problem = make_problem("pinball", {"y": TRUTH}, prediction_columns=["q10", "q90"],
                           options={"quantiles": [0.1, 0.9]})  # fmt: skip
    rows = [(i, float(t) - 10, float(t) + 10) for i, t in zip(IDS, TRUTH, strict=True)]
    submission = problem.write(csv_text("id,q10,q90", rows))
    verdict = runner.score_file(setup, problem.job, submission, problem.solution)
    assert verdict.status == "scored", verdict.log
    assert verdict.public == pytest.approx(1.0)  # 0.1 · 10 below and 0.1 · 10 above
    assert verdict.private == pytest.approx(1.0)


def test_a_forecast_file_with_a_bad_value_is_refused_by_row_and_column(setup, make_problem):
    problem = make_problem("smape", {"y": TRUTH})
    rows = [(i, "n/a" if i == "a3" else 5) for i in IDS]
    verdict = runner.score_file(setup, problem.job, problem.write(csv_text("id,y", rows)),
                                problem.solution)  # fmt: skip
    assert verdict.status == "invalid"
    assert verdict.message == "In column 'y', 1 value is missing or NaN (first at line 4)."


def test_a_ranked_list_metric_scores_in_the_sandbox_with_the_problems_k(setup, make_problem):
    truth = ["t1 t2", "t3", "t4", "t5", "t6", "t7"]
    problem = make_problem("recall_at_k", {"items": truth}, options={"k": 3})
    rows = [(i, f"x {t.split()[0]}") for i, t in zip(IDS, truth, strict=True)]  # a1: half
    verdict = runner.score_file(setup, problem.job, problem.write(csv_text("id,items", rows)),
                                problem.solution)  # fmt: skip
    assert verdict.status == "scored", verdict.log
    assert (verdict.public, verdict.private) == (pytest.approx((0.5 + 1 + 1) / 3), 1.0)
    long = [(i, "a b c d") for i in IDS]
    refused = runner.score_file(setup, problem.job, problem.write(csv_text("id,items", long)),
                                problem.solution)  # fmt: skip
    assert refused.status == "invalid"
    assert "A list may hold at most 3 items." in refused.message


def test_the_text_metrics_score_korean_in_the_sandbox(setup, make_problem):
    truth = ["오늘 서울의 날씨는 맑고 바람이 조금 붑니다"] * 6
    rows = [(i, "오늘 서울의 날씨는 맑고 바람이 붑니다") for i in IDS]
    for metric in ("cer", "bleu", "chrf", "rouge_l"):
        problem = make_problem(metric, {"text": truth})
        verdict = runner.score_file(setup, problem.job, problem.write(csv_text("id,text", rows)),
                                    problem.solution)  # fmt: skip
        assert verdict.status == "scored", (metric, verdict.log)
        assert 0 < verdict.public == verdict.private < 100, metric


def test_a_mask_metric_scores_in_the_sandbox_with_the_problems_image_size(setup, make_problem):
    problem = make_problem("dice_rle", {"mask": ["1 4", "3 3", "5 2", "2 2", "7 1", "9 1"]},
                           options={"height": 4, "width": 3})  # fmt: skip
    rows = [(i, "1 4") for i in IDS]
    verdict = runner.score_file(setup, problem.job, problem.write(csv_text("id,mask", rows)),
                                problem.solution)  # fmt: skip
    assert verdict.status == "scored", verdict.log
    assert verdict.public == pytest.approx((1 + 0 + 0) / 3)  # a1, a3 (5 2), a5 (7 1)
    outside = runner.score_file(setup, problem.job,
                                problem.write(csv_text("id,mask", [(i, "12 2") for i in IDS])),
                                problem.solution)  # fmt: skip
    assert outside.status == "invalid" and "up to 12." in outside.message


def test_miou_scores_in_the_sandbox_with_a_mask_column_per_class(setup, make_problem):
    problem = make_problem("miou", {"road": ["1 4"] * 6, "sky": ["9 3"] * 6},
                           options={"height": 4, "width": 3})  # fmt: skip
    rows = [(i, "1 2", "9 3") for i in IDS]
    verdict = runner.score_file(setup, problem.job, problem.write(csv_text("id,road,sky", rows)),
                                problem.solution)  # fmt: skip
    assert verdict.status == "scored", verdict.log
    assert verdict.public == verdict.private == pytest.approx((2 / 4 + 1) / 2)


@pytest.mark.parametrize("warm", [False, True], ids=["cold", "warm"])
def test_the_detection_metrics_score_in_the_sandbox_with_ap_per_class(setup, make_problem, warm):
    setup = replace(setup, warm=warm)
    started = scoring_warm.started_count()
    truth = ["car 0 0 10 10", "dog 5 5 20 20", "car 0 0 10 10", "", "car 0 0 10 10", ""]
    guess = ["car 0.9 0 0 10 10", "dog 0.8 5 5 20 10", "car 0.4 0 0 10 10", "", "", ""]
    rows = list(zip(IDS, guess, strict=True))
    # public: 2 of 3 cars found, read at 67 of the 101 recall levels; private: the dog at IoU 0.5
    for metric, public, private in (("map_50", 67 / 101, 1.0), ("map_50_95", 67 / 101, 0.1)):
        problem = make_problem(metric, {"PredictionString": truth})
        submission = problem.write(csv_text("id,PredictionString", rows))
        verdict = runner.score_file(setup, problem.job, submission, problem.solution)
        assert verdict.status == "scored", (metric, verdict.log)
        assert (verdict.public, verdict.private) == pytest.approx((public, private), abs=1e-9)
        assert verdict.details["public"] == pytest.approx({"car": public}, abs=1e-9)
        assert verdict.details["private"] == pytest.approx({"dog": private}, abs=1e-9)
    assert scoring_warm.started_count() == started + warm  # the warm path did score them


# Public rows a1 a3 a5: one of two labels found, one exact, one missed; their truth has 4 labels.
MULTILABEL = [("f1_samples", (2 / 3 + 1 + 0) / 3), ("jaccard_samples", (1 / 2 + 1 + 0) / 3),
              ("hamming_loss", (1 + 0 + 1) / (3 * 4))]  # fmt: skip


@pytest.mark.parametrize(("metric", "public"), MULTILABEL)
def test_the_multilabel_metrics_score_a_label_column_in_the_sandbox(setup, make_problem, metric,
                                                                   public):  # fmt: skip
    truth = ["rain wind", "hail", "snow", "", "fog", ""]  # public: a1 a3 a5
    guess = ["wind", "", "snow", "", "", "hail"]
    problem = make_problem(metric, {"labels": truth})
    submission = problem.write(csv_text("id,labels", list(zip(IDS, guess, strict=True))))
    verdict = runner.score_file(setup, problem.job, submission, problem.solution)
    assert verdict.status == "scored", verdict.log
    assert verdict.public == pytest.approx(public)
