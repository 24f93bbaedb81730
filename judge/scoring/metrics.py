"""The metric registry: strategies keyed by the name stored on a problem.

Each metric knows its direction, the shape of submission it expects and the settings it
takes (``Problem.metric_options``; the engine holds their defaults).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from judge.scoring.engine.options import DEFAULTS


@dataclass(frozen=True)
class Metric:
    name: str
    label: object  # a lazy translated string
    higher_is_better: bool
    expects: str  # "label", "probability", "value", "quantile", "ranking", "text", "mask",
    # "class_masks", "boxes" or "label_sets"
    details_label: object = None  # what its score's details are (a lazy translated string)

    @property
    def options(self) -> dict[str, object]:
        """The settings it takes and their defaults (None: the problem must set it)."""
        return dict(DEFAULTS.get(self.name, {}))

    @property
    def stacked(self) -> bool:
        """Whether one answer column may take several prediction columns (classes, quantiles)."""
        return self.expects in ("probability", "quantile")


@dataclass(frozen=True)
class Option:
    label: object
    kind: str  # "count" (a whole number ≥ 1), "quantiles" (numbers inside 0–1) or "empty"


OPTIONS = {
    "season": Option(_l("Season (rows in one cycle)"), "count"),
    "k": Option(_l("K (items counted in each list)"), "count"),
    "quantiles": Option(_l("Quantiles, one per prediction column"), "quantiles"),
    "height": Option(_l("Image height in pixels"), "count"),
    "width": Option(_l("Image width in pixels"), "count"),
    "empty": Option(_l("An image empty in truth and prediction: one (counts 1) or skip"), "empty"),
}

_METRICS = [
    Metric("accuracy", _l("Accuracy"), True, "label"),
    Metric("balanced_accuracy", _l("Balanced accuracy"), True, "label"),
    Metric("f1_macro", _l("F1 (macro)"), True, "label"),
    Metric("f1_micro", _l("F1 (micro)"), True, "label"),
    Metric("f1_weighted", _l("F1 (weighted)"), True, "label"),
    Metric("precision_macro", _l("Precision (macro)"), True, "label"),
    Metric("recall_macro", _l("Recall (macro)"), True, "label"),
    Metric("roc_auc", _l("ROC AUC"), True, "probability"),
    Metric("roc_auc_ovr", _l("ROC AUC (one-vs-rest)"), True, "probability"),
    Metric("log_loss", _l("Log loss"), False, "probability"),
    Metric("mcc", _l("Matthews correlation"), True, "label"),
    Metric("quadratic_weighted_kappa", _l("Quadratic weighted kappa"), True, "label"),
    Metric("rmse", _l("RMSE"), False, "value"),
    Metric("mae", _l("MAE"), False, "value"),
    Metric("mape", _l("MAPE"), False, "value"),
    Metric("r2", _l("R²"), True, "value"),
    Metric("rmsle", _l("RMSLE"), False, "value"),
    Metric("smape", _l("SMAPE (0–200)"), False, "value"),
    Metric("nmae", _l("NMAE (mean absolute error relative to the truth)"), False, "value"),
    Metric("wmape", _l("WMAPE (weighted absolute percentage error)"), False, "value"),
    Metric("mase", _l("MASE (mean absolute scaled error)"), False, "value"),
    Metric("pinball", _l("Pinball loss"), False, "quantile"),
    Metric("map_at_k", _l("MAP@K (ranked lists)"), True, "ranking"),
    Metric("ndcg_at_k", _l("NDCG@K (ranked lists)"), True, "ranking"),
    Metric("recall_at_k", _l("Recall@K (ranked lists)"), True, "ranking"),
    Metric("mrr", _l("Mean reciprocal rank (ranked lists)"), True, "ranking"),
    Metric("cer", _l("CER (character error rate)"), False, "text"),
    Metric("wer", _l("WER (word error rate)"), False, "text"),
    Metric("bleu", _l("BLEU (0–100)"), True, "text"),
    Metric("chrf", _l("chrF (0–100)"), True, "text"),
    Metric("rouge_l", _l("ROUGE-L (F-measure)"), True, "text"),
    Metric("exact_match", _l("Exact match"), True, "text"),
    Metric("dice_rle", _l("Dice (run-length-encoded masks)"), True, "mask"),
    Metric("iou_rle", _l("IoU (run-length-encoded masks)"), True, "mask"),
    Metric(
        "miou",
        _l("Mean IoU over classes (a run-length-encoded mask per class)"),
        True,
        "class_masks",
    ),
    Metric("map_50", _l("mAP@0.5 (COCO, object detection)"), True, "boxes", _l("AP per class")),
    Metric(
        "map_50_95",
        _l("mAP@[0.5:0.95] (COCO, object detection)"),
        True,
        "boxes",
        _l("AP per class"),
    ),
    Metric("f1_samples", _l("F1 (samples, multi-label)"), True, "label_sets"),
    Metric("hamming_loss", _l("Hamming loss (multi-label)"), False, "label_sets"),
    Metric("jaccard_samples", _l("Jaccard (samples, multi-label)"), True, "label_sets"),
]

REGISTRY: dict[str, Metric] = {m.name: m for m in _METRICS}

# One made-up prediction per row of a sample file, by what the metric expects.
SAMPLES = {
    "label": ("1", "0", "1"),
    "probability": ("0.91", "0.12", "0.55"),
    "value": ("12.5", "7.0", "3.25"),
    "quantile": ("10.1", "12.5", "15.2"),
    "ranking": ("item_17 item_3 item_42", "item_8", "item_3 item_17"),
    "text": ("서울특별시 강남구", "오늘 날씨가 맑습니다.", '"Hello, world"'),
    "mask": ("1 3 10 5", "", "7 2"),
    "class_masks": ("1 3 10 5", "", "7 2"),
    "boxes": ("car 0.92 10 20 50 40 person 0.6 80 15 20 60", "", "car 0.31 5 5 30 30"),
    "label_sets": ("rain wind", "", "snow"),
}


def get(name: str) -> Metric | None:
    return REGISTRY.get(name)


def names() -> list[str]:
    return list(REGISTRY)


def sample_file(metric: Metric, id_column: str, prediction_columns: list[str]) -> str:
    """A three-row sample submission in the format ``metric`` expects."""
    values = SAMPLES[metric.expects]
    lines = [",".join([id_column, *prediction_columns])]
    for row in range(3):
        if metric.expects == "quantile":
            cells = [_shifted(values[row], column) for column in range(len(prediction_columns))]
        elif metric.expects == "label_sets" and len(prediction_columns) > 1:  # 0/1 per label
            cells = [str((row + column + 1) % 2) for column in range(len(prediction_columns))]
        else:
            cells = [values[row]] * len(prediction_columns)
        lines.append(",".join([f"id_{row + 1}", *cells]))
    return "\n".join(lines) + "\n"


def _shifted(value: str, column: int) -> str:
    return f"{float(value) + 2 * column:g}"


def parse_options(text: str) -> dict[str, str]:
    """``k=10; quantiles=0.1 0.5 0.9`` as a dictionary of texts (ValueError if unreadable)."""
    found = {}
    for part in re.split(r"[;\n]", text or ""):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        if not sep or not name.strip():
            raise ValueError(_("Write each metric setting as name=value, separated by ';'."))
        found[name.strip().lower()] = value.strip()
    return found


def check_options(metric: Metric, given: dict | None) -> dict | None:
    """The settings as the engine takes them, or ValueError with a message for people."""
    given = dict(given or {})
    unknown = sorted(set(given) - set(metric.options))
    if unknown:
        raise ValueError(_("%(metric)s takes no setting “%(name)s”. It takes: %(names)s",
                           metric=metric.name, name=unknown[0],
                           names=", ".join(metric.options) or _("none")))  # fmt: skip
    checked = {}
    for name, default in metric.options.items():
        if name in given:
            checked[name] = _READERS[OPTIONS[name].kind](name, given[name])
        elif default is None:
            label = OPTIONS[name].label
            raise ValueError(_("%(metric)s needs the setting “%(name)s” (%(label)s).",
                               metric=metric.name, name=name, label=label))  # fmt: skip
    return checked or None


def _count(name: str, value: object) -> int:
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdigit() or int(text) < 1:
        raise ValueError(_("The setting “%(name)s” must be a whole number of at least 1.",
                           name=name))  # fmt: skip
    return int(text)


def _quantiles(name: str, value: object) -> list[float]:
    parts = value if isinstance(value, list) else re.split(r"[\s,]+", str(value).strip())
    try:
        levels = [float(v) for v in parts if str(v).strip()]
    except (TypeError, ValueError):
        levels = []
    if not levels or not all(math.isfinite(q) and 0 < q < 1 for q in levels):
        raise ValueError(_("The setting “%(name)s” must list numbers between 0 and 1, "
                           "for example 0.1 0.5 0.9.", name=name))  # fmt: skip
    return levels


def _empty(name: str, value: object) -> str:
    if str(value).strip() not in ("one", "skip"):
        raise ValueError(_("The setting “%(name)s” must be one or skip.", name=name))
    return str(value).strip()


_READERS = {"count": _count, "quantiles": _quantiles, "empty": _empty}
