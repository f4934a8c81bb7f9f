"""Pairings, transfer plans, transfer logs and their evidence."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _p
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
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
from scbi.downloads import shown_inline
from scbi.enums import Labelled


# Statuses carry a context: one English word ("submitted") is a plan's, a log's or a
# column's, and other languages agree it differently (soumis, soumise, soumises).
class PairingStatus(Labelled):
    ACTIVE = "active", _p("pairing status", "active"), "success"
    PAUSED = "paused", _p("pairing status", "paused"), "warning"
    COMPLETED = "completed", _p("pairing status", "completed"), "primary"
    TERMINATED = "terminated", _p("pairing status", "terminated"), "secondary"


OPEN_STATUSES = (PairingStatus.ACTIVE, PairingStatus.PAUSED)

# Field limits (scbi.limits), read by the forms, the API schemas and the services.
PAIRING = {"cross_sector_reason": limits.Text(2000)}
PAIRING_END = {"reason": limits.Text(2000, required=True)}


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
    status: Mapped[PairingStatus] = mapped_column(
        EnumText(PairingStatus, 16), default=PairingStatus.ACTIVE
    )
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

    @property
    def is_paused(self) -> bool:
        return self.status == PairingStatus.PAUSED


class ActivityType(Labelled):
    ON_THE_JOB = "on_the_job", _l("On the job"), "secondary", _l("on the job")
    SHADOWING = "shadowing", _l("Shadowing"), "secondary", _l("shadowing")
    JOINT_DELIVERY = "joint_delivery", _l("Joint delivery"), "secondary", _l("joint delivery")
    FORMAL_TRAINING = "formal_training", _l("Formal training"), "secondary", _l("formal training")
    REVIEW_FEEDBACK = (
        "review_feedback",
        _l("Review and feedback"),
        "secondary",
        _l("review and feedback"),
    )
    PEER_EXCHANGE = "peer_exchange", _l("Peer exchange"), "secondary", _l("peer exchange")
    SELF_STUDY = "self_study", _l("Guided self-study"), "secondary", _l("guided self-study")


class MenteeRole(Labelled):
    """I do, we do, you do: how much of the work the mentee carried."""

    OBSERVED = "observed", _l("Observed — I do"), "secondary", _l("observed")
    ASSISTED = "assisted", _l("Assisted — we do"), "secondary", _l("assisted")
    CO_LED = "co_led", _l("Co-led — we do, you lead"), "secondary", _l("co-led")
    LED = "led", _l("Led — you do"), "secondary", _l("led")


class PlanStatus(Labelled):
    DRAFT = "draft", _p("plan status", "draft"), "secondary"
    SUBMITTED = "submitted", _p("plan status", "submitted"), "primary"
    APPROVED = "approved", _p("plan status", "approved"), "success"
    RETURNED = "returned", _p("plan status", "returned"), "warning"
    SUPERSEDED = "superseded", _p("plan status", "superseded"), "light"


OPEN_PLAN_STATUSES = (PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.RETURNED)

# An approval's comment, or a return's (which requires it: plans.return_plan says so).
PLAN_DECISION = {"comment": limits.Text(2000)}


class TransferPlan(IdMixin, TimestampMixin, VersionMixin, Base):
    """What the coach will hand over in a pairing; ``number`` counts its revisions."""

    __tablename__ = "transfer_plan"
    __table_args__ = (
        enum_check("status", PlanStatus),
        UniqueConstraint("pairing_id", "number"),
        # At most one plan being written or decided per pairing.
        Index(
            "uq_transfer_plan_open",
            "pairing_id",
            unique=True,
            sqlite_where=text("status IN ('draft', 'submitted', 'returned')"),
            postgresql_where=text("status IN ('draft', 'submitted', 'returned')"),
        ),
    )

    pairing_id: Mapped[int] = mapped_column(ForeignKey("pairing.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[PlanStatus] = mapped_column(EnumText(PlanStatus, 16), default=PlanStatus.DRAFT)
    submitted_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None]
    decision_comment: Mapped[str] = mapped_column(Text, default="")

    pairing: Mapped[Pairing] = relationship(lazy="joined")
    decided_by: Mapped["User | None"] = relationship()  # noqa: F821, UP037
    items: Mapped[list[PlanItem]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanItem.position"
    )

    @property
    def editable(self) -> bool:
        return self.status in (PlanStatus.DRAFT, PlanStatus.RETURNED)

    @property
    def is_returned(self) -> bool:
        return self.status == PlanStatus.RETURNED

    @property
    def is_waiting(self) -> bool:
        """Submitted: waiting for a decision."""
        return self.status == PlanStatus.SUBMITTED


PLAN_ITEM = {
    "baseline_level": limits.Number(0, 3),
    "target_level": limits.Number(1, 4),
    "expected_evidence": limits.Text(2000, required=True),
}


class PlanItem(IdMixin, Base):
    __tablename__ = "plan_item"
    __table_args__ = (
        UniqueConstraint("plan_id", "competency_id"),
        CheckConstraint("baseline_level BETWEEN 0 AND 3", name="baseline_on_scale"),
        CheckConstraint(
            "target_level BETWEEN 1 AND 4 AND target_level > baseline_level",
            name="target_above_baseline",
        ),
    )

    plan_id: Mapped[int] = mapped_column(
        ForeignKey("transfer_plan.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    competency_id: Mapped[int] = mapped_column(ForeignKey("competency.id"), index=True)
    baseline_level: Mapped[int] = mapped_column(Integer)
    target_level: Mapped[int] = mapped_column(Integer)
    target_date: Mapped[date]
    methods: Mapped[list] = mapped_column(JSON, default=list)
    expected_evidence: Mapped[str] = mapped_column(Text)
    priority_result_id: Mapped[int | None] = mapped_column(ForeignKey("priority_result.id"))

    plan: Mapped[TransferPlan] = relationship(back_populates="items")
    competency: Mapped["Competency"] = relationship(lazy="joined")  # noqa: F821, UP037
    priority_result: Mapped["PriorityResult | None"] = relationship()  # noqa: F821, UP037


class LogStatus(Labelled):
    DRAFT = "draft", _p("log status", "draft"), "secondary"
    SUBMITTED = "submitted", _p("log status", "submitted"), "primary"
    ACKNOWLEDGED = "acknowledged", _p("log status", "acknowledged"), "success"
    DISPUTED = "disputed", _p("log status", "disputed"), "warning"
    VERIFIED = "verified", _p("log status", "verified"), "success"


COUNTED_LOG_STATUSES = (LogStatus.ACKNOWLEDGED, LogStatus.VERIFIED)
# Every status after draft: the log has gone to the mentee, so its date is on the record.
SENT_LOG_STATUSES = (
    LogStatus.SUBMITTED,
    LogStatus.ACKNOWLEDGED,
    LogStatus.DISPUTED,
    LogStatus.VERIFIED,
)


class LogAction(Labelled):
    """A step of a log's history (``LogEvent.action``, a plain string column), as the log's
    page names it (``e.action|label('LogAction')``): a step that gives the log a status
    reads as that status does (one message, "log status"), the others in their own words."""

    CREATED = "created", _p("log history", "created")
    EDITED = "edited", _p("log history", "edited")
    CORRECTED = "corrected", _p("log history", "corrected")
    SUBMITTED = "submitted", _p("log status", "submitted")
    ACKNOWLEDGED = "acknowledged", _p("log status", "acknowledged")
    DISPUTED = "disputed", _p("log status", "disputed")
    VERIFIED = "verified", _p("log status", "verified")
    EVIDENCE_ADDED = "evidence_added", _p("log history", "evidence added")
    EVIDENCE_REMOVED = "evidence_removed", _p("log history", "evidence removed")


log_competency = Table(
    "log_competency",
    Base.metadata,
    Column("log_id", ForeignKey("transfer_log.id", ondelete="CASCADE"), primary_key=True),
    Column("competency_id", ForeignKey("competency.id"), primary_key=True, index=True),
)


LOG = {
    "hours": limits.Number(0.25, 24, step=0.25),
    "title": limits.Text(200, required=True),
    "description": limits.Text(10000),
    "off_plan_reason": limits.Text(2000),
}
# The mentee's acknowledgement or dispute (which requires it: logs.dispute_log says so).
LOG_RESPONSE = {"comment": limits.Text(2000)}


class LogSession(IdMixin, Base):
    """A group session: one activity of a coach with several of their mentees (a training,
    a joint site visit), logged once; each pairing has its own log of it (its own part,
    acknowledgement or dispute), and the session ties them together."""

    __tablename__ = "log_session"

    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TransferLog(IdMixin, TimestampMixin, VersionMixin, Base):
    """What a coach did with the mentee, confirmed by the mentee, with evidence."""

    __tablename__ = "transfer_log"
    __table_args__ = (
        enum_check("status", LogStatus),
        enum_check("activity_type", ActivityType),
        enum_check("mentee_role", MenteeRole),
        CheckConstraint("minutes BETWEEN 15 AND 1440", name="minutes_range"),
        # a pairing's logs by date, with what its progress sums (read from the index alone)
        Index("ix_transfer_log_pairing_date", "pairing_id", "activity_date", "status", "minutes"),
        Index("ix_transfer_log_status_date", "status", "activity_date"),
        Index("ix_transfer_log_date_id", "activity_date", "id"),
        # a coach's drafts and disputed logs, counted on their home page
        Index("ix_transfer_log_author_status", "author_id", "status", "pairing_id"),
        # the reports read a sector's logs pairing by pairing, like its counted logs, and
        # the median's days from the index alone
        Index("ix_transfer_log_pairing_first_submitted", "pairing_id", "first_submitted_at"),
        Index(
            "ix_transfer_log_pairing_acknowledged", "pairing_id", "acknowledged_at", "submitted_at"
        ),
        # a client's key for the log it sent (a phone's entry, a form): one log per key
        Index("uq_transfer_log_author_client_key", "author_id", "client_key", unique=True),
        # the logs that served a priority result, by date (the sector report's results)
        Index("ix_transfer_log_priority_result_date", "priority_result_id", "activity_date"),
        # the logs of a peer exchange (its page)
        Index("ix_transfer_log_exchange_id", "exchange_id"),
    )

    # What the months of counted logs read (scbi.transfer.log_months) keeps its value
    # before a change even when set unread (active_history), so the old month is known.
    pairing_id: Mapped[int] = mapped_column(ForeignKey("pairing.id"), active_history=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    activity_date: Mapped[date] = mapped_column(active_history=True)
    activity_type: Mapped[ActivityType] = mapped_column(EnumText(ActivityType, 20))
    # hours × 60: quarter hours, exactly
    minutes: Mapped[int] = mapped_column(Integer, active_history=True)
    title: Mapped[str] = mapped_column(String(LOG["title"].max_length))
    description: Mapped[str] = mapped_column(Text, default="")
    mentee_role: Mapped[MenteeRole] = mapped_column(EnumText(MenteeRole, 12), active_history=True)
    off_plan_reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[LogStatus] = mapped_column(
        EnumText(LogStatus, 16), default=LogStatus.DRAFT, active_history=True
    )
    submitted_at: Mapped[datetime | None]  # the last submission
    responded_at: Mapped[datetime | None]  # the mentee's last answer
    # Derived from the history (scbi.transfer.services.derived keeps, checks and rebuilds
    # them): the first "submitted" event and the "acknowledged" one, which never change.
    first_submitted_at: Mapped[datetime | None]
    acknowledged_at: Mapped[datetime | None]
    mentee_comment: Mapped[str] = mapped_column(Text, default="")
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    verified_at: Mapped[datetime | None]
    # Made by the client that sent the log (idempotency): the same key again is the same log.
    client_key: Mapped[str | None] = mapped_column(String(64))
    # One activity with several of the coach's mentees: each pairing's log, one session.
    session_id: Mapped[int | None] = mapped_column(ForeignKey("log_session.id"), index=True)
    # The priority result of the pairing's sector that the activity served, if any.
    priority_result_id: Mapped[int | None] = mapped_column(ForeignKey("priority_result.id"))
    # A peer-exchange activity: the exchange (scbi.exchanges) the mentee took part in.
    exchange_id: Mapped[int | None] = mapped_column(ForeignKey("exchange.id"))

    pairing: Mapped[Pairing] = relationship(lazy="joined")
    author: Mapped["User"] = relationship(foreign_keys=[author_id])  # noqa: F821, UP037
    verified_by: Mapped["User | None"] = relationship(  # noqa: F821, UP037
        foreign_keys=[verified_by_id]
    )
    competencies: Mapped[list["Competency"]] = relationship(  # noqa: F821, UP037
        secondary=log_competency, order_by="Competency.sort_order"
    )
    events: Mapped[list[LogEvent]] = relationship(
        back_populates="log", order_by="LogEvent.id", cascade="all, delete-orphan"
    )
    evidence: Mapped[list[Evidence]] = relationship(back_populates="log", order_by="Evidence.id")
    priority_result: Mapped["PriorityResult | None"] = relationship()  # noqa: F821, UP037

    @property
    def hours(self) -> float:
        return self.minutes / 60

    @property
    def editable(self) -> bool:
        return self.status in (LogStatus.DRAFT, LogStatus.DISPUTED)

    @property
    def is_disputed(self) -> bool:
        return self.status == LogStatus.DISPUTED

    @property
    def is_verified(self) -> bool:
        return self.status == LogStatus.VERIFIED


class LogMonth(Base):
    """The counted logs (acknowledged or verified) of a pairing in a calendar month: how
    many, their minutes and the minutes the mentee led. Derived from the logs, kept in
    the transaction of every change to them, checked and rebuildable
    (scbi.transfer.log_months): the reports read a sector's hours since the programme
    began from these rows, not from every log ever written."""

    __tablename__ = "log_month"

    pairing_id: Mapped[int] = mapped_column(ForeignKey("pairing.id"), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # YYYY-MM
    logs: Mapped[int] = mapped_column(Integer)
    minutes: Mapped[int] = mapped_column(Integer)
    led_minutes: Mapped[int] = mapped_column(Integer)


class LogEvent(IdMixin, Base):
    """One step of a log's life, shown as its history (kept even when the log changes)."""

    __tablename__ = "log_event"
    __table_args__ = (
        # a log's history, and its first submission or acknowledgement (index only)
        Index("ix_log_event_log_action", "log_id", "action", "at"),
        # a period's disputes (the reports)
        Index("ix_log_event_action_at", "action", "at"),
    )

    log_id: Mapped[int] = mapped_column(ForeignKey("transfer_log.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(24))
    by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    at: Mapped[datetime]
    comment: Mapped[str] = mapped_column(Text, default="")
    # the log's content before a change; None is SQL NULL
    snapshot: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))

    log: Mapped[TransferLog] = relationship(back_populates="events")
    by: Mapped["User | None"] = relationship(lazy="joined")  # noqa: F821, UP037


EVIDENCE = {"url": limits.Text(2000, required=True), "title": limits.Text(200, required=True)}


class Evidence(IdMixin, Base):
    """A file (stored outside static/ under a random name) or a link, attached to a log."""

    __tablename__ = "evidence"
    __table_args__ = (
        CheckConstraint("(stored_name IS NULL) <> (url IS NULL)", name="file_or_link"),
    )

    log_id: Mapped[int] = mapped_column(ForeignKey("transfer_log.id"), index=True)
    title: Mapped[str] = mapped_column(String(EVIDENCE["title"].max_length))
    original_name: Mapped[str | None] = mapped_column(String(255))
    stored_name: Mapped[str | None] = mapped_column(String(64), unique=True)
    content_type: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[int | None]
    sha256: Mapped[str | None] = mapped_column(String(64))
    url: Mapped[str | None] = mapped_column(String(EVIDENCE["url"].max_length))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    uploaded_at: Mapped[datetime]

    log: Mapped[TransferLog] = relationship(back_populates="evidence")
    uploaded_by: Mapped["User"] = relationship(lazy="joined")  # noqa: F821, UP037

    @property
    def is_file(self) -> bool:
        return self.stored_name is not None

    @property
    def opens_in_browser(self) -> bool:
        """A file the browser shows itself (an image or a PDF, by the type stored at
        upload once the content matched it: scbi.files.store); any other file downloads."""
        return self.is_file and shown_inline(self.content_type)
