"""The reads the reports and the lessons register take from exchanges
(scbi.exchanges.queries.figures): the exchanges of a period and sectors, their
participants by kind, gender and country, the countries involved, the open actions, and
what was learnt."""

from __future__ import annotations

from datetime import timedelta

from scbi.dates import today
from scbi.exchanges import services
from scbi.exchanges.models import Exchange, ExchangeAction
from scbi.exchanges.queries import figures
from scbi.exchanges.services import actions
from scbi.extensions import db
from tests import factories
from tests.exchanges.helpers import exchange_of_a


def test_the_figures_of_an_exchange(app):
    world = factories.world(app)
    with app.app_context():
        made = exchange_of_a(world)
        day = today()
        week = figures.held_between(day - timedelta(days=8), day, [world.a.sector_id])
        assert list(db.session.scalars(week)) == [made.id]
        assert list(db.session.scalars(figures.held_between(day - timedelta(days=6), day))) == []
        other_sector = figures.held_between(day - timedelta(days=30), day, [world.b.sector_id])
        assert list(db.session.scalars(other_sector)) == []
        rows = db.session.execute(figures.participant_rows([made.id])).all()
        assert sorted((r.kind, r.gender, r.country) for r in rows) == [
            ("coach", None, None),
            ("external", "female", "KE"),
            ("mentee", "female", None),  # the factory's mentee, from their profile
        ]
        exchange = db.session.get(Exchange, made.id)
        services.update_exchange(
            exchange,
            by=factories.admin(),
            version=exchange.version,
            host_institution_id=None,
            host_organisation="Uganda Electricity Transmission Company",
            host_country="UG",
            learnt="Maintenance windows are agreed a year ahead",
        )
        countries = db.session.execute(figures.country_rows([made.id])).all()
        assert sorted(c.country for c in countries) == ["KE", "UG"]
        open_rows = db.session.execute(figures.open_action_rows([made.id], day)).all()
        assert [(r.id, bool(r.overdue)) for r in open_rows] == [(made.action_id, True)]
        actions.mark_done(db.session.get(ExchangeAction, made.action_id), by=factories.admin())
        assert db.session.execute(figures.open_action_rows([made.id], day)).all() == []
        # the day before, it was not recorded yet: no open action then
        earlier = figures.open_action_rows([made.id], day - timedelta(days=1))
        assert db.session.execute(earlier).all() == []
        # recorded a week ago, it was still open the day before it was done
        action = db.session.get(ExchangeAction, made.action_id)
        action.created_at = action.created_at - timedelta(days=7)
        assert len(db.session.execute(earlier).all()) == 1
        learnt = db.session.execute(figures.learnt_rows()).all()
        assert [(r.id, r.learnt) for r in learnt] == [
            (made.id, "Maintenance windows are agreed a year ahead")
        ]
