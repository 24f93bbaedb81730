"""Pure rules of stage two: rubric totals, the quantitative part, final ranking, award tiers.

Everything here works on plain values, so each rule is tested without a database.

- A judge's rubric total is the weighted mean of the criteria, each as a share of its
  maximum, on a 0–100 scale; a judge who has not scored every criterion has no total.
- The qualitative part of a team is the mean of its judges' totals, or a trimmed mean
  (the ``trim`` share cut from each end; scipy's ``trim_mean``).
- The quantitative part (0–100) comes from the private score among the finalists of the
  same problem and division who are not disqualified:
  ``rank``: 100·(n − r)/(n − 1), r the shared rank (100 for a lone finalist);
  ``ratio``: 100·(score/best)^N when higher is better, 100·(best/score)^N when lower is.
  The ratio needs every compared score above zero (a best of 0 or a sign change makes it
  meaningless); otherwise the rank formula is used and the result says so.
- Final = w·quantitative + (1 − w)·qualitative. A finalist missing either part has no
  final score and ranks after everyone who has one (listed as incomplete).
- Ties on the final score go to the better qualitative part, then to the better private
  score; teams still equal share the rank.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from scipy.stats import trim_mean

RANK, RATIO = "rank", "ratio"
MEAN, TRIMMED_MEAN = "mean", "trimmed_mean"


@dataclass(frozen=True)
class Criterion:
    id: int
    weight: float
    max_points: float


def judge_total(criteria: Sequence[Criterion], points: Mapping[int, float]) -> float | None:
    """One judge's total for one team on 0–100, or None until every criterion is scored."""
    if not criteria or any(c.id not in points for c in criteria):
        return None
    weights = sum(c.weight for c in criteria)
    if weights <= 0:
        return None
    share = sum(c.weight * points[c.id] / c.max_points for c in criteria)
    return 100.0 * share / weights


def aggregate(totals: Sequence[float], method: str = MEAN, trim: float = 0.2) -> float | None:
    """The team's qualitative part from its judges' totals (None without any)."""
    if not totals:
        return None
    if method == TRIMMED_MEAN and len(totals) >= 3:
        return float(trim_mean(list(totals), trim))
    return sum(totals) / len(totals)


def shared_ranks(values: Sequence[float], higher_is_better: bool) -> list[int]:
    """Competition ranking (1, 2, 2, 4) of ``values`` in their own order."""
    sign = -1 if higher_is_better else 1
    order = sorted(sign * v for v in values)
    return [order.index(sign * v) + 1 for v in values]


@dataclass(frozen=True)
class Quantitative:
    points: list[float]
    formula: str  # the one used: RATIO may fall back to RANK


def quantitative(scores: Sequence[float], higher_is_better: bool, formula: str = RANK,
                 exponent: float = 1.0) -> Quantitative:  # fmt: skip
    """The quantitative part (0–100) of each score, among the given scores."""
    if not scores:
        return Quantitative([], formula)
    if formula == RATIO and all(s > 0 and math.isfinite(s) for s in scores):
        best = max(scores) if higher_is_better else min(scores)
        ratios = [(s / best) if higher_is_better else (best / s) for s in scores]
        return Quantitative([100.0 * r**exponent for r in ratios], RATIO)
    n = len(scores)
    ranks = shared_ranks(scores, higher_is_better)
    points = [100.0 if n == 1 else 100.0 * (n - r) / (n - 1) for r in ranks]
    return Quantitative(points, RANK)


@dataclass(frozen=True)
class Candidate:
    key: int  # the finalist
    private_score: float | None
    qualitative: float | None


@dataclass(frozen=True)
class Standing:
    key: int
    rank: int | None  # None: incomplete
    final: float | None
    quantitative: float | None
    qualitative: float | None
    formula: str


@dataclass(frozen=True)
class Weights:
    quantitative: float = 0.2  # DACON's example: 20% quantitative, 80% rubric
    formula: str = RANK
    exponent: float = 1.0
    higher_is_better: bool = True


def final_ranking(candidates: Sequence[Candidate], weights: Weights) -> list[Standing]:
    """Rank one problem's (and division's) eligible finalists by their final score."""
    scored = [c for c in candidates if c.private_score is not None]
    quant = quantitative([c.private_score for c in scored], weights.higher_is_better,
                         weights.formula, weights.exponent)  # fmt: skip
    points = dict(zip((c.key for c in scored), quant.points, strict=True))
    rows = []
    for c in candidates:
        q = points.get(c.key)
        final = None
        if q is not None and c.qualitative is not None:
            final = weights.quantitative * q + (1 - weights.quantitative) * c.qualitative
        rows.append((c, q, final))
    complete = [r for r in rows if r[2] is not None]
    sign = -1 if weights.higher_is_better else 1

    def key(row) -> tuple:
        c, _, final = row
        return (-round(final, 9), -round(c.qualitative, 9), sign * c.private_score)

    complete.sort(key=key)
    out, previous, rank = [], None, 0
    for position, row in enumerate(complete, start=1):
        if key(row) != previous:
            rank, previous = position, key(row)
        out.append(Standing(row[0].key, rank, row[2], row[1], row[0].qualitative, quant.formula))
    out += [Standing(c.key, None, None, q, c.qualitative, quant.formula)
            for c, q, final in rows if final is None]  # fmt: skip
    return out


@dataclass(frozen=True)
class Tier:
    id: int
    teams: int


@dataclass
class Allocation:
    by_tier: dict[int, list[int]] = field(default_factory=dict)  # tier id -> finalist keys


def allocate(ranked: Sequence[Standing], tiers: Sequence[Tier]) -> Allocation:
    """Give the tiers, best first, to the ranked finalists in order.

    Teams sharing a rank share the tier of the first of them; the places they take are
    counted against the tiers below (as tied medallists do).
    """
    allocation = Allocation({t.id: [] for t in tiers})
    eligible = [s for s in ranked if s.rank is not None]
    slots = [t.id for t in tiers for _ in range(t.teams)]
    for position, standing in enumerate(eligible):
        if position >= len(slots):
            break
        first_of_rank = next(i for i, s in enumerate(eligible) if s.rank == standing.rank)
        allocation.by_tier[slots[first_of_rank]].append(standing.key)
    return allocation


def medal_of(rank: int, teams: int) -> str | None:
    """ "gold", "silver", "bronze" or None for a private-board rank among ``teams``."""
    gold, silver, bronze = kaggle_medals(teams)
    if rank <= gold:
        return "gold"
    if rank <= gold + silver:
        return "silver"
    return "bronze" if rank <= gold + silver + bronze else None


def kaggle_medals(teams: int) -> tuple[int, int, int]:
    """How many teams win gold, silver and bronze on a board of ``teams`` (Kaggle's
    progression system: thresholds by the number of teams)."""
    if teams <= 0:
        return 0, 0, 0
    if teams < 100:
        gold, silver, bronze = teams * 0.10, teams * 0.20, teams * 0.40
    elif teams < 250:
        gold, silver, bronze = 10, teams * 0.20, teams * 0.40
    elif teams < 1000:
        gold, silver, bronze = 10 + teams * 0.002, 50, 100
    else:
        gold, silver, bronze = 10 + teams * 0.002, teams * 0.05, teams * 0.10
    gold = int(gold)
    silver = int(silver) - gold
    bronze = int(bronze) - gold - silver
    return gold, silver, bronze
