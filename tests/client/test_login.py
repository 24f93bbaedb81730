"""`judge login` creates a token through the API and keeps it where only the user can read it."""

import json
import stat

from judge.client.commands import login, submissions
from tests.conftest import PASSWORD


def test_login_saves_a_token_file_with_mode_600_that_later_commands_use(
    run, server, scene, client_config
):
    answers = f"{server}\n{scene.leader.email}\n{PASSWORD}\n"
    result = run(login, url=None, input=answers)
    assert result.exit_code == 0, result.output
    assert f"Logged in to {server} as {scene.leader.email}" in result.output
    assert PASSWORD not in result.output  # the password prompt hides what is typed
    assert stat.S_IMODE(client_config.stat().st_mode) == 0o600
    saved = json.loads(client_config.read_text())
    assert saved["url"] == server
    listed = run(submissions, scene.problem.id, url=None, token=None)  # only the file now
    assert listed.exit_code == 0, listed.output
    assert "No submissions yet." in listed.output


def test_login_with_a_wrong_password_shows_the_servers_message_and_saves_nothing(
    run, server, scene, client_config
):
    result = run(login, "--url", server, "--email", scene.leader.email, input="wrong password\n")
    assert result.exit_code == 1
    assert "Error:" in result.output
    assert "Traceback" not in result.output
    assert not client_config.exists()


def test_a_new_login_replaces_the_saved_token_and_keeps_mode_600(run, server, scene, client_config):
    client_config.parent.mkdir(parents=True)
    client_config.write_text('{"url": "http://old.example", "token": "old"}')
    client_config.chmod(0o644)
    args = ("--url", server + "/", "--email", scene.leader.email, "--password", PASSWORD)
    result = run(login, *args, url=None)
    assert result.exit_code == 0, result.output
    saved = json.loads(client_config.read_text())
    assert saved["url"] == server  # without the trailing slash
    assert saved["token"] != "old"
    assert stat.S_IMODE(client_config.stat().st_mode) == 0o600


def test_login_asks_in_the_chosen_language(run, server, scene, client_config):
    answers = f"{server}\n{scene.leader.email}\n{PASSWORD}\n"
    korean = run(login, "--lang", "ko", url=None, input=answers)
    assert korean.exit_code == 0, korean.output
    assert "서버 URL" in korean.output and "이메일" in korean.output
    assert "Server URL" not in korean.output and "Email:" not in korean.output
    english = run(login, "--lang", "en", url=None, input=answers)
    assert "Server URL" in english.output and "Email:" in english.output
