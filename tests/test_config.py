"""Settings: defaults, instance/config.py, JUDGE_* variables, and a generated secret."""

import os
from pathlib import Path

from judge import create_app


def make_app(tmp_path: Path, monkeypatch, **env):
    monkeypatch.setenv("JUDGE_INSTANCE_PATH", str(tmp_path))
    for key in list(os.environ):
        if key.startswith("JUDGE_") and key != "JUDGE_INSTANCE_PATH":
            monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return create_app()


def test_embedded_defaults_live_in_the_instance_folder(tmp_path, monkeypatch):
    app = make_app(tmp_path, monkeypatch)
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'judge.db'}"
    assert app.config["BROKER_URL"] == f"sqla+sqlite:///{tmp_path / 'broker.db'}"
    assert app.config["STORAGE_DIR"] == str(tmp_path / "storage")


def test_secret_is_generated_once_and_kept(tmp_path, monkeypatch):
    first = make_app(tmp_path, monkeypatch).config["SECRET_KEY"]
    second = make_app(tmp_path, monkeypatch).config["SECRET_KEY"]
    assert len(first) >= 40
    assert first == second
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_instance_file_then_environment_win(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text(
        "MAX_SOLUTION_BYTES = 123\nSTORAGE_DIR = '/srv/from-file'\n"
    )
    app = make_app(
        tmp_path,
        monkeypatch,
        JUDGE_STORAGE_DIR="/srv/from-env",
        JUDGE_DATABASE_URL="postgresql://judge@db/judge",
        JUDGE_SECRET_KEY="from-env",
        JUDGE_BROKER_URL="redis://queue:6379/0",
    )
    assert app.config["MAX_SOLUTION_BYTES"] == 123
    assert app.config["STORAGE_DIR"] == "/srv/from-env"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql://judge@db/judge"
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["BROKER_URL"] == "redis://queue:6379/0"
    assert not (tmp_path / "secret_key").exists()


def test_json_values_in_environment_are_parsed(tmp_path, monkeypatch):
    app = make_app(tmp_path, monkeypatch, JUDGE_MAX_CONTENT_LENGTH="1048576")
    assert app.config["MAX_CONTENT_LENGTH"] == 1048576
