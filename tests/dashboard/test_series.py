"""Chart series: local days, running bests, histograms."""

from __future__ import annotations

from datetime import UTC, datetime

from judge.charts.series import best_over_time, distribution, per_day

SEOUL = "Asia/Seoul"


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=UTC)


def test_submissions_count_on_the_competitions_local_day_with_empty_days_kept():
    # 16:00 UTC on the 1st is 01:00 on the 2nd in Seoul.
    series = per_day([at(1, 3), at(1, 16), at(4, 1)], SEOUL)
    assert series.labels == ["2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04"]
    assert series.values == [1, 1, 0, 1]
    assert per_day([], SEOUL).labels == []


def test_the_best_score_only_improves_in_the_metrics_direction():
    scores = [(at(1, 1), 0.7), (at(2, 1), 0.6), (at(3, 1), 0.8), (at(3, 2), float("nan"))]
    assert best_over_time(scores, SEOUL, higher_is_better=True).values == [0.7, 0.7, 0.8]
    assert best_over_time(scores, SEOUL, higher_is_better=False).values == [0.7, 0.6, 0.6]


def test_distribution_counts_every_score_once():
    series = distribution([0.0, 0.1, 0.5, 0.99, 1.0], bins=4)
    assert series.values == [2, 0, 1, 2] and len(series.labels) == 4
    assert distribution([0.5, 0.5]).values == [2]
    assert distribution([]).values == []
