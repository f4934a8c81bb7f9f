"""The engagement rows a report folds into a statement it already sends (a report page
sends at most 15 statements, QUALITY.md), and what they count.

Each part has the columns of the UNION ALL that reads the mentees' dated statuses
(scbi.reports.queries.statuses_and_follow_ups, which scbi.retention.queries.reports joins
too):
    kind, day, ident, mentee_id, sector_id, status, gender, institution_id
and uses them so (ident is the engagement's id; the kinds start with "e"):
    "er" a request received: day = received_on, status = its state now
    "es" an engagement started: day = its start date
    "ee" a request or engagement ended: day = ended_on, status = closed, declined or
        withdrawn, gender = "yes" when the close-out recommends a longer pairing
    "eo" an objective's outcome: day = the close-out's date, mentee_id = the objective's
        number, status = achieved, partly or not
Engagements are few (tens a year), so every row up to the report's ``as_of`` is read and
the period is counted in Python (:func:`read_report_rows`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Integer, Select, String, case, cast, literal_column, select

from scbi.dates import as_day
from scbi.engagements.models import (
    Engagement,
    EngagementObjective,
    EngagementStatus,
    ObjectiveOutcome,
)
from scbi.sql import blank, row_kind

STARTED = (EngagementStatus.ACTIVE, EngagementStatus.CLOSED)


def report_parts(sector_ids, as_of: date) -> list[Select]:
    """The rows of the engagements of ``sector_ids`` as they stood on ``as_of``: the
    requests received by then, the engagements started, those ended and the outcomes
    given by then."""
    in_scope = Engagement.sector_id.in_(list(sector_ids))
    received = select(
        row_kind("er"),
        Engagement.received_on,
        Engagement.id,
        blank(Integer),
        Engagement.sector_id,
        cast(Engagement.status, String),
        blank(String),
        Engagement.institution_id,
    ).where(in_scope, Engagement.received_on <= as_of)
    started = select(
        row_kind("es"),
        Engagement.start_date,
        Engagement.id,
        blank(Integer),
        Engagement.sector_id,
        blank(String),
        blank(String),
        Engagement.institution_id,
    ).where(in_scope, Engagement.status.in_(STARTED), Engagement.start_date <= as_of)
    longer = case((Engagement.longer_pairing.is_(True), literal_column("'yes'", String)))
    ended = select(
        row_kind("ee"),
        Engagement.ended_on,
        Engagement.id,
        blank(Integer),
        Engagement.sector_id,
        cast(Engagement.status, String),
        longer,
        Engagement.institution_id,
    ).where(in_scope, Engagement.ended_on <= as_of)
    outcomes = (
        select(
            row_kind("eo"),
            Engagement.ended_on,
            Engagement.id,
            EngagementObjective.number,
            Engagement.sector_id,
            cast(EngagementObjective.outcome, String),
            blank(String),
            Engagement.institution_id,
        )
        .join(Engagement, Engagement.id == EngagementObjective.engagement_id)
        .where(
            in_scope,
            Engagement.status == EngagementStatus.CLOSED,
            Engagement.ended_on <= as_of,
        )
    )
    return [received, started, ended, outcomes]


@dataclass
class EngagementFigures:
    """Short engagements in a period: requests received (opened), engagements started,
    closed, requests declined or withdrawn, the closed ones' outcomes per objective, and
    the close-outs that recommend a longer pairing."""

    opened: int = 0
    started: int = 0
    closed: int = 0
    declined: int = 0
    withdrawn: int = 0
    longer_pairings: int = 0
    outcomes: dict[ObjectiveOutcome, int] = field(
        default_factory=lambda: dict.fromkeys(ObjectiveOutcome, 0)
    )


def read_report_rows(rows, start: date, end: date) -> EngagementFigures:
    """The figures of ``start`` to ``end`` (both included) from the rows of
    :func:`report_parts` (rows of other kinds are left alone)."""
    found = EngagementFigures()
    ended = {
        EngagementStatus.CLOSED.value: "closed",
        EngagementStatus.DECLINED.value: "declined",
        EngagementStatus.WITHDRAWN.value: "withdrawn",
    }
    for kind, day, _ident, _number, _sector, status, flag, _institution in rows:
        if kind not in ("er", "es", "ee", "eo") or not start <= as_day(day) <= end:
            continue
        if kind == "er":
            found.opened += 1
        elif kind == "es":
            found.started += 1
        elif kind == "ee":
            name = ended[status]
            setattr(found, name, getattr(found, name) + 1)
            found.longer_pairings += flag == "yes"
        else:
            found.outcomes[ObjectiveOutcome(status)] += 1
    return found
