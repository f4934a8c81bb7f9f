"""Retention after the programme: follow-ups of mentees 6, 12 and 24 months after they
left it (docs/retention.md). Which follow-ups are due is derived from the pairings and the
status history; only the answers are stored."""
