"""An exchange of the test world (tests/factories.py ``world``), built through the services."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from scbi.auth.models import User
from scbi.dates import today
from scbi.exchanges import services
from scbi.exchanges.services import actions, participants, reflections
from scbi.extensions import db
from tests import factories


def exchange_of(world, key: str = "a", **fields) -> SimpleNamespace:
    """A study visit of the world's sector ``key`` ("a" or "b"), held last week at its
    institution: its mentee and coach took part, with someone from outside; a follow-up
    action owned by the mentee, overdue; and, in sector A, its competency and priority
    result, and coach A's link to pairing A's approved plan. Inside an app context;
    commits. Returns the ids (``link_id`` None in sector B)."""
    side = getattr(world, key)
    by = factories.admin()
    day = today()
    values = {
        "kind": "study_visit",
        "title": "Grid code peer visit",
        "starts_on": day - timedelta(days=9),
        "ends_on": day - timedelta(days=7),
        "sector_ids": [side.sector_id],
        "host_institution_id": side.institution_id,
        "questions": "How do they schedule maintenance?",
    }
    if key == "a":
        values |= {"competency_ids": [world.competency_id], "result_ids": [world.result_id]}
    exchange = services.create_exchange(by=by, **(values | fields))
    participants.add_participant(exchange, by=by, kind="mentee", mentee_id=side.mentee_id)
    participants.add_participant(exchange, by=by, kind="coach", coach_id=side.coach_id)
    guest = participants.add_participant(
        exchange,
        by=by,
        kind="external",
        name="Wanjiru Kamau",
        organisation="Energy and Petroleum Regulatory Authority",
        country="KE",
        gender="female",
    )
    action = actions.add_action(
        exchange,
        by=by,
        description="Draft the maintenance schedule",
        owner_id=side.mentee_user.id,
        due_on=day - timedelta(days=1),
    )
    link = None
    if key == "a":
        coach = db.session.get(User, world.a.coach_user.id)
        link = reflections.link_plan(exchange, by=coach, plan_id=world.plan_id)
    db.session.commit()
    return SimpleNamespace(
        id=exchange.id,
        guest_id=guest.id,
        action_id=action.id,
        link_id=link.id if link else None,
    )


def exchange_of_a(world, **fields) -> SimpleNamespace:
    return exchange_of(world, "a", **fields)
