"""Log reads that scale: scoped queries, filters, and the streamed, formula-safe CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date

from flask import Response, stream_with_context
from flask_babel import gettext as _
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import aliased

from scbi.auth.models import User
from scbi.auth.permissions import scope_pairings
from scbi.coaches.models import Coach
from scbi.errors import ValidationFailed
from scbi.extensions import db
from scbi.mentees.models import Mentee
from scbi.programme.models import Competency, Sector
from scbi.transfer.models import Evidence, Pairing, TransferLog, log_competency

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FORMULA_FIRST = frozenset(FORMULA_START)


def visible_logs(user: User) -> Select:
    """Logs of the pairings ``user`` sees; drafts only to their author."""
    pairings = scope_pairings(select(Pairing.id), user)
    return select(TransferLog).where(
        TransferLog.pairing_id.in_(pairings),
        or_(TransferLog.status != "draft", TransferLog.author_id == user.id),
    )


def filtered_logs(user: User, args) -> Select:
    """``visible_logs`` narrowed by the list filters of API.md (422 on a bad value)."""
    query = visible_logs(user)
    fields: dict[str, list[str]] = {}
    for name, column in (
        ("sector_id", Pairing.sector_id),
        ("coach_id", Pairing.coach_id),
        ("mentee_id", Pairing.mentee_id),
        ("pairing_id", Pairing.id),
    ):
        raw = args.get(name)
        if raw:
            if not raw.isdecimal():
                fields[name] = [_("Must be a whole number.")]
                continue
            query = query.where(
                TransferLog.pairing_id.in_(select(Pairing.id).where(column == int(raw)))
            )
    if status := args.get("status"):
        query = query.where(TransferLog.status == status)
    for name, op in (("from", "__ge__"), ("to", "__le__")):
        if raw := args.get(name):
            try:
                query = query.where(getattr(TransferLog.activity_date, op)(date.fromisoformat(raw)))
            except ValueError:
                fields[name] = [_("Use the format YYYY-MM-DD.")]
    if fields:
        raise ValidationFailed(fields=fields)
    return query.order_by(TransferLog.activity_date.desc(), TransferLog.id.desc())


def neutralise(value) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


HEADER = [
    "log_id",
    "pairing_id",
    "sector",
    "coach",
    "mentee",
    "activity_date",
    "activity_type",
    "hours",
    "mentee_role",
    "title",
    "description",
    "competencies",
    "off_plan_reason",
    "status",
    "submitted_at",
    "mentee_comment",
    "verified_at",
    "evidence_items",
]


def _rows(query: Select) -> Iterator[tuple]:
    """Plain columns (no ORM objects) read in batches: memory stays flat."""
    coach_user, mentee_user = aliased(User), aliased(User)
    ids = query.with_only_columns(TransferLog.id).order_by(None).subquery()
    competencies = (
        select(func.aggregate_strings(Competency.idnumber, " | "))
        .join(log_competency, log_competency.c.competency_id == Competency.id)
        .where(log_competency.c.log_id == TransferLog.id)
        .correlate(TransferLog)
        .scalar_subquery()
    )
    evidence = (
        select(func.count(Evidence.id))
        .where(Evidence.log_id == TransferLog.id)
        .correlate(TransferLog)
        .scalar_subquery()
    )
    columns = (
        select(
            TransferLog.id,
            TransferLog.pairing_id,
            Sector.code,
            coach_user.full_name,
            mentee_user.full_name,
            TransferLog.activity_date,
            TransferLog.activity_type,
            TransferLog.minutes,
            TransferLog.mentee_role,
            TransferLog.title,
            TransferLog.description,
            competencies,
            TransferLog.off_plan_reason,
            TransferLog.status,
            TransferLog.submitted_at,
            TransferLog.mentee_comment,
            TransferLog.verified_at,
            evidence,
        )
        .join(Pairing, Pairing.id == TransferLog.pairing_id)
        .join(Sector, Sector.id == Pairing.sector_id)
        .join(Coach, Coach.id == Pairing.coach_id)
        .join(coach_user, coach_user.id == Coach.user_id)
        .join(Mentee, Mentee.id == Pairing.mentee_id)
        .join(mentee_user, mentee_user.id == Mentee.user_id)
        .where(TransferLog.id.in_(select(ids.c.id)))
        .order_by(TransferLog.activity_date.desc(), TransferLog.id.desc())
        .execution_options(yield_per=1000)
    )
    # Core execution (no ORM result layer): this loop runs once per exported log
    for row in db.session.connection().execute(columns):
        row = list(row)
        row[7] = f"{row[7] / 60:g}"
        yield row


def _cell(value):
    """A CSV cell that is not text (text is neutralised inline, being most cells): dates
    in ISO form, None empty, numbers as they are — deliberately not prefixed, even when
    negative: a number cell cannot hold a formula (no export writes negative numbers)."""
    if value is None:
        return ""
    if value.__class__ in (int, float):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return neutralise(value)


def csv_lines(header: list[str], rows: Iterable) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield "\ufeff"  # so spreadsheet programs read UTF-8
    writer.writerow(header)
    for n, row in enumerate(rows, start=1):
        writer.writerow(
            [
                ("'" + v if v[:1] in FORMULA_FIRST else v) if v.__class__ is str else _cell(v)
                for v in row
            ]
        )
        if n % 500 == 0:
            yield flush()
    yield flush()


def logs_csv_response(query: Select, filename: str = "scbi-transfer-logs.csv") -> Response:
    response = Response(stream_with_context(csv_lines(HEADER, _rows(query))), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
