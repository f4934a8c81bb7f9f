"""Published sector reports: the one table of the reports (everything else is computed).

A row is a sector report for an ended fiscal quarter or year, frozen as it was the moment
it was published: the whole dict of scbi.reports.metrics.sector_report, a three-part
narrative, who published it and when. Number 1 is the publication; 2, 3 … are addenda
that answer later changes in the live figures. The database refuses UPDATE and DELETE
(and TRUNCATE on PostgreSQL) on the table, as it does on the audit trail (migration 0008).

The figures are kept as the JSON text written at publication (not a JSON column): the
text is what was published, byte for byte, in the key order the report was built in,
through PostgreSQL (whose jsonb would reorder keys) and through a backup and restore
(which copy text as it is). An addendum points at its publication by (sector, period,
number), never by a foreign key to its own table: a restore fills such keys in with an
UPDATE, which the table refuses.
"""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scbi import limits
from scbi.auth.models import User
from scbi.database import Base, IdMixin, utcnow
from scbi.programme.models import Sector

NARRATIVE = ("went_well", "went_badly", "next_steps")

# Field limits (scbi.limits), read by the API schemas and the services: a report's fiscal
# period (as asked for, and as published) and a publication's narrative.
PERIOD = {"fy": limits.Number(2000, 2100), "quarter": limits.Number(1, 4)}
PUBLICATION = {name: limits.Text(10_000, required=True) for name in NARRATIVE}


class PublishedReport(IdMixin, Base):
    __tablename__ = "published_report"
    __table_args__ = (
        UniqueConstraint(
            "sector_id", "period_start", "period_end", "number", name="uq_published_report_number"
        ),
        CheckConstraint("number >= 1", name="number_positive"),
        CheckConstraint("quarter IS NULL OR quarter BETWEEN 1 AND 4", name="quarter_known"),
        CheckConstraint("period_end >= period_start", name="period_ordered"),
        Index("ix_published_report_fiscal_year", "fiscal_year", "quarter"),
    )

    sector_id: Mapped[int] = mapped_column(ForeignKey("sector.id"))
    fiscal_year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int | None] = mapped_column(Integer)  # None: the whole fiscal year
    period_start: Mapped[date]
    period_end: Mapped[date]
    number: Mapped[int] = mapped_column(Integer)  # 1 the publication, 2, 3 … addenda
    figures_json: Mapped[str] = mapped_column("figures", Text, deferred=True)
    went_well: Mapped[str] = mapped_column(Text)
    went_badly: Mapped[str] = mapped_column(Text)
    next_steps: Mapped[str] = mapped_column(Text)
    published_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)

    sector: Mapped[Sector] = relationship(lazy="joined", innerjoin=True)
    published_by: Mapped[User] = relationship(lazy="joined", innerjoin=True)

    @property
    def figures(self) -> dict:
        """The report as it was published (the dict the page, PDF and XLSX render)."""
        return json.loads(self.figures_json)
