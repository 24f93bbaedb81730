"""Metrics, validation and the scorer that runs inside the sandbox."""
