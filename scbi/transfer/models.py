"""Pairings of a coach and a mentee (plans and logs join them in later issues)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scbi.database import Base, IdMixin, TimestampMixin, VersionMixin, enum_check


class PairingStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    COMPLETED = "completed"
    TERMINATED = "terminated"


OPEN_STATUSES = (PairingStatus.ACTIVE, PairingStatus.PAUSED)


class Pairing(IdMixin, TimestampMixin, VersionMixin, Base):
    __tablename__ = "pairing"
    __table_args__ = (
        enum_check("status", PairingStatus),
        CheckConstraint("planned_end_date >= start_date", name="ends_after_start"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="ended_after_start"),
        # At most one open (active or paused) pairing per coach–mentee pair.
        Index(
            "uq_pairing_open_pair",
            "coach_id",
            "mentee_id",
            unique=True,
            sqlite_where=text("status IN ('active', 'paused')"),
            postgresql_where=text("status IN ('active', 'paused')"),
        ),
    )

    coach_id: Mapped[int] = mapped_column(ForeignKey("coach.id"), index=True)
    mentee_id: Mapped[int] = mapped_column(ForeignKey("mentee.id"), index=True)
    phase_id: Mapped[int] = mapped_column(ForeignKey("phase.id"), index=True)
    sector_id: Mapped[int] = mapped_column(ForeignKey("sector.id"), index=True)
    start_date: Mapped[date]
    planned_end_date: Mapped[date]
    status: Mapped[str] = mapped_column(String(16), default=PairingStatus.ACTIVE.value)
    end_date: Mapped[date | None]
    end_reason: Mapped[str] = mapped_column(Text, default="")
    # Why the pairing's sector differs from the mentee's, when it does.
    cross_sector_reason: Mapped[str] = mapped_column(Text, default="")

    coach: Mapped["Coach"] = relationship(lazy="joined")  # noqa: F821, UP037
    mentee: Mapped["Mentee"] = relationship(lazy="joined")  # noqa: F821, UP037
    phase: Mapped["Phase"] = relationship(lazy="joined")  # noqa: F821, UP037
    sector: Mapped["Sector"] = relationship(lazy="joined")  # noqa: F821, UP037

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES
