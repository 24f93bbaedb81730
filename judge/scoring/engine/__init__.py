"""The scoring engine: a prediction file and the hidden solution in; public and private scores out.

This package runs inside the sandbox with its own Python environment, so it
imports only the standard library, numpy, pandas, pyarrow, scikit-learn, and sacrebleu and
rapidfuzz for the text metrics,
and refers to its own modules relatively: it is copied into the sandbox and
run there as ``python -s -E -m engine``.
"""
