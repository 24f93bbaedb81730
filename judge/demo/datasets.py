"""The demo problems' data: data sets bundled with scikit-learn, or drawn with numpy from a
fixed seed, cut into competition files.

Nothing is downloaded. Each data set is shuffled with a fixed seed, given
DACON-style ids (``TRAIN_0000``, ``TEST_0000``) and split 70/30 into a
labelled training file and an unlabelled test file. The labels of the test
rows become the hidden solution; a sample submission lists the same ids
with a simple guess. The output is the same bytes on every run.
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

IMAGES, SIDE = 60, 32  # the steel surface images: how many, and their size in pixels
DARK = 7  # the sample submission's guess: a pixel darker than this is a defect

# A guess from the training targets and the test features: per column, one value or a list.
Guess = Callable[[pd.DataFrame, pd.DataFrame], dict[str, object]]


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
    return build(features, target, guess=lambda _train, _test: {"malignant": 0.5})


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


def steel_defects() -> ProblemData:
    """Segmentation: the defect pixels of 32×32 grey images of a steel surface, as masks in
    run-length encoding (``mask``); the image's pixels are ``pixel_<row>_<column>``."""
    rng = np.random.default_rng(SEED)
    images, masks = zip(*(steel_surface(rng) for _ in range(IMAGES)), strict=True)
    names = [f"pixel_{row}_{column}" for row in range(SIDE) for column in range(SIDE)]
    features = pd.DataFrame(np.stack([image.flatten() for image in images]), columns=names)
    target = pd.DataFrame({"mask": [run_length(mask) for mask in masks]})
    return build(features, target, guess=dark_pixels)


def steel_surface(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """A grey surface (brightness 0–15, about 10) with up to two darker defects, each an
    ellipse at any angle (a thin one is a scratch); also the defects' mask."""
    rows, columns = np.mgrid[:SIDE, :SIDE]
    mask = np.zeros((SIDE, SIDE), dtype=bool)
    for _ in range(rng.choice([0, 1, 1, 2])):
        row, column = rng.uniform(4, SIDE - 4, 2)
        long, short = rng.uniform(1.5, 7, 2)
        angle = rng.uniform(0, np.pi)
        along = (rows - row) * np.cos(angle) + (columns - column) * np.sin(angle)
        across = (columns - column) * np.cos(angle) - (rows - row) * np.sin(angle)
        mask |= (along / long) ** 2 + (across / short) ** 2 <= 1
    image = rng.normal(10, 1.5, (SIDE, SIDE)) - 5 * mask
    return np.clip(np.rint(image), 0, 15).astype(int), mask


def run_length(mask: np.ndarray) -> str:
    """Kaggle's encoding: 1-based start and length pairs, pixels numbered down each column."""
    flat = np.concatenate([[False], mask.flatten(order="F"), [False]])
    edges = np.flatnonzero(flat[1:] != flat[:-1]) + 1
    pairs = zip(edges[::2], edges[1::2], strict=True)
    return " ".join(f"{start} {end - start}" for start, end in pairs)


def dark_pixels(_train: pd.DataFrame, test: pd.DataFrame) -> dict[str, object]:
    """A starting point: every pixel darker than ``DARK`` is a defect."""
    images = test.to_numpy().reshape(-1, SIDE, SIDE)
    return {"mask": [run_length(image < DARK) for image in images]}


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
        sample_submission=to_csv(
            sample_submission(test_ids, guess(train_target, features.iloc[n_train:]))
        ),
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


def most_frequent(train_target: pd.DataFrame, _test: pd.DataFrame) -> dict[str, object]:
    return {column: int(train_target[column].mode().iloc[0]) for column in train_target}


def rounded_mean(train_target: pd.DataFrame, _test: pd.DataFrame) -> dict[str, object]:
    return {column: round(float(train_target[column].mean()), 1) for column in train_target}


def snake_case(name: str) -> str:
    """'mean concave points' -> 'mean_concave_points'; 'od280/od315' -> 'od280_od315'."""
    return re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_")


def to_csv(frame: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")
