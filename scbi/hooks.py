"""Hooks: how a feature asks the features above it, without importing them.

Features depend one way (docs/architecture.md): ``transfer`` may use ``mentees``, never the
reverse. Yet some of a lower feature's answers depend on records only a higher feature
knows: the mentee's page lists the mentee's pairings, a coach sees the mentees of their
pairings, a mentee's exit ends those pairings. The lower feature then declares a
:class:`Hook` — a named question with a documented answer — and asks it; each feature
above that knows part of the answer registers a function with ``@hook.answer``.

Answers are registered when the answering module is imported; ``create_app`` imports every
feature's views, which import everything that answers a hook, and
``tests/test_architecture.py`` checks that every hook has its answers. Hooks are asked in
the order their answers were registered (the order of the features in ``create_app``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Generic, TypeVar

T = TypeVar("T")


class Hook(Generic[T]):
    """A question asked by one feature and answered by the features above it."""

    every: ClassVar[list[Hook]] = []  # each hook declared, for the architecture test and the docs

    def __init__(self, name: str, doc: str) -> None:
        self.name = name
        self.__doc__ = doc
        self.answers: list[Callable[..., T]] = []
        Hook.every.append(self)

    def answer(self, func: Callable[..., T]) -> Callable[..., T]:
        """Register ``func`` as an answer (a decorator; importing the module registers it)."""
        self.answers.append(func)
        return func

    def ask(self, *args: Any, **kwargs: Any) -> list[T]:
        """Every registered answer, in registration order."""
        return [func(*args, **kwargs) for func in self.answers]

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self.answers)} answers>"
