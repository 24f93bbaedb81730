"""Every package that judge/ imports is declared in pyproject.toml.

A module that imports an undeclared package works on a developer's machine, where it
happens to be installed, and fails on a fresh install (``pip install .``): the finals
once imported scipy that way.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def imported_top_level_modules(package: Path) -> dict[str, str]:
    """Each absolute import's top-level module, with one file that imports it."""
    found: dict[str, str] = {}
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.partition(".")[0], str(path.relative_to(package)))
    return found


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared_distributions() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {canonical(re.split(r"[\s\[<>=!~;]", spec, maxsplit=1)[0])
            for spec in project["dependencies"]}  # fmt: skip


def undeclared(imports: dict[str, str]) -> dict[str, str]:
    """Imported modules that are neither the standard library, judge, nor declared."""
    distributions = packages_distributions()
    declared = declared_distributions()
    missing = {}
    for module, where in imports.items():
        if module in sys.stdlib_module_names or module == "judge":
            continue
        providers = {canonical(d) for d in distributions.get(module, [])}
        if not providers & declared:
            missing[module] = where
    return missing


def test_every_package_judge_imports_is_a_declared_dependency():
    assert undeclared(imported_top_level_modules(ROOT / "judge")) == {}


def test_the_check_notices_an_undeclared_import(tmp_path):
    (tmp_path / "module.py").write_text("import os\nimport pytest\nfrom flask import Flask\n")
    assert undeclared(imported_top_level_modules(tmp_path)) == {"pytest": "module.py"}
