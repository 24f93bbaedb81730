"""Codabench's task upload: a zip holding ``task.yaml`` (one task: its programs and data)
that becomes one draft problem of an existing competition."""

from __future__ import annotations

import uuid

from flask_babel import gettext as _

from judge.bundles.model import Bundle, Task
from judge.bundles.parts import Files, during_scoring, folder, report_unused

TASK_YAML = "task.yaml"
KEYS = {"name", "description", "scoring_program", "ingestion_program", "reference_data",
        "input_data", "ingestion_only_during_scoring"}  # fmt: skip
PARTS = ("scoring_program", "reference_data", "input_data", "ingestion_program")


def parse(data: dict, files: Files) -> Bundle:
    name = str(data.get("name") or "").strip()
    bundle = Bundle(version="task", title=name, yaml_name=TASK_YAML)
    if not name:
        bundle.errors.append(_("%(file)s: name: a task needs a name.", file=TASK_YAML))
    report_unused("", data, KEYS, bundle)
    bundle.notes.append(_("docker_image: a task upload names none; Codabench's default "
                          "%(value)s applies.", value=bundle.docker_image))  # fmt: skip
    task = Task(key="0", name=name, description=str(data.get("description") or ""))
    for part in PARTS:
        if data.get(part) is not None:
            _part(data[part], part, files, bundle, task)
    if task.scoring_program is None and "scoring_program" not in data:
        bundle.errors.append(_("%(file)s: scoring_program: a task needs a scoring program.",
                               file=TASK_YAML))  # fmt: skip
    during_scoring(data.get("ingestion_only_during_scoring"), task,
                   "ingestion_only_during_scoring", bundle)  # fmt: skip
    bundle.tasks.append(task)
    return bundle


def _part(value: object, part: str, files: Files, bundle: Bundle, task: Task) -> None:
    """A file or folder in the zip; a Codabench dataset key (which lives on that server)
    cannot be fetched and is an error naming the key."""
    key = value.get("key") if isinstance(value, dict) else value
    if isinstance(value, dict) or (_is_key(key) and files.folder(key) is None):
        bundle.errors.append(_("%(file)s: %(key)s: “%(value)s” is a Codabench dataset key; "
                               "judge cannot fetch it from Codabench: put the files in the "
                               "zip and name their path.", file=TASK_YAML, key=part,
                               value=str(key)[:80]))  # fmt: skip
        return
    setattr(task, part, folder(value, part, files, bundle))
    task.sources[part] = str(value)


def _is_key(value: object) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
