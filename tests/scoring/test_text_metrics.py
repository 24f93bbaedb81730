"""Text metrics against independent references: jiwer for cer and wer, rouge-score (given a
tokenizer that keeps Hangul) for rouge_l, sacrebleu's own corpus functions for bleu and
chrF; on random Korean and English text and edge cases; then through the engine."""

from __future__ import annotations

import unicodedata

import jiwer
import numpy as np
import pyarrow as pa
import pytest
import sacrebleu
from rouge_score import rouge_scorer

from judge.scoring.engine.metrics import METRICS
from judge.scoring.engine.text import texts, tokens

from .conftest import IDS, csv_text

RNG = np.random.default_rng(3)
WORDS = ["서울", "날씨가", "맑습니다", "오늘은", "고양이가", "매트", "위에", "앉았다", "the",
         "cat", "sat", "on", "mat", "AI", "2023년", "대회", "세그멘테이션", "모델"]  # fmt: skip


def engine(name: str, truth: list[str], guess: list[str]) -> float:
    """The metric on texts read as the engine reads a column (normalised)."""
    read = lambda values: texts(pa.chunked_array([values], pa.string()))  # noqa: E731
    return METRICS[name].compute(read(truth), read(guess))


def sentence(low: int = 1) -> str:
    return " ".join(RNG.choice(WORDS, int(RNG.integers(low, 12))))


def corpora(count: int = 15):
    for _ in range(count):
        rows = int(RNG.integers(1, 20))
        truth = [sentence() for _ in range(rows)]
        guess = [sentence(0) if RNG.random() < 0.5 else t.replace("가", "이") for t in truth]
        yield truth, guess


class HangulTokenizer:
    """rouge-score's tokenizer interface, with our tokens (its default drops Hangul)."""

    def tokenize(self, text: str) -> list[str]:
        return tokens(text)


def test_cer_and_wer_match_jiwer():
    for truth, guess in corpora():
        assert engine("cer", truth, guess) == pytest.approx(jiwer.cer(truth, guess))
        assert engine("wer", truth, guess) == pytest.approx(jiwer.wer(truth, guess))


def test_bleu_and_chrf_are_sacrebleus_corpus_scores():
    for truth, guess in corpora():
        expected = sacrebleu.corpus_bleu(guess, [truth], tokenize="intl").score
        assert engine("bleu", truth, guess) == pytest.approx(expected)
        assert engine("chrf", truth, guess) == pytest.approx(
            sacrebleu.corpus_chrf(guess, [truth]).score
        )


def test_rouge_l_matches_rouge_score_with_a_tokenizer_that_keeps_hangul():
    scorer = rouge_scorer.RougeScorer(["rougeL"], tokenizer=HangulTokenizer())
    for truth, guess in corpora():
        expected = np.mean([scorer.score(t, g)["rougeL"].fmeasure
                            for t, g in zip(truth, guess, strict=True)])  # fmt: skip
        assert engine("rouge_l", truth, guess) == pytest.approx(expected)


def test_korean_is_not_scored_as_empty_as_rouge_scores_default_tokenizer_does():
    truth, guess = ["고양이가 매트 위에 앉았다"], ["고양이가 매트에 앉았다"]
    default = rouge_scorer.RougeScorer(["rougeL"]).score(truth[0], guess[0])["rougeL"]
    assert default.fmeasure == 0.0  # every Hangul token dropped
    assert engine("rouge_l", truth, guess) == pytest.approx(2 * (2 / 3 * 2 / 4) / (2 / 3 + 2 / 4))


def test_text_is_compared_in_nfc_with_whitespace_collapsed():
    composed = "한국어 텍스트는 정규화하면 같은 문장이 됩니다"
    decomposed = "  " + unicodedata.normalize("NFD", composed).replace(" ", "\t ") + " "
    for name, best in (("cer", 0), ("wer", 0), ("bleu", 100), ("chrf", 100), ("rouge_l", 1),
                       ("exact_match", 1)):  # fmt: skip
        assert engine(name, [composed], [decomposed]) == pytest.approx(best), name


def test_edge_cases():
    assert engine("cer", ["abcd"], [""]) == 1.0  # all deleted
    assert engine("cer", ["ab"], ["abxyz"]) == 1.5  # insertions make it exceed 1
    assert engine("exact_match", ["a", "b"], ["a", "B"]) == 0.5  # case counts
    assert engine("rouge_l", ["..."], ["!!!"]) == 0.0  # no tokens on either side
    with pytest.raises(ValueError):
        engine("wer", ["", " "], ["a", "b"])  # every truth empty: undefined


TRUTH = ["안녕하세요", "hello, world", "서울 강남구", '"quoted"', "비", "끝"]


def test_the_engine_reads_quoted_commas_and_korean_and_splits_by_id(make_problem):
    problem = make_problem("exact_match", {"text": TRUTH})
    guess = ["안녕하세요", "hello, world", "서울  강남구", '"quoted"', "비", ""]
    rows = [(i, f'"{g.replace(chr(34), chr(34) * 2)}"') for i, g in zip(IDS, guess, strict=True)]
    result = problem.submit(csv_text("id,text", rows))
    assert result["status"] == "scored", result
    assert (result["public"], result["private"]) == pytest.approx((1.0, 2 / 3))  # 끝 missed
    cp949 = problem.submit(csv_text("id,text", rows), encoding="cp949")
    assert (cp949["public"], cp949["private"]) == (result["public"], result["private"])
