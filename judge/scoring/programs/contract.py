"""The Codabench / CodaLab contract: ``metadata.yaml``, the command line, ``scores.json``.

Pure functions: data in, data out.
"""

from __future__ import annotations

import json
import math
import shlex
from pathlib import Path

import yaml
from flask_babel import gettext as _

from judge.core.errors import Invalid

METADATA_NAMES = ("metadata.yaml", "metadata.yml", "metadata")
SCORE_FILES = ("scores.json", "scores.txt")
INPUT, OUTPUT, PROGRAM = "/app/input", "/app/output", "/app/program"
# Codabench's ingestion run: the ingestion program is /app/program, the team's code
# /app/ingested_program, the task's input data /app/input_data; a scoring run has /app/shared.
INPUT_DATA, SUBMISSION_PROGRAM, SHARED = "/app/input_data", "/app/ingested_program", "/app/shared"
PYTHONS = ("python", "python3")
#: The three runs Codabench's compute worker knows: a scoring program, an ingestion program
#: (prediction step), and a program run by itself in the prediction step (judge's code runs).
SCORING, INGESTION, PREDICTION = "scoring", "ingestion", "prediction"


def read_command(program: Path) -> str:
    """The ``command`` of the program's metadata file."""
    found = [program / name for name in METADATA_NAMES if (program / name).is_file()]
    if not found:
        raise Invalid(_("The scoring program has no metadata.yaml (with a “command: …” line)."))
    try:
        metadata = yaml.safe_load(found[0].read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise Invalid(
            _("%(name)s is not valid YAML: %(error)s", name=found[0].name, error=exc)
        ) from None
    command = metadata.get("command") if isinstance(metadata, dict) else None
    if not isinstance(command, str) or not command.strip():
        raise Invalid(_("%(name)s has no “command” to run the program.", name=found[0].name))
    return command.strip()


def variables(kind: str) -> list[tuple[str, str]]:
    """Codabench's substitutions for a run of ``kind``, in the order its compute worker makes
    them (a plain text replacement each, so the order matters: ``$input`` goes first)."""
    return [
        ("$input", INPUT_DATA if kind == INGESTION else INPUT),
        ("$output", OUTPUT),
        ("$program", PROGRAM),
        ("$ingestion_program", PROGRAM),
        ("$hidden", f"{INPUT}/ref"),
        ("$shared", SHARED),
        ("$submission_program", SUBMISSION_PROGRAM),
        ("$tmp", OUTPUT),  # CodaLab 1.8's name
        ("$predictions", f"{INPUT}/res" if kind == SCORING else OUTPUT),
    ]


def substitute(command: str, kind: str) -> str:
    """The command with every variable replaced as Codabench replaces it; ``${name}`` is
    read as ``$name`` first (a shell's spelling, which Codabench would leave alone)."""
    pairs = variables(kind)
    for name, _value in pairs:
        command = command.replace("${" + name[1:] + "}", name)
    for name, value in pairs:
        command = command.replace(name, value)
    return command


def argv_for(command: str, python: str, kind: str = SCORING) -> list[str]:
    """The argument list: the variables substituted, ``python`` made ours."""
    try:
        argv = shlex.split(substitute(command, kind))
    except ValueError as exc:
        raise Invalid(
            _("The command “%(command)s” cannot be parsed: %(error)s", command=command, error=exc)
        ) from None
    if not argv:
        raise Invalid(_("The scoring program's command is empty."))
    if argv[0] in PYTHONS:
        argv[0] = python
    return argv


def read_scores(outputs: dict[str, bytes]) -> dict[str, float]:
    """The numbers the program reported in ``scores.json`` or ``scores.txt``."""
    if "scores.json" in outputs:
        return _json_scores(outputs["scores.json"])
    if "scores.txt" in outputs:
        return _text_scores(outputs["scores.txt"])
    raise Invalid(_("The scoring program wrote neither scores.json nor scores.txt."))


def _json_scores(raw: bytes) -> dict[str, float]:
    try:
        payload = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise Invalid(_("scores.json is not valid JSON: %(error)s", error=exc)) from None
    if not isinstance(payload, dict):
        raise Invalid(_('scores.json must hold an object such as {"accuracy": 0.93}.'))
    return {str(key): _number(key, value) for key, value in payload.items()}


def _text_scores(raw: bytes) -> dict[str, float]:
    scores = {}
    lines = raw.decode("utf-8", "replace").splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        key, colon, value = line.partition(":")
        if not colon or not key.strip():
            raise Invalid(
                _(
                    "scores.txt line %(number)d is not “key: value”: %(line)s",
                    number=number,
                    line=line[:80],
                )
            )
        scores[key.strip()] = _number(key.strip(), value.strip())
    return scores


def _number(key: object, value: object) -> float:
    if isinstance(value, bool):
        raise Invalid(_("The score “%(key)s” is not a number: %(value)s", key=key, value=value))
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise Invalid(
            _("The score “%(key)s” is not a number: %(value)s", key=key, value=str(value)[:80])
        ) from None
    if not math.isfinite(number):
        raise Invalid(
            _("The score “%(key)s” is %(value)s, not a finite number.", key=key, value=number)
        )
    return number
