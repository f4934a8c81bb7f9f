"""Mentees: the civil servants' profiles and dated status history (a graduation or an
exit), their list and page.

Uses auth and programme. What only pairings know (a coach's coachees, the unpaired
filter, what an exit ends) is asked through hooks that transfer answers.
"""
