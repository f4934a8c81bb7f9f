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
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scbi import limits
from scbi.auth.models import User
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


class PartnerAccount(Base):
    """The development partner a ``partner`` account reads for: the reports of the sectors
    whose coaches that partner funds (docs/partners.md, "Partner accounts")."""

    __tablename__ = "partner_account"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id"), index=True)


# --- exchange rates (docs/partners.md, "Exchange rates") ------------------------------------

RATE = Numeric(20, 10)
RATE_DECIMALS = 10
RATE_DIGITS = 15  # significant digits a rate may have: what SQLite's REAL keeps exactly
EXCHANGE_RATE = {"fiscal_year": limits.Number(2000, 2100), "quarter": limits.Number(1, 4)}


class ExchangeRate(IdMixin, TimestampMixin, VersionMixin, Base):
    """What one unit of ``currency`` was worth in ``reporting_currency`` over one fiscal
    quarter, as the secretariat entered it: a cost of that quarter is converted at it. Only
    the rates into the reporting currency the install is set to (``REPORTING_CURRENCY``)
    are used; ``entered_by`` is whoever entered the rate as it stands (the audit trail keeps
    every earlier one)."""

    __tablename__ = "exchange_rate"
    __table_args__ = (
        UniqueConstraint(
            "fiscal_year",
            "quarter",
            "currency",
            "reporting_currency",
            name="uq_exchange_rate_period_currency",
        ),
        CheckConstraint("rate > 0", name="rate_positive"),
        CheckConstraint("quarter BETWEEN 1 AND 4", name="quarter_known"),
        CheckConstraint("currency <> reporting_currency", name="another_currency"),
    )

    fiscal_year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    reporting_currency: Mapped[str] = mapped_column(String(3))
    rate: Mapped[Decimal] = mapped_column(RATE)
    entered_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)

    entered_by: Mapped[User] = relationship(lazy="joined", innerjoin=True)
