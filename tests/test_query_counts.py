"""SQL statements per page do not grow with the data (QUALITY.md: constant and ≤ 15)."""

from __future__ import annotations

import pytest

from scbi.extensions import db
from tests import factories as f
from tests.helpers import QueryCounter, login

PAGES = ["/", "/programme", "/coaches", "/mentees", "/pairings", "/frameworks", "/users", "/audit"]


def grow(app, n: int) -> None:
    """Add ``n`` sectors' worth of people, each with a pairing."""
    with app.app_context():
        from scbi.programme.models import Phase

        phase = db.session.scalar(db.select(Phase)) or f.phase()
        for _ in range(n):
            sector = f.sector()
            inst = f.institution(sector.id)
            coach = f.coach(sector.id, inst.id)
            for _ in range(2):
                f.pairing(coach, f.mentee(sector.id, inst.id), phase)
        db.session.commit()


def statements(app, client, path) -> int:
    with QueryCounter(app) as counter:
        response = client.get(path)
    assert response.status_code == 200, path
    return counter.count


@pytest.mark.parametrize("role", ["secretariat", "coordinator"])
def test_list_pages_use_a_constant_number_of_statements(app, client, role):
    world = f.world(app)
    person = world.secretariat if role == "secretariat" else world.a.coordinator
    login(client, person)
    pages = PAGES if role == "secretariat" else [p for p in PAGES if p not in ("/users", "/audit")]
    small = {p: statements(app, client, p) for p in pages}
    grow(app, 6)
    large = {p: statements(app, client, p) for p in pages}
    assert large == small
    assert max(large.values()) <= 15, large


def test_detail_pages_are_constant_too(app, client):
    world = f.world(app)
    login(client, world.secretariat)
    paths = [
        f"/sectors/{world.a.sector_id}",
        f"/coaches/{world.a.coach_id}",
        f"/mentees/{world.a.mentee_id}",
        f"/pairings/{world.a.pairing_id}",
        f"/frameworks/{world.framework_id}",
    ]
    small = {p: statements(app, client, p) for p in paths}
    grow(app, 4)
    assert {p: statements(app, client, p) for p in paths} == small
    assert max(small.values()) <= 15, small
