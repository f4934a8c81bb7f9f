"""A new pairing's sector (issue 17, item 4): left empty, it is the one the coach and the
mentee share — in the service, so the web form and the API agree; when they share none
the refusal names both; a sector other than the mentee's still needs its reason."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import func, select

from scbi.audit import AuditEvent
from scbi.auth.models import User
from scbi.errors import NotAllowed, ValidationFailed
from scbi.extensions import db
from scbi.programme.models import Sector
from scbi.transfer import services
from scbi.transfer.models import Pairing
from tests import factories as f
from tests.helpers import api_token, bearer, login, post_form


def _people(app, world) -> dict:
    """A new mentee of sector A (free to pair with coach A) and one of sector B."""
    with app.app_context():
        a = f.mentee(world.a.sector_id, world.a.institution_id)
        b = f.mentee(world.b.sector_id, world.b.institution_id)
        db.session.commit()
        return {
            "mentee_a": a.id,
            "mentee_b": b.id,
            "sector_a": db.session.get(Sector, world.a.sector_id).name,
            "sector_b": db.session.get(Sector, world.b.sector_id).name,
        }


def _values(world, mentee_id, **kw) -> dict:
    return {
        "coach_id": world.a.coach_id,
        "mentee_id": mentee_id,
        "phase_id": world.phase_id,
        "start_date": "2026-01-05",
        "planned_end_date": "2027-01-05",
    } | kw


def _pairings(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Pairing))


def test_the_service_takes_the_sector_coach_and_mentee_share(app):
    world = f.world(app)
    people = _people(app, world)
    with app.app_context():
        pairing = services.create_pairing(
            by=f.admin(), **_values(world, people["mentee_a"], sector_id=None)
        )
        db.session.commit()
        assert pairing.sector_id == world.a.sector_id
        assert pairing.cross_sector_reason == ""
        event = db.session.scalar(
            select(AuditEvent)
            .where(AuditEvent.action == "pairing.create")
            .order_by(AuditEvent.id.desc())
        )
        assert event.after["sector_id"] == world.a.sector_id


def test_without_a_shared_sector_the_refusal_names_both(app):
    world = f.world(app)
    people = _people(app, world)
    before = _pairings(app)
    with app.app_context():
        with pytest.raises(ValidationFailed) as refused:
            services.create_pairing(by=f.admin(), **_values(world, people["mentee_b"]))
        db.session.rollback()
    assert set(refused.value.fields) == {"sector_id"}
    message = refused.value.fields["sector_id"][0]
    assert message == (
        f"Choose the pairing's sector: the coach is in {people['sector_a']} and the mentee "
        f"in {people['sector_b']}."
    )
    assert _pairings(app) == before


def test_another_sector_than_the_mentees_still_needs_its_reason(app):
    world = f.world(app)
    people = _people(app, world)
    with app.app_context():
        with pytest.raises(ValidationFailed) as refused:
            services.create_pairing(
                by=f.admin(), **_values(world, people["mentee_b"], sector_id=world.a.sector_id)
            )
        db.session.rollback()
    assert (
        "say why this pairing is in another sector"
        in refused.value.fields["cross_sector_reason"][0]
    )


def test_a_coordinator_learns_nothing_of_another_sector_from_an_empty_sector(app):
    """The sectors of people outside the coordinator's own are a 403, not a message."""
    world = f.world(app)
    people = _people(app, world)
    with app.app_context():
        coordinator = db.session.get(User, world.a.coordinator.id)
        with pytest.raises(NotAllowed):
            services.create_pairing(by=coordinator, **_values(world, people["mentee_b"]))
        db.session.rollback()


def test_the_pairing_form_says_it_took_the_shared_sector(app, client):
    world = f.world(app)
    people = _people(app, world)
    login(client, world.a.coordinator)
    page = client.get("/pairings/new").text
    assert re.search(r'<script src="/static/js/formguide\.[0-9a-f]{12}\.js" defer>', page)
    mentee_option = re.search(rf'<option[^>]*value="{people["mentee_a"]}"[^>]*>', page)[0]
    assert f'data-sector="{world.a.sector_id}"' in mentee_option
    coach_option = re.search(rf'<option[^>]*value="{world.a.coach_id}"[^>]*>', page)[0]
    assert f'data-sector="{world.a.sector_id}"' in coach_option
    sector = re.search(r"<select[^>]*id=\"sector_id\"[^>]*>", page)[0]
    assert "required" not in sector
    assert 'data-shared="Set to the sector the coach and the mentee share."' in page
    made = post_form(client, "/pairings/new", _values(world, people["mentee_a"], sector_id=""))
    assert made.status_code == 302, html.unescape(made.text)[:1500]
    shown = html.unescape(client.get(made.headers["Location"]).text)
    assert (
        f"The pairing is in {people['sector_a']}, the sector the coach and the mentee share."
        in shown
    )


def test_the_pairing_form_keeps_the_input_when_the_sector_cannot_be_taken(app, client):
    world = f.world(app)
    people = _people(app, world)
    login(client, world.secretariat)
    refused = post_form(client, "/pairings/new", _values(world, people["mentee_b"], sector_id=""))
    assert refused.status_code == 422
    page = html.unescape(refused.text)
    beside = re.search(r'id="sector_id-error"[^>]*>(.*?)</div>', page, re.S)
    assert beside and "Choose the pairing's sector: the coach is in" in beside[1]
    assert 'value="2027-01-05"' in page


def test_the_api_takes_the_shared_sector_or_names_the_field(app, client):
    world = f.world(app)
    people = _people(app, world)
    headers = bearer(api_token(client, world.secretariat))
    body = _values(world, people["mentee_a"])
    made = client.post("/api/v1/pairings", headers=headers, json=body)
    assert made.status_code == 201, made.json
    assert made.json["sector_id"] == world.a.sector_id
    refused = client.post(
        "/api/v1/pairings", headers=headers, json=_values(world, people["mentee_b"], sector_id=None)
    )
    assert refused.status_code == 422
    assert "sector_id" in refused.json["error"]["fields"]
