"""The "what needs me now" panel: each feature answers for its own records.

A need is one count of things the signed-in user should act on, with where to do it. Each
answer takes the user and returns its :class:`Need` items; it must run a constant number
of queries (counts, not row loops). The home page (``scbi/main``) shows the non-zero ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from scbi.hooks import Hook


@dataclass(frozen=True)
class Need:
    title: str
    count: int
    url: str
    hint: str = ""


needs = Hook[list]("needs", "The user's Need items for the home page (a list, maybe empty).")


def needs_for(user) -> list[Need]:
    return [need for answer in needs.ask(user) for need in answer if need.count]
