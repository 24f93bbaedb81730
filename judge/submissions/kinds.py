"""What an upload to a code problem is: code, or (where the problem takes both) results.

Codabench's rule, from its compute worker: a submission holding ``metadata.yaml`` or
``metadata`` at its root is code (the task's ingestion program runs it); one without is
results, whose files are copied as they are to the predictions the scoring program reads in
``$input/res``. CodaLab 1.8's worker decides the same way by its ``metadata`` file. judge
reads only the names in the zip's directory, never a file's content, and only after the
zip's end record says the directory lists no more files than the worker would unpack.
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path, PurePosixPath

from flask_babel import gettext as _

from judge.core.errors import Invalid
from judge.problems.models import Problem
from judge.problems.services import extension
from judge.scoring.programs.archive import Caps
from judge.submissions.models import UploadKind

#: The names Codabench's compute worker looks for at the root of a submission.
METADATA = ("metadata.yaml", "metadata")
#: Names that look like metadata but that Codabench would not read: an upload holding one at
#: its root, or any metadata file in a folder, fits neither kind.
LOOKALIKES = ("metadata.yml", *METADATA)
END_RECORD = b"PK\x05\x06"
END_FORMAT = "<4s4H2LH"  # signature, disk numbers, entries here and in all, sizes, comment
END_SIZE = struct.calcsize(END_FORMAT)
MAX_COMMENT = 0xFFFF


def kind_of(problem: Problem, path: Path, filename: str) -> UploadKind | None:
    """The upload's kind: None for a prediction problem, code for a code problem, and by
    Codabench's rule where the problem takes both (refused with a message if it fits neither)."""
    mode = problem.mode
    if not mode.accepts_code:
        return None
    if not mode.takes_both:
        return UploadKind.CODE
    if extension(filename) != ".zip":
        return UploadKind.RESULTS
    return kind_of_names(zip_names(path))


def kind_of_names(names: list[str]) -> UploadKind:
    """Codabench's rule on a zip's file names."""
    paths = [_parts(name) for name in names]
    paths = [parts for parts in paths if parts]
    if not paths:
        raise Invalid(_("The zip holds no files: upload your code with a metadata.yaml at its "
                        "root, or your results."), field="file")  # fmt: skip
    if any(parts == (name,) for parts in paths for name in METADATA):
        return UploadKind.CODE
    misplaced = next(("/".join(p) for p in paths if p[-1] in LOOKALIKES), None)
    if misplaced is not None:
        raise Invalid(_("The zip holds “%(name)s”, but Codabench's rule looks only for "
                        "metadata.yaml or metadata at the zip's root: put metadata.yaml at "
                        "the root if this is code, or leave it out if these are results.",
                        name=misplaced), field="file")  # fmt: skip
    return UploadKind.RESULTS


def check_code(kind: UploadKind | None) -> None:
    """A validation run runs code: results are refused."""
    if kind is UploadKind.RESULTS:
        raise Invalid(_("A validation run runs code: this zip has no metadata.yaml at its root, "
                        "so it holds results. Add a metadata.yaml to run it."),
                      field="file")  # fmt: skip


def zip_names(path: Path) -> list[str]:
    """The file names in the zip's directory, once its end record says how many there are."""
    _check_count(path)
    try:
        with zipfile.ZipFile(path) as archive:
            return [entry.filename for entry in archive.infolist() if not entry.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        raise _unreadable() from None


def _check_count(path: Path) -> None:
    """Refuse a zip whose directory lists more files than the worker unpacks, before reading
    that directory (a small file can list millions of names)."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        handle.seek(max(0, size - END_SIZE - MAX_COMMENT))
        tail = handle.read()
    at = tail.rfind(END_RECORD)
    if at < 0 or len(tail) - at < END_SIZE:
        raise _unreadable()
    total = struct.unpack(END_FORMAT, tail[at : at + END_SIZE])[4]
    most = Caps().max_files
    if total > most:  # a ZIP64 directory says 0xFFFF here, which is more too
        raise Invalid(_("The zip has more than %(count)s files.", count=format(most, ",")),
                      field="file")  # fmt: skip


def _parts(name: str) -> tuple[str, ...]:
    path = PurePosixPath(name.replace("\\", "/"))
    return tuple(part for part in path.parts if part not in ("", ".", "/"))


def _unreadable() -> Invalid:
    return Invalid(_("The file is not a readable zip: upload your code or your results as a "
                     "zip, or your results as a .csv or .json file."), field="file")  # fmt: skip
