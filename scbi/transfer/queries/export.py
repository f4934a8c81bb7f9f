"""The streamed, formula-safe CSV of logs (the logs themselves are read by
``scbi.transfer.queries``: ``visible_logs``, ``filtered_logs``).

Two files of the same cells: the log list's *Download CSV* is for people (its columns
named in the reader's language, an activity, a part and a status by their labels); the
API's ``GET /logs?format=csv`` is data for programs (API.md), its columns the keys below
and its values the stored codes."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased

from scbi.auth.models import User
from scbi.coaches.models import Coach
from scbi.csv_export import (
    csv_download,
    date_cell,
    hours_cell,
    label_cell,
    text_cell,
    timestamp_cell,
)
from scbi.downloads import Download
from scbi.mentees.models import Mentee
from scbi.programme.models import Competency, Sector
from scbi.transfer.models import (
    ActivityType,
    Evidence,
    LogStatus,
    MenteeRole,
    Pairing,
    TransferLog,
    log_competency,
)

# The API's file: its columns by key (programs read them; API.md).
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


def people_header() -> list[str]:
    """The log list's file: the columns of :data:`HEADER` named in the reader's language,
    as the log's page names its fields."""
    return [
        _("Log id"),
        _("Pairing id"),
        _("Sector"),
        _("Coach"),
        _("Mentee"),
        _("Date"),
        _("Activity"),
        _("Hours"),
        _("Mentee's part"),
        _("Title"),
        _("Details"),
        _("Competencies"),
        _("Off-plan because"),
        _("Status"),
        _("Submitted (UTC)"),
        _("Mentee's comment"),
        _("Verified (UTC)"),
        _("Evidence items"),
    ]


def log_cells(query: Select, *, labelled: bool = False) -> Select:
    """The CSV cells of ``query``'s logs (see :mod:`scbi.csv_export`), newest first; with
    ``labelled``, the activity, the mentee's part and the status by their labels in the
    current language (else their stored codes)."""
    coach_user, mentee_user = aliased(User), aliased(User)

    def coded(column, enum):
        return label_cell(column, enum) if labelled else column

    ids = query.with_only_columns(TransferLog.id).order_by(None).subquery()
    competencies = (
        select(func.aggregate_strings(text_cell(Competency.idnumber), " | "))
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
    return (
        select(
            TransferLog.id,
            TransferLog.pairing_id,
            text_cell(Sector.code),
            text_cell(coach_user.full_name),
            text_cell(mentee_user.full_name),
            date_cell(TransferLog.activity_date),
            coded(TransferLog.activity_type, ActivityType),
            hours_cell(TransferLog.minutes),
            coded(TransferLog.mentee_role, MenteeRole),
            text_cell(TransferLog.title),
            text_cell(TransferLog.description),
            competencies,  # each idnumber neutralised inside the aggregate
            text_cell(TransferLog.off_plan_reason),
            coded(TransferLog.status, LogStatus),
            timestamp_cell(TransferLog.submitted_at),
            text_cell(TransferLog.mentee_comment),
            timestamp_cell(TransferLog.verified_at),
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
    )


def logs_csv(
    query: Select, filename: str = "scbi-transfer-logs.csv", *, codes: bool = False
) -> Download:
    """``query``'s logs as a streamed CSV file (the rows are read as it is sent): for
    people, in the reader's language; with ``codes``, the API's (keys and stored codes)."""
    if codes:
        return csv_download(HEADER, log_cells(query), filename)
    return csv_download(people_header(), log_cells(query, labelled=True), filename)
