"""The assessments CSV for managers: streamed and formula-safe (the list it writes is
scbi.competencies.queries.visible_assessments)."""

from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased

from scbi.auth.models import User
from scbi.competencies.models import Assessment, AssessorRole, assessment_log
from scbi.competencies.queries import visible_assessments  # noqa: F401  (importable from here too)
from scbi.csv_export import bool_cell, csv_download, date_cell, text_cell
from scbi.downloads import Download
from scbi.mentees.models import Mentee
from scbi.programme.models import Competency, Sector

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


def assessment_cells(query: Select) -> Select:
    """The CSV cells of ``query``'s assessments (see :mod:`scbi.csv_export`)."""
    mentee_user, assessor = aliased(User), aliased(User)
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
            bool_cell(Competency.core),
            Assessment.level,
            date_cell(Assessment.assessed_on),
            text_cell(assessor.full_name),
            Assessment.assessor_role,
            bool_cell(Assessment.assessor_role != AssessorRole.SELF),
            text_cell(Assessment.note),
            cited,
            Assessment.review_status,
        )
        .join(Mentee, Mentee.id == Assessment.mentee_id)
        .join(mentee_user, mentee_user.id == Mentee.user_id)
        .join(Sector, Sector.id == Mentee.sector_id)
        .join(Competency, Competency.id == Assessment.competency_id)
        .join(assessor, assessor.id == Assessment.assessor_id)
        .where(Assessment.id.in_(select(ids.c.id)))
        .order_by(Assessment.assessed_on.desc(), Assessment.id.desc())
    )


def assessments_csv(query: Select) -> Download:
    """``query``'s assessments as a streamed CSV file (the rows are read as it is sent)."""
    return csv_download(HEADER, assessment_cells(query), "scbi-assessments.csv")
