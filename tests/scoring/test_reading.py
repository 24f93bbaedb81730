"""Reading prediction files: encodings, and every way a file can fail to be a CSV."""

from __future__ import annotations

import codecs
import io
import zipfile

import pytest

from judge.scoring.engine.errors import SubmissionError
from judge.scoring.engine.reading import read_submission

from .conftest import IDS, csv_text

VALUES = ["101.25", "202.5", "303.75", "404.125", "505.5", "606.625"]
GOOD = csv_text("id,target", list(zip(IDS, [1.5, 2.5, 3.5, 4.5, 5.5, 6.5], strict=True)))
KOREAN_IDS = ["가나01", "다라02", "마바03", "사아04", "자차05", "카타06"]


@pytest.fixture
def problem(make_problem):
    return make_problem("rmse", {"target": VALUES})


def read(tmp_path, content: bytes, max_bytes: int = 1 << 20):
    path = tmp_path / "file.csv"
    path.write_bytes(content)
    return read_submission(path, max_bytes=max_bytes)


def test_a_good_file_is_scored(problem):
    assert problem.submit(GOOD)["status"] == "scored"


def test_ids_are_read_as_text_keeping_leading_zeros(tmp_path):
    submission = read(tmp_path, b"id,target\n007,0.5\n1.0,0.25\n")
    assert submission.table["id"].to_pylist() == ["007", "1.0"]


def test_utf8_with_bom_and_korean_ids(make_problem):
    problem = make_problem("rmse", {"target": VALUES}, ids=KOREAN_IDS)
    text = csv_text("id,target", list(zip(KOREAN_IDS, VALUES, strict=True)))
    result = problem.submit(codecs.BOM_UTF8 + text.encode("utf-8"))
    assert result == {"status": "scored", "public": 0.0, "private": 0.0, "rows": 6}


def test_cp949_as_excel_saves_it_on_korean_windows(make_problem):
    problem = make_problem("rmse", {"target": VALUES}, ids=KOREAN_IDS)
    text = csv_text("id,target", list(zip(KOREAN_IDS, VALUES, strict=True)))
    result = problem.submit(text, encoding="cp949")
    assert result == {"status": "scored", "public": 0.0, "private": 0.0, "rows": 6}


def test_euc_kr_is_read_like_cp949(tmp_path):
    submission = read(tmp_path, "id,비고,target\n가나01,메모,0.5\n".encode("euc-kr"))
    assert submission.columns == ["id", "비고", "target"]
    assert submission.table["비고"].to_pylist() == ["메모"]


def test_a_korean_extra_column_is_named_correctly_in_cp949(problem):
    rows = [(i, "메모", v) for i, v in zip(IDS, VALUES, strict=True)]
    message = problem.invalid(csv_text("id,비고,target", rows), encoding="cp949")
    assert "'비고'" in message


def test_crlf_line_endings_and_quoted_values(tmp_path):
    submission = read(tmp_path, b'id,target\r\n"a,1",0.5\r\na2,"0.25"\r\n')
    assert submission.table["id"].to_pylist() == ["a,1", "a2"]
    assert submission.table["target"].to_pylist() == ["0.5", "0.25"]


@pytest.mark.parametrize("content", [b"", b"\n\r\n  \n", codecs.BOM_UTF8])
def test_empty_file(problem, content):
    assert problem.invalid(content) == "The file is empty."


def test_header_only(problem):
    assert "header but no rows" in problem.invalid("id,target\n")


@pytest.mark.parametrize(
    ("separator", "name"), [(";", "semicolons"), ("\t", "tabs"), ("|", "vertical bars")]
)
def test_wrong_delimiter_is_named(problem, separator, name):
    text = GOOD.replace(",", separator)
    message = problem.invalid(text)
    assert name in message
    assert "comma" in message


def test_semicolons_with_decimal_commas(problem):
    # what European Excel writes: the header has no comma at all
    message = problem.invalid("id;target\na1;1,5\na2;2,5\n")
    assert "semicolons" in message


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "PNG image"),
        (b"\xff\xd8\xff\xe0" + bytes(64), "JPEG image"),
        (b"%PDF-1.7\n...", "PDF"),
    ],
    ids=["png", "jpeg", "pdf"],
)
def test_images_and_documents_are_not_csv(problem, content, kind):
    message = problem.invalid(content)
    assert message.startswith("This is not a CSV text file")
    assert kind in message


def test_a_zip_or_xlsx_is_not_csv(problem):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("submission.csv", GOOD)
    message = problem.invalid(buffer.getvalue())
    assert message.startswith("This is not a CSV text file")
    assert "ZIP" in message


def test_nul_bytes_are_binary(problem):
    message = problem.invalid(GOOD.encode() + b"\x00\x00\x00")
    assert message.startswith("This is not a CSV text file")


def test_utf16_gets_its_own_advice(problem):
    message = problem.invalid(codecs.BOM_UTF16_LE + GOOD.encode("utf-16-le"))
    assert "UTF-16" in message
    assert "CSV UTF-8" in message


def test_neither_utf8_nor_cp949(problem):
    message = problem.invalid(b"id,target\na1,0.5\na2,\xff\xfe0.5\n")
    assert "not text in UTF-8 or in CP949/EUC-KR" in message
    assert "line 3" in message


def test_a_file_over_the_size_limit(make_problem):
    problem = make_problem("rmse", {"target": VALUES}, max_bytes=40)
    message = problem.invalid(GOOD)
    assert "over the limit of 40 bytes" in message


def test_ragged_rows_name_the_line(problem):
    text = "id,target\na1,1\na2,2\na3,3,4\na4,4\na5,5\na6,6\n"
    message = problem.invalid(text)
    assert message.startswith("Line 4 has 3 values, but the header has 2 columns.")


def test_a_short_row_names_the_line(problem):
    message = problem.invalid("id,target\na1,1\na2\na3,3\n")
    assert message.startswith("Line 3 has 1 value, but the header has 2 columns.")


def test_the_header_must_not_repeat_a_column(problem):
    message = problem.invalid("id,target,target\na1,1,1\n")
    assert "repeats the column 'target'" in message


def test_old_mac_line_endings(tmp_path):
    submission = read(tmp_path, b"id,target\ra1,0.5\ra2,0.7\r")
    assert submission.table["target"].to_pylist() == ["0.5", "0.7"]


def test_line_numbers_count_blank_lines(tmp_path):
    submission = read(tmp_path, b"id,target\na1,1\n\n\na2,2\n")
    assert submission.rows == 2
    assert [submission.line(0), submission.line(1)] == [2, 5]


def test_read_submission_raises_submission_error(tmp_path):
    with pytest.raises(SubmissionError, match="empty"):
        read(tmp_path, b"")
