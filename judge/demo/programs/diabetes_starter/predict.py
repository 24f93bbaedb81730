"""Starter code for 누리생명's diabetes progression problem (a code submission).

judge runs ``python predict.py $input $output`` in a sandbox without network: ``$input``
holds the hidden ``test.csv`` (id and 10 features), and ``predictions.csv`` written to
``$output`` is scored by RMSE. Bundle your trained model in this zip and load it here.
This baseline predicts a straight line in BMI fitted on train.csv beforehand.
"""

import csv
import os
import sys

SLOPE, INTERCEPT = 10.2, -117.8  # progression ≈ SLOPE · bmi + INTERCEPT, from train.csv

input_dir, output_dir = sys.argv[1], sys.argv[2]
with open(os.path.join(input_dir, "test.csv"), newline="") as source:
    rows = list(csv.DictReader(source))
with open(os.path.join(output_dir, "predictions.csv"), "w", newline="") as target:
    writer = csv.writer(target)
    writer.writerow(["id", "progression"])
    for row in rows:
        writer.writerow([row["id"], round(SLOPE * float(row["bmi"]) + INTERCEPT, 1)])
