from judge.scoring.engine.splits import PRIVATE, PUBLIC, fraction_split, hash_fraction, usage_split

IDS = [f"img_{i:05d}" for i in range(20000)]


def test_fraction_split_is_close_to_the_fraction():
    sides = fraction_split(IDS, "salt", 0.3)
    share = (sides == PUBLIC).mean()
    assert 0.29 < share < 0.31


def test_split_is_stable_whatever_the_order():
    forward = fraction_split(IDS, "salt", 0.3)
    backward = fraction_split(list(reversed(IDS)), "salt", 0.3)
    assert (forward == backward.loc[forward.index]).all()


def test_split_depends_on_the_secret_salt():
    one = fraction_split(IDS, "salt-a", 0.3)
    other = fraction_split(IDS, "salt-b", 0.3)
    agreement = (one == other).mean()
    assert agreement < 0.7  # independent splits agree on about 0.3² + 0.7² = 58% of rows


def test_hash_fraction_is_in_unit_interval_and_deterministic():
    values = [hash_fraction("s", i) for i in IDS[:1000]]
    assert all(0 <= v < 1 for v in values)
    assert values == [hash_fraction("s", i) for i in IDS[:1000]]


def test_usage_column_values_are_case_and_space_insensitive():
    import pandas as pd

    sides = usage_split(pd.Series(["Public", " private ", "IGNORED", "Test"]))
    assert sides.tolist()[:3] == [PUBLIC, PRIVATE, "ignored"]
    assert pd.isna(sides.iloc[3])


def test_split_all_puts_every_id_on_both_sides():
    from judge.scoring.engine.splits import BOTH, all_split

    sides = all_split(IDS[:50])
    assert sides.index.tolist() == IDS[:50] and set(sides) == {BOTH}
