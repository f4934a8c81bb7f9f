"""Short engagements built through the services, in each state (inside an app context)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from scbi.auth.models import User
from scbi.engagements import services
from scbi.engagements.models import Engagement
from scbi.engagements.services import close_out, running
from scbi.extensions import db
from tests import factories as f

RECEIVED = date(2025, 3, 1)
START = date(2025, 3, 3)  # a Monday, inside the factories' coach contracts
PROBLEM = "Electricity connection requests take four months to process."


def requested(side, *, by: User | None = None, **kw) -> Engagement:
    """A request of ``side``'s institution (a world's ``a`` or ``b``) with two objectives."""
    values = {
        "institution_id": side.institution_id,
        "received_on": RECEIVED,
        "requested_by_name": "Jeanne Uwase",
        "requested_by_role": "Director of customer service",
        "problem": PROBLEM,
        "hoped_result": "Connections processed within four weeks.",
        "objectives": ["Map the connection process", "Cut the steps that add no value"],
    } | kw
    return services.record_request(by=by or f.admin(), **values)


def brokered(side, *, coach_id=None, weeks: int = 6, **kw) -> Engagement:
    """``side``'s request, brokered to ``side``'s coach (or ``coach_id``) from START, with
    ``side``'s mentee in the counterpart team."""
    engagement = requested(side, **kw)
    services.set_team(
        engagement,
        by=f.admin(),
        version=engagement.version,
        members=[
            {"name": "Eric Habimana", "position": "Head of connections"},
            {"mentee_id": side.mentee_id},
        ],
    )
    return running.broker(
        engagement,
        by=f.admin(),
        version=engagement.version,
        coach_id=coach_id or side.coach_id,
        start_date=START,
        weeks=weeks,
    )


def active(side, **kw) -> Engagement:
    """Brokered, and started on START (its six weeks are over: the close-out is due)."""
    engagement = brokered(side, **kw)
    return running.start(engagement, by=f.admin(), version=engagement.version)


def outcomes(engagement: Engagement, *words: str) -> list[dict]:
    return [
        {"objective_id": o.id, "outcome": word}
        for o, word in zip(engagement.objectives, words, strict=False)
    ]


def closed(side, **kw) -> Engagement:
    engagement = active(side, **kw)
    return close_out.close(
        engagement,
        by=f.admin(),
        version=engagement.version,
        outcomes=outcomes(engagement, "achieved", "partly"),
        team_can_now="Map a process and find its waste without help.",
        longer_pairing=True,
        longer_pairing_note="A year on the new connection system, for the head of unit.",
        closed_on=date(2025, 4, 18),
    )


def matrix_engagements(world) -> tuple[int, int]:
    """Sector A's brokered engagement and its active one (coach A brokered, mentee A in the
    team), made once per world: the route matrix's ``{engagement}`` and ``{running}`` (by
    their order, so a page that moved one on — the accessibility sweep sends forms — still
    finds both)."""
    found = db.session.scalars(
        select(Engagement.id)
        .where(Engagement.sector_id == world.a.sector_id)
        .order_by(Engagement.id)
    ).all()
    if not found:
        found = [brokered(world.a).id, active(world.a).id]
        db.session.commit()
    return found[0], found[1]
