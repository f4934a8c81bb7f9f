"""Mentee profiles (and, later, competency tracking)."""
