"""Competency tracking: assessments, the level rule, the mentee's dashboard and portfolio."""
