"""Sponsors' scoring programs in the Codabench/CodaLab format, run unchanged in the sandbox."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from judge.core.errors import Invalid
from judge.scoring.programs import archive, contract

TRUTH = "id,label\n" + "".join(f"r{i},{i % 3}\n" for i in range(60))

# A CodaLab-style program: paths come from the command line.
ACCURACY = """
import json, os, sys
import pandas as pd
ref = pd.read_csv(os.path.join(sys.argv[1], "ref", "truth.csv"))
res = pd.read_csv(os.path.join(sys.argv[1], "res", "predictions.csv"))
merged = ref.merge(res, on="id", suffixes=("", "_pred"))
with open(os.path.join(sys.argv[2], "scores.json"), "w") as out:
    json.dump({"accuracy": float((merged.label == merged.label_pred).mean()),
               "rows": len(ref)}, out)
"""

# A Codabench-style program: fixed /app paths, scores.txt, run from its own folder.
HARDCODED = """
import os
rows = open("/app/input/ref/truth.csv").read().splitlines()[1:]
mine = open("/app/input/res/predictions.csv").read().splitlines()[1:]
assert os.path.exists("metadata.yaml"), os.getcwd()  # run from its own folder
with open("/app/output/scores.txt", "w") as out:
    out.write(f"rows: {len(rows)}\\nmatches: {len(set(rows) & set(mine))}\\n")
"""

LEAKY_CRASH = """
import sys
print(open(sys.argv[1] + "/ref/truth.csv").read())
raise SystemExit(3)
"""


def program(folder: Path, code: str, command: str = "python $program/score.py $input $output"):
    folder.mkdir()
    (folder / "score.py").write_text(code)
    (folder / "metadata.yaml").write_text(f"command: {command}\n")
    return folder


@pytest.fixture
def files(tmp_path: Path):
    truth = tmp_path / "truth.csv"
    truth.write_text(TRUTH)
    predictions = tmp_path / "predictions.csv"
    predictions.write_text(TRUTH.replace(",2\n", ",0\n"))  # a third of the rows wrong
    return tmp_path, truth, predictions


def score(runner, prog: Path, reference: Path, submission: Path, *extra: str):
    args = ["score-program", "--program", str(prog), "--reference", str(reference),
            "--submission", str(submission), *extra]  # fmt: skip
    result = runner.invoke(args=args)
    return result.exit_code, json.loads(result.output.strip().splitlines()[-1])


def test_a_codalab_program_scores_a_submission(runner, files):
    tmp, truth, predictions = files
    code, payload = score(runner, program(tmp / "p", ACCURACY), truth, predictions)
    assert code == 0, payload
    assert payload == {"status": "scored", "scores": {"accuracy": pytest.approx(2 / 3),
                                                      "rows": 60.0}}  # fmt: skip


def test_split_runs_the_program_once_per_side_with_that_sides_rows(runner, files):
    tmp, truth, _predictions = files
    perfect = tmp / "predictions.csv"
    perfect.write_text(TRUTH)
    code, payload = score(runner, program(tmp / "p", ACCURACY), truth, perfect,
                          "--public-fraction", "0.3", "--salt", "s")  # fmt: skip
    assert code == 0, payload
    public, private = payload["public"], payload["private"]
    assert public["accuracy"] == private["accuracy"] == 1.0
    assert public["rows"] + private["rows"] == 60
    assert 5 <= public["rows"] <= 30


def test_a_usage_column_splits_and_is_not_shown_to_the_program(runner, files):
    tmp, _truth, predictions = files
    truth = tmp / "truth.csv"
    rows = TRUTH.strip().splitlines()
    truth.write_text("\n".join([rows[0] + ",Usage"] + [
        f"{row},{'Public' if i < 20 else 'Private' if i < 50 else 'Ignored'}"
        for i, row in enumerate(rows[1:])]) + "\n")  # fmt: skip
    code, payload = score(runner, program(tmp / "p", ACCURACY), truth, predictions, "--split")
    assert code == 0, payload
    assert (payload["public"]["rows"], payload["private"]["rows"]) == (20, 30)


def test_zipped_program_with_fixed_app_paths_and_scores_txt(runner, files, tmp_path):
    _tmp, truth, predictions = files
    bundle = tmp_path / "program.zip"
    with zipfile.ZipFile(bundle, "w") as zf:
        zf.writestr("score.py", HARDCODED)
        zf.writestr("metadata.yaml", "command: python3 score.py\n")
    code, payload = score(runner, bundle, truth, predictions)
    assert code == 0, payload
    assert payload["scores"] == {"rows": 60.0, "matches": 40.0}


def test_a_crash_tells_the_participant_nothing_of_the_reference(runner, files):
    tmp, truth, predictions = files
    code, payload = score(runner, program(tmp / "p", LEAKY_CRASH), truth, predictions)
    assert code == 1
    assert payload["status"] == "error"
    assert payload["message"] == (
        "The scoring program failed (exit status 3); the organizers can see its output."
    )
    assert "r17,2" in payload["log"]  # the organizer's log keeps the program's output


def test_a_program_without_network_cannot_reach_out(runner, files):
    tmp, truth, predictions = files
    code_text = (
        "import socket, json, sys\n"
        "try:\n    socket.create_connection(('127.0.0.1', 22), timeout=2); ok = 1\n"
        "except OSError:\n    ok = 0\n"
        "json.dump({'connected': ok}, open(sys.argv[2] + '/scores.json', 'w'))\n"
    )
    code, payload = score(runner, program(tmp / "p", code_text), truth, predictions)
    assert code == 0, payload
    assert payload["scores"] == {"connected": 0.0}


def test_a_zip_with_a_parent_path_is_refused(runner, files, tmp_path):
    _tmp, truth, predictions = files
    bundle = tmp_path / "evil.zip"
    with zipfile.ZipFile(bundle, "w") as zf:
        zf.writestr("metadata.yaml", "command: python score.py\n")
        zf.writestr("../../escape.py", "print('hi')")
    code, payload = score(runner, bundle, truth, predictions)
    assert code == 2
    assert payload == {
        "status": "invalid_input",
        "message": "The scoring program contains an unsafe path, “../../escape.py”: "
        "use relative names without “..”.",
    }
    assert not (tmp_path.parent / "escape.py").exists()


def test_a_zip_bomb_stops_at_the_cap_while_extracting(tmp_path):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("zeros.bin", b"\0" * (8 * 1024 * 1024))
    assert bomb.stat().st_size < 64 * 1024
    with pytest.raises(Invalid, match="unpacks to more than 1 MiB"):
        archive.unpack(bomb, tmp_path / "out", "submission", archive.Caps(max_bytes=1024**2))
    assert (tmp_path / "out" / "zeros.bin").stat().st_size <= 2 * 1024**2


def test_a_zip_with_a_symlink_entry_is_refused(tmp_path):
    bundle = tmp_path / "link.zip"
    entry = zipfile.ZipInfo("solution.csv")
    entry.external_attr = 0o120777 << 16
    with zipfile.ZipFile(bundle, "w") as zf:
        zf.writestr(entry, "/etc/shadow")
    with pytest.raises(Invalid, match="link or a special file"):
        archive.unpack(bundle, tmp_path / "out", "submission")


def test_too_many_files_are_refused(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(5):
        (folder / f"{i}.txt").write_text("x")
    with pytest.raises(Invalid, match="more than 4 files"):
        archive.unpack(folder, tmp_path / "out", "submission", archive.Caps(max_files=4))


@pytest.mark.parametrize(("name", "content", "message"), [
    ("scores.txt", b"accuracy 0.9\n", "scores.txt line 1 is not “key: value”"),
    ("scores.txt", b"accuracy: high\n", "The score “accuracy” is not a number: high"),
    ("scores.json", b"[0.9]", "scores.json must hold an object"),
    ("scores.json", b'{"auc": NaN}', "The score “auc” is nan, not a finite number."),
    ("scores.json", b'{"auc": true}', "The score “auc” is not a number: True"),
    ("scores.json", b"{oops", "scores.json is not valid JSON"),
    ("other.txt", b"", "wrote neither scores.json nor scores.txt"),
])  # fmt: skip
def test_bad_score_files_get_a_specific_message(name, content, message):
    with pytest.raises(Invalid) as caught:
        contract.read_scores({name: content})
    assert message in caught.value.message


def test_scores_txt_and_json_are_read():
    assert contract.read_scores({"scores.txt": b"set1_score: 0.5\n\nduration: 12\n"}) == {
        "set1_score": 0.5, "duration": 12.0}  # fmt: skip
    assert contract.read_scores({"scores.json": b'{"mAP@0.75": 0.41}'}) == {"mAP@0.75": 0.41}


def test_the_command_is_substituted_and_python_is_the_runtime():
    argv = contract.argv_for("python3 $program/evaluate.py ${input} $output --x $other", "/rt/py")
    assert argv == ["/rt/py", "/app/program/evaluate.py", "/app/input", "/app/output", "--x",
                    "$other"]  # fmt: skip


EVERY = (
    "$input $output $program $ingestion_program $hidden $shared $submission_program $tmp "
    "$predictions"
)


@pytest.mark.parametrize(("kind", "expected"), [
    (contract.SCORING, "/app/input /app/output /app/program /app/program /app/input/ref "
                       "/app/shared /app/ingested_program /app/output /app/input/res"),
    (contract.INGESTION, "/app/input_data /app/output /app/program /app/program /app/input/ref "
                         "/app/shared /app/ingested_program /app/output /app/output"),
    (contract.PREDICTION, "/app/input /app/output /app/program /app/program /app/input/ref "
                          "/app/shared /app/ingested_program /app/output /app/output"),
])  # fmt: skip
def test_every_variable_is_replaced_as_codabench_replaces_it(kind, expected):
    assert contract.argv_for(f"python {EVERY}", "/rt/py", kind) == ["/rt/py", *expected.split()]


def test_variables_are_replaced_as_plain_text_in_codabenchs_order():
    # $input goes first, so a longer name that starts with it is not a variable of its own
    argv = contract.argv_for("run $input_data $inputs ${hidden}/x", "/rt/py", contract.INGESTION)
    assert argv == ["run", "/app/input_data_data", "/app/input_datas", "/app/input/ref/x"]


def test_metadata_without_a_command_is_explained(tmp_path):
    (tmp_path / "metadata.yaml").write_text("description: no command here\n")
    with pytest.raises(Invalid, match="has no “command”"):
        contract.read_command(tmp_path)
    (tmp_path / "metadata.yaml").unlink()
    with pytest.raises(Invalid, match=r"no metadata\.yaml"):
        contract.read_command(tmp_path)
