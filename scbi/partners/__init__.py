"""Development partners and what they fund: each coach's contract, by partner and currency
(docs/partners.md)."""
