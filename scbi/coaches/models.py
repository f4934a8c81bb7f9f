"""Coach profiles: the technical expert behind a coach account."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scbi import limits
from scbi.database import Base, EnumText, IdMixin, TimestampMixin, VersionMixin, enum_check
from scbi.enums import Labelled


class CoachStatus(Labelled):
    ACTIVE = "active", _l("Active"), "success"
    INACTIVE = "inactive", _l("Inactive")


# Field limits (scbi.limits), read by the forms, the API schemas and the services.
COACH = {
    "nationality": limits.Text(80, required=True),
    "organisation": limits.Text(200, required=True),
    "technical_expertise": limits.Text(5000, required=True),
    "coaching_experience_years": limits.Number(0, 70),
    "coaching_qualification": limits.Text(200),
    "max_mentees": limits.Number(1, 50),
}


class Coach(IdMixin, TimestampMixin, VersionMixin, Base):
    __tablename__ = "coach"
    __table_args__ = (
        enum_check("status", CoachStatus),
        CheckConstraint("contract_end >= contract_start", name="contract_ends_after_start"),
        CheckConstraint("max_mentees BETWEEN 1 AND 50", name="max_mentees_range"),
        CheckConstraint("coaching_experience_years >= 0", name="experience_not_negative"),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), unique=True)
    nationality: Mapped[str] = mapped_column(String(COACH["nationality"].max_length))
    organisation: Mapped[str] = mapped_column(String(COACH["organisation"].max_length))
    technical_expertise: Mapped[str] = mapped_column(Text)
    coaching_experience_years: Mapped[int] = mapped_column(Integer)
    coaching_qualification: Mapped[str] = mapped_column(
        String(COACH["coaching_qualification"].max_length), default=""
    )
    sector_id: Mapped[int] = mapped_column(ForeignKey("sector.id"), index=True)
    host_institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"), index=True)
    contract_start: Mapped[date]
    contract_end: Mapped[date]
    max_mentees: Mapped[int] = mapped_column(Integer, default=4)
    status: Mapped[CoachStatus] = mapped_column(
        EnumText(CoachStatus, 16), default=CoachStatus.ACTIVE
    )

    user: Mapped["User"] = relationship(lazy="joined")  # noqa: F821, UP037
    sector: Mapped["Sector"] = relationship()  # noqa: F821, UP037  (read when used)
    host_institution: Mapped["Institution"] = relationship(lazy="joined")  # noqa: F821, UP037

    @property
    def full_name(self) -> str:
        return self.user.full_name

    @property
    def is_active(self) -> bool:
        return self.status == CoachStatus.ACTIVE

    def under_contract(self, start: date, end: date | None) -> bool:
        return self.contract_start <= start and (end or start) <= self.contract_end
