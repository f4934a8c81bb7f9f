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
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, TypeVar

T = TypeVar("T")


class Hook(Generic[T]):
    """A question asked by one feature and answered by the features above it."""

    every: ClassVar[list[Hook]] = []  # each hook declared, for the architecture test and the docs

    def __init__(self, name: str, doc: str, *, required: bool = False) -> None:
        self.name = name
        self.__doc__ = doc
        # A rule on data: asking it with no answer registered is a fault, never a pass.
        self.required = required
        self.answers: list[Callable[..., T]] = []
        Hook.every.append(self)

    def answer(self, func: Callable[..., T]) -> Callable[..., T]:
        """Register ``func`` as an answer (a decorator; importing the module registers it)."""
        self.answers.append(func)
        return func

    def ask(self, *args: Any, **kwargs: Any) -> list[T]:
        """Every registered answer, in registration order."""
        if self.required and not self.answers:
            raise RuntimeError(f"hook {self.name} has no answer: was create_app() called?")
        return [func(*args, **kwargs) for func in self.answers]

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self.answers)} answers>"


# --- what the answers about pages are made of ----------------------------------------------


@dataclass(frozen=True)
class Link:
    """A button or link a feature above adds to a page (its label already translated)."""

    label: str
    url: str
    primary: bool = False


@dataclass(frozen=True)
class Section:
    """A part of a page, rendered from a template of the feature that adds it; the
    template reads its values from ``section.context``."""

    title: str
    template: str
    context: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Part:
    """What one feature above adds to a record's page: buttons, summary rows (label,
    value) and sections."""

    links: tuple[Link, ...] = ()
    facts: tuple[tuple[str, str], ...] = ()
    sections: tuple[Section, ...] = ()


def page_parts(hook: Hook, *args: Any) -> Part:
    """Every answer to a page hook, put together in the order of the features."""
    parts = hook.ask(*args)
    return Part(
        links=tuple(link for part in parts for link in part.links),
        facts=tuple(fact for part in parts for fact in part.facts),
        sections=tuple(section for part in parts for section in part.sections),
    )


@dataclass(frozen=True)
class Column:
    """A column of figures a feature above adds to a list of another feature's records:
    its heading, the figure per record id (missing: 0), and where a figure leads."""

    heading: str
    values: dict
    url: Callable[[int], str] | None = None
