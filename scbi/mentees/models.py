"""Mentee profiles and their dated status history."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scbi.database import Base, IdMixin, TimestampMixin, VersionMixin, enum_check


class Gender(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNDISCLOSED = "undisclosed"


class MenteeStatus(StrEnum):
    ACTIVE = "active"
    GRADUATED = "graduated"
    WITHDRAWN = "withdrawn"
    LEFT_PUBLIC_SERVICE = "left_public_service"


# A mentee with one of these statuses has left the programme: no more logs count for them.
LEFT_STATUSES = (MenteeStatus.WITHDRAWN, MenteeStatus.LEFT_PUBLIC_SERVICE)
# A change to one of these ends the mentee's open pairings on its date.
EXIT_STATUSES = (MenteeStatus.GRADUATED, *LEFT_STATUSES)


class Mentee(IdMixin, TimestampMixin, VersionMixin, Base):
    __tablename__ = "mentee"
    __table_args__ = (enum_check("gender", Gender), enum_check("status", MenteeStatus))

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), unique=True)
    staff_number: Mapped[str] = mapped_column(String(40), unique=True)
    gender: Mapped[str] = mapped_column(String(16))
    position: Mapped[str] = mapped_column(String(200))
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"), index=True)
    sector_id: Mapped[int] = mapped_column(ForeignKey("sector.id"), index=True)
    phase_id: Mapped[int | None] = mapped_column(ForeignKey("phase.id"), index=True)
    joined_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(24), default=MenteeStatus.ACTIVE.value)
    status_changed_on: Mapped[date]

    user: Mapped["User"] = relationship(lazy="joined")  # noqa: F821, UP037
    institution: Mapped["Institution"] = relationship(lazy="joined")  # noqa: F821, UP037
    sector: Mapped["Sector"] = relationship(lazy="joined")  # noqa: F821, UP037
    phase: Mapped["Phase | None"] = relationship(lazy="joined")  # noqa: F821, UP037
    history: Mapped[list[MenteeStatusChange]] = relationship(
        back_populates="mentee",
        order_by="MenteeStatusChange.id.desc()",
        cascade="all, delete-orphan",
    )

    @property
    def full_name(self) -> str:
        return self.user.full_name

    @property
    def has_left(self) -> bool:
        """Withdrawn or left the public service: they keep read access, nothing more."""
        return self.status in LEFT_STATUSES


# Staff numbers are unique ignoring case; the index also answers the check before an insert.
Index("uq_mentee_staff_number_lower", func.lower(Mentee.staff_number), unique=True)


class MenteeStatusChange(IdMixin, Base):
    """The mentee's status from a date on (critical mass counts by these dates)."""

    __tablename__ = "mentee_status_change"
    __table_args__ = (enum_check("status", MenteeStatus),)

    mentee_id: Mapped[int] = mapped_column(ForeignKey("mentee.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(24))
    status_on: Mapped[date]
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime]

    mentee: Mapped[Mentee] = relationship(back_populates="history")
    recorded_by: Mapped["User | None"] = relationship(lazy="joined")  # noqa: F821, UP037


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

    mentee: Mapped[Mentee] = relationship()
    competency: Mapped["Competency"] = relationship(lazy="joined")  # noqa: F821, UP037
    assessor: Mapped["User"] = relationship(foreign_keys=[assessor_id], lazy="joined")  # noqa: F821, UP037
    logs: Mapped[list["TransferLog"]] = relationship(secondary=assessment_log)  # noqa: F821, UP037

    @property
    def validated(self) -> bool:
        return self.assessor_role != AssessorRole.SELF.value
