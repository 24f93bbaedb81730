"""Failures read as one clear line with exit status 1, never a traceback."""

import socket

import pytest

from judge.client.commands import leaderboard, submissions, submit


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def assert_clean_failure(result, *phrases: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)
    for phrase in phrases:
        assert phrase in result.output


def test_a_missing_token_says_how_to_get_one(run, scene, predictions):
    result = run(submit, scene.problem.id, predictions)
    assert_clean_failure(result, "run `judge login` or set JUDGE_TOKEN")


def test_a_missing_server_says_how_to_set_one(run, scene):
    result = run(submissions, scene.problem.id, url=None, token="anything")
    assert_clean_failure(result, "run `judge login` or set JUDGE_URL")


@pytest.mark.parametrize("command", [submissions, leaderboard])
def test_a_bad_token_is_refused_with_the_servers_message(run, scene, command):
    result = run(command, scene.problem.id, token="not-a-real-token")
    assert_clean_failure(result, "The API token is unknown or revoked.", "judge login")


def test_a_server_that_is_down_is_named(run, scene, predictions):
    url = f"http://127.0.0.1:{closed_port()}"
    result = run(submit, scene.problem.id, predictions, url=url, token=scene.token)
    assert_clean_failure(result, f"Could not connect to the judge server at {url}")


def test_the_servers_error_message_is_shown(run, scene, predictions, make):
    loner = make.user()
    result = run(submit, scene.problem.id, predictions, token=make.token(loner))
    assert_clean_failure(result, "Join or create a team in this competition before submitting.")


def test_an_unknown_problem(run, scene):
    result = run(submissions, 999_999, token=scene.token)
    assert_clean_failure(result, "Error:")


def test_a_url_without_a_scheme(run, scene):
    result = run(submissions, scene.problem.id, url="judge.example.org", token=scene.token)
    assert_clean_failure(result, "must start with http:// or https://")
