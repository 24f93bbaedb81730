"""CodaLab 1.8's parallel ingestion, run for real: a bundle written here in the 1.8 format
(``ingestion_program_only_during_scoring``) whose ingestion program writes a start marker,
predictions in batches and an end marker while its scoring program, started at the same
time, waits for them in ``$predictions`` and checks that the ingestion is running. Scored
through the worker's job with real bubblewrap, it gives what the same two programs give run
side by side by hand; a team program that hangs is the team's failure, a scorer that crashes
the organizer's, and the team's code finds no way to the reference data."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import yaml

from judge.core.extensions import db
from judge.submissions import jobs
from judge.submissions.models import FailureKind, Status, Submission
from tests.bundles.conftest import publish_without_baseline
from tests.bundles.test_bundles import problems_of, write_bundle, zipped
from tests.submissions.helpers import submit

YAML = """
title: Streaming parity
end_date: 2027-03-01
html:
  overview: overview.html
phases:
  1:
    phasenumber: 1
    label: Streaming
    start_date: 2027-01-01
    execution_time_limit: 60
    ingestion_program_only_during_scoring: True
    ingestion_program: ingestion.zip
    input_data: numbers.zip
    scoring_program: scorer.zip
    reference_data: truth.zip
leaderboard:
  leaderboards:
    MAIN: &MAIN
      label: Main
      rank: 1
  columns:
    accuracy:
      leaderboard: *MAIN
      label: Accuracy
      rank: 1
    overlapped:
      leaderboard: *MAIN
      label: Saw the ingestion running
      rank: 2
      hidden: True
"""
# The ingestion: says it started (with its pid and time), loads the team's model, writes
# one predictions file per batch of two, a little apart, then says it ended.
INGESTION = """
import importlib.util, os, sys, time
data, out, team, shared = sys.argv[1:5]
open(os.path.join(out, "start.txt"), "w").write(f"pid: {os.getpid()}\\nstart: {time.time()}\\n")
spec = importlib.util.spec_from_file_location("model", os.path.join(team, "model.py"))
model = importlib.util.module_from_spec(spec)
spec.loader.exec_module(model)
numbers = open(os.path.join(data, "numbers.txt")).read().split()
for batch in range(0, len(numbers), 2):
    part = os.path.join(out, f"part{batch // 2:03d}.txt")
    lines = [model.answer(int(n)) for n in numbers[batch:batch + 2]]
    open(part + ".tmp", "w").write("\\n".join(lines))
    os.rename(part + ".tmp", part)
    time.sleep(0.25)
open(os.path.join(shared, "ingestion-finished"), "w").write("yes")
open(os.path.join(out, "end.txt"), "w").write(f"end: {time.time()}\\n")
"""
# The scorer: waits for the start marker, then reads the batches as they arrive; the
# ingestion is alive while its start marker is there without an end marker (its pid is in
# another PID namespace, as in Codabench's separate containers). It scores at the end marker.
SCORER = """
import json, os, sys, time
inp, out, shared = sys.argv[1:4]
res = os.path.join(inp, "res")
truth = open(os.path.join(inp, "ref", "truth.txt")).read().split()
waited = 0.0
while not os.path.exists(os.path.join(res, "start.txt")):
    time.sleep(0.05); waited += 0.05
    if waited > 30:
        sys.exit("the ingestion program never started")
overlapped = 0.0
answers = {}
while True:
    ended = os.path.exists(os.path.join(res, "end.txt"))
    for name in sorted(os.listdir(res)):
        if name.startswith("part") and name.endswith(".txt") and name not in answers:
            answers[name] = open(os.path.join(res, name)).read().split()
            if not ended:
                overlapped = 1.0  # read while the ingestion was still running
    if ended:
        break
    time.sleep(0.05)
guess = [a for name in sorted(answers) for a in answers[name]]
print("probe:", open(os.path.join(res, "probe.json")).read() if os.path.exists(
    os.path.join(res, "probe.json")) else "none")
correct = sum(g == t for g, t in zip(guess, truth))
json.dump({"accuracy": correct / len(truth), "overlapped": overlapped},
          open(os.path.join(out, "scores.json"), "w"))
"""
INGEST_CMD = (
    "command: python $ingestion_program/ingest.py $input $output $submission_program $shared\n"
)
SCORE_CMD = "command: python $program/score.py $input $output $shared\n"
MODEL = "def answer(n):\n    return 'even' if n % 2 == 0 else 'odd'\n"
NUMBERS = "2 3 5 8 13 21 34 55 89 144\n"
TRUTH = "even odd odd even odd odd even odd odd odd\n"  # the last one is wrong on purpose


def files(scorer: str = SCORER, ingestion: str = INGESTION) -> dict[str, str | bytes]:
    return {
        "competition.yaml": YAML,
        "overview.html": "<p>Parity, streamed.</p>",
        "ingestion.zip": zipped({"ingest.py": ingestion, "metadata": INGEST_CMD}),
        "scorer.zip": zipped({"score.py": scorer, "metadata": SCORE_CMD}),
        "numbers.zip": zipped({"numbers.txt": NUMBERS}),
        "truth.zip": zipped({"truth.txt": TRUTH}),
    }


def imported(runner, competition, tmp_path, scorer: str = SCORER, wall: int | None = None,
             ingestion: str = INGESTION):  # fmt: skip
    bundle = write_bundle(tmp_path / "parallel.zip", files(scorer, ingestion))
    result = runner.invoke(args=["import-bundle", str(bundle), "--competition", competition.slug])
    assert result.exit_code == 0, result.output
    (problem,) = problems_of(competition)
    problem.opens_at = problem.closes_at = None
    if wall is not None:
        problem.code_limits = {**(problem.code_limits or {}), "wall_seconds": wall}
    publish_without_baseline(problem)
    db.session.commit()
    return problem, result.output


def scored(problem, make, competition, model: str) -> Submission:
    leader = make.user()
    make.team(competition, leader)
    submission = submit(problem, leader, zipped({"model.py": model}), "model.zip")
    jobs.score_submission(submission.id, "test-worker")
    db.session.expire_all()
    return db.session.get(Submission, submission.id)


def side_by_side(root: Path, model: str = MODEL) -> dict:
    """Both programs started together outside the platform, in folders laid out as the two
    sandboxes see them: the ingestion's output is the scorer's input/res."""
    layout = {"ingestion/ingest.py": INGESTION, "program/score.py": SCORER,
              "input_data/numbers.txt": NUMBERS, "input/ref/truth.txt": TRUTH,
              "team/model.py": model}  # fmt: skip
    for name, text in layout.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    for folder in ("input/res", "output", "shared"):
        (root / folder).mkdir(parents=True)
    scorer = subprocess.Popen([sys.executable, root / "program/score.py", root / "input",
                               root / "output", root / "shared"], cwd=root / "program")  # fmt: skip
    subprocess.run([sys.executable, root / "ingestion/ingest.py", root / "input_data",
                    root / "input/res", root / "team", root / "shared"],
                   cwd=root / "ingestion", check=True)  # fmt: skip
    assert scorer.wait(timeout=60) == 0
    return json.loads((root / "output/scores.json").read_text())


def test_both_programs_run_at_once_and_score_as_side_by_side_by_hand(
    runner, competition, make, tmp_path
):
    problem, report = imported(runner, competition, tmp_path)
    assert problem.ingestion_during_scoring is True
    assert "run at the same time, sharing /app/shared" in report
    submission = scored(problem, make, competition, MODEL)
    assert submission.status == Status.SCORED, submission.log
    by_hand = side_by_side(tmp_path / "by-hand")
    assert by_hand == {"accuracy": 0.9, "overlapped": 1.0}
    assert submission.public_score == submission.private_score == by_hand["accuracy"]
    # The scorer read batches while the ingestion was still running, in the sandbox too.
    assert submission.scores[0].details == by_hand
    assert "=== ingestion (team's code) ===" in submission.log
    out = tmp_path / "export.zip"
    exported = runner.invoke(args=["export-bundle", str(out), "--competition", competition.slug,
                                   "--problem", problem.slug])  # fmt: skip
    assert exported.exit_code == 0, exported.output
    with zipfile.ZipFile(out) as archive:
        (task,) = yaml.safe_load(archive.read("competition.yaml"))["tasks"]
    assert task["ingestion_only_during_scoring"] is True


def test_a_team_program_that_hangs_is_the_teams_failure_and_shows_nothing(
    runner, competition, make, tmp_path
):
    problem, _ = imported(runner, competition, tmp_path, wall=3)
    hangs = "print('TEAM-SECRET-PRINT', flush=True)\nimport time\ntime.sleep(600)\n"
    submission = scored(problem, make, competition, hangs)
    assert submission.status == Status.FAILED
    assert submission.failure_kind == FailureKind.LIMIT
    assert submission.error_message == "Your program ran longer than the time limit (3 s)."
    assert "TEAM-SECRET-PRINT" not in submission.error_message
    assert submission.public_score is None and submission.private_score is None
    assert "TEAM-SECRET-PRINT" in submission.log  # the organizers' log keeps it


def test_a_scorer_that_crashes_is_the_organizers_side(runner, competition, make, tmp_path):
    crashes = SCORER.replace("waited = 0.0", "raise RuntimeError('labels ' + ' '.join(truth))")
    problem, _ = imported(runner, competition, tmp_path, scorer=crashes)
    submission = scored(problem, make, competition, MODEL)
    assert submission.status == Status.FAILED
    assert submission.failure_kind == FailureKind.SYSTEM
    assert submission.failure_reason == "organizer"
    assert submission.error_message == (
        "Scoring failed on the organizer's side (the organizer is notified).")  # fmt: skip
    assert "odd" not in submission.error_message and submission.public_score is None
    assert "RuntimeError: labels even odd" in submission.log
    assert "The ingestion program was stopped: the scoring program failed first." in (
        submission.log)  # fmt: skip


def test_an_ingestion_that_writes_nothing_gives_no_score(runner, competition, make, tmp_path):
    """The scorer does not wait and writes a zero: the empty predictions folder makes it the
    organizer's failure, never a score."""
    silent = "import sys\nprint('nothing to do')\n"
    eager = "import json, os, sys\njson.dump({'accuracy': 0.0, 'overlapped': 0.0}, " \
            "open(os.path.join(sys.argv[2], 'scores.json'), 'w'))\n"  # fmt: skip
    problem, _ = imported(runner, competition, tmp_path, scorer=eager, ingestion=silent)
    submission = scored(problem, make, competition, MODEL)
    assert submission.status == Status.FAILED
    assert submission.failure_reason == "organizer"
    assert submission.public_score is None and submission.private_score is None
    assert "wrote no predictions to $output" in submission.log


# The team's model looks everywhere the reference could be: the scorer's paths, the scorer's
# processes and their roots, the shared folders; tries to plant a link to the labels where
# the scorer reads; and answers with the labels if it found any.
HOSTILE = r"""
import json, os
found = {}
for path in ("/app/input/ref/truth.txt", "/app/input/ref", "/app/input", "/app/hidden"):
    found[path] = os.path.exists(path)
others = []
for pid in (p for p in os.listdir("/proc") if p.isdigit()):
    try:
        cmd = open(f"/proc/{pid}/cmdline", "rb").read()
    except OSError:
        continue
    if b"score.py" in cmd:
        others.append(pid)
    for where in ("root/app/input/ref/truth.txt", "cwd/../input/ref/truth.txt"):
        if os.path.exists(f"/proc/{pid}/{where}"):
            others.append(f"{pid}/{where}")
found["scorer_processes"] = others
truth_files = []
for top in ("/app", "/tmp", "/in"):
    for folder, _, names in os.walk(top):
        truth_files += [os.path.join(folder, n) for n in names if "truth" in n]
found["truth_files"] = truth_files
for name, make in (("symlink", lambda: os.symlink("/app/input/ref/truth.txt",
                                                  "/app/output/part999.txt")),
                   ("fifo", lambda: os.mkfifo("/app/output/part998.txt"))):
    try:
        make()
        found[name] = "made"
    except OSError as exc:
        found[name] = type(exc).__name__
open("/app/output/probe.json", "w").write(json.dumps(found, sort_keys=True))
def answer(n):
    return "odd"
"""


def test_the_teams_code_cannot_reach_the_reference(runner, competition, make, tmp_path):
    problem, _ = imported(runner, competition, tmp_path)
    submission = scored(problem, make, competition, HOSTILE)
    assert submission.status == Status.SCORED, submission.log
    probe = json.loads(submission.log.split("probe: ", 1)[1].splitlines()[0])
    assert probe == {
        "/app/hidden": False, "/app/input": False, "/app/input/ref": False,
        "/app/input/ref/truth.txt": False, "fifo": "PermissionError", "scorer_processes": [],
        "symlink": "PermissionError", "truth_files": [],
    }  # fmt: skip
    assert submission.public_score == 0.7  # "odd" everywhere: what knowing nothing scores
