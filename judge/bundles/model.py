"""What judge takes from a bundle, whatever its version."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path


@dataclass
class Task:
    key: str  # the task's index or name in the bundle
    name: str
    description: str = ""
    scoring_program: Path | None = None  # folders, unpacked from the bundle
    reference_data: Path | None = None
    input_data: Path | None = None
    ingestion_program: Path | None = None
    judge: dict = field(default_factory=dict)  # judge's own settings, from an export
    # Results are scored directly beside code run by the ingestion program (CodaLab 1.x:
    # a phase with ``is_scoring_only: false``, whose worker tells code from results).
    takes_results: bool = False
    # CodaLab 1.8's parallel ingestion: the ingestion and scoring programs run at once.
    during_scoring: bool = False
    sources: dict[str, str] = field(default_factory=dict)  # each part's path, as the yaml says


@dataclass
class Phase:
    name: str
    start: datetime | None = None
    end: datetime | None = None
    max_per_day: int | None = None
    max_total: int | None = None
    wall_seconds: int | None = None  # Codabench's execution_time_limit
    task_keys: list[str] = field(default_factory=list)
    public: dict[str, Path] = field(default_factory=dict)  # public_data, starting_kit
    # Codabench's auto_migrate_to_this_phase (CodaLab 1.x: auto_migration): every team's
    # entries of the phase before are carried into this one.
    carry: bool = False
    where: str = ""  # the phase's key in the yaml ("phases[1]"), for the report
    judge: dict = field(default_factory=dict)  # judge's own settings, from a series' export


@dataclass
class Solution:
    """A submission the bundle ships (Codabench's ``solutions``), run as its tasks' baseline."""

    name: str
    folder: Path  # unpacked from the bundle
    source: str  # its path, as the yaml says
    task_keys: list[str] = field(default_factory=list)


@dataclass
class Bundle:
    version: str
    title: str
    judge: dict = field(default_factory=dict)  # judge's own settings, from an export
    yaml_name: str = "competition.yaml"  # the file every error names (task uploads: task.yaml)
    pages: list[tuple[str, str]] = field(default_factory=list)  # (title, Markdown or HTML)
    terms: str = ""  # the terms page: the competition's rules when it has none
    placeholder_terms: bool = False  # judge's export of a competition without rules
    tasks: list[Task] = field(default_factory=list)
    phases: list[Phase] = field(default_factory=list)
    solutions: list[Solution] = field(default_factory=list)
    columns: list[dict] = field(default_factory=list)  # judge's leaderboard columns
    # The first leaderboard column's own precision: the decimals of the problem's scores.
    score_decimals: int | None = None
    # The image the bundle's programs run in (Codabench's default when it names none); an
    # operator setting maps it to one of judge's runtimes.
    docker_image: str = "codalab/codalab-legacy:py37"
    # Codabench's make_input_data_available (default false): input data stays hidden unless set.
    input_data_public: bool = False
    unsupported: list[str] = field(default_factory=list)  # "phases[1].auto_migrate: …"
    errors: list[str] = field(default_factory=list)  # each names the file and the key
    notes: list[str] = field(default_factory=list)  # how something was mapped
