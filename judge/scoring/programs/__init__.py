"""Sponsors' scoring programs, in the Codabench / CodaLab format, run unchanged.

A scoring program is a folder (or a zip of one) with a ``metadata.yaml`` (CodaLab also
accepted a file named ``metadata``) whose ``command`` runs it, for example::

    command: python $program/score.py $input $output

The program sees, as in Codabench's compute worker:

- ``$input/ref``: the hidden reference data (read-only),
- ``$input/res``: the submission's files (read-only),
- ``$output``: where it writes ``scores.json`` (``{"key": number}``) or ``scores.txt``
  (``key: value`` lines),
- ``$program``: its own files (read-only; also the working directory).

``$input``, ``$output`` and ``$program`` are ``/app/input``, ``/app/output`` and
``/app/program`` inside the sandbox, the paths Codabench's Docker images use, so programs
that hard-code them run too. ``python`` and ``python3`` at the start of the command are the
operator's scoring runtime. The program runs in :mod:`judge.sandbox` without network.

Public and private scores: the platform runs the program once per split, each time with
only that split's reference rows (:mod:`judge.scoring.programs.splits`).
"""
