"""The pure rules of scbi.exchanges.permissions, role by role."""

from __future__ import annotations

from datetime import timedelta

from scbi.auth.models import User
from scbi.dates import today
from scbi.exchanges.models import Exchange, ExchangeAction, ExchangePlanLink
from scbi.exchanges.permissions import (
    can_create_exchange,
    can_manage_exchange,
    can_mark_done,
    can_reflect,
    can_unlink,
    own_participation,
)
from scbi.extensions import db
from tests import factories
from tests.exchanges.helpers import exchange_of_a


def test_who_creates_manages_reflects_marks_done_and_unlinks(app):
    world = factories.world(app)
    with app.app_context():
        made = exchange_of_a(world)
        exchange = db.session.get(Exchange, made.id)
        action = db.session.get(ExchangeAction, made.action_id)
        link = db.session.get(ExchangePlanLink, made.link_id)
        people = {
            name: db.session.get(User, person.id)
            for name, person in {
                "secretariat": world.secretariat,
                "coordinator": world.a.coordinator,
                "other coordinator": world.b.coordinator,
                "coach": world.a.coach_user,
                "mentee": world.a.mentee_user,
                "other mentee": world.b.mentee_user,
            }.items()
        }
        day = today()
        rules = {
            name: (
                can_create_exchange(u),
                can_manage_exchange(u, exchange),
                can_reflect(u, exchange, day),
                can_mark_done(u, action, exchange),
                can_unlink(u, link, can_manage_exchange(u, exchange)),
            )
            for name, u in people.items()
        }
        assert rules == {
            "secretariat": (True, True, False, True, True),
            "coordinator": (True, True, False, True, True),
            "other coordinator": (True, False, False, False, False),
            "coach": (False, False, False, False, True),
            "mentee": (False, False, True, True, False),
            "other mentee": (False, False, False, False, False),
        }
        assert own_participation(people["mentee"], exchange).mentee_id == world.a.mentee_id
        assert not can_reflect(people["mentee"], exchange, exchange.starts_on - timedelta(days=1))
        action.done_on = day
        assert not can_mark_done(people["mentee"], action, exchange)
