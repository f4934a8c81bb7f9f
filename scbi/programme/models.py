"""Programme configuration: phases, sectors (with their critical-mass settings),
institutions, priority results and competency frameworks."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scbi import limits, validation
from scbi.database import Base, EnumText, IdMixin, TimestampMixin, VersionMixin, enum_check
from scbi.dates import fiscal_label
from scbi.enums import Labelled

# The earliest date SCBI accepts (scbi.validation); a dated rule from this day is in force
# "from the start".
EARLIEST_DATE = validation.EARLIEST_DATE

# Field limits (scbi.limits), read by the forms, the API schemas and the services.
PHASE = {"name": limits.Text(120, required=True), "description": limits.Text(5000)}


class Phase(IdMixin, TimestampMixin, VersionMixin, Base):
    __tablename__ = "phase"
    __table_args__ = (
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="ends_after_start"),
    )

    name: Mapped[str] = mapped_column(String(PHASE["name"].max_length), unique=True)
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    description: Mapped[str] = mapped_column(Text, default="")

    def covers(self, start: date, end: date | None) -> bool:
        """Whether the dates fall inside the phase (an open phase has no end)."""
        if start < self.start_date:
            return False
        return self.end_date is None or (end is not None and end <= self.end_date)


coordinator_sector = Table(
    "coordinator_sector",
    Base.metadata,
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    Column("sector_id", ForeignKey("sector.id", ondelete="CASCADE"), primary_key=True, index=True),
)


SECTOR = {
    "code": limits.Text(16, required=True),
    "name": limits.Text(120, required=True),
    # The form and the API's document give only the minimum (the document is pinned);
    # the service refuses more than the maximum as well.
    "expert_target": limits.Number(0, 100_000),
    "expert_level": limits.Number(1, 4),
}


class Sector(IdMixin, TimestampMixin, VersionMixin, Base):
    __tablename__ = "sector"
    __table_args__ = (
        CheckConstraint("expert_level BETWEEN 1 AND 4", name="expert_level_on_scale"),
        CheckConstraint("expert_target >= 0", name="expert_target_not_negative"),
    )

    code: Mapped[str] = mapped_column(String(SECTOR["code"].max_length), unique=True)
    name: Mapped[str] = mapped_column(String(SECTOR["name"].max_length), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    expert_target: Mapped[int] = mapped_column(Integer)
    target_date: Mapped[date]
    expert_level: Mapped[int] = mapped_column(Integer, default=3)

    coordinators: Mapped[list["User"]] = relationship(  # noqa: F821, UP037
        secondary=coordinator_sector, order_by="User.full_name"
    )

    def __str__(self) -> str:
        return self.name


class SectorRule(IdMixin, Base):
    """A sector's critical-mass settings from ``effective_on`` on (DESIGN.md: they are
    dated, and the rule on a date uses what was in force then). The sector's own columns
    hold the latest; the first row, from the sector's creation, is in force from the start.
    """

    __tablename__ = "sector_rule"
    __table_args__ = (
        CheckConstraint("expert_level BETWEEN 1 AND 4", name="expert_level_on_scale"),
        CheckConstraint("expert_target >= 0", name="expert_target_not_negative"),
        Index("ix_sector_rule_sector_effective", "sector_id", "effective_on"),
    )

    sector_id: Mapped[int] = mapped_column(ForeignKey("sector.id", ondelete="CASCADE"))
    effective_on: Mapped[date]
    expert_level: Mapped[int] = mapped_column(Integer)
    expert_target: Mapped[int] = mapped_column(Integer)
    target_date: Mapped[date]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime]

    recorded_by: Mapped["User | None"] = relationship(lazy="joined")  # noqa: F821, UP037


INSTITUTION = {"name": limits.Text(200, required=True), "acronym": limits.Text(20, required=True)}


class Institution(IdMixin, TimestampMixin, VersionMixin, Base):
    __tablename__ = "institution"

    name: Mapped[str] = mapped_column(String(INSTITUTION["name"].max_length))
    acronym: Mapped[str] = mapped_column(String(INSTITUTION["acronym"].max_length), unique=True)
    sector_id: Mapped[int] = mapped_column(ForeignKey("sector.id"), index=True)

    sector: Mapped[Sector] = relationship()  # read when used

    def __str__(self) -> str:
        return f"{self.acronym} — {self.name}"


# The 0–4 scale every framework's levels are on, as people read it.
LEVEL_LABELS = {
    0: _l("0 — Not yet"),
    1: _l("1 — Aware"),
    2: _l("2 — Assisted"),
    3: _l("3 — Independent"),
    4: _l("4 — Expert"),
}


class ResultStatus(Labelled):
    NOT_STARTED = "not_started", _l("Not started"), "light", _l("not started")
    ON_TRACK = "on_track", _l("On track"), "success", _l("on track")
    AT_RISK = "at_risk", _l("At risk"), "warning", _l("at risk")
    DELIVERED = "delivered", _l("Delivered"), "primary", _l("delivered")
    DROPPED = "dropped", _l("Dropped"), "secondary", _l("dropped")


# status_note: the note of a new dated status (PriorityResultStatus.note)
PRIORITY_RESULT = {"title": limits.Text(300, required=True), "status_note": limits.Text(2000)}


class PriorityResult(IdMixin, TimestampMixin, VersionMixin, Base):
    """A development result the government set for a sector; coaching supports it."""

    __tablename__ = "priority_result"
    __table_args__ = (enum_check("status", ResultStatus),)

    sector_id: Mapped[int] = mapped_column(ForeignKey("sector.id"), index=True)
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"))
    title: Mapped[str] = mapped_column(String(PRIORITY_RESULT["title"].max_length))
    due_date: Mapped[date]
    status: Mapped[ResultStatus] = mapped_column(
        EnumText(ResultStatus, 16), default=ResultStatus.NOT_STARTED
    )

    sector: Mapped[Sector] = relationship(lazy="joined")
    institution: Mapped[Institution | None] = relationship(lazy="joined")
    history: Mapped[list[PriorityResultStatus]] = relationship(
        back_populates="result",
        order_by="PriorityResultStatus.id.desc()",
        cascade="all, delete-orphan",
    )


class PriorityResultStatus(IdMixin, Base):
    """One dated status of a priority result, with its note (the history is kept)."""

    __tablename__ = "priority_result_status"
    __table_args__ = (enum_check("status", ResultStatus),)

    result_id: Mapped[int] = mapped_column(
        ForeignKey("priority_result.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[ResultStatus] = mapped_column(EnumText(ResultStatus, 16))
    status_on: Mapped[date]
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime]

    result: Mapped[PriorityResult] = relationship(back_populates="history")
    recorded_by: Mapped["User | None"] = relationship(lazy="joined")  # noqa: F821, UP037


# --- indicators of priority results (the results chain) -----------------------------------
#
# Values are exact decimals, never floats: ``Numeric(15, 4)`` holds 11 digits before the
# point and 4 after, 15 significant digits in all — what SQLite, which keeps a NUMERIC as a
# binary float, gives back exactly too. The unit carries the scale ("USD million", "%").
INDICATOR_NUMBER = Numeric(15, 4)
MAX_INDICATOR_VALUE = Decimal("99999999999.9999")
INDICATOR = {"name": limits.Text(200, required=True), "unit": limits.Text(40, required=True)}
# An actual value's period is a fiscal quarter of the reports (scbi.reports.periods).
INDICATOR_VALUE = {
    "source": limits.Text(500, required=True),
    "fiscal_year": limits.Number(1990, 2100),
    "quarter": limits.Number(1, 4),
}


class Indicator(IdMixin, TimestampMixin, VersionMixin, Base):
    """How a priority result's delivery is measured: from a baseline (value and date) to a
    target (value and date), with actual values per reporting period."""

    __tablename__ = "indicator"
    __unversioned__ = frozenset({"values"})  # a value recorded does not make a form stale
    __table_args__ = (
        UniqueConstraint("result_id", "name"),
        CheckConstraint("target_date >= baseline_date", name="target_not_before_baseline"),
        CheckConstraint("target_value <> baseline_value", name="target_differs_from_baseline"),
    )

    result_id: Mapped[int] = mapped_column(ForeignKey("priority_result.id"), index=True)
    name: Mapped[str] = mapped_column(String(INDICATOR["name"].max_length))
    unit: Mapped[str] = mapped_column(String(INDICATOR["unit"].max_length))
    baseline_value: Mapped[Decimal] = mapped_column(INDICATOR_NUMBER)
    baseline_date: Mapped[date]
    target_value: Mapped[Decimal] = mapped_column(INDICATOR_NUMBER)
    target_date: Mapped[date]

    result: Mapped[PriorityResult] = relationship(lazy="joined")
    values: Mapped[list[IndicatorValue]] = relationship(
        back_populates="indicator", order_by="IndicatorValue.period_end.desc()"
    )

    @property
    def latest(self) -> IndicatorValue | None:
        """The value of the latest quarter recorded."""
        return max(self.values, key=lambda v: v.period_end, default=None)

    @property
    def progress(self) -> Decimal | None:
        latest = self.latest
        return progress(self.baseline_value, self.target_value, latest and latest.value)


def progress(baseline: Decimal, target: Decimal, actual: Decimal | None) -> Decimal | None:
    """How far ``actual`` has come on the way from ``baseline`` to ``target``: 0 at the
    baseline, 1 at the target (below 0 when it went back, above 1 beyond the target, for a
    target above or below the baseline alike); None without an actual."""
    if actual is None or target == baseline:
        return None
    return (Decimal(actual) - Decimal(baseline)) / (Decimal(target) - Decimal(baseline))


class IndicatorValue(IdMixin, TimestampMixin, VersionMixin, Base):
    """The actual value of an indicator in one fiscal quarter, with its source and an
    optional evidence file (stored as a log's evidence is: scbi.files). One per indicator
    and quarter: a correction replaces it under its version. ``period_start`` and
    ``period_end`` are the quarter's days when it was recorded, which the reports compare
    with their own period's end."""

    __tablename__ = "indicator_value"
    __table_args__ = (
        UniqueConstraint("indicator_id", "fiscal_year", "quarter"),
        CheckConstraint("quarter BETWEEN 1 AND 4", name="quarter_known"),
        CheckConstraint("period_end >= period_start", name="ends_after_start"),
        # an indicator's latest value up to a day (the reports), from the index alone
        Index("ix_indicator_value_indicator_end", "indicator_id", "period_end"),
    )

    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id"))
    fiscal_year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer)
    period_start: Mapped[date]
    period_end: Mapped[date]
    value: Mapped[Decimal] = mapped_column(INDICATOR_NUMBER)
    source: Mapped[str] = mapped_column(Text)
    original_name: Mapped[str | None] = mapped_column(String(255))
    stored_name: Mapped[str | None] = mapped_column(String(64), unique=True)
    content_type: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[int | None]
    sha256: Mapped[str | None] = mapped_column(String(64))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime]

    indicator: Mapped[Indicator] = relationship(back_populates="values")
    recorded_by: Mapped["User | None"] = relationship(lazy="joined")  # noqa: F821, UP037

    @property
    def has_evidence(self) -> bool:
        return self.stored_name is not None

    @property
    def period_label(self) -> str:
        return fiscal_label(self.fiscal_year, self.quarter)


FRAMEWORK = {
    "name": limits.Text(200, required=True),
    "idnumber": limits.Text(100, required=True),
    "description": limits.Text(20000),
}


class CompetencyFramework(IdMixin, TimestampMixin, VersionMixin, Base):
    """A tree of competencies; a sector's own, or cross-cutting (no sector).

    The Moodle-only fields (scale, taxonomy, description format) are kept verbatim so
    that an export gives back an equivalent file.
    """

    __tablename__ = "competency_framework"

    name: Mapped[str] = mapped_column(String(FRAMEWORK["name"].max_length))
    idnumber: Mapped[str] = mapped_column(String(FRAMEWORK["idnumber"].max_length), unique=True)
    sector_id: Mapped[int | None] = mapped_column(ForeignKey("sector.id"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    description_format: Mapped[int] = mapped_column(Integer, default=1)
    scale_values: Mapped[str] = mapped_column(Text, default="")
    scale_configuration: Mapped[str] = mapped_column(Text, default="")
    taxonomy: Mapped[str] = mapped_column(Text, default="")

    sector: Mapped[Sector | None] = relationship(lazy="joined")
    competencies: Mapped[list[Competency]] = relationship(
        back_populates="framework",
        order_by="Competency.sort_order",
        cascade="all, delete-orphan",
    )

    def tree(self) -> list[tuple[Competency, int]]:
        """The framework's competencies depth-first, each with its depth (0 = top level)."""
        children: dict[int | None, list[Competency]] = {}
        for competency in self.competencies:
            children.setdefault(competency.parent_id, []).append(competency)
        ordered: list[tuple[Competency, int]] = []
        stack = [(c, 0) for c in reversed(children.get(None, []))]
        while stack:
            competency, depth = stack.pop()
            ordered.append((competency, depth))
            stack.extend((c, depth + 1) for c in reversed(children.get(competency.id, [])))
        return ordered


COMPETENCY = {
    "idnumber": limits.Text(100, required=True),
    "short_name": limits.Text(100, required=True),
    "description": limits.Text(20000),
}


class Competency(IdMixin, TimestampMixin, VersionMixin, Base):
    __tablename__ = "competency"
    __table_args__ = (UniqueConstraint("framework_id", "idnumber"),)

    framework_id: Mapped[int] = mapped_column(
        ForeignKey("competency_framework.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("competency.id"), index=True)
    idnumber: Mapped[str] = mapped_column(String(COMPETENCY["idnumber"].max_length))
    short_name: Mapped[str] = mapped_column(String(COMPETENCY["short_name"].max_length))
    description: Mapped[str] = mapped_column(Text, default="")
    description_format: Mapped[int] = mapped_column(Integer, default=1)
    core: Mapped[bool] = mapped_column(Boolean, default=False)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    # Moodle's competency rules and cross-references, kept for a faithful export.
    rule_type: Mapped[str] = mapped_column(Text, default="")
    rule_outcome: Mapped[str] = mapped_column(String(8), default="")
    rule_config: Mapped[str] = mapped_column(Text, default="")
    cross_references: Mapped[list] = mapped_column(JSON, default=list)

    framework: Mapped[CompetencyFramework] = relationship(back_populates="competencies")
    parent: Mapped[Competency | None] = relationship(remote_side="Competency.id")


class CoreChange(IdMixin, Base):
    """From ``effective_on`` on, whether a competency is core and for which sector's
    expert rule (its framework's sector then; none for a cross-cutting framework).

    The critical mass reads this history, so a change never alters a figure for an
    earlier date; ``Competency.core`` holds the latest. Written forwards only.
    """

    __tablename__ = "core_change"
    __table_args__ = (
        Index("ix_core_change_competency_effective", "competency_id", "effective_on"),
        Index("ix_core_change_sector", "sector_id"),
    )

    competency_id: Mapped[int] = mapped_column(ForeignKey("competency.id", ondelete="CASCADE"))
    sector_id: Mapped[int | None] = mapped_column(ForeignKey("sector.id"))
    core: Mapped[bool] = mapped_column(Boolean)
    effective_on: Mapped[date]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime]

    competency: Mapped[Competency] = relationship(lazy="joined")
    recorded_by: Mapped["User | None"] = relationship(lazy="joined")  # noqa: F821, UP037
