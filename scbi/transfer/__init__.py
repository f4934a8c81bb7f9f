"""Pairings (and, later, transfer plans, logs and evidence)."""
