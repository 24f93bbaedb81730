"""The output reader on its own: it never follows links and respects its caps."""

from __future__ import annotations

import os

from judge.sandbox.outputs import read_outputs


def test_reads_regular_files_only(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"a")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_bytes(b"b")
    secret = tmp_path.parent / f"{tmp_path.name}-secret"
    secret.write_bytes(b"labels")
    os.symlink(secret, tmp_path / "link")
    os.symlink(tmp_path.parent, tmp_path / "dirlink")
    os.mkfifo(tmp_path / "fifo")
    outputs = read_outputs(tmp_path, max_bytes=1000)
    assert outputs.files == {"a.txt": b"a", "sub/b.txt": b"b"}
    assert not outputs.truncated


def test_caps_the_number_of_files(tmp_path):
    for i in range(20):
        (tmp_path / f"f{i:02}").write_bytes(b"x")
    outputs = read_outputs(tmp_path, max_bytes=1000, max_files=5)
    assert len(outputs.files) == 5
    assert outputs.truncated


def test_caps_the_total_bytes(tmp_path):
    (tmp_path / "a").write_bytes(b"x" * 600)
    (tmp_path / "b").write_bytes(b"y" * 600)
    outputs = read_outputs(tmp_path, max_bytes=1000)
    assert outputs.files == {"a": b"x" * 600}
    assert outputs.truncated
