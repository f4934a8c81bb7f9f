"""Assessments: levels on the 0–4 scale, by the mentee (self) or a validator, citing the
transfer logs that show the skill."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scbi import limits
from scbi.database import Base, IdMixin, TimestampMixin, VersionMixin, enum_check


class AssessorRole(StrEnum):
    SELF = "self"
    COACH = "coach"
    COORDINATOR = "coordinator"
    SECRETARIAT = "secretariat"


class ReviewStatus(StrEnum):
    NONE = "none"
    WAITING = "waiting_for_review"
    IN_REVIEW = "in_review"
    RESOLVED = "resolved"


assessment_log = Table(
    "assessment_log",
    Base.metadata,
    Column("assessment_id", ForeignKey("assessment.id", ondelete="CASCADE"), primary_key=True),
    Column("log_id", ForeignKey("transfer_log.id"), primary_key=True, index=True),
)


# Field limits (scbi.limits), read by the form, the API schema and the service.
ASSESSMENT = {"level": limits.Number(0, 4), "note": limits.Text(4000)}


class Assessment(IdMixin, TimestampMixin, VersionMixin, Base):
    """A level on the 0–4 scale, by the mentee (self) or a validator; never edited: a
    correction is a new assessment. Only a self-assessment's review request moves on."""

    __tablename__ = "assessment"
    __table_args__ = (
        enum_check("assessor_role", AssessorRole),
        enum_check("review_status", ReviewStatus),
        CheckConstraint("level BETWEEN 0 AND 4", name="level_on_scale"),
        Index("ix_assessment_mentee_competency_date", "mentee_id", "competency_id", "assessed_on"),
    )
    __unversioned__ = frozenset()

    mentee_id: Mapped[int] = mapped_column(ForeignKey("mentee.id"))
    competency_id: Mapped[int] = mapped_column(ForeignKey("competency.id"), index=True)
    assessor_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    assessor_role: Mapped[str] = mapped_column(String(16))
    level: Mapped[int] = mapped_column(Integer)
    assessed_on: Mapped[date]
    note: Mapped[str] = mapped_column(Text, default="")
    review_status: Mapped[str] = mapped_column(String(20), default=ReviewStatus.NONE.value)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("assessment.id"))

    mentee: Mapped["Mentee"] = relationship()  # noqa: F821, UP037
    competency: Mapped["Competency"] = relationship(lazy="joined")  # noqa: F821, UP037
    assessor: Mapped["User"] = relationship(foreign_keys=[assessor_id], lazy="joined")  # noqa: F821, UP037
    logs: Mapped[list["TransferLog"]] = relationship(secondary=assessment_log)  # noqa: F821, UP037

    @property
    def validated(self) -> bool:
        return self.assessor_role != AssessorRole.SELF.value
