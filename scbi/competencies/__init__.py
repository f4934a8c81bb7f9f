"""Competency tracking: assessments, the level rule (validated levels backed by logs),
the mentee's dashboard and portfolio. Uses transfer's logs and everything below it."""
