"""IDOR: people of sector A reaching sector B's objects get 404/403 and change nothing.

A coach reaches only their own pairings and mentees, a mentee only their own records, a
coordinator only their sectors, in pages and API alike.
"""

from __future__ import annotations

import pytest

from scbi.extensions import db
from scbi.mentees.models import Mentee
from scbi.transfer.models import Pairing
from tests import factories
from tests.helpers import api_token, bearer, csrf_token, login

OUTSIDERS = ("coach", "mentee", "coordinator")


def outsider(world, role):
    return {
        "coach": world.a.coach_user,
        "mentee": world.a.mentee_user,
        "coordinator": world.a.coordinator,
    }[role]


def b_paths(world):
    b = world.b
    return [
        f"/pairings/{b.pairing_id}",
        f"/mentees/{b.mentee_id}",
        f"/coaches/{b.coach_id}",
        f"/api/v1/pairings/{b.pairing_id}",
        f"/api/v1/mentees/{b.mentee_id}",
        f"/api/v1/coaches/{b.coach_id}",
    ]


@pytest.mark.parametrize("role", OUTSIDERS)
def test_reading_another_sectors_records_is_404(app, client, role):
    world = factories.world(app)
    person = outsider(world, role)
    headers = bearer(api_token(client, person))
    login(client, person)
    for path in b_paths(world):
        kwargs = {"headers": headers} if path.startswith("/api/") else {}
        assert client.get(path, **kwargs).status_code == 404, (role, path)


@pytest.mark.parametrize("role", OUTSIDERS)
def test_changing_another_sectors_records_is_refused_and_changes_nothing(app, client, role):
    world = factories.world(app)
    person = outsider(world, role)
    headers = bearer(api_token(client, person))
    b = world.b
    calls = [
        ("post", f"/api/v1/pairings/{b.pairing_id}/pause", {"version": 1}),
        (
            "post",
            f"/api/v1/pairings/{b.pairing_id}/end",
            {"status": "terminated", "end_date": "2025-06-01", "reason": "x", "version": 1},
        ),
        (
            "patch",
            f"/api/v1/mentees/{b.mentee_id}",
            {"status": "withdrawn", "status_date": "2025-06-01", "version": 1},
        ),
    ]
    for method, path, body in calls:
        status = getattr(client, method)(path, json=body, headers=headers).status_code
        assert status in (403, 404), (role, path, status)
    login(client, person)
    token = csrf_token(client, "/")
    for path in (f"/pairings/{b.pairing_id}/pause", f"/pairings/{b.pairing_id}/end"):
        status = client.post(path, data={"csrf_token": token, "version": "1"}).status_code
        assert status in (403, 404), (role, path, status)
    with app.app_context():
        assert db.session.get(Pairing, b.pairing_id).status == "active"
        assert db.session.get(Mentee, b.mentee_id).status == "active"


def test_a_coordinator_cannot_filter_their_way_into_another_sector(app, client):
    world = factories.world(app)
    login(client, world.a.coordinator)
    page = client.get(f"/mentees?sector_id={world.b.sector_id}").text
    assert "No mentees match." in page
    page = client.get(f"/pairings?sector_id={world.b.sector_id}").text
    assert "No pairings." in page


def test_a_coach_sees_only_their_own_mentees(app, client):
    world = factories.world(app)
    login(client, world.a.coach_user)
    page = client.get("/mentees").text
    assert f"/mentees/{world.a.mentee_id}" in page
    assert f"/mentees/{world.b.mentee_id}" not in page


@pytest.mark.parametrize("role", OUTSIDERS)
def test_another_sectors_plans_logs_and_evidence_are_404(app, client, role):
    """Sector A's plan, log and evidence file, reached by sector B's people."""
    world = factories.world(app)
    person = {
        "coach": world.b.coach_user,
        "mentee": world.b.mentee_user,
        "coordinator": world.b.coordinator,
    }[role]
    login(client, person)
    for path in (
        f"/plans/{world.plan_id}",
        f"/logs/{world.log_id}",
        f"/evidence/{world.evidence_id}/download",
        f"/logs/{world.log_id}/edit",
        f"/mentees/{world.a.mentee_id}/portfolio",
        f"/mentees/{world.a.mentee_id}/portfolio.pdf",
    ):
        response = client.get(path)
        assert response.status_code in (403, 404), (role, path)
        assert "Content-Disposition" not in response.headers, (role, path)
    headers = bearer(api_token(client, person))
    for path in (
        f"/api/v1/plans/{world.plan_id}",
        f"/api/v1/logs/{world.log_id}",
        f"/api/v1/evidence/{world.evidence_id}/download",
        f"/api/v1/pairings/{world.a.pairing_id}/logs",
    ):
        assert client.get(path, headers=headers).status_code == 404, (role, path)
    token = csrf_token(client, "/")
    client.post(
        f"/logs/{world.log_id}",
        data={"csrf_token": token, "action": "respond", "acknowledge": "y", "version": "1"},
    )
    with app.app_context():
        from scbi.transfer.models import TransferLog

        assert db.session.get(TransferLog, world.log_id).status == "submitted"


def test_another_sectors_published_reports_are_404(app, client):
    """Sector A's publication, reached by sector B's coordinator: pages, files and API."""
    from scbi.reports.models import PublishedReport

    world = factories.world(app)
    with app.app_context():
        report_id = factories.publication(world.a.sector_id).id
        db.session.commit()
    person = world.b.coordinator
    headers = bearer(api_token(client, person))
    for path in (
        f"/api/v1/reports/published/{report_id}",
        f"/api/v1/reports/published/{report_id}?format=pdf",
        f"/api/v1/reports/published/{report_id}?format=xlsx",
    ):
        assert client.get(path, headers=headers).status_code == 404, path
    listed = client.get(f"/api/v1/reports/published?sector_id={world.a.sector_id}", headers=headers)
    assert listed.json["total"] == 0
    body = {"sector_id": world.a.sector_id, "fy": 2025, "quarter": 2, "went_well": "x"}
    body |= {"went_badly": "x", "next_steps": "x"}
    assert client.post("/api/v1/reports/published", json=body, headers=headers).status_code == 404
    login(client, person)
    for path in (
        f"/reports/published/{report_id}",
        f"/reports/published/{report_id}?format=pdf",
        f"/reports/published/{report_id}?format=xlsx",
    ):
        assert client.get(path).status_code == 404, path
    token = csrf_token(client, "/")
    narrative = {"csrf_token": token, "went_well": "x", "went_badly": "x", "next_steps": "x"}
    assert (
        client.post(f"/reports/published/{report_id}/addendum", data=narrative).status_code == 404
    )
    publish = f"/reports/sectors/{world.a.sector_id}/publish?fy=2025&quarter=2"
    assert client.post(publish, data=narrative).status_code == 404
    with app.app_context():
        assert db.session.scalars(db.select(PublishedReport.id)).all() == [report_id]


@pytest.mark.parametrize("role", OUTSIDERS)
def test_another_sectors_contract_funding_is_out_of_reach(app, client, role):
    """Sector B's coach's funding: 404 to sector A's people (or 403 by role), pages and
    API alike, and nothing changes."""
    from scbi.coaches.models import Coach
    from scbi.partners.models import ContractFunding

    world = factories.world(app)
    person = outsider(world, role)
    b = world.b
    headers = bearer(api_token(client, person))
    path = f"/api/v1/coaches/{b.coach_id}/funding"
    assert client.get(path, headers=headers).status_code in (403, 404)
    body = {"items": [], "version": 1}
    status = client.put(path, json=body, headers=headers).status_code
    assert status in (403, 404), (role, status)
    login(client, person)
    assert client.get(f"/coaches/{b.coach_id}/funding").status_code in (403, 404)
    token = csrf_token(client, "/")
    data = {"csrf_token": token, "version": "1", "partner_id": "1", "currency": "USD"}
    for path in (f"/coaches/{b.coach_id}/funding", f"/coaches/{b.coach_id}/funding/0/remove"):
        assert client.post(path, data=data).status_code in (403, 404), (role, path)
    with app.app_context():
        assert db.session.query(ContractFunding).count() == 0
        assert db.session.get(Coach, b.coach_id).version == 1


def test_a_coordinator_reads_only_their_sectors_funding(app, client):
    world = factories.world(app)
    headers = bearer(api_token(client, world.a.coordinator))
    for coach_id, status in ((world.a.coach_id, 200), (world.b.coach_id, 404)):
        path = f"/api/v1/coaches/{coach_id}/funding"
        assert client.get(path, headers=headers).status_code == status
