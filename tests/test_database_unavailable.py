"""A database that refuses connections: every page and API answer is a quick, clear 503."""

from __future__ import annotations

import pytest

from judge import create_app
from tests.support.services import free_port


@pytest.fixture
def unreachable_app(tmp_path, monkeypatch):
    monkeypatch.setenv("JUDGE_INSTANCE_PATH", str(tmp_path / "instance"))
    nobody = f"postgresql+psycopg://judge:secret@127.0.0.1:{free_port()}/judge"
    return create_app({"SQLALCHEMY_DATABASE_URI": nobody, "SECRET_KEY": "x",
                       "BROKER_URL": f"sqla+sqlite:///{tmp_path / 'broker.db'}"})  # fmt: skip


def test_api_answers_503_with_a_json_error(unreachable_app):
    response = unreachable_app.test_client().get(
        "/api/v1/competitions", headers={"Accept-Language": "en"}
    )
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    error = response.get_json()["error"]
    assert error["code"] == "unavailable"
    assert "try again" in error["message"].lower()
    assert "secret" not in response.text and "psycopg" not in response.text


def test_an_api_caller_with_a_token_gets_the_503_too(unreachable_app):
    """Choosing the language would ask the database for the token owner's setting."""
    response = unreachable_app.test_client().get(
        "/api/v1/me", headers={"Authorization": "Bearer judge_abc123"}
    )
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "unavailable"


def test_page_answers_503_with_an_error_page_even_when_logged_in(unreachable_app):
    client = unreachable_app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1"  # the user cannot be loaded while the database is away
    response = client.get("/", headers={"Accept-Language": "en"})
    assert response.status_code == 503
    assert response.mimetype == "text/html"
    assert "briefly unavailable" in response.text
    assert "Log in" in response.text  # rendered for an anonymous visitor
