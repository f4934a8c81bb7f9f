"""The one table of the lessons register: the tags put on its entries.

The entries themselves are never stored: each is read, when the register is searched, from
the record it comes from (an exchange whose learning is recorded, a closed engagement, a
published report or addendum), so an entry cannot drift from its source. What the register
adds is curated tags — a problem in a few words, or a competency — each on one entry, named
by its source's kind and id (``source``, ``source_id``: no foreign key, as the sources are
three tables).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scbi import limits
from scbi.database import Base, EnumText, IdMixin, enum_check, utcnow
from scbi.enums import Labelled


class LessonSource(Labelled):
    """Where an entry of the register comes from."""

    EXCHANGE = "exchange", _l("Peer exchange"), "primary", _l("peer exchange")
    ENGAGEMENT = "engagement", _l("Short engagement"), "success", _l("short engagement")
    REPORT = "report", _l("Published report"), "secondary", _l("published report")


class TagKind(Labelled):
    PROBLEM = "problem", _l("Problem")
    COMPETENCY = "competency", _l("Competency")


# Field limits (scbi.limits), read by the form, the API schema and the service.
TAG = {"problem": limits.Text(60, required=True)}


class LessonTag(IdMixin, Base):
    """A tag on an entry: a problem (its words, lower case, single spaces) or a
    competency; an entry holds each once."""

    __tablename__ = "lesson_tag"
    __table_args__ = (
        enum_check("source", LessonSource),
        CheckConstraint("(problem IS NULL) <> (competency_id IS NULL)", name="one_tag"),
        UniqueConstraint("source", "source_id", "problem"),
        UniqueConstraint("source", "source_id", "competency_id"),
        # the register filtered by a problem tag, and the tags suggested
        Index("ix_lesson_tag_problem", "problem"),
    )

    source: Mapped[LessonSource] = mapped_column(EnumText(LessonSource, 16))
    source_id: Mapped[int] = mapped_column(Integer)
    problem: Mapped[str | None] = mapped_column(String(TAG["problem"].max_length))
    competency_id: Mapped[int | None] = mapped_column(ForeignKey("competency.id"), index=True)
    added_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    competency: Mapped["Competency | None"] = relationship(lazy="joined")  # noqa: F821, UP037

    @property
    def kind(self) -> TagKind:
        return TagKind.PROBLEM if self.problem is not None else TagKind.COMPETENCY

    @property
    def label(self) -> str:
        return self.problem if self.problem is not None else self.competency.short_name
