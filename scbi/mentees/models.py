"""Mentee profiles and their dated status history."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    ForeignKey,
    Index,
    String,
    Text,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scbi import limits
from scbi.database import Base, EnumText, IdMixin, TimestampMixin, VersionMixin, enum_check
from scbi.enums import Labelled


class Gender(Labelled):
    FEMALE = "female", _l("Female"), "secondary", _l("female")
    MALE = "male", _l("Male"), "secondary", _l("male")
    OTHER = "other", _l("Other"), "secondary", _l("other")
    UNDISCLOSED = "undisclosed", _l("Prefers not to say"), "secondary", _l("prefers not to say")


class MenteeStatus(Labelled):
    ACTIVE = "active", _l("Active"), "success", _l("active")
    GRADUATED = "graduated", _l("Graduated"), "secondary", _l("graduated")
    WITHDRAWN = "withdrawn", _l("Withdrawn"), "secondary", _l("withdrawn")
    LEFT_PUBLIC_SERVICE = (
        "left_public_service",
        _l("Left the public service"),
        "secondary",
        _l("left the public service"),
    )


# A mentee with one of these statuses has left the programme: no more logs count for them.
LEFT_STATUSES = (MenteeStatus.WITHDRAWN, MenteeStatus.LEFT_PUBLIC_SERVICE)
# A change to one of these ends the mentee's open pairings on its date.
EXIT_STATUSES = (MenteeStatus.GRADUATED, *LEFT_STATUSES)


# Field limits (scbi.limits), read by the forms, the API schemas and the services.
MENTEE = {
    "staff_number": limits.Text(40, required=True),
    "position": limits.Text(200, required=True),
}
# A change of status (MenteeStatusChange.note)
MENTEE_STATUS = {"note": limits.Text(2000)}


class Mentee(IdMixin, TimestampMixin, VersionMixin, Base):
    __tablename__ = "mentee"
    __table_args__ = (enum_check("gender", Gender), enum_check("status", MenteeStatus))

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), unique=True)
    staff_number: Mapped[str] = mapped_column(
        String(MENTEE["staff_number"].max_length), unique=True
    )
    gender: Mapped[Gender] = mapped_column(EnumText(Gender, 16))
    position: Mapped[str] = mapped_column(String(MENTEE["position"].max_length))
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"), index=True)
    sector_id: Mapped[int] = mapped_column(ForeignKey("sector.id"), index=True)
    phase_id: Mapped[int | None] = mapped_column(ForeignKey("phase.id"), index=True)
    joined_on: Mapped[date]
    status: Mapped[MenteeStatus] = mapped_column(
        EnumText(MenteeStatus, 24), default=MenteeStatus.ACTIVE
    )
    status_changed_on: Mapped[date]

    user: Mapped["User"] = relationship(lazy="joined")  # noqa: F821, UP037
    institution: Mapped["Institution"] = relationship(lazy="joined")  # noqa: F821, UP037
    # A few rows each, usually the pairing's own (already in the session): read when used.
    sector: Mapped["Sector"] = relationship()  # noqa: F821, UP037
    phase: Mapped["Phase | None"] = relationship()  # noqa: F821, UP037
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
    status: Mapped[MenteeStatus] = mapped_column(EnumText(MenteeStatus, 24))
    status_on: Mapped[date]
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime]

    mentee: Mapped[Mentee] = relationship(back_populates="history")
    recorded_by: Mapped["User | None"] = relationship(lazy="joined")  # noqa: F821, UP037
