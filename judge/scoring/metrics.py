"""The metric registry: strategies keyed by the name stored on a problem.

Each metric knows its direction and the shape of submission it expects.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Metric:
    name: str
    label: object  # a lazy translated string
    higher_is_better: bool
    expects: str  # "label", "probability" or "value"


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
]

REGISTRY: dict[str, Metric] = {m.name: m for m in _METRICS}


def get(name: str) -> Metric | None:
    return REGISTRY.get(name)


def names() -> list[str]:
    return list(REGISTRY)
