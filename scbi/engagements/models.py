"""Short engagements: the request, its objectives and counterpart team, the check-ins and
the close-out (docs/engagements.md).

One row per engagement holds the request, the practitioner and span, and the close-out
(the outcomes are on the objectives); its states are :class:`EngagementStatus`. The
objectives and the team are the engagement's content, edited as a whole under its version.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _p
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scbi import limits
from scbi.database import (
    Base,
    EnumText,
    IdMixin,
    TimestampMixin,
    VersionMixin,
    enum_check,
    utcnow,
)
from scbi.enums import Labelled


class EngagementStatus(Labelled):
    """requested → brokered (practitioner and span set) → active (started) → closed; a
    request not taken up is declined (by the secretariat) or withdrawn (by the
    institution) before it starts."""

    REQUESTED = "requested", _p("engagement status", "requested"), "warning"
    BROKERED = "brokered", _p("engagement status", "brokered"), "primary"
    ACTIVE = "active", _p("engagement status", "active"), "success"
    CLOSED = "closed", _p("engagement status", "closed"), "secondary"
    DECLINED = "declined", _p("engagement status", "declined"), "light"
    WITHDRAWN = "withdrawn", _p("engagement status", "withdrawn"), "light"


OPEN_STATUSES = (EngagementStatus.REQUESTED, EngagementStatus.BROKERED, EngagementStatus.ACTIVE)
NOT_STARTED = (EngagementStatus.REQUESTED, EngagementStatus.BROKERED)


class ObjectiveOutcome(Labelled):
    """The close-out's judgement of one objective: did the problem move?"""

    ACHIEVED = (
        "achieved",
        _p("objective outcome", "Achieved"),
        "success",
        _p("objective outcome", "achieved"),
    )
    PARTLY = (
        "partly",
        _p("objective outcome", "Partly achieved"),
        "warning",
        _p("objective outcome", "partly achieved"),
    )
    NOT = (
        "not",
        _p("objective outcome", "Not achieved"),
        "secondary",
        _p("objective outcome", "not achieved"),
    )


class CheckInProgress(Labelled):
    """A check-in's optional word on one objective."""

    ON_TRACK = "on_track", _l("On track"), "success", _l("on track")
    AT_RISK = "at_risk", _l("At risk"), "warning", _l("at risk")
    STALLED = "stalled", _l("Stalled"), "secondary", _l("stalled")


class PractitionerKind(Labelled):
    """Who is brokered: a coach of the programme or an external expert (no account)."""

    COACH = "coach", _l("A coach of the programme"), "secondary", _l("a coach")
    EXPERT = "expert", _l("An external expert"), "secondary", _l("an external expert")


# A short engagement lasts weeks, not years: from one week to half a year.
MIN_WEEKS, MAX_WEEKS = 1, 26
MAX_OBJECTIVES = 10
MAX_MEMBERS = 20

# Field limits (scbi.limits), read by the forms, the API schemas and the services.
ENGAGEMENT = {
    "problem": limits.Text(5000, required=True),
    "hoped_result": limits.Text(2000, required=True),
    "requested_by_name": limits.Text(200, required=True),
    "requested_by_role": limits.Text(200),
    "expert_name": limits.Text(200, required=True),
    "expert_organisation": limits.Text(200, required=True),
    "expert_country": limits.Text(80, required=True),
    "expert_email": limits.Text(254, required=True),
    "weeks": limits.Number(MIN_WEEKS, MAX_WEEKS),
    "team_can_now": limits.Text(4000, required=True),
    "longer_pairing_note": limits.Text(2000),
    "end_reason": limits.Text(2000, required=True),
}
OBJECTIVE = {"text": limits.Text(500, required=True), "outcome_note": limits.Text(2000)}
MEMBER = {"name": limits.Text(200, required=True), "position": limits.Text(200, required=True)}
CHECK_IN = {"note": limits.Text(4000, required=True)}


class Engagement(IdMixin, TimestampMixin, VersionMixin, Base):
    """A partner institution's request and, once brokered, the short engagement that
    answers it. The span runs from ``start_date`` for ``weeks`` weeks: ``end_date`` is its
    last day (start + 7 × weeks − 1), kept beside them for the queue of close-outs due."""

    __tablename__ = "engagement"
    __table_args__ = (
        enum_check("status", EngagementStatus),
        CheckConstraint(
            f"weeks IS NULL OR weeks BETWEEN {MIN_WEEKS} AND {MAX_WEEKS}", name="weeks_in_span"
        ),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="ends_after_start"),
        CheckConstraint("coach_id IS NULL OR expert_name = ''", name="one_practitioner"),
        Index("ix_engagement_status_end_date", "status", "end_date"),
    )

    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"), index=True)
    sector_id: Mapped[int] = mapped_column(ForeignKey("sector.id"), index=True)
    status: Mapped[EngagementStatus] = mapped_column(
        EnumText(EngagementStatus, 16), default=EngagementStatus.REQUESTED
    )
    # The request
    received_on: Mapped[date]
    requested_by_name: Mapped[str] = mapped_column(
        String(ENGAGEMENT["requested_by_name"].max_length)
    )
    requested_by_role: Mapped[str] = mapped_column(
        String(ENGAGEMENT["requested_by_role"].max_length), default=""
    )
    problem: Mapped[str] = mapped_column(Text)
    hoped_result: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    # The practitioner: a coach of the programme, or an external expert
    coach_id: Mapped[int | None] = mapped_column(ForeignKey("coach.id"), index=True)
    expert_name: Mapped[str] = mapped_column(
        String(ENGAGEMENT["expert_name"].max_length), default=""
    )
    expert_organisation: Mapped[str] = mapped_column(
        String(ENGAGEMENT["expert_organisation"].max_length), default=""
    )
    expert_country: Mapped[str] = mapped_column(
        String(ENGAGEMENT["expert_country"].max_length), default=""
    )
    expert_email: Mapped[str] = mapped_column(
        String(ENGAGEMENT["expert_email"].max_length), default=""
    )
    # The span
    start_date: Mapped[date | None]
    weeks: Mapped[int | None] = mapped_column(Integer)
    end_date: Mapped[date | None]
    # The end: closed (with the close-out below), declined or withdrawn (with a reason)
    ended_on: Mapped[date | None]
    end_reason: Mapped[str] = mapped_column(Text, default="")
    team_can_now: Mapped[str] = mapped_column(Text, default="")
    longer_pairing: Mapped[bool | None] = mapped_column(Boolean)
    longer_pairing_note: Mapped[str] = mapped_column(Text, default="")

    institution: Mapped["Institution"] = relationship(lazy="joined")  # noqa: F821, UP037
    sector: Mapped["Sector"] = relationship(lazy="joined")  # noqa: F821, UP037
    coach: Mapped["Coach | None"] = relationship(lazy="joined")  # noqa: F821, UP037
    objectives: Mapped[list[EngagementObjective]] = relationship(
        back_populates="engagement",
        cascade="all, delete-orphan",
        order_by="EngagementObjective.number",
        lazy="selectin",
    )
    members: Mapped[list[EngagementMember]] = relationship(
        cascade="all, delete-orphan", order_by="EngagementMember.number", lazy="selectin"
    )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def close_out_due_on(self, day: date) -> bool:
        """Active, and its span ended before ``day``: the close-out is due."""
        return self.status == EngagementStatus.ACTIVE and self.end_date < day

    @property
    def practitioner_kind(self) -> PractitionerKind | None:
        if self.coach_id is not None:
            return PractitionerKind.COACH
        return PractitionerKind.EXPERT if self.expert_name else None

    @property
    def practitioner_name(self) -> str:
        return self.coach.full_name if self.coach is not None else self.expert_name


class EngagementObjective(IdMixin, Base):
    """One objective, numbered 1, 2 … in the engagement; the close-out gives its outcome."""

    __tablename__ = "engagement_objective"
    __table_args__ = (
        UniqueConstraint("engagement_id", "number"),
        enum_check("outcome", ObjectiveOutcome),
    )

    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagement.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    outcome: Mapped[ObjectiveOutcome | None] = mapped_column(EnumText(ObjectiveOutcome, 16))
    outcome_note: Mapped[str] = mapped_column(Text, default="")

    engagement: Mapped[Engagement] = relationship(back_populates="objectives")


class EngagementMember(IdMixin, Base):
    """A person of the counterpart team at the institution; a mentee of the programme
    among them reads the engagement."""

    __tablename__ = "engagement_member"

    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagement.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(MEMBER["name"].max_length))
    position: Mapped[str] = mapped_column(String(MEMBER["position"].max_length))
    mentee_id: Mapped[int | None] = mapped_column(ForeignKey("mentee.id"), index=True)

    mentee: Mapped["Mentee | None"] = relationship(lazy="joined")  # noqa: F821, UP037


class EngagementCheckIn(IdMixin, Base):
    """A dated check-in: what happened, and a word on each objective's progress. A record
    of a meeting, kept as written (a correction is a later check-in)."""

    __tablename__ = "engagement_check_in"

    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagement.id", ondelete="CASCADE"), index=True
    )
    held_on: Mapped[date]
    note: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    recorded_by: Mapped["User"] = relationship(lazy="joined")  # noqa: F821, UP037
    progress: Mapped[list[CheckInProgressFlag]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )


class CheckInProgressFlag(IdMixin, Base):
    """A check-in's word on one objective."""

    __tablename__ = "engagement_progress"
    __table_args__ = (
        UniqueConstraint("check_in_id", "objective_id"),
        enum_check("progress", CheckInProgress),
    )

    check_in_id: Mapped[int] = mapped_column(
        ForeignKey("engagement_check_in.id", ondelete="CASCADE"), index=True
    )
    objective_id: Mapped[int] = mapped_column(
        ForeignKey("engagement_objective.id", ondelete="CASCADE"), index=True
    )
    progress: Mapped[CheckInProgress] = mapped_column(EnumText(CheckInProgress, 16))
