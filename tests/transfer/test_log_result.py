"""A transfer log may name the priority result it served (issue 18 item 4): a result of the
pairing's sector, chosen on the quick log, on a correction and in the API; a result of
another sector is refused naming ``priority_result_id`` and nothing is stored."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from scbi.auth.models import User
from scbi.errors import ValidationFailed
from scbi.extensions import db
from scbi.programme import services
from scbi.transfer.models import TransferLog
from scbi.transfer.services import logs
from tests import factories
from tests.helpers import api_token, bearer, login, post_form


@pytest.fixture
def world(app):
    """The world with a second result in sector A and one in sector B."""
    world = factories.world(app)
    with app.app_context():
        admin = factories.admin()
        world.a_result2_id = services.create_priority_result(
            by=admin,
            sector_id=world.a.sector_id,
            title="Grid code revised",
            due_date=date(2027, 6, 30),
        ).id
        world.b_result_id = services.create_priority_result(
            by=admin,
            sector_id=world.b.sector_id,
            title="Seed certification decentralised",
            due_date=date(2027, 6, 30),
        ).id
        db.session.commit()
    return world


def _log_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(TransferLog))


def test_the_service_keeps_a_result_of_the_pairings_sector_and_refuses_another(app, world):
    with app.app_context():
        log = factories.draft_log(world, priority_result_id=world.result_id)
        assert log.priority_result_id == world.result_id
        assert logs.content(log)["priority_result_id"] == world.result_id
        coach = db.session.get(User, world.a.coach_user.id)
        with pytest.raises(ValidationFailed) as caught:
            logs.update_log(
                log, by=coach, version=log.version, priority_result_id=world.b_result_id
            )
        assert list(caught.value.fields) == ["priority_result_id"]
        assert "pairing's sector" in caught.value.fields["priority_result_id"][0]
        logs.update_log(log, by=coach, version=log.version, priority_result_id=None)
        assert log.priority_result_id is None
        with pytest.raises(ValidationFailed) as caught:
            factories.draft_log(world, priority_result_id=2_000_000_000)
        assert list(caught.value.fields) == ["priority_result_id"]


def test_the_quick_log_offers_the_sectors_results_and_the_log_page_names_it(app, client, world):
    login(client, world.a.coach_user)
    path = f"/pairings/{world.a.pairing_id}/logs/new"
    quick = client.get(path).text
    assert 'name="priority_result_id"' in quick
    assert "Grid code revised" in quick and "Seed certification" not in quick
    form = {
        "activity_date": "2025-06-10",
        "hours": "2",
        "activity_type": "joint_delivery",
        "mentee_role": "co_led",
        "competency_ids": [str(world.competency_id)],
        "title": "Grid code workshop",
    }
    before = _log_count(app)
    refused = post_form(client, path, form | {"priority_result_id": str(world.b_result_id)})
    assert refused.status_code == 422
    assert "Choose a priority result of the pairing&#39;s sector." in refused.text
    assert 'value="Grid code workshop"' in refused.text
    assert _log_count(app) == before
    saved = post_form(client, path, form | {"priority_result_id": str(world.a_result2_id)})
    assert saved.status_code == 302
    log_id = int(re.search(r"/logs/(\d+)", saved.headers["Location"])[1])
    page = client.get(f"/logs/{log_id}").text
    assert "Priority result served" in page and "Grid code revised" in page
    edit = client.get(f"/logs/{log_id}/edit").text
    assert re.search(rf'<option selected value="{world.a_result2_id}">', edit)
    changed = post_form(
        client, f"/logs/{log_id}/edit", form | {"priority_result_id": "", "version": "1"}
    )
    assert changed.status_code == 302
    with app.app_context():
        assert db.session.get(TransferLog, log_id).priority_result_id is None


def test_the_api_sets_and_refuses_the_result_on_create_and_update(app, client, world):
    headers = bearer(api_token(client, world.a.coach_user))
    body = {
        "activity_date": "2025-06-11",
        "activity_type": "on_the_job",
        "hours": 1.5,
        "title": "Connection costing",
        "mentee_role": "assisted",
        "competency_ids": [world.competency_id],
    }
    path = f"/api/v1/pairings/{world.a.pairing_id}/logs"
    refused = client.post(
        path, json=body | {"priority_result_id": world.b_result_id}, headers=headers
    )
    assert refused.status_code == 422
    assert list(refused.json["error"]["fields"]) == ["priority_result_id"]
    made = client.post(path, json=body | {"priority_result_id": world.result_id}, headers=headers)
    assert made.status_code == 201 and made.json["priority_result_id"] == world.result_id
    log = made.json
    stale = client.put(
        f"/api/v1/logs/{log['id']}",
        json={"priority_result_id": world.b_result_id, "version": log["version"]},
        headers=headers,
    )
    assert stale.status_code == 422 and "priority_result_id" in stale.json["error"]["fields"]
    cleared = client.put(
        f"/api/v1/logs/{log['id']}",
        json={"priority_result_id": None, "version": log["version"]},
        headers=headers,
    )
    assert cleared.status_code == 200 and cleared.json["priority_result_id"] is None
    plain = client.post(path, json=body | {"title": "No result named"}, headers=headers)
    assert plain.status_code == 201 and plain.json["priority_result_id"] is None
