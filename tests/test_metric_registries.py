"""The web's metric list (names, labels, direction) and the engine's computations agree."""

from judge.scoring import metrics
from judge.scoring.engine.metrics import METRICS


def test_same_metrics_same_direction_same_shape():
    web = {m.name: (m.higher_is_better, m.expects) for m in metrics.REGISTRY.values()}
    engine = {m.name: (m.higher_is_better, m.expects) for m in METRICS.values()}
    assert web == engine
