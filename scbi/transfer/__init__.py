"""Skills transfer: pairings of a coach and a mentee, their transfer plans, the coach's
logs with evidence, the mentee's acknowledgement and the coordinator's verification.

Uses auth, programme, coaches and mentees; answers their hooks (the pairings on their
pages, visibility, capacity, the contract and exit rules).
"""
