"""Coaches: the experts' profiles, contracts and capacity, their list, page and follow-up.

Uses auth and programme. What only pairings know (active mentees, activity, whether a
contract still covers the pairings) is asked through hooks that transfer answers.
"""
