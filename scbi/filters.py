"""Filter chips: each filter a list is narrowed by, in words, with the address of the same
list without it (``_macros/lists.html`` ``filter_chips`` shows them, each removable).

A list's reads name its filters as ``(parameters, words)`` — pure data, no request — and
the page turns them into chips here. A filter's parameters go together (a period's
``from``, ``to`` and the event it dates are one filter, removed at once); removing one
also drops the cursor or page number, which belong to the narrower list.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from flask import request, url_for
from flask_babel import format_date
from flask_babel import gettext as _

from scbi.validation import date_range_error

PAGING = ("after", "before", "last", "page")


@dataclass(frozen=True)
class Chip:
    label: str
    remove: str  # the list's address without this filter


def chips(named: Iterable[tuple[tuple[str, ...], str]]) -> list[Chip]:
    """The chips of this request's list for ``named`` filters ``(parameters, words)``;
    every other parameter (repeated ones too) is kept in each address."""
    out = []
    for names, words in named:
        args = request.args.to_dict(flat=False)
        for name in (*names, *PAGING):
            args.pop(name, None)
        out.append(Chip(words, url_for(request.endpoint, **(request.view_args or {}), **args)))
    return out


def kept(args, names: Iterable[str]) -> list[tuple[str, str]]:
    """The filters ``names`` on in ``args`` — those a list's form has no field for, which
    a report's figure opened it with — as ``(name, value)`` pairs: the form keeps them as
    hidden fields, so filtering again keeps them."""
    return [(name, value) for name in names for value in args.getlist(name) if value]


def whole_numbers(args, name: str) -> list[int]:
    """The ids given for ``name`` (a parameter that may be repeated), read leniently as
    the lists read their filters: what is not a whole number is left out."""
    return [int(v) for v in args.getlist(name) if v.isdecimal() and len(v) <= 10]


def day(args, name: str) -> date | None:
    """A ``YYYY-MM-DD`` parameter, read leniently: anything else is no filter."""
    try:
        return date.fromisoformat(args.get(name) or "")
    except ValueError:
        return None


def checked_choice(args, name: str, allowed, fields: dict[str, list[str]]) -> str | None:
    """A parameter that must be one of ``allowed`` (values, in the order to name them),
    read strictly like :func:`checked_day`: None when absent; anything else is named in
    ``fields`` with the values it may take."""
    raw = args.get(name) or None
    if raw is not None and raw not in allowed:
        fields[name] = [_("Choose one of: %(values)s.", values=", ".join(allowed))]
        return None
    return raw


def checked_day(args, name: str, fields: dict[str, list[str]]) -> date | None:
    """A ``YYYY-MM-DD`` parameter, read strictly (a figure's list must hold what the figure
    counts): None when absent; a day that is not one, or is outside the programme's
    calendar, is named in ``fields`` (the list then answers 422)."""
    raw = args.get(name)
    if not raw:
        return None
    try:
        found = date.fromisoformat(raw)
    except ValueError:
        fields[name] = [_("Use the format YYYY-MM-DD.")]
        return None
    if problem := date_range_error(found):  # the programme's calendar, as everywhere
        fields[name] = [problem]
        return None
    return found


def period_words(start: date | None, end: date | None) -> str:
    """``Active at some time from … to …`` (or on or after, on or before) in words."""
    if start and end:
        return _(
            "Active at some time from %(start)s to %(end)s",
            start=format_date(start),
            end=format_date(end),
        )
    if start:
        return _("Active at some time on or after %(start)s", start=format_date(start))
    return _("Active at some time on or before %(end)s", end=format_date(end))
