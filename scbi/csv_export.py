"""Streamed, formula-safe CSV downloads, with every cell made in SQL.

An export's SELECT returns each cell as the text (or whole number) that goes into the
file: text neutralised against spreadsheet formulas (OWASP "CSV injection"), dates and
UTC timestamps in ISO 8601, hours without trailing zeros, booleans as ``True``/``False``.
Python then only hands batches of rows to the csv module, which writes them in C: the
export costs little more than its SELECT, and memory stays flat whatever the row count
(rows are read 1,000 at a time and sent on 500 lines at a time).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator

from sqlalchemy import Select, String, case, func, literal

from scbi.downloads import Download
from scbi.enums import Labelled
from scbi.extensions import db
from scbi.sql import portable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BATCH = 500


def neutralise(value) -> str:
    """A cell a spreadsheet will not run as a formula (for cells made in Python: XLSX)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def text_cell(column):
    """``column`` with a leading apostrophe when a spreadsheet would read it as a formula."""
    return case(
        (func.substr(column, 1, 1).in_(FORMULA_START), literal("'", String) + column),
        else_=column,
    )


def bool_cell(condition, yes: str = "True", no: str = "False"):
    """``yes`` or ``no``: ``True``/``False`` in a file programs read; a file for people
    passes its words (``_("yes")``)."""
    return case((condition, literal(yes, String)), else_=literal(no, String))


def label_cell(column, enum: type[Labelled]):
    """``column``'s stored value as its label in the current language, for a file people
    read: a CASE over the enum's few values, so the cell is still made in SQL."""
    return case(
        {member.value: literal(neutralise(member.label), String) for member in enum},
        value=column,
        else_=literal("", String),
    )


# A date as YYYY-MM-DD, whatever PostgreSQL's DateStyle (SQLite stores it so already).
date_cell = portable("date_cell", String(), sqlite="{0}", postgresql="to_char({0}, 'YYYY-MM-DD')")
# A UTC timestamp as YYYY-MM-DDTHH:MM:SSZ.
timestamp_cell = portable(
    "timestamp_cell",
    String(),
    sqlite="strftime('%Y-%m-%dT%H:%M:%SZ', {0})",
    postgresql="""to_char({0} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')""",
)
# Minutes as hours, rounded to hundredths so that both databases write the same text:
# 90 → 1.5, 120 → 2, 20 → 0.33.
hours_cell = portable(
    "hours_cell",
    String(),
    sqlite="printf('%g', round({0} / 60.0, 2))",
    postgresql="CAST(trim_scale(round({0} / 60.0, 2)) AS TEXT)",
)


def csv_lines(header: list[str], cells: Select, row: Callable | None = None) -> Iterator[str]:
    """The file in pieces: a byte-order mark (spreadsheets then read UTF-8), the header,
    then ``cells``' rows, each made by ``row(*cells)`` when the database cannot write it
    (``row`` returns the row's cells). ``cells`` runs when the first piece is asked for."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield "\ufeff"
    writer.writerow(header)
    # Core execution: no ORM objects, and the cells need no conversion on the way out
    result = db.session.connection().execute(cells.execution_options(yield_per=1000))
    for rows in result.partitions(BATCH):
        writer.writerows(rows if row is None else (row(*cells) for cells in rows))
        yield flush()
    yield flush()


def csv_download(header: list[str], cells: Select, filename: str) -> Download:
    """The CSV file ``filename`` of ``cells``' rows, still to be made: its lines come from
    :func:`csv_lines` as the response is sent (see :func:`scbi.downloads.send_download`)."""
    return Download(filename, "text/csv", csv_lines(header, cells))
