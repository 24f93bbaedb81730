"""The scoring engine's fixed messages, marked here for translation.

The engine runs inside the sandbox without Flask and writes English; a failed
submission's message is translated when shown (judge.core.i18n.stored_message),
which finds these by their exact text. Messages that quote the file's own
values (columns, ids, lines) stay English. tests/i18n checks that the engine
still says exactly these.
"""

from __future__ import annotations

from judge.core.i18n import N_

FIXED = (
    N_("The file is empty."),
    N_("The file has a header but no rows of predictions."),
    N_("The file is saved as UTF-16 ('Unicode Text'). Save it as 'CSV UTF-8 (comma delimited)'."),
    N_("This is not a CSV text file: it contains binary data. Upload a comma-separated .csv."),
    N_("The first line is empty; it must be the header with column names."),
    N_("The first line cannot be read as a CSV header."),
)
