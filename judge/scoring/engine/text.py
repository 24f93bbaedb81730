"""Text metrics on two 1-d object arrays of strings, both normalised by :func:`normalise`:
Unicode NFC, every run of whitespace one space, none at either end. Punctuation and case
are kept (they count as characters and as parts of words), except in ``rouge_l``.

- ``cer``: Σ character edit distance / Σ characters of the truths (can exceed 1);
- ``wer``: the same over words (runs of non-space characters);
- ``bleu``: sacrebleu's corpus BLEU (0–100) with its ``intl`` tokenizer, which splits Unicode
  punctuation and keeps Hangul words (eojeol) whole;
- ``chrf``: sacrebleu's corpus chrF (0–100; character n-grams, so Korean needs no tokenizer);
- ``rouge_l``: the mean over rows of the ROUGE-L F-measure on tokens: lower-cased runs of
  letters and digits of any script (Hangul kept; rouge-score's default tokenizer drops it);
- ``exact_match``: the share of rows equal to their truth.

sacrebleu and rapidfuzz are imported when first used, so other metrics do not load them.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pyarrow as pa

_SPACES = re.compile(r"\s+")
_TOKEN = re.compile(r"[^\W_]+")


def normalise(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def texts(column: pa.ChunkedArray) -> np.ndarray:
    values = np.empty(len(column), dtype=object)
    values[:] = [normalise(text) for text in column.to_pylist()]
    return values


def _edit_rate(truths: list, guesses: list) -> float:
    from rapidfuzz.distance import Levenshtein

    total = sum(len(truth) for truth in truths)
    if total == 0:
        raise ValueError("An error rate is undefined when every truth is empty.")
    edits = sum(Levenshtein.distance(t, g) for t, g in zip(truths, guesses, strict=True))
    return edits / total


def cer(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    return _edit_rate(list(y_true), list(y_pred))


def wer(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    return _edit_rate([t.split() for t in y_true], [g.split() for g in y_pred])


def bleu(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    from sacrebleu.metrics import BLEU

    return BLEU(tokenize="intl").corpus_score(list(y_pred), [list(y_true)]).score


def chrf(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    from sacrebleu.metrics import CHRF

    return CHRF().corpus_score(list(y_pred), [list(y_true)]).score


def tokens(text: str) -> list[str]:
    """rouge_l's tokens: lower-cased runs of letters and digits, Hangul included."""
    return _TOKEN.findall(text.lower())


def _rouge_l_row(truth: str, guess: str) -> float:
    from rapidfuzz.distance import LCSseq

    reference, candidate = tokens(truth), tokens(guess)
    common = LCSseq.similarity(reference, candidate) if reference and candidate else 0
    if common == 0:
        return 0.0
    precision, recall = common / len(candidate), common / len(reference)
    return 2 * precision * recall / (precision + recall)


def rouge_l(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    return float(np.mean([_rouge_l_row(t, g) for t, g in zip(y_true, y_pred, strict=True)]))


def exact_match(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    return float(np.mean(y_true == y_pred))
