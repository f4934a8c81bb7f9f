"""Peer exchanges: study visits, peer reviews, exchange workshops and community-of-practice
meetings between institutions and countries, with their participants, what was learnt,
the follow-up actions, the mentees' reflections and the plans they serve
(docs/exchanges.md)."""
