"""`judge --help` and each verb's help follow --lang (then the locale), like the messages."""

from __future__ import annotations

from click.testing import CliRunner

from judge.client.cli import main


def help_of(*args: str, lang: str = "C.UTF-8") -> str:
    result = CliRunner().invoke(main, list(args), env={"LANG": lang, "LANGUAGE": "", "LC_ALL": ""})
    assert result.exit_code == 0, result.output
    return result.output


def test_the_group_help_in_korean_and_english():
    korean = help_of("--lang", "ko", "--help")
    assert "사용법:" in korean and "명령:" in korean
    assert "명령줄에서 AI 챌린지" in korean
    assert "이 도움말을 보여주고 끝냅니다." in korean
    assert "제출 파일을 과제에 올립니다" in korean  # submit's short help, in the list
    english = help_of("--lang", "en", "--help")
    assert "Usage:" in english and "Commands:" in english
    assert "enter AI challenge competitions from the command line" in english


def test_a_verbs_help_and_its_options_follow_the_locale():
    korean = help_of("submit", "--help", lang="ko_KR.UTF-8")
    assert "점수가 나올 때까지 기다립니다" in korean  # --wait
    assert "Wait for the score" not in korean
    english = help_of("--lang", "en", "submit", "--help", lang="ko_KR.UTF-8")
    assert "Wait for the score, polling every second." in english


def test_score_help_in_korean():
    korean = help_of("--lang", "ko", "score", "--help")
    assert "리더보드와 똑같이" in korean
