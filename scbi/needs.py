"""The "what needs me now" panel: each feature answers for its own records.

A need is one count of things the signed-in user should act on, with where to do it. Each
answer takes the user and returns its :class:`Need` items; it must run a constant number
of queries (counts, not row loops). The home page (``scbi/main``) shows the non-zero ones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from scbi.hooks import Hook


@dataclass(frozen=True)
class Need:
    title: str
    count: int
    url: str
    hint: str = ""


def opening(only: int | None, record: Callable[[int], str], queue: str) -> str:
    """Where a need's link goes: the record itself when the queue holds only ``only``, the
    queue's list otherwise ("1 plan returned to you" opens that plan)."""
    return record(only) if only is not None else queue


needs = Hook[list]("needs", "The user's Need items for the home page (a list, maybe empty).")


def needs_for(user) -> list[Need]:
    return [need for answer in needs.ask(user) for need in answer if need.count]
