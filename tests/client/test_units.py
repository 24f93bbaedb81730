"""The pieces without a server: settings precedence, the streamed multipart body, tables."""

import json
import stat

import click
import pytest
from urllib3.fields import RequestField
from urllib3.filepost import encode_multipart_formdata

from judge.client import config, http, output


@pytest.fixture
def settings_file(tmp_path, monkeypatch):
    path = tmp_path / "client.json"
    monkeypatch.setenv(config.PATH_VARIABLE, str(path))
    monkeypatch.delenv(config.URL_VARIABLE, raising=False)
    monkeypatch.delenv(config.TOKEN_VARIABLE, raising=False)
    return path


def test_environment_wins_over_the_file_one_setting_at_a_time(settings_file, monkeypatch):
    config.save("http://saved.example", "saved-token")
    assert config.current() == config.Settings("http://saved.example", "saved-token")
    monkeypatch.setenv(config.TOKEN_VARIABLE, "env-token")
    assert config.current() == config.Settings("http://saved.example", "env-token")
    monkeypatch.setenv(config.URL_VARIABLE, "http://env.example")
    assert config.current() == config.Settings("http://env.example", "env-token")


def test_saved_file_is_private_and_its_folder_too(settings_file):
    config.save("http://judge.example", "secret")
    assert stat.S_IMODE(settings_file.stat().st_mode) == 0o600
    assert json.loads(settings_file.read_text()) == {
        "url": "http://judge.example",
        "token": "secret",
    }
    assert list(settings_file.parent.iterdir()) == [settings_file]  # no partial file left


def test_a_broken_config_file_is_a_clear_error(settings_file):
    settings_file.write_text("{not json")
    with pytest.raises(click.ClickException, match="Could not read"):
        config.current()


def test_default_config_path(monkeypatch, tmp_path):
    monkeypatch.delenv(config.PATH_VARIABLE, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert config.path() == tmp_path / ".config" / "judge" / "client.json"


def test_multipart_body_matches_urllib3s_and_is_read_in_chunks(tmp_path, monkeypatch):
    monkeypatch.setattr(http, "CHUNK", 1000)
    file = tmp_path / '예측 "v2".csv'
    file.write_bytes(b"id,label\n" + b"1,0\n" * 5000)
    upload = http.MultipartUpload({"description": "첫 시도"}, "file", file, "text/csv")
    chunks = list(upload)
    assert max(map(len, chunks)) <= 1000
    description = RequestField("description", "첫 시도")
    description.make_multipart()
    field = RequestField("file", file.read_bytes(), filename=file.name)
    field.make_multipart(content_type="text/csv")
    expected, content_type = encode_multipart_formdata(
        [description, field], boundary=upload.boundary
    )
    assert b"".join(chunks) == expected
    assert len(upload) == len(expected)
    assert upload.content_type == content_type


def test_table_aligns_wide_hangul():
    text = output.table(["rank", "team"], [[1, "베타팀"], [10, "Alpha"]], numeric={0})
    assert text.splitlines() == [
        "rank  team",
        "----  ------",
        "   1  베타팀",
        "  10  Alpha",
    ]
