"""Ordinary runs: results, inputs, environment, the runtime, many runs in a row."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest

from judge.sandbox import Job, Limits, run
from tests.sandbox.conftest import slot_processes


def test_normal_run_returns_stdout_and_out_files(python):
    result = python(
        "import os\n"
        "print('hello')\n"
        "open('/out/result.csv', 'w').write('id,score\\n1,0.5\\n')\n"
        "os.makedirs('/out/sub')\n"
        "open('/out/sub/detail.txt', 'w').write('deep')\n"
    )
    assert result.ok
    assert (result.exit_code, result.signal, result.limit) == (0, None, None)
    assert result.stdout == b"hello\n"
    assert result.outputs == {"result.csv": b"id,score\n1,0.5\n", "sub/detail.txt": b"deep"}
    assert result.wall_seconds > 0 and result.cpu_seconds > 0


def test_exit_code_and_stderr_are_reported(python):
    result = python("import sys; sys.stderr.write('bad input\\n'); sys.exit(3)")
    assert not result.ok
    assert (result.exit_code, result.signal, result.limit) == (3, None, None)
    assert result.stderr == b"bad input\n"


def test_inputs_are_readable_but_not_writable(python, tmp_path):
    # tmp_path is under a root-only 0700 directory: the sandbox sees a copy, never the original.
    (tmp_path / "solution.csv").write_text("id,label\n1,cat\n")
    (tmp_path / "extra.txt").write_text("more")
    code = """
import json, os
report = {"solution": open('/in/solution.csv').read(), "nested": open('/in/data/extra.txt').read()}
for target in ('/in/solution.csv', '/in/new.txt', '/in/data/extra.txt'):
    try:
        open(target, 'a').write('x')
        report[target] = 'written'
    except OSError as exc:
        report[target] = exc.errno
try:
    os.chmod('/in/solution.csv', 0o666)
    report['chmod'] = 'changed'
except OSError as exc:
    report['chmod'] = exc.errno
print(json.dumps(report))
"""
    inputs = {"solution.csv": tmp_path / "solution.csv", "data/extra.txt": tmp_path / "extra.txt"}
    result = python(code, inputs=inputs)
    assert result.ok, result.stderr
    report = json.loads(result.stdout)
    assert report.pop("solution") == "id,label\n1,cat\n"
    assert report.pop("nested") == "more"
    assert "written" not in report.values() and "changed" not in report.values()
    assert (tmp_path / "solution.csv").read_text() == "id,label\n1,cat\n"


def test_a_strict_umask_in_the_worker_changes_nothing(python, tmp_path):
    (tmp_path / "x.txt").write_text("x")
    old = os.umask(0o077)
    try:
        result = python(
            "print(open('/in/sub/x.txt').read())", inputs={"sub/x.txt": tmp_path / "x.txt"}
        )
    finally:
        os.umask(old)
    assert result.ok, result.stderr
    assert result.stdout == b"x\n"


def test_environment_is_only_what_the_job_gives(python, monkeypatch):
    monkeypatch.setenv("JUDGE_WORKER_SECRET", "do-not-leak")
    code = "import json, os; print(json.dumps(dict(os.environ)))"
    result = python(code, env={"SEED": "42"})
    env = json.loads(result.stdout)
    assert env["SEED"] == "42"
    assert "JUDGE_WORKER_SECRET" not in env
    assert env["HOME"] == "/tmp"


def test_runtime_runs_the_scientific_stack(python):
    code = """
import numpy as np, pandas as pd, pyarrow as pa, sklearn
from sklearn.linear_model import LogisticRegression
x = np.array([[0.0], [1.0], [2.0], [3.0]])
model = LogisticRegression().fit(x, [0, 0, 1, 1])
pd.DataFrame({'p': model.predict(x)}).to_parquet('/out/p.parquet')
print(pd.read_parquet('/out/p.parquet')['p'].tolist())
"""
    result = python(code)
    assert result.ok, result.stderr
    assert result.stdout == b"[0, 0, 1, 1]\n"
    assert result.outputs["p.parquet"].startswith(b"PAR1")


def test_stdout_keeps_only_the_tail(python):
    code = "import sys; sys.stdout.write('x' * 100_000 + 'END\\n')"
    result = python(code, log_bytes=1000)
    assert result.ok
    assert len(result.stdout) == 1000
    assert result.stdout.endswith(b"xEND\n")


def test_150_quick_runs_in_a_row(config):
    job = Job(argv=["true"], limits=Limits(processes=8))
    results = [run(job, config) for _ in range(150)]
    assert [r.exit_code for r in results] == [0] * 150
    assert slot_processes(config) == []


def test_workdir_and_mounts(config, runtime):
    with tempfile.TemporaryDirectory(dir="/tmp") as code_dir:
        os.chmod(code_dir, 0o755)  # bwrap runs as the slot uid: it must reach the source
        (Path(code_dir) / "main.py").write_text("import os; print(os.getcwd())")
        job = Job(
            argv=[str(runtime / "bin" / "python"), "main.py"],
            mounts={str(runtime): runtime, "/code": Path(code_dir)},
            workdir="/code",
        )
        result = run(job, config)
    assert result.ok, result.stderr
    assert result.stdout == b"/code\n"


def test_an_unreachable_mount_source_is_refused_clearly(config, tmp_path):
    # pytest's tmp_path lies under a root-only 0700 directory
    with pytest.raises(ValueError, match="not reachable by the sandbox uids"):
        run(Job(argv=["true"], mounts={"/code": tmp_path}), config)
