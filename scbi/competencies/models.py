"""Assessments: levels on the 0–4 scale, by the mentee (self) or a validator, citing the
transfer logs that show the skill."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    Table,
    Text,
    func,
    select,
)
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from scbi import limits
from scbi.database import Base, EnumText, IdMixin, TimestampMixin, VersionMixin, enum_check
from scbi.enums import Labelled


class AssessorRole(Labelled):
    SELF = "self", _l("self")
    COACH = "coach", _l("coach")
    COORDINATOR = "coordinator", _l("coordinator")
    SECRETARIAT = "secretariat", _l("secretariat")


class ReviewStatus(Labelled):
    NONE = "none", _l("no review asked"), "light"
    WAITING = "waiting_for_review", _l("waiting for review"), "warning"
    IN_REVIEW = "in_review", _l("in review"), "primary"
    RESOLVED = "resolved", _l("resolved"), "success"


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
        # the self-assessments waiting for a review (few, asked on every manager's home)
        Index("ix_assessment_review_status", "review_status", "mentee_id"),
    )
    __unversioned__ = frozenset()

    mentee_id: Mapped[int] = mapped_column(ForeignKey("mentee.id"))
    competency_id: Mapped[int] = mapped_column(ForeignKey("competency.id"), index=True)
    assessor_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    assessor_role: Mapped[AssessorRole] = mapped_column(EnumText(AssessorRole, 16))
    level: Mapped[int] = mapped_column(Integer)
    assessed_on: Mapped[date]
    note: Mapped[str] = mapped_column(Text, default="")
    review_status: Mapped[ReviewStatus] = mapped_column(
        EnumText(ReviewStatus, 20), default=ReviewStatus.NONE
    )
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("assessment.id"))

    mentee: Mapped["Mentee"] = relationship()  # noqa: F821, UP037
    competency: Mapped["Competency"] = relationship(lazy="joined")  # noqa: F821, UP037
    assessor: Mapped["User"] = relationship(foreign_keys=[assessor_id], lazy="joined")  # noqa: F821, UP037
    logs: Mapped[list["TransferLog"]] = relationship(secondary=assessment_log)  # noqa: F821, UP037

    @property
    def validated(self) -> bool:
        return self.assessor_role != AssessorRole.SELF


# How many logs an assessment cites, when a list needs the number only (read when undeferred).
Assessment.cited_logs = column_property(
    select(func.count()).where(assessment_log.c.assessment_id == Assessment.id).scalar_subquery(),
    deferred=True,
)


class LevelChange(Base):
    """A day a mentee's current level on a competency changes (scbi.competencies.levels's
    rule): derived from the validated assessments and the approved plans' baselines, kept
    in the same transaction as each of them, and rebuildable
    (scbi.competencies.level_changes). The critical mass replays these, not the history.

    ``kind`` 0 is a plan's baseline (``ident`` the plan, ``at`` its approval), 1 an
    assessment (``ident`` the assessment); on a day, baselines come before assessments."""

    __tablename__ = "level_change"
    __table_args__ = (
        Index("ix_level_change_day", "day"),
        # a pair's level on a day: one probe, read from the index alone
        Index(
            "ix_level_change_pair_order",
            "mentee_id",
            "competency_id",
            "day",
            "kind",
            "at",
            "ident",
            "level",
        ),
    )

    mentee_id: Mapped[int] = mapped_column(ForeignKey("mentee.id"), primary_key=True)
    competency_id: Mapped[int] = mapped_column(ForeignKey("competency.id"), primary_key=True)
    kind: Mapped[int] = mapped_column(Integer, primary_key=True)
    ident: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date]
    at: Mapped[datetime | None]
    level: Mapped[int] = mapped_column(Integer)
