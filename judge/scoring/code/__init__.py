"""Teams' code submissions: the team's program runs on the hidden test inputs, then its
output is scored by the problem's normal scorer — two sandboxed steps.

The team uploads a zip whose ``metadata.yaml`` names its entry point, in the Codabench
format (``command: python predict.py $input $output``). Step one runs it in the sandbox
with only the hidden test inputs (``$input``, read-only; never the solution), no network,
and the problem's own limits on CPU time, memory, wall time, output size and disk
(:mod:`judge.scoring.code.limits`). Step two scores what it wrote to ``$output``: with
the built-in metric (its ``predictions.csv``, or its only CSV) or with the sponsor's
scoring program (all of it, as ``input/res``).

On hidden inputs, anything the program prints or writes may carry those inputs, so the
team sees only the outcome: its score, which limit was hit (with its value) or the exit
status, and messages about what it wrote that name lines and columns, never values. The
full output is for organizers, and for the team's own *validation runs*
(:mod:`judge.scoring.code.validation_run`): the same zip run the same way on public inputs.

Where a bundle asks for CodaLab 1.8's parallel ingestion, the two steps run at the same time
instead, in two sandboxes sharing the predictions folder and /app/shared
(:mod:`judge.scoring.code.parallel`).
"""
