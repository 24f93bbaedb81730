"""A metric's per-problem settings: their defaults, and the job's checked and bound to its
``compute``.

The web checks them with messages for people (its metric registry, which reads the defaults
here without importing the metrics' libraries); here a bad one is the setup's fault, a
:class:`ScoringError`.
"""

from __future__ import annotations

import math
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from .errors import ScoringError

if TYPE_CHECKING:
    from .metrics import Metric

_MASK = {"height": None, "width": None, "empty": "one"}
_K = {"k": 10}
#: The settings each metric takes and their defaults (None: the problem must set it).
DEFAULTS: dict[str, dict[str, object]] = {
    "mase": {"season": 1},
    "pinball": {"quantiles": None},
    "map_at_k": _K, "ndcg_at_k": _K, "recall_at_k": _K, "mrr": _K,
    "dice_rle": _MASK, "iou_rle": _MASK, "miou": _MASK,
}  # fmt: skip


def bind(metric: Metric, raw: object) -> Metric:
    """``metric`` whose ``compute`` (and ``details``) take the job's settings, defaults
    filling the rest."""
    given = dict(raw or {}) if isinstance(raw, dict) or raw is None else None
    if given is None or set(given) - set(metric.options):
        raise ScoringError(f"The scoring job's options do not fit {metric.name}.")
    values = metric.options | given
    missing = [name for name, value in values.items() if value is None]
    if missing:
        raise ScoringError(f"{metric.name} needs the setting {', '.join(missing)}.")
    if not values:
        return metric
    checked = {name: READERS[name](metric, value) for name, value in values.items()}
    details = partial(metric.details, **checked) if metric.details else None
    return replace(metric, compute=partial(metric.compute, **checked), details=details)


def _count(metric: Metric, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ScoringError(f"{metric.name} needs a whole number of at least 1 as its setting.")
    return value


def _quantiles(metric: Metric, value: object) -> tuple[float, ...]:
    if not isinstance(value, list) or not value:
        raise ScoringError(f"{metric.name} needs a list of quantiles.")
    levels = tuple(float(v) for v in value if isinstance(v, int | float))
    if len(levels) != len(value) or not all(math.isfinite(q) and 0 < q < 1 for q in levels):
        raise ScoringError(f"{metric.name} needs quantiles between 0 and 1.")
    return levels


def _empty(metric: Metric, value: object) -> str:
    if value not in ("one", "skip"):
        raise ScoringError(f"{metric.name} needs empty=one or empty=skip.")
    return str(value)


READERS = {"season": _count, "k": _count, "quantiles": _quantiles, "height": _count,
           "width": _count, "empty": _empty}  # fmt: skip
