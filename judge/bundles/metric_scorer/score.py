"""A judge problem's built-in metric as a Codabench scoring program (written by judge's export).

Runs in Codabench's own images (Python 3.7 or later with numpy, pandas and scikit-learn; judge
is not installed there): ``python3 $program/score.py $input $output``. It reads the solution
CSV in ``$input/ref`` and the one CSV in ``$input/res``, splits the solution's rows as judge
does (a keyed BLAKE2b hash of the id under the problem's salt, or its Usage column), and
writes the metric on the public rows as ``public`` and on the private rows as ``private`` to
``$output/scores.json``. A file judge would refuse (a missing or repeated id, an id the
solution lacks, a value that is not a number) writes no score: the program says why on
stderr and exits with status 1.
"""

import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn import metrics as sk

SCALE = float(2**64)
MISSING = {"", "nan", "-nan", "na", "n/a", "#n/a", "null", "none"}


def _rmse(truth, guess):
    return float(np.sqrt(sk.mean_squared_error(truth, guess)))


def _rmsle(truth, guess):
    if (guess < 0).any():
        raise Refused("rmsle needs predictions of at least 0.")
    return float(np.sqrt(sk.mean_squared_log_error(truth, guess)))


def _f1(average):
    return lambda truth, guess: sk.f1_score(truth, guess, average=average, zero_division=0)


#: name: (reads labels, the metric on the truth and the predictions of one side)
METRICS = {
    "accuracy": (True, sk.accuracy_score),
    "balanced_accuracy": (True, sk.balanced_accuracy_score),
    "f1_macro": (True, _f1("macro")),
    "f1_micro": (True, _f1("micro")),
    "f1_weighted": (True, _f1("weighted")),
    "mcc": (True, sk.matthews_corrcoef),
    "rmse": (False, _rmse),
    "mae": (False, sk.mean_absolute_error),
    "mape": (False, sk.mean_absolute_percentage_error),
    "r2": (False, sk.r2_score),
    "rmsle": (False, _rmsle),
}


class Refused(Exception):
    """The submission (or the setup) cannot be scored: no score is written."""


def main(argv):
    inputs, output = Path(argv[1]), Path(argv[2])
    settings = json.loads((Path(__file__).parent / "settings.json").read_text(encoding="utf-8"))
    try:
        scores = score(settings, inputs / "ref" / settings["solution"], _one_csv(inputs / "res"))
    except Refused as exc:
        print(str(exc), file=sys.stderr)
        return 1
    output.mkdir(parents=True, exist_ok=True)
    (output / "scores.json").write_text(json.dumps(scores), encoding="utf-8")
    return 0


def score(settings, solution_path, submission_path):
    ids, target = settings["id_column"], settings["target_column"]
    solution = _read(solution_path)
    submission = _read(submission_path)
    column = settings["prediction_column"]
    if list(submission.columns) != [ids, column]:
        raise Refused(f"The header must be: {ids},{column}")
    sides = _sides(settings, solution[ids], solution)
    guesses = _aligned(submission, solution[ids], ids, column)
    labels, compute = METRICS[settings["metric"]]
    truth, guess = (
        _labels(solution[target], guesses)
        if labels
        else (_numbers(solution[target]), _numbers(guesses))
    )
    result = {}
    for side in ("public", "private"):
        mask = (sides == side).to_numpy()
        if not mask.any():
            raise Refused(f"The solution has no {side} rows.")
        value = float(compute(truth[mask], guess[mask]))
        if not np.isfinite(value):
            raise Refused(f"The {side} score is undefined.")
        result[side] = value
    return result


def _one_csv(folder):
    found = sorted(p for p in folder.rglob("*.csv") if p.is_file())
    if len(found) != 1:
        raise Refused(f"Submit exactly one CSV file (found {len(found)}).")
    return found[0]


def _read(path):
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (ValueError, UnicodeDecodeError) as exc:
        raise Refused(f"{path.name} cannot be read as CSV: {exc}") from None
    table.columns = [str(c).strip() for c in table.columns]
    return table


def _sides(settings, ids, solution):
    """'public', 'private' or 'ignored' for each solution row, as judge splits them."""
    if settings["split_method"] == "usage_column":
        usage = solution["Usage"].str.strip().str.lower()
        return usage.where(usage.isin(["public", "private"]), "ignored")
    key = settings["split_salt"].encode()
    threshold = settings["public_fraction"] * SCALE
    hashes = [
        int.from_bytes(hashlib.blake2b(str(i).encode(), key=key, digest_size=8).digest(), "big")
        for i in ids
    ]
    return pd.Series(["public" if h < threshold else "private" for h in hashes])


def _aligned(submission, solution_ids, ids, column):
    """The predictions in the solution's row order; every id once, no other id."""
    if submission[ids].duplicated().any():
        raise Refused("An id is repeated.")
    by_id = submission.set_index(ids)[column]
    missing = ~solution_ids.isin(by_id.index)
    if missing.any():
        raise Refused(f"{int(missing.sum())} ids of the solution are missing.")
    if len(by_id) != len(solution_ids):
        raise Refused(f"{len(by_id) - len(solution_ids)} ids are not in the solution.")
    return by_id.loc[solution_ids.tolist()].reset_index(drop=True)


def _numbers(column):
    text = column.str.strip()
    if text.str.lower().isin(MISSING).any():
        raise Refused("A value is missing.")
    values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
    if not np.isfinite(values).all():
        raise Refused("A value is not a number.")
    return values


def _labels(truth, guess):
    """Whole numbers compare as integers ('1.0' is '1'), other numbers as numbers, else
    trimmed text; the predictions are read as the solution's labels are."""
    kind, labels = _label_kind(truth)
    if kind == "text":
        return labels, guess.str.strip().to_numpy(dtype=object)
    values = _numbers(guess)
    if kind == "integer":
        if not (values == np.round(values)).all():
            raise Refused("A label is not a whole number.")
        return labels, values.astype(np.int64)
    return labels, values


def _label_kind(column):
    text = column.str.strip()
    values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
    if not np.isfinite(values).all():
        return "text", text.to_numpy(dtype=object)
    if (values == np.round(values)).all() and (np.abs(values) < 2**62).all():
        return "integer", values.astype(np.int64)
    return "number", values


if __name__ == "__main__":
    sys.exit(main(sys.argv))
