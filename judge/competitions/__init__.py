"""Competitions, divisions, sponsors, per-competition roles and rules acceptance."""
