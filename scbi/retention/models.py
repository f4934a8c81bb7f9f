"""The answers to the follow-ups after the programme (docs/retention.md).

Only the answers are stored. When a follow-up falls due is derived, every time, from the
mentee's exit date (scbi.retention.milestones), so no stored due date can drift from the
pairings and the status history it comes from.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scbi import limits
from scbi.database import Base, EnumText, IdMixin, TimestampMixin, VersionMixin, enum_check
from scbi.enums import Labelled

# The follow-ups, in months after the exit date.
MILESTONES = (6, 12, 24)
MILESTONE_KEYS = tuple(str(m) for m in MILESTONES)  # the reports' retention block's keys

# Field limits (scbi.limits), read by the form, the API schema and the service.
FOLLOW_UP = {
    "position": limits.Text(200),
    "note": limits.Text(2000),
}


class FollowUpSource(Labelled):
    """Who recorded an answer: the mentee, or the secretariat for them (a call, a visit)."""

    MENTEE = "mentee", _l("The mentee themself")
    SECRETARIAT = "secretariat", _l("The secretariat")


class FollowUpState(Labelled):
    """Where a follow-up stands on a day (derived, never stored)."""

    UPCOMING = "upcoming", _l("Not yet due"), "light"
    DUE = "due", _l("Due now"), "primary", _l("due")
    OVERDUE = "overdue", _l("Overdue, not answered in time"), "warning", _l("overdue")
    ANSWERED = "answered", _l("Answer recorded"), "success"
    MISSED = "missed", _l("Missed: the next follow-up is due"), "secondary", _l("missed")


class FollowUp(IdMixin, TimestampMixin, VersionMixin, Base):
    """One mentee's answer to one follow-up (6, 12 or 24 months after their exit)."""

    __tablename__ = "follow_up"
    __table_args__ = (
        UniqueConstraint("mentee_id", "months"),
        CheckConstraint("months IN (6, 12, 24)", name="months_known"),
        enum_check("recorded_as", FollowUpSource),
    )

    mentee_id: Mapped[int] = mapped_column(ForeignKey("mentee.id"))
    months: Mapped[int]
    answered_on: Mapped[date]
    in_public_service: Mapped[bool] = mapped_column(Boolean)
    # Asked only of those still in public service (None otherwise).
    same_institution: Mapped[bool | None] = mapped_column(Boolean)
    same_sector: Mapped[bool | None] = mapped_column(Boolean)
    promoted: Mapped[bool | None] = mapped_column(Boolean)
    position: Mapped[str] = mapped_column(String(FOLLOW_UP["position"].max_length), default="")
    # The cascade: now coaching or mentoring others.
    coaching_others: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    recorded_as: Mapped[FollowUpSource] = mapped_column(EnumText(FollowUpSource, 16))

    recorded_by: Mapped["User"] = relationship(lazy="joined")  # noqa: F821, UP037

    @property
    def retained(self) -> bool:
        """Retained means still in public service."""
        return self.in_public_service
