"""Collecting field errors in services: every bad field is reported at once.

Services take Python values (forms and API schemas have parsed them) or, for CSV
imports, strings; each check returns the cleaned value or None and records why not.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from flask_babel import gettext as _

from scbi.errors import ValidationFailed
from scbi.extensions import db

MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL

# The programme's calendar: no record of it is dated outside these days (a year 0001 or
# 1018 is a typing slip, not history), and nothing it runs lasts longer than MAX_YEARS.
EARLIEST_DATE = date(1990, 1, 1)
LATEST_DATE = date(2100, 12, 31)
MAX_YEARS = 15


def date_range_error(value: date) -> str | None:
    """Why ``value`` is outside the programme's calendar, or None when it is inside.

    The one check of the date range: services (through :meth:`Errors.date`) and the API's
    request schemas call it, so a bad date gets the same answer wherever it comes in.
    """
    day = value.date() if isinstance(value, datetime) else value
    if EARLIEST_DATE <= day <= LATEST_DATE:
        return None
    return _(
        "%(day)s is outside the programme's calendar: enter a date from %(earliest)s "
        "to %(latest)s.",
        day=day.isoformat(),
        earliest=EARLIEST_DATE.isoformat(),
        latest=LATEST_DATE.isoformat(),
    )


def years_after(start: date, years: int) -> date:
    """The same day ``years`` later (28 February for a 29 February that has none)."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


# Tabs and line breaks are text; the other C0 controls and DEL are not.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def exact_text(value: Decimal) -> str:
    """A decimal as an exact string with a dot, without trailing zeros ("12.5", "30"): what
    the API answers and the report's data keep (pages show numbers the reader's way)."""
    return format(value.normalize(), "f")


@contextmanager
def refusing_also(*checks: Callable[[], dict[str, list[str]]]):
    """Run the block (a change that may be refused); when it is refused, the refusal also
    names what ``checks`` find (the problems of the steps that would follow it, each a
    ``{field: [messages]}``), so that a form or request hears of every problem at once."""
    try:
        yield
    except ValidationFailed as refused:
        fields = {f: list(m) for f, m in (refused.fields or {}).items()}
        found = [check() for check in checks]
        if not any(found):
            raise
        for problems in found:
            for field, messages in problems.items():
                kept = fields.setdefault(field, [])
                kept.extend(m for m in messages if m not in kept)
        raise ValidationFailed(fields=fields) from None


class Errors:
    """The problems of one record, by field. ``known`` is a dict the errors of a batch of
    records share, so each reference is looked up once for all of them."""

    def __init__(self, known: dict | None = None) -> None:
        self.fields: dict[str, list[str]] = {}
        self.known = {} if known is None else known

    def add(self, field: str, message: str) -> None:
        self.fields.setdefault(field, []).append(message)

    def __bool__(self) -> bool:
        return bool(self.fields)

    def raise_if_any(self) -> None:
        if self.fields:
            raise ValidationFailed(fields=self.fields)

    def text(self, field: str, value, *, max_length: int, required: bool = True) -> str:
        value = ("" if value is None else str(value)).strip()
        if required and not value:
            self.add(field, _("This field is required."))
        elif CONTROL_CHARACTERS.search(value):
            # PostgreSQL refuses NUL outright; the others break exports and print badly
            self.add(field, _("Remove the invisible control characters from this text."))
        elif len(value) > max_length:
            self.add(field, _("Use at most %(n)d characters.", n=max_length))
        return value

    def integer(
        self,
        field: str,
        value,
        *,
        min_value: int | None = None,
        max_value: int | None = None,
        required: bool = True,
    ) -> int | None:
        if value is None or value == "":
            if required:
                self.add(field, _("This field is required."))
            return None
        try:
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError
            number = int(value)
        except (TypeError, ValueError):
            self.add(field, _("Enter a whole number."))
            return None
        if abs(number) > MAX_ID:
            self.add(field, _("This number is out of range."))
        elif min_value is not None and number < min_value:
            self.add(field, _("Must be at least %(n)d.", n=min_value))
        elif max_value is not None and number > max_value:
            self.add(field, _("Must be at most %(n)d.", n=max_value))
        return number

    def decimal(self, field: str, value, *, unreadable: str) -> Decimal | None:
        """A required finite decimal, from a JSON number or a string, exact (never through a
        float's rounding); ``unreadable`` says what to enter when it is not one."""
        if value is None or (isinstance(value, str) and not value.strip()):
            self.add(field, _("This field is required."))
            return None
        try:
            if isinstance(value, bool):
                raise InvalidOperation
            number = Decimal(str(value).strip())
        except (InvalidOperation, ValueError):
            number = None
        if number is None or not number.is_finite():
            self.add(field, unreadable)
            return None
        return number

    def date(self, field: str, value, *, required: bool = True) -> date | None:
        if value is None or value == "":
            if required:
                self.add(field, _("This field is required."))
            return None
        if not isinstance(value, date):
            try:
                value = date.fromisoformat(str(value).strip())
            except ValueError:
                self.add(field, _("Enter a date as YYYY-MM-DD."))
                return None
        if message := date_range_error(value):
            self.add(field, message)
            return None
        return value

    def span(self, field: str, start: date | None, end: date | None, *, years: int = MAX_YEARS):
        """Refuse (on ``field``, the end) a period longer than ``years`` years."""
        if start and end and end > (latest := years_after(start, years)):
            self.add(
                field,
                _(
                    "This lasts more than %(n)d years, the longest allowed: choose an end "
                    "on or before %(day)s.",
                    n=years,
                    day=latest.isoformat(),
                ),
            )

    def choice(self, field: str, value, choices: type[StrEnum], *, required: bool = True):
        value = ("" if value is None else str(value)).strip()
        if not value:
            if required:
                self.add(field, _("This field is required."))
            return None
        if value not in {c.value for c in choices}:
            self.add(
                field, _("Choose one of: %(values)s.", values=", ".join(c.value for c in choices))
            )
            return None
        return value

    def ref(self, field: str, model, ident, *, required: bool = True, label: str = ""):
        """The ``model`` row with id ``ident``, or an error naming the unknown reference."""
        if ident is None or ident == "":
            if required:
                self.add(field, _("This field is required."))
            return None
        try:
            number = int(ident)
        except (TypeError, ValueError):
            obj = None
        else:
            key = (model, number)
            if key not in self.known:
                self.known[key] = db.session.get(model, number) if abs(number) <= MAX_ID else None
            obj = self.known[key]
        if obj is None:
            self.add(field, _("Unknown %(what)s: %(id)s.", what=label or field, id=ident))
        return obj
