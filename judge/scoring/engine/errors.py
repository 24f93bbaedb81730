"""The two ways scoring can fail on purpose."""

from __future__ import annotations


class SubmissionError(Exception):
    """The participant's file is unusable; the message tells them what to fix.

    Messages are English, name columns, lines and counts, quote only the
    participant's own values or public test ids, and never a solution value.
    """

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""


class ScoringError(Exception):
    """The problem's setup (job or solution) is broken; not the participant's fault.

    The message is safe to show to anyone; it must not carry solution values.
    """

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""
