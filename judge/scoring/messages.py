"""The scoring engine's messages in the reader's language.

The engine runs inside the sandbox without Flask and writes English; a failed
submission's message is translated when shown (judge.core.i18n.stored_message):
first as a whole, then sentence by sentence, each found by its exact text or
by a pattern whose parts (counts, lines, the file's own values) are kept. A
sentence nobody knows stays English. tests/i18n drives the engine to check
that it still says these.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _

from judge.core.i18n import N_

FIXED = (
    N_("The file is empty."),
    N_("The file has a header but no rows of predictions."),
    N_("The file is saved as UTF-16 ('Unicode Text'). Save it as 'CSV UTF-8 (comma delimited)'."),
    N_("This is not a CSV text file: it contains binary data. Upload a comma-separated .csv."),
    N_("The first line is empty; it must be the header with column names."),
    N_("The first line cannot be read as a CSV header."),
)

SENTENCES = (
    N_("Save it as 'CSV UTF-8 (comma delimited)'."),
    N_("Save it as comma-separated CSV."),
    N_("Submit only the id and prediction columns."),
    N_("Column names are case-sensitive."),
    N_("Check for missing values, extra commas, or commas inside a value that is not quoted."),
    N_("Check that values containing commas or quotes are quoted and that no value spans lines."),
    N_("Probabilities must be between 0 and 1."),
    N_("The class labels are numbers."),
    N_("Submit class labels, not probabilities."),
    N_("Give each row its items, best first, separated by spaces."),
    N_("Each item may appear once in a list."),
    N_("A mask is pairs of a start pixel and a run length separated by spaces."),
    N_("Runs go in order of their start pixel and do not overlap."),
    N_("Each box is six values separated by spaces: class, confidence, x, y, width and height."),
    N_("Each label may appear once in a row."),
    N_("Write 1 where the label applies and 0 where it does not."),
    N_("The ids do not match the test set's ids."),
    N_("The file could not be read as CSV."),
)

# Words the engine puts inside a sentence; translated before they are put back.
PHRASES = {
    N_("semicolons (;)"),
    N_("tabs"),
    N_("vertical bars (|)"),
    N_("value is not a number"),
    N_("values are not numbers"),
    N_("value is missing or NaN"),
    N_("values are missing or NaN"),
    N_("value is infinite"),
    N_("values are infinite"),
    N_("value is negative"),
    N_("values are negative"),
    N_("value is outside [0, 1]"),
    N_("values are outside [0, 1]"),
    N_("label is empty"),
    N_("labels are empty"),
    N_("label is not a number"),
    N_("labels are not numbers"),
    N_("label is not a whole number"),
    N_("labels are not whole numbers"),
    N_("list is empty"),
    N_("lists are empty"),
    N_("list repeats an item"),
    N_("lists repeat an item"),
    N_("list has more than K items"),
    N_("lists have more than K items"),
    N_("mask is not pairs of numbers"),
    N_("masks are not pairs of numbers"),
    N_("mask runs outside the image"),
    N_("masks run outside the image"),
    N_("mask has runs out of order or overlapping"),
    N_("masks have runs out of order or overlapping"),
    N_("value is not whole boxes"),
    N_("values are not whole boxes"),
    N_("box has a confidence or coordinate that is not a number"),
    N_("boxes have a confidence or coordinate that is not a number"),
    N_("box has a negative width or height"),
    N_("boxes have a negative width or height"),
    N_("row repeats a label"),
    N_("rows repeat a label"),
    N_("value is not 0 or 1"),
    N_("values are not 0 or 1"),
}

LINE = r"\(first at line (?P<line>\d+)\)"
PATTERNS = (
    (r"The file has no id column (?P<column>'.*')\.",
     N_("The file has no id column %(column)s.")),
    (r"The file lacks the columns (?P<columns>.+)\.",
     N_("The file lacks the columns %(columns)s.")),
    (r"The file has columns that are not expected: (?P<columns>.+)\.",
     N_("The file has columns that are not expected: %(columns)s.")),
    (r"The first line must be the header: (?P<header>.+)",
     N_("The first line must be the header: %(header)s")),
    (r"The header repeats the column (?P<columns>.+)\.",
     N_("The header repeats the column %(columns)s.")),
    (r"The file has (?P<count>\d+) columns? that (?:is|are) not expected \(first at column "
     r"(?P<column>\d+)\)\.",
     N_("The file has %(count)s columns that are not expected (first at column %(column)s).")),
    (r"The header repeats a column name \(first at column (?P<column>\d+)\)\.",
     N_("The header repeats a column name (first at column %(column)s).")),
    (r"The file seems to be separated by (?P<name>.+), not commas\.",
     N_("The file seems to be separated by %(name)s, not commas.")),
    (r"The file is (?P<size>\S+ \S+), over the limit of (?P<limit>\S+ \S+)\.",
     N_("The file is %(size)s, over the limit of %(limit)s.")),
    (r"The file is over the limit of (?P<limit>\S+ \S+)\.",
     N_("The file is over the limit of %(limit)s.")),
    (r"The file is not text in UTF-8 or in CP949/EUC-KR \(the first byte that is not UTF-8 is "
     r"on line (?P<line>\d+)\)\.",
     N_("The file is not text in UTF-8 or in CP949/EUC-KR (the first byte that is not UTF-8 "
        "is on line %(line)s).")),
    (r"Line (?P<line>\d+) has (?P<values>\d+) values?, but the header has (?P<columns>\d+) "
     r"columns?\.",
     N_("Line %(line)s has %(values)s values, but the header has %(columns)s columns.")),
    (r"The file could not be read as CSV \((?P<detail>.*)\)\.",
     N_("The file could not be read as CSV (%(detail)s).")),
    (rf"(?P<count>\d+) rows? ha(?:s|ve) an empty id {LINE}\.",
     N_("%(count)s rows have an empty id (first at line %(line)s).")),
    (rf"(?P<count>\d+) ids? appears? more than once {LINE}, for example (?P<examples>.+)\.",
     N_("%(count)s ids appear more than once (first at line %(line)s), for example "
        "%(examples)s.")),
    (rf"(?P<count>\d+) ids? (?:is|are) not in the test set {LINE}, for example (?P<examples>.+)\.",
     N_("%(count)s ids are not in the test set (first at line %(line)s), for example "
        "%(examples)s.")),
    (r"(?P<count>\d+) test ids? ha(?:s|ve) no prediction, for example (?P<examples>.+)\.",
     N_("%(count)s test ids have no prediction, for example %(examples)s.")),
    (rf"(?P<count>\d+) ids? appears? more than once {LINE}\.",
     N_("%(count)s ids appear more than once (first at line %(line)s).")),
    (rf"(?P<count>\d+) ids? (?:is|are) not in the test set {LINE}\.",
     N_("%(count)s ids are not in the test set (first at line %(line)s).")),
    (r"(?P<count>\d+) test ids? ha(?:s|ve) no prediction\.",
     N_("%(count)s test ids have no prediction.")),
    (r"In column (?P<column>'.*'), (?P<count>\d+) (?P<problem>.+?) \(first at line (?P<line>\d+)"
     r"\)\.",
     N_("In column %(column)s, %(count)s %(problem)s (first at line %(line)s).")),
    (r"In column (?P<column>'.*'), (?P<count>\d+) (?P<problem>.+?) \(first at line (?P<line>\d+)"
     r": (?P<value>'.*')\)\.",
     N_("In column %(column)s, %(count)s %(problem)s (first at line %(line)s: %(value)s).")),
    (r"The probabilities in each row must add up to 1, but (?P<count>\d+) rows? do(?:es)? not "
     r"\(first at line (?P<line>\d+), which adds up to (?P<sum>[^)]+)\)\.",
     N_("The probabilities in each row must add up to 1, but %(count)s rows do not (first at "
        "line %(line)s, which adds up to %(sum)s).")),
    (r"The probabilities in each row must add up to 1, but (?P<count>\d+) rows? do(?:es)? not "
     r"\(first at line (?P<line>\d+)\)\.",
     N_("The probabilities in each row must add up to 1, but %(count)s rows do not (first at "
        "line %(line)s).")),
    (r"(?P<metric>\S+) needs predictions of 0 or more\.",
     N_("%(metric)s needs predictions of 0 or more.")),
    (r"A list may hold at most (?P<k>\d+) items\.",
     N_("A list may hold at most %(k)s items.")),
    (r"Pixels are numbered from 1 down each column, up to (?P<pixels>\d+)\.",
     N_("Pixels are numbered from 1 down each column, up to %(pixels)s.")),
    (r"Re-run private score (?P<rerun>\S+) against (?P<expected>\S+) on the leaderboard "
     r"\(difference (?P<difference>\S+), tolerance (?P<tolerance>\S+)\)\.",
     N_("Re-run private score %(rerun)s against %(expected)s on the leaderboard (difference "
        "%(difference)s, tolerance %(tolerance)s).")),
)  # fmt: skip
COMPILED = tuple((re.compile(f"^{pattern}$", re.S), template) for pattern, template in PATTERNS)
# Between sentences: after a full stop (or a closing bracket or quote that ends one).
BOUNDARY = re.compile(r"(?<=[.)'])(?<!e\.g\.)\s+(?=[A-Z0-9'])")


def translate(message: str) -> str:
    """``message`` in the reader's language, as far as its sentences are known."""
    whole = _(message)
    if whole != message:
        return whole
    return " ".join(_sentence(part) for part in BOUNDARY.split(message))


def _sentence(text: str) -> str:
    for pattern, template in COMPILED:
        found = pattern.match(text)
        if found and _(template) == template:
            return text  # English (or not translated yet): the engine's own words, plurals right
        if found:
            parts = {k: _(v) if v in PHRASES else v for k, v in found.groupdict("").items()}
            return _(template, **parts)
    return _(text)
