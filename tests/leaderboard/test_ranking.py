from datetime import UTC, datetime, timedelta

from judge.leaderboard.ranking import Entry, best, blended, finals

T0 = datetime(2026, 12, 1, tzinfo=UTC)


def entry(n, public, private=None, selected=False, minutes=0):
    return Entry(n, T0 + timedelta(minutes=minutes or n), public, private, selected)


def test_best_respects_direction():
    entries = [entry(1, 0.5), entry(2, 0.9), entry(3, 0.7)]
    assert best(entries, lambda e: e.public, higher_is_better=True).submission_id == 2
    assert best(entries, lambda e: e.public, higher_is_better=False).submission_id == 1


def test_tie_goes_to_the_earlier_submission():
    entries = [entry(1, 0.9, minutes=30), entry(2, 0.9, minutes=10)]
    assert best(entries, lambda e: e.public, True).submission_id == 2


def test_missing_and_nan_never_rank():
    entries = [entry(1, None), entry(2, float("nan")), entry(3, float("inf")), entry(4, 0.1)]
    assert best(entries, lambda e: e.public, True).submission_id == 4
    assert best([entry(1, None)], lambda e: e.public, True) is None


def test_finals_are_the_selection_else_the_best_public_ones():
    entries = [entry(1, 0.5, selected=True), entry(2, 0.9), entry(3, 0.8), entry(4, 0.7)]
    chosen, auto = finals(entries, 2, True)
    assert ([e.submission_id for e in chosen], auto) == ([1], False)
    unselected = [Entry(e.submission_id, e.submitted_at, e.public, e.private) for e in entries]
    chosen, auto = finals(unselected, 2, True)
    assert ([e.submission_id for e in chosen], auto) == ([2, 3], True)


def test_blend():
    assert blended(entry(1, 0.8, 0.6), 0.3) == 0.3 * 0.8 + 0.7 * 0.6
    assert blended(entry(1, 0.8, 0.6), None) == 0.6
    assert blended(entry(1, None, 0.6), 0.3) is None
