"""The demo problems' data: data sets bundled with scikit-learn, cut into competition files.

Nothing is downloaded. Each data set is shuffled with a fixed seed, given
DACON-style ids (``TRAIN_0000``, ``TEST_0000``) and split 70/30 into a
labelled training file and an unlabelled test file. The labels of the test
rows become the hidden solution; a sample submission lists the same ids
with a constant guess. The output is the same bytes on every run.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

SEED = 2026
TRAIN_SHARE = 0.7
ID_COLUMN = "id"
USAGE_COLUMN = "Usage"

Guess = Callable[[pd.DataFrame], dict[str, object]]


@dataclass(frozen=True)
class ProblemData:
    """The CSV files of one problem, as bytes."""

    train: bytes
    test: bytes
    sample_submission: bytes
    solution: bytes
    target_columns: tuple[str, ...]

    def public_files(self) -> dict[str, bytes]:
        return {
            "train.csv": self.train,
            "test.csv": self.test,
            "sample_submission.csv": self.sample_submission,
        }


def breast_cancer() -> ProblemData:
    """Binary: is the tumour malignant? Submissions give a probability per id."""
    from sklearn.datasets import load_breast_cancer  # heavy: only when the demo loads

    raw = load_breast_cancer(as_frame=True)
    features = raw.data.rename(columns=snake_case)
    target = pd.DataFrame({"malignant": 1 - raw.target})  # scikit-learn: 0 means malignant
    return build(features, target, guess=lambda _train: {"malignant": 0.5})


def digits() -> ProblemData:
    """Multiclass: which digit (0–9) is stamped on the part, from an 8×8 grey image."""
    from sklearn.datasets import load_digits

    raw = load_digits(as_frame=True)
    features = raw.data.astype(int)
    target = pd.DataFrame({"digit": raw.target})
    return build(features, target, guess=most_frequent)


def diabetes() -> ProblemData:
    """Regression: disease progression one year on; the solution marks Public/Private rows."""
    from sklearn.datasets import load_diabetes

    raw = load_diabetes(as_frame=True, scaled=False)
    features = raw.data.rename(columns=snake_case).astype({"age": int, "sex": int})
    target = pd.DataFrame({"progression": raw.target.astype(int)})
    return build(features, target, guess=rounded_mean, usage_public_share=0.3)


def build(
    features: pd.DataFrame,
    target: pd.DataFrame,
    *,
    guess: Guess,
    usage_public_share: float | None = None,
) -> ProblemData:
    """Shuffle, split and write the files; add a Usage column when a share is given."""
    rng = np.random.default_rng(SEED)
    order = rng.permutation(len(features))
    features = features.iloc[order].reset_index(drop=True)
    target = target.iloc[order].reset_index(drop=True)
    n_train = round(len(features) * TRAIN_SHARE)
    train_ids, test_ids = ids("TRAIN", n_train), ids("TEST", len(features) - n_train)
    train_target, test_target = target.iloc[:n_train], target.iloc[n_train:]
    solution = with_ids(test_ids, test_target)
    if usage_public_share is not None:
        solution[USAGE_COLUMN] = usage_column(len(test_ids), usage_public_share, rng)
    return ProblemData(
        train=to_csv(with_ids(train_ids, features.iloc[:n_train], train_target)),
        test=to_csv(with_ids(test_ids, features.iloc[n_train:])),
        sample_submission=to_csv(sample_submission(test_ids, guess(train_target))),
        solution=to_csv(solution),
        target_columns=tuple(target.columns),
    )


def ids(prefix: str, count: int) -> list[str]:
    return [f"{prefix}_{i:04d}" for i in range(count)]


def with_ids(row_ids: list[str], *frames: pd.DataFrame) -> pd.DataFrame:
    parts = [frame.reset_index(drop=True) for frame in frames]
    return pd.concat([pd.DataFrame({ID_COLUMN: row_ids}), *parts], axis=1)


def sample_submission(row_ids: list[str], guess: dict[str, object]) -> pd.DataFrame:
    frame = pd.DataFrame({ID_COLUMN: row_ids})
    for column, value in guess.items():
        frame[column] = value
    return frame


def usage_column(count: int, public_share: float, rng: np.random.Generator) -> list[str]:
    """Kaggle-style: a random ``public_share`` of the rows are Public, the rest Private."""
    public = set(rng.choice(count, size=round(count * public_share), replace=False).tolist())
    return ["Public" if i in public else "Private" for i in range(count)]


def most_frequent(train_target: pd.DataFrame) -> dict[str, object]:
    return {column: int(train_target[column].mode().iloc[0]) for column in train_target}


def rounded_mean(train_target: pd.DataFrame) -> dict[str, object]:
    return {column: round(float(train_target[column].mean()), 1) for column in train_target}


def snake_case(name: str) -> str:
    """'mean concave points' -> 'mean_concave_points'; 'od280/od315' -> 'od280_od315'."""
    return re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_")


def to_csv(frame: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")
