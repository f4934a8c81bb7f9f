"""What the commands that read records share: the account they read as (``--as``), the
options that name a sector, an institution or a day, and their output as a table, as
label-and-value lines or as CSV.

A reading command calls the queries the pages and the API call, with the scope of the
account it acts as: run as a coordinator, it sees their sectors' records only. Whoever
runs the command line can read the database itself, so the scope shows that account's
view of the records; it is not a barrier.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from datetime import date

import click
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from sqlalchemy import select

from scbi.auth.models import Role, User
from scbi.auth.queries import account_list
from scbi.csv_export import neutralise
from scbi.extensions import db
from scbi.i18n import locale_of
from scbi.programme.queries import institution_by_acronym, sector_by_code
from scbi.validation import date_range_error

as_option = click.option(
    "--as",
    "as_email",
    metavar="EMAIL",
    help="The account whose view is shown (a coordinator sees their sectors' records); "
    "default: the secretariat account, when there is only one.",
)
csv_option = click.option(
    "--csv", "as_csv", is_flag=True, help="CSV for a spreadsheet: codes and ISO dates."
)


def reader(email: str | None, roles: Iterable[Role]) -> User:
    """The account a reading command acts as: the active account with e-mail ``email``,
    or without one the only active secretariat account. Refused, naming ``--as``, when
    there is no such account, several secretariat accounts, or one holding none of
    ``roles`` (those of the pages the command mirrors)."""
    if email:
        user = db.session.scalar(
            select(User).where(User.email == email.strip().lower(), User.active.is_(True))
        )
        if user is None:
            raise click.BadParameter(
                _("No active account has the e-mail %(email)s.", email=email),
                param_hint="'--as'",
            )
    else:
        found = db.session.scalars(
            account_list(role=Role.SECRETARIAT, state="active").limit(2)
        ).all()
        if len(found) != 1:
            raise click.UsageError(
                _("Several secretariat accounts are active: name the one to read as with --as.")
                if found
                else _("No secretariat account is active: name the account to read as with --as.")
            )
        user = found[0]
    if not user.has_role(*roles):
        raise click.BadParameter(
            _("The account %(email)s may not read these records.", email=user.email),
            param_hint="'--as'",
        )
    return user


@contextmanager
def in_language_of(user: User):
    """What the command prints, in the acting account's language (as their pages are)."""
    with force_locale(locale_of(user.language)):
        yield


class Day(click.ParamType):
    """A ``YYYY-MM-DD`` option inside the programme's calendar."""

    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx) -> date:
        if isinstance(value, date):
            return value
        try:
            found = date.fromisoformat(value)
        except ValueError:
            self.fail(_("Use the format YYYY-MM-DD."), param, ctx)
        if problem := date_range_error(found):
            self.fail(problem, param, ctx)
        return found


def sector_id(code: str, option: str = "--sector") -> int:
    """The id of the sector with code ``code`` (any case); refused naming ``option``. (Read
    in the command, not as the option is parsed: the database needs the app context.)"""
    sector = sector_by_code(code)
    if sector is None:
        raise click.BadParameter(
            _("No sector has the code %(code)s.", code=code), param_hint=f"'{option}'"
        )
    return sector.id


def institution_id(acronym: str, option: str = "--institution") -> int:
    """The id of the institution with acronym ``acronym`` (any case); refused naming
    ``option``."""
    institution = institution_by_acronym(acronym)
    if institution is None:
        raise click.BadParameter(
            _("No institution has the acronym %(acronym)s.", acronym=acronym),
            param_hint=f"'{option}'",
        )
    return institution.id


def refuse_backwards(start: date | None, end: date | None) -> None:
    """Refuse, naming ``--to``, a period that ends before it starts."""
    if start and end and end < start:
        raise click.BadParameter(_("The end must not be before the start."), param_hint="'--to'")


def day(value: date | None) -> str:
    return format_date(value) if value else ""


def span(start: date | None, end: date | None) -> str:
    """``start – end`` in the reader's words, one day once."""
    if start is None:
        return "—"
    return day(start) if end in (None, start) else f"{day(start)} – {day(end)}"


def clip(text: str | None, width: int = 40) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis."""
    line = " ".join((text or "").split())
    return line if len(line) <= width else line[: width - 1] + "…"


def echo_table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, empty: str) -> None:
    """``rows`` under ``headers`` in aligned columns, or ``empty`` when there are none."""
    if not rows:
        click.echo(empty)
        return
    widths = [max(len(row[i]) for row in (headers, *rows)) for i in range(len(headers))]
    for row in (headers, ["-" * w for w in widths], *rows):
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


def echo_pairs(pairs: Iterable[tuple[str, str]]) -> None:
    """Label-and-value lines, the values aligned (a value over several lines indented);
    a pair with an empty value is left out."""
    shown = [(label, value) for label, value in pairs if value]
    width = max((len(label) for label, _value in shown), default=0)
    for label, value in shown:
        first, *more = value.splitlines() or [""]
        click.echo(f"{label.ljust(width)}  {first}".rstrip())
        for line in more:
            click.echo(f"{'':{width}}  {line}".rstrip())


def echo_heading(text: str) -> None:
    click.echo()
    click.echo(text)


def echo_csv(header: Sequence[str], rows: Iterable[Sequence]) -> None:
    """``header`` then ``rows`` as CSV, each cell neutralised against spreadsheet
    formulas (dates as ISO text, None as an empty cell)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
        click.echo(buffer.getvalue(), nl=False)
        buffer.seek(0)
        buffer.truncate()
    click.echo(buffer.getvalue(), nl=False)
