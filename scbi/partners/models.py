"""Development partners and the funding of coach contracts.

Money is ``Numeric(14, 2)`` read back as ``Decimal``: exact (never a float), readable in
SQL on both databases, and two decimals cover the currencies the programme pays in (a
currency without minor units, such as RWF, simply has ``.00``). Each amount carries its
ISO 4217 currency; amounts of different currencies are never added up.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scbi import limits
from scbi.database import Base, EnumText, IdMixin, TimestampMixin, VersionMixin, enum_check
from scbi.enums import Labelled

MONEY = Numeric(14, 2)
MAX_AMOUNT = Decimal("999999999999.99")  # what Numeric(14, 2) holds

PARTNER = {
    "name": limits.Text(200, required=True),
    "acronym": limits.Text(30, required=True),
}


class FundingBasis(Labelled):
    TOTAL = "total", _l("Total for the contract")
    MONTHLY = "monthly", _l("Monthly amounts")


class Partner(IdMixin, TimestampMixin, VersionMixin, Base):
    """A development partner: a bilateral agency, a development bank…"""

    __tablename__ = "partner"

    name: Mapped[str] = mapped_column(String(PARTNER["name"].max_length))
    acronym: Mapped[str] = mapped_column(String(PARTNER["acronym"].max_length), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def __str__(self) -> str:
        return f"{self.acronym} — {self.name}"


class ContractFunding(IdMixin, Base):
    """One partner's share of a coach's contract (the Coach row is the contract): a total
    for the whole contract, or amounts month by month (:class:`FundingMonth`). The set of a
    coach's fundings is edited as a whole, under the coach's version."""

    __tablename__ = "contract_funding"
    __table_args__ = (
        enum_check("basis", FundingBasis),
        CheckConstraint("amount IS NULL OR amount >= 0", name="amount_not_negative"),
        CheckConstraint("(basis = 'total') = (amount IS NOT NULL)", name="amount_for_total_basis"),
    )

    coach_id: Mapped[int] = mapped_column(ForeignKey("coach.id"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id"), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    basis: Mapped[FundingBasis] = mapped_column(EnumText(FundingBasis, 16))
    amount: Mapped[Decimal | None] = mapped_column(MONEY)

    partner: Mapped[Partner] = relationship(lazy="joined")
    months: Mapped[list[FundingMonth]] = relationship(
        cascade="all, delete-orphan", order_by="FundingMonth.month", lazy="selectin"
    )


class FundingMonth(IdMixin, Base):
    """The amount of one calendar month (``month`` is its first day) of a monthly funding."""

    __tablename__ = "funding_month"
    __table_args__ = (
        UniqueConstraint("funding_id", "month"),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
    )

    funding_id: Mapped[int] = mapped_column(ForeignKey("contract_funding.id"), index=True)
    month: Mapped[date]
    amount: Mapped[Decimal] = mapped_column(MONEY)
