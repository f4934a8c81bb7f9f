"""The assessments CSV for managers: streamed and formula-safe (the list it writes is
scbi.competencies.queries.visible_assessments).

Two files of the same cells: the sector report's *Assessments (CSV)* is for people (its
columns named in the reader's language, yes or no, a role and a review by their labels);
the API's ``GET /assessments?format=csv`` is data for programs (API.md), its columns the
keys below and its values the stored codes (``True``/``False``)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased

from scbi.auth.models import User
from scbi.competencies.models import Assessment, AssessorRole, ReviewStatus, assessment_log
from scbi.competencies.queries import visible_assessments  # noqa: F401  (importable from here too)
from scbi.csv_export import bool_cell, csv_download, date_cell, label_cell, text_cell
from scbi.downloads import Download
from scbi.mentees.models import Mentee
from scbi.programme.models import Competency, Sector

# The API's file: its columns by key (programs read them; API.md).
HEADER = [
    "assessment_id",
    "mentee",
    "staff_number",
    "sector",
    "competency",
    "core",
    "level",
    "assessed_on",
    "assessor",
    "assessor_role",
    "validated",
    "note",
    "cited_logs",
    "review_status",
]


def people_header() -> list[str]:
    """The report page's file: the columns of :data:`HEADER` in the reader's language."""
    return [
        _("Assessment id"),
        _("Mentee"),
        _("Staff number"),
        _("Sector"),
        _("Competency"),
        _("Core competency"),
        _("Level"),
        _("Assessed on"),
        _("Assessed by"),
        _("Assessor's role"),
        _("Validated"),
        _("Note"),
        _("Logs cited"),
        _("Review"),
    ]


def assessment_cells(query: Select, *, labelled: bool = False) -> Select:
    """The CSV cells of ``query``'s assessments (see :mod:`scbi.csv_export`); with
    ``labelled``, yes or no and the assessor's role and the review by their labels in the
    current language (else ``True``/``False`` and the stored codes)."""
    mentee_user, assessor = aliased(User), aliased(User)
    words = {"yes": _("yes"), "no": _("no")} if labelled else {}

    def coded(column, enum):
        return label_cell(column, enum) if labelled else column

    ids = query.with_only_columns(Assessment.id).order_by(None).subquery()
    cited = (
        select(func.count())
        .select_from(assessment_log)
        .where(assessment_log.c.assessment_id == Assessment.id)
        .correlate(Assessment)
        .scalar_subquery()
    )
    return (
        select(
            Assessment.id,
            text_cell(mentee_user.full_name),
            text_cell(Mentee.staff_number),
            text_cell(Sector.code),
            text_cell(Competency.idnumber),
            bool_cell(Competency.core, **words),
            Assessment.level,
            date_cell(Assessment.assessed_on),
            text_cell(assessor.full_name),
            coded(Assessment.assessor_role, AssessorRole),
            bool_cell(Assessment.assessor_role != AssessorRole.SELF, **words),
            text_cell(Assessment.note),
            cited,
            coded(Assessment.review_status, ReviewStatus),
        )
        .join(Mentee, Mentee.id == Assessment.mentee_id)
        .join(mentee_user, mentee_user.id == Mentee.user_id)
        .join(Sector, Sector.id == Mentee.sector_id)
        .join(Competency, Competency.id == Assessment.competency_id)
        .join(assessor, assessor.id == Assessment.assessor_id)
        .where(Assessment.id.in_(select(ids.c.id)))
        .order_by(Assessment.assessed_on.desc(), Assessment.id.desc())
    )


def assessments_csv(query: Select, *, codes: bool = False) -> Download:
    """``query``'s assessments as a streamed CSV file (the rows are read as it is sent):
    for people, in the reader's language; with ``codes``, the API's (keys, stored codes)."""
    if codes:
        return csv_download(HEADER, assessment_cells(query), "scbi-assessments.csv")
    return csv_download(
        people_header(), assessment_cells(query, labelled=True), "scbi-assessments.csv"
    )
