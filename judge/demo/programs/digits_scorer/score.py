"""세종스마트팩토리's scorer for stamped-digit recognition (Codabench/CodaLab contract).

Reads the reference from $input/ref/solution.csv and the team's one CSV from $input/res,
writes scores.json into $output: macro F1 (ranks), the worst digit's recall (a misread
digit stops the line, so it breaks ties) and plain accuracy. Messages name counts, never
reference values.
"""

import json
import os
import sys

import pandas as pd
from sklearn.metrics import accuracy_score, f1_score, recall_score

input_dir, output_dir = sys.argv[1], sys.argv[2]
reference = pd.read_csv(os.path.join(input_dir, "ref", "solution.csv"))
submitted = [name for name in os.listdir(os.path.join(input_dir, "res")) if name.endswith(".csv")]
if len(submitted) != 1:
    sys.exit(f"expected one CSV file in the submission, found {len(submitted)}")
predictions = pd.read_csv(os.path.join(input_dir, "res", submitted[0]))
if "id" not in predictions or "digit" not in predictions:
    sys.exit("the submission needs the columns id and digit")
merged = reference.merge(predictions, on="id", how="left", suffixes=("", "_pred"))
missing = int(merged["digit_pred"].isna().sum())
if missing:
    sys.exit(f"{missing} ids have no prediction")
truth, guess = merged["digit"].astype(int), merged["digit_pred"].astype(int)
scores = {
    "f1_macro": f1_score(truth, guess, average="macro"),
    "worst_recall": float(recall_score(truth, guess, average=None, zero_division=0).min()),
    "accuracy": accuracy_score(truth, guess),
}
with open(os.path.join(output_dir, "scores.json"), "w") as out:
    json.dump({key: float(value) for key, value in scores.items()}, out)
