"""Peer exchanges and what hangs on them (docs/exchanges.md).

An exchange is one event — a study visit, a peer review, an exchange workshop, a
community-of-practice meeting — on a day or several, hosted by an institution of the
programme or by an organisation named with its country (an exchange abroad). It concerns
one sector or more (the coordinators of those sectors manage it), has participants
(mentees and coaches of the programme, and people from outside it), the competencies and
priority results it addressed and the questions it set out to answer; afterwards, what
was learnt and the follow-up actions, each with an owner and a due date until it is
done. Each participating mentee may write a reflection; a coach may link the exchange to
the plans of the mentees they coach who took part; a transfer log of a peer exchange may
point at it (``transfer_log.exchange_id``).
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
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
from scbi.mentees.models import Gender

# An exchange lasts a day or several; longer than this is a typing slip, not a visit.
MAX_DAYS = 60

# Field limits (scbi.limits), read by the forms, the API schemas and the services.
EXCHANGE = {
    "title": limits.Text(200, required=True),
    "host_organisation": limits.Text(200),
    "questions": limits.Text(4000),
    "learnt": limits.Text(10000),
}
PARTICIPANT = {
    "name": limits.Text(200, required=True),
    "organisation": limits.Text(200, required=True),
}
ACTION = {
    "description": limits.Text(2000, required=True),
    "owner_name": limits.Text(200),
}
REFLECTION = {"text": limits.Text(10000, required=True)}
PLAN_LINK = {"note": limits.Text(1000)}


class ExchangeKind(Labelled):
    STUDY_VISIT = "study_visit", _l("Study visit")
    PEER_REVIEW = "peer_review", _l("Peer review")
    WORKSHOP = "exchange_workshop", _l("Exchange workshop")
    COMMUNITY = "community_of_practice", _l("Community-of-practice meeting")


class ExchangeState(Labelled):
    """Where an exchange stands on a day (derived from its dates, never stored)."""

    PLANNED = "planned", _l("Planned"), "light"
    UNDER_WAY = "under_way", _l("Under way"), "primary"
    HELD = "held", _l("Held"), "success"


class ParticipantKind(Labelled):
    """Who took part: a mentee or a coach of the programme, or someone from outside it."""

    MENTEE = "mentee", _l("Mentee")
    COACH = "coach", _l("Coach")
    EXTERNAL = "external", _l("External participant")


exchange_sector = Table(
    "exchange_sector",
    Base.metadata,
    Column("exchange_id", ForeignKey("exchange.id", ondelete="CASCADE"), primary_key=True),
    Column("sector_id", ForeignKey("sector.id"), primary_key=True, index=True),
)
exchange_competency = Table(
    "exchange_competency",
    Base.metadata,
    Column("exchange_id", ForeignKey("exchange.id", ondelete="CASCADE"), primary_key=True),
    Column("competency_id", ForeignKey("competency.id"), primary_key=True, index=True),
)
exchange_result = Table(
    "exchange_result",
    Base.metadata,
    Column("exchange_id", ForeignKey("exchange.id", ondelete="CASCADE"), primary_key=True),
    Column("priority_result_id", ForeignKey("priority_result.id"), primary_key=True, index=True),
)


class Exchange(IdMixin, TimestampMixin, VersionMixin, Base):
    """One peer exchange. Its host is an institution of the programme, or an organisation
    named with its country (ISO 3166 alpha-2), abroad or at home."""

    __tablename__ = "exchange"
    # what hangs on the exchange has its own rows: adding a participant or an action does
    # not make someone's open edit form of the exchange stale
    __unversioned__ = frozenset({"participants", "actions", "reflections", "plan_links"})
    __table_args__ = (
        enum_check("kind", ExchangeKind),
        CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
        CheckConstraint(
            "(host_institution_id IS NULL) <> (host_organisation IS NULL)", name="one_host"
        ),
        CheckConstraint(
            "(host_organisation IS NULL) = (host_country IS NULL)", name="host_country_named"
        ),
        # the list, newest first
        Index("ix_exchange_starts_on_id", "starts_on", "id"),
    )

    kind: Mapped[ExchangeKind] = mapped_column(EnumText(ExchangeKind, 24))
    title: Mapped[str] = mapped_column(String(EXCHANGE["title"].max_length))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    host_institution_id: Mapped[int | None] = mapped_column(
        ForeignKey("institution.id"), index=True
    )
    host_country: Mapped[str | None] = mapped_column(String(2))
    host_organisation: Mapped[str | None] = mapped_column(
        String(EXCHANGE["host_organisation"].max_length)
    )
    questions: Mapped[str] = mapped_column(Text, default="")
    learnt: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))

    host_institution: Mapped["Institution | None"] = relationship(lazy="joined")  # noqa: F821, UP037
    sectors: Mapped[list["Sector"]] = relationship(  # noqa: F821, UP037
        secondary=exchange_sector, order_by="Sector.name"
    )
    competencies: Mapped[list["Competency"]] = relationship(  # noqa: F821, UP037
        secondary=exchange_competency, order_by="Competency.sort_order"
    )
    results: Mapped[list["PriorityResult"]] = relationship(  # noqa: F821, UP037
        secondary=exchange_result, order_by="PriorityResult.title"
    )
    participants: Mapped[list[ExchangeParticipant]] = relationship(
        back_populates="exchange", order_by="ExchangeParticipant.id"
    )
    actions: Mapped[list[ExchangeAction]] = relationship(
        back_populates="exchange", order_by="[ExchangeAction.due_on, ExchangeAction.id]"
    )

    def state_on(self, day: date) -> ExchangeState:
        if day < self.starts_on:
            return ExchangeState.PLANNED
        if day <= self.ends_on:
            return ExchangeState.UNDER_WAY
        return ExchangeState.HELD

    @property
    def sector_ids(self) -> list[int]:
        return sorted(s.id for s in self.sectors)

    @property
    def competency_ids(self) -> list[int]:
        return sorted(c.id for c in self.competencies)

    @property
    def result_ids(self) -> list[int]:
        return sorted(r.id for r in self.results)


class ExchangeParticipant(IdMixin, Base):
    """One person who took part: a mentee, a coach, or someone from outside the programme
    (a name, an organisation, a country, and a gender when given)."""

    __tablename__ = "exchange_participant"
    __table_args__ = (
        UniqueConstraint("exchange_id", "mentee_id"),
        UniqueConstraint("exchange_id", "coach_id"),
        CheckConstraint(
            "CASE WHEN mentee_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN coach_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN name IS NULL THEN 0 ELSE 1 END = 1",
            name="one_kind",
        ),
        CheckConstraint(
            "name IS NULL OR (organisation IS NOT NULL AND country IS NOT NULL)",
            name="external_named",
        ),
        enum_check("gender", Gender),
    )

    exchange_id: Mapped[int] = mapped_column(ForeignKey("exchange.id"))
    mentee_id: Mapped[int | None] = mapped_column(ForeignKey("mentee.id"), index=True)
    coach_id: Mapped[int | None] = mapped_column(ForeignKey("coach.id"), index=True)
    name: Mapped[str | None] = mapped_column(String(PARTICIPANT["name"].max_length))
    organisation: Mapped[str | None] = mapped_column(String(PARTICIPANT["organisation"].max_length))
    country: Mapped[str | None] = mapped_column(String(2))
    # an external participant's, when given (a mentee's is on their profile; a coach's is
    # not recorded)
    gender: Mapped[Gender | None] = mapped_column(EnumText(Gender, 16))

    exchange: Mapped[Exchange] = relationship(back_populates="participants")
    mentee: Mapped["Mentee | None"] = relationship(lazy="joined")  # noqa: F821, UP037
    coach: Mapped["Coach | None"] = relationship(lazy="joined")  # noqa: F821, UP037

    @property
    def kind(self) -> ParticipantKind:
        if self.mentee_id is not None:
            return ParticipantKind.MENTEE
        if self.coach_id is not None:
            return ParticipantKind.COACH
        return ParticipantKind.EXTERNAL

    @property
    def full_name(self) -> str:
        if self.mentee is not None:
            return self.mentee.full_name
        if self.coach is not None:
            return self.coach.full_name
        return self.name or ""


class ExchangeAction(IdMixin, TimestampMixin, VersionMixin, Base):
    """A follow-up action of an exchange: what, whose (an account of the programme, or a
    person named), by when, and the day it was done."""

    __tablename__ = "exchange_action"
    __table_args__ = (
        CheckConstraint("(owner_id IS NULL) <> (owner_name IS NULL)", name="one_owner"),
        # an owner's open actions by due date (the home page's overdue count)
        Index("ix_exchange_action_owner_done_due", "owner_id", "done_on", "due_on"),
        Index("ix_exchange_action_exchange_id", "exchange_id"),
    )

    exchange_id: Mapped[int] = mapped_column(ForeignKey("exchange.id"))
    description: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    owner_name: Mapped[str | None] = mapped_column(String(ACTION["owner_name"].max_length))
    due_on: Mapped[date]
    done_on: Mapped[date | None]

    exchange: Mapped[Exchange] = relationship(back_populates="actions")
    owner: Mapped["User | None"] = relationship(lazy="joined")  # noqa: F821, UP037

    @property
    def owner_label(self) -> str:
        return self.owner.full_name if self.owner is not None else (self.owner_name or "")

    def overdue_on(self, day: date) -> bool:
        return self.done_on is None and self.due_on < day


class ExchangeReflection(IdMixin, TimestampMixin, VersionMixin, Base):
    """A participating mentee's own reflection on the exchange (one each, theirs to edit;
    every version is kept in the audit trail)."""

    __tablename__ = "exchange_reflection"
    __table_args__ = (UniqueConstraint("exchange_id", "mentee_id"),)

    exchange_id: Mapped[int] = mapped_column(ForeignKey("exchange.id"))
    mentee_id: Mapped[int] = mapped_column(ForeignKey("mentee.id"), index=True)
    text: Mapped[str] = mapped_column(Text)

    mentee: Mapped["Mentee"] = relationship(lazy="joined")  # noqa: F821, UP037


class ExchangePlanLink(IdMixin, Base):
    """A coach's link from the exchange to a transfer plan of a pairing they coach whose
    mentee took part: the exchange serves that plan."""

    __tablename__ = "exchange_plan_link"
    __table_args__ = (UniqueConstraint("exchange_id", "plan_id"),)

    exchange_id: Mapped[int] = mapped_column(ForeignKey("exchange.id"))
    plan_id: Mapped[int] = mapped_column(ForeignKey("transfer_plan.id"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    linked_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    exchange: Mapped[Exchange] = relationship()
    plan: Mapped["TransferPlan"] = relationship(lazy="joined")  # noqa: F821, UP037
    linked_by: Mapped["User"] = relationship(lazy="joined")  # noqa: F821, UP037
