"""What the pages show of a series: its phases as tabs and its entry in the problem list.

Read only. A viewer sees the rows of a series they may see as problems (a draft row only
its managers); a series with no such row does not exist for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from judge.accounts.models import User
from judge.core.errors import NotFound
from judge.problems import series as service
from judge.problems import services as problems
from judge.problems.models import Carry, Problem, ProblemSeries


@dataclass(frozen=True)
class Phase:
    """One tab of a series' page: a phase and its task rows (the first takes the uploads)."""

    index: int
    label: str
    rows: tuple[Problem, ...]

    @property
    def first(self) -> Problem:
        return self.rows[0]

    @property
    def window(self) -> tuple[datetime | None, datetime | None]:
        return self.first.window()

    @property
    def takes_uploads(self) -> bool:
        return not self.first.scoring_only

    @property
    def decides_ranking(self) -> bool:
        return any(row.decides_ranking for row in self.rows)

    def state(self, now: datetime) -> str:
        """ "upcoming", "open" or "closed", by the phase's window."""
        opens, closes = self.window
        if opens is not None and now < opens:
            return "upcoming"
        if closes is not None and now >= closes:
            return "closed"
        return "open"


def visible_rows(series: ProblemSeries, user: User | None) -> list[Problem]:
    return [row for row in service.rows(series) if problems.can_see(user, row)]


def phases(series: ProblemSeries, user: User | None) -> list[Phase]:
    """The phases ``user`` may see, in order; a phase whose rows are all hidden is left out."""
    by_phase: dict[int, list[Problem]] = {}
    for row in visible_rows(series, user):
        by_phase.setdefault(row.phase_index or 0, []).append(row)
    return [Phase(index, service.phase_label(rows[0]), tuple(rows))
            for index, rows in sorted(by_phase.items())]  # fmt: skip


def visible_phases(series: ProblemSeries, user: User | None) -> list[Phase]:
    """The phases, or the very 404 of a series that does not exist when none is visible."""
    shown = phases(series, user)
    if not shown:
        raise NotFound(_("No such problem."))
    return shown


def current(shown: list[Phase], now: datetime) -> Phase:
    """The phase open now; else the next to open; else the last."""
    for state in ("open", "upcoming"):
        found = next((phase for phase in shown if phase.state(now) == state), None)
        if found is not None:
            return found
    return shown[-1]


def entry_text(phase: Phase, all_phases: list[Phase]) -> str:
    """How entries enter a phase: "Everyone may upload", "The top 10 teams of 예선"…"""
    earlier = next((p for p in all_phases if p.index == phase.index - 1), None)
    before = earlier.label if earlier else _("Phase %(number)d", number=phase.index)
    carry, top_n = phase.first.carry, phase.first.carry_top_n
    if carry == Carry.TOP_N:
        text = _("The top %(count)d teams of %(phase)s enter.", count=top_n or 0, phase=before)
    elif carry == Carry.ALL:
        text = _("Every team's entry of %(phase)s is carried here.", phase=before)
    else:
        text = _("Every team may upload.")
    if not phase.takes_uploads:
        text += " " + _("No uploads: the carried entries are scored here.")
    return text


@dataclass(frozen=True)
class SeriesEntry:
    """A series in the competition's problem list: once, with its current phase."""

    series: ProblemSeries
    phase: Phase

    @property
    def is_series(self) -> bool:
        return True


def listing(visible: list[Problem], user: User | None, now: datetime) -> list:
    """The problem list: problems on their own as they are, each series once (where its
    first visible row stands), as a :class:`SeriesEntry`."""
    entries: list = []
    seen: set[int] = set()
    for problem in visible:
        if problem.series_id is None:
            entries.append(problem)
        elif problem.series_id not in seen:
            seen.add(problem.series_id)
            shown = phases(problem.series, user)
            entries.append(SeriesEntry(problem.series, current(shown, now)))
    return entries
