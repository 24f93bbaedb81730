"""Codabench / CodaLab competition bundles: import them as problems, export problems back.

A bundle is a zip with a ``competition.yaml``: version 2 (Codabench) or the older CodaLab
1.5 and 1.8 formats; or a Codabench task upload, a zip with ``task.yaml``
(:mod:`~judge.bundles.tasks`). :mod:`~judge.bundles.reading` turns each into one
:class:`~.model.Bundle`
and lists every key it does not use; :mod:`~judge.bundles.importing` creates one problem
per task; :mod:`~judge.bundles.exporting` writes a problem back as a version 2 bundle
that Codabench's unpacker accepts and the import reads again unchanged (judge's own
settings ride along under ``judge:``).
"""
