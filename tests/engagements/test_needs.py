"""The home queues of short engagements: requests waiting for a broker (the secretariat,
coordinators for their sectors) and close-outs due (they, and the brokered coach); and
the figures the reports read from engagements."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import union_all

from scbi.engagements.models import ObjectiveOutcome
from scbi.engagements.queries.reports import read_report_rows, report_parts
from scbi.engagements.services import decline, withdraw
from scbi.extensions import db
from tests import factories as f
from tests.engagements.helpers import active, brokered, closed, requested
from tests.helpers import QueryCounter, csrf_token, login


@pytest.fixture
def world(app):
    world = f.world(app)
    with app.app_context():
        world.waiting_a = requested(world.a).id
        requested(world.a)
        requested(world.b)
        world.due_a = active(world.a).id  # its six weeks ended in April 2025
        brokered(world.b)
        db.session.commit()
    return world


def home(client, person) -> str:
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, person)
    return client.get("/").text


def test_each_role_sees_the_engagements_waiting_for_them(app, client, world):
    page = home(client, world.secretariat)
    assert "3 requests waiting for a broker" in page and "1 close-out due" in page
    assert f'href="/engagements/{world.due_a}"' in page  # a queue of one opens the record
    assert 'href="/engagements?status=requested"' in page
    page = home(client, world.a.coordinator)
    assert "2 requests waiting for a broker" in page and "1 close-out due" in page
    page = home(client, world.b.coordinator)
    assert "1 request waiting for a broker" in page and "close-out" not in page
    page = home(client, world.a.coach_user)
    assert "1 close-out due" in page and "waiting for a broker" not in page
    page = home(client, world.b.coach_user)  # brokered, not started: nothing due
    assert "close-out" not in page
    page = home(client, world.a.mentee_user)  # in a team: reads it, nothing to do
    assert "close-out" not in page and "waiting for a broker" not in page


def test_the_queues_cost_one_statement_whatever_their_size(app, client, world):
    login(client, world.secretariat)

    def statements() -> int:
        with QueryCounter(app) as counter:
            assert client.get("/").status_code == 200
        return counter.count

    before = statements()
    with app.app_context():
        for _n in range(3):
            requested(world.a)
            active(world.b)
        db.session.commit()
    assert statements() == before <= 15


def test_the_reports_count_requests_starts_ends_and_outcomes_in_a_period(app, world):
    with app.app_context():
        done = closed(world.a)  # achieved and partly, a longer pairing recommended
        no = requested(world.a)
        decline(no, by=f.admin(), version=no.version, reason="Out of scope.")
        gone = requested(world.a)
        withdraw(gone, by=f.admin(), version=gone.version, reason="A new director.")
        rows = db.session.execute(
            union_all(*report_parts([world.a.sector_id], date(2025, 12, 31)))
        ).all()
        figures = read_report_rows(rows, date(2025, 1, 1), date(2025, 12, 31))
        assert done.ended_on == date(2025, 4, 18)
        # all sector A's: two waiting, one active, the closed one, the declined and withdrawn
        assert figures.opened == 6 and figures.started == 2 and figures.closed == 1
        assert figures.declined == 0 and figures.withdrawn == 0  # they ended today, not in 2025
        assert figures.outcomes == {
            ObjectiveOutcome.ACHIEVED: 1,
            ObjectiveOutcome.PARTLY: 1,
            ObjectiveOutcome.NOT: 0,
        }
        assert figures.longer_pairings == 1
        april = read_report_rows(rows, date(2025, 4, 1), date(2025, 4, 30))
        assert (april.opened, april.started, april.closed) == (0, 0, 1)
        before = db.session.execute(
            union_all(*report_parts([world.a.sector_id], date(2025, 4, 17)))
        ).all()
        assert read_report_rows(before, date(2025, 1, 1), date(2025, 12, 31)).closed == 0
