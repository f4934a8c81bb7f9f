"""Enumerations that read to people: one declaration gives the stored value, the label
(translatable) and, for a state, the colour of its badge.

Every status, type and role of the domain is a :class:`Labelled` ``StrEnum`` declared next
to its model; its members are what the model's columns hold (``EnumText`` in
``scbi/database.py`` reads them back as members), so forms, pages, the PDF and XLSX files
and the API all take their labels from here, and templates print ``status.label`` rather
than comparing strings.
"""

from __future__ import annotations

from enum import StrEnum

BY_NAME: dict[str, type[Labelled]] = {}  # each labelled enum by class name (templates)


class Labelled(StrEnum):
    """``NAME = "value", _l("Label"), "tone", _l("short")``: the tone is a Bootstrap colour
    name (success, warning, primary, secondary, light) for a state's badge; the short label
    is optional.

    The label is how a value reads on its own: a form's choice, a list, a page, a cell of
    a downloaded file. The short label is the same words, without a gloss and in lower
    case ("co-led" for "Co-led — we do, you lead"), for where space is tight or the value
    sits in a sentence: a chart, a report's narrow columns, "Hours by activity: …". It is
    never another word (``tests/test_labels.py``)."""

    def __new__(cls, value: str, label: object = None, tone: str = "secondary", short=None):
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label
        member._short = short
        member.tone = tone
        return member

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        BY_NAME[cls.__name__] = cls

    @property
    def label(self) -> str:
        """The label in the current language (the value itself when none is declared)."""
        return str(self._label) if self._label is not None else self.value

    @property
    def short(self) -> str:
        """A shorter label, for charts and tight tables (the label when none is declared)."""
        return str(self._short) if self._short is not None else self.label

    @classmethod
    def labels(cls) -> dict[Labelled, object]:
        """Each member and its label, in declaration order (for selects and tables); the
        labels stay lazy, so a module may keep the dict and each use translates it."""
        return {m: m._label if m._label is not None else m.value for m in cls}


def label(value, enum: str | None = None, *, short: bool = False) -> str:
    """A value as people read it: a member's label (or short label); a stored string's
    through the enum named (``{{ r.status|label('ResultStatus') }}`` for the figures of a
    report, which keep plain strings); anything else as it is."""
    if enum is not None and value in BY_NAME[enum]._value2member_map_:
        value = BY_NAME[enum](value)
    if isinstance(value, Labelled):
        return value.short if short else value.label
    return "" if value is None else str(value)
