"""Coaches and mentees registered in bulk from a CSV file: every row, or none."""
