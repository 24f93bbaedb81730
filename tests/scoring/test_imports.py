"""The engine runs in the sandbox's own Python: only the standard library and six packages."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import judge.scoring.engine

ALLOWED = {"numpy", "pandas", "pyarrow", "sklearn", "sacrebleu", "rapidfuzz"}
ENGINE = Path(judge.scoring.engine.__file__).parent


def absolute_imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_engine_imports_only_the_standard_library_and_its_six_packages():
    for path in ENGINE.glob("*.py"):
        outside = absolute_imports(path) - ALLOWED - set(sys.stdlib_module_names)
        assert not outside, (path.name, outside)


def test_engine_never_names_its_own_location():
    for path in ENGINE.glob("*.py"):
        assert "judge.scoring" not in path.read_text(encoding="utf-8"), path.name
