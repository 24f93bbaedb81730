"""`pip install ./client` alone: a `judge` with the client's verbs, and no server packages."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVER_PACKAGES = {"flask", "sqlalchemy", "pandas", "celery", "numpy", "scikit-learn"}
VERBS = ["login", "competitions", "problems", "files", "download", "submit", "submissions",
         "final", "quota", "leaderboard", "score"]  # fmt: skip


def pip(*args: str) -> str:
    command = [sys.executable, "-m", "pip", "--disable-pip-version-check", *args]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def venv(tmp_path_factory) -> Path:
    """A clean virtual environment with only the judge-client wheel and what it needs."""
    where = tmp_path_factory.mktemp("client")
    pip("wheel", "--no-deps", "--quiet", "-w", str(where / "wheels"), str(ROOT / "client"))
    wheel = next((where / "wheels").glob("judge_client-*.whl"))
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where / "venv")], check=True)
    python = where / "venv" / "bin" / "python"
    pip("--python", str(python), "install", "--quiet", str(wheel))
    return where / "venv"


def judge(venv: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {"PATH": os.environ["PATH"], "HOME": str(venv), "LANG": "C.UTF-8", **env}
    return subprocess.run([str(venv / "bin" / "judge"), *args], capture_output=True, text=True,
                          env=environment, cwd=venv)  # fmt: skip


def test_the_client_installs_without_server_packages(venv):
    python = str(venv / "bin" / "python")
    installed = {d["name"].lower() for d in json.loads(pip("--python", python, "list", "--format",
                                                           "json"))}  # fmt: skip
    assert "judge-client" in installed
    assert "requests" in installed and "wcwidth" in installed
    assert not installed & SERVER_PACKAGES


def test_its_help_lists_the_client_verbs_only(venv):
    result = judge(venv, "--help")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("Commands:")[1].strip().splitlines()
    assert [line.split()[0] for line in lines] == sorted(VERBS)


def test_it_talks_to_a_server_in_korean(venv, server, scene):
    result = judge(venv, "competitions", "list", JUDGE_URL=server, LANG="ko_KR.UTF-8")
    assert result.returncode == 0, result.stderr
    assert scene.competition.slug in result.stdout
    assert result.stdout.split()[:2] == ["슬러그", "제목"]
    ref = f"{scene.competition.slug}/nothing"
    missing = judge(venv, "--lang", "en", "problems", "show", ref, JUDGE_URL=server, LANG="ko")
    assert missing.returncode == 1
    assert f"Error: The competition {scene.competition.slug} has no problem" in missing.stderr


def test_scoring_locally_asks_for_the_score_extra(venv, tmp_path):
    solution = tmp_path / "solution.csv"
    solution.write_text("id,label\n1,0\n")
    result = judge(venv, "score", "--problem", "c/p", str(solution), str(solution),
                   JUDGE_URL="http://127.0.0.1:9", JUDGE_TOKEN="jdg_x")  # fmt: skip
    assert result.returncode == 1
    assert "pip install 'judge-client[score]'" in result.stderr
