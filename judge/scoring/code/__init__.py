"""Teams' code submissions: the team's program runs on the hidden test inputs, then its
output is scored by the problem's normal scorer — two sandboxed steps.

The team uploads a zip whose ``metadata.yaml`` names its entry point, in the Codabench
format (``command: python predict.py $input $output``). Step one runs it in the sandbox
with only the hidden test inputs (``$input``, read-only; never the solution), no network,
and the problem's own limits on CPU time, memory, wall time, output size and disk
(:mod:`judge.scoring.code.limits`). Step two scores what it wrote to ``$output``: with
the built-in metric (its ``predictions.csv``, or its only CSV) or with the sponsor's
scoring program (all of it, as ``input/res``).

When step one fails, the team sees which limit was hit, or the exit status, and the tail
of its own program's output with every value that occurs in the hidden inputs masked
(:mod:`judge.scoring.code.masking`).
"""
