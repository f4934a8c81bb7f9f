"""A transfer log of a peer exchange points at the exchange its mentee took part in: the
log form offers those, the rules of logs refuse any other (naming ``exchange_id``), on
the web and in the API alike; the exchange's page lists its logs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from scbi.dates import today
from scbi.errors import InvalidTransition, ValidationFailed
from scbi.exchanges import services
from scbi.exchanges.models import ExchangeParticipant
from scbi.exchanges.services import participants
from scbi.extensions import db
from scbi.transfer.models import TransferLog
from scbi.transfer.services import logs
from tests import factories
from tests.exchanges.helpers import exchange_of_a
from tests.helpers import api_token, bearer, login, post_form


@pytest.fixture
def world(app):
    return factories.world(app)


def other_exchange(world) -> int:
    """An exchange mentee A did not take part in (inside an app context)."""
    admin = factories.admin()
    made = services.create_exchange(
        by=admin,
        kind="exchange_workshop",
        title="Regional tariff workshop",
        starts_on=today() - timedelta(days=20),
        sector_ids=[world.a.sector_id],
        host_institution_id=world.a.institution_id,
    )
    participants.add_participant(made, by=admin, kind="mentee", mentee_id=world.b.mentee_id)
    db.session.commit()
    return made.id


def test_a_peer_exchange_log_points_at_an_exchange_its_mentee_took_part_in(app, world):
    with app.app_context():
        made = exchange_of_a(world)
        other = other_exchange(world)
        log = factories.draft_log(world, activity_type="peer_exchange", exchange_id=made.id)
        assert log.exchange_id == made.id and logs.content(log)["exchange_id"] == made.id
        db.session.commit()
        for kind, exchange_id in (("peer_exchange", other), ("on_the_job", made.id)):
            with pytest.raises(ValidationFailed) as caught:
                factories.draft_log(world, activity_type=kind, exchange_id=exchange_id)
            assert list(caught.value.fields) == ["exchange_id"]
        with pytest.raises(ValidationFailed):
            factories.draft_log(world, activity_type="peer_exchange", exchange_id="2000000000")
        db.session.rollback()
        assert db.session.scalar(select(func.count(TransferLog.id))) == 2  # the world's, and this
        log = db.session.scalar(select(TransferLog).where(TransferLog.exchange_id == made.id))
        # changing the activity to another keeps the exchange: refused until it is cleared
        with pytest.raises(ValidationFailed) as caught:
            logs.update_log(log, by=log.author, version=log.version, activity_type="shadowing")
        assert list(caught.value.fields) == ["exchange_id"]


def test_the_mentee_whose_log_points_at_the_exchange_stays_a_participant(app, world):
    with app.app_context():
        made = exchange_of_a(world)
        from scbi.exchanges.models import ExchangePlanLink
        from scbi.exchanges.services import reflections

        reflections.unlink_plan(
            db.session.get(ExchangePlanLink, made.link_id), by=factories.admin()
        )
        factories.draft_log(world, activity_type="peer_exchange", exchange_id=made.id)
        part = db.session.scalar(
            select(ExchangeParticipant).where(
                ExchangeParticipant.exchange_id == made.id,
                ExchangeParticipant.mentee_id == world.a.mentee_id,
            )
        )
        with pytest.raises(InvalidTransition) as caught:
            participants.remove_participant(part, by=factories.admin())
        assert "a transfer log of theirs" in caught.value.message


def test_the_log_form_offers_the_mentee_s_exchanges_and_refuses_others(app, client, world):
    with app.app_context():
        made = exchange_of_a(world)
        other = other_exchange(world)
    login(client, world.a.coach_user)
    path = f"/pairings/{world.a.pairing_id}/logs/new"
    form = client.get(path).text
    assert 'name="exchange_id"' in form
    assert "Grid code peer visit" in form and "Regional tariff workshop" not in form
    sent = {
        "activity_date": (today() - timedelta(days=8)).isoformat(),
        "hours": "4",
        "activity_type": "peer_exchange",
        "mentee_role": "assisted",
        "competency_ids": world.competency_id,
        "title": "Visit debrief",
        "client_key": "exchange-log-0001",
    }
    refused = post_form(client, path, sent | {"exchange_id": other})
    assert refused.status_code == 422
    assert "Choose an exchange Mentee Number" in refused.text
    saved = post_form(client, path, sent | {"exchange_id": made.id})
    assert saved.status_code == 302
    log_page = client.get(saved.headers["Location"]).text
    assert "Peer exchange: Grid code peer visit" in log_page
    assert "Visit debrief" in client.get(f"/exchanges/{made.id}").text


def test_the_api_takes_and_gives_the_exchange_of_a_log(app, client, world):
    with app.app_context():
        made = exchange_of_a(world)
        other = other_exchange(world)
    headers = bearer(api_token(client, world.a.coach_user))
    body = {
        "activity_date": (today() - timedelta(days=8)).isoformat(),
        "activity_type": "peer_exchange",
        "hours": 3,
        "title": "Visit day two",
        "mentee_role": "co_led",
        "competency_ids": [world.competency_id],
    }
    path = f"/api/v1/pairings/{world.a.pairing_id}/logs"
    refused = client.post(path, json=body | {"exchange_id": other}, headers=headers)
    assert refused.status_code == 422
    assert list(refused.json["error"]["fields"]) == ["exchange_id"]
    made_log = client.post(path, json=body | {"exchange_id": made.id}, headers=headers)
    assert made_log.status_code == 201 and made_log.json["exchange_id"] == made.id
    plain = client.post(path, json=body | {"activity_type": "shadowing"}, headers=headers)
    assert plain.status_code == 201 and plain.json["exchange_id"] is None
