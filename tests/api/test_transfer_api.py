"""Plans and logs over the API: the whole flow, refusals, versions, and the CSV export."""

from __future__ import annotations

import csv
import io

import pytest

from tests import factories as f
from tests.helpers import api_token, bearer


@pytest.fixture
def flow(app, client):
    """Pairing B (no plan yet) with a competency of its sector; A's people are outsiders."""
    world = f.world(app)
    with app.app_context():
        world.competency_id = f.competencies(world.b.sector_id, 1)[0].id
        f.db.session.commit()
    world.a, world.b = world.b, world.a
    h = {
        name: bearer(api_token(client, person))
        for name, person in (
            ("coach", world.a.coach_user),
            ("mentee", world.a.mentee_user),
            ("coordinator", world.a.coordinator),
            ("secretariat", world.secretariat),
            ("other_coach", world.b.coach_user),
            ("other_mentee", world.b.mentee_user),
            ("other_coordinator", world.b.coordinator),
        )
    }
    return world, h


def item(world, **kw):
    return {
        "competency_id": world.competency_id,
        "baseline_level": 1,
        "target_level": 3,
        "target_date": f.target_day().isoformat(),
        "methods": ["on_the_job"],
        "expected_evidence": "A least-cost plan the mentee presents",
    } | kw


def log_body(world, **kw):
    return {
        "activity_date": "2025-06-02",
        "activity_type": "joint_delivery",
        "hours": 3,
        "title": '=HYPERLINK("http://x")',
        "mentee_role": "co_led",
        "competency_ids": [world.competency_id],
    } | kw


def test_plan_and_log_flow(client, flow):
    world, h = flow
    pairing = world.a.pairing_id
    created = client.post(
        f"/api/v1/pairings/{pairing}/plans", headers=h["coach"], json={"items": [item(world)]}
    )
    assert created.status_code == 201, created.json
    plan = created.json
    assert plan["status"] == "draft" and plan["number"] == 1
    # a draft is the coach's own
    assert client.get(f"/api/v1/plans/{plan['id']}", headers=h["mentee"]).status_code == 404
    submitted = client.post(f"/api/v1/plans/{plan['id']}/submit", headers=h["coach"], json={})
    assert submitted.json["status"] == "submitted"
    no_comment = client.post(
        f"/api/v1/plans/{plan['id']}/return", headers=h["coordinator"], json={}
    )
    assert no_comment.status_code == 422 and "comment" in no_comment.json["error"]["fields"]
    assert (
        client.post(
            f"/api/v1/plans/{plan['id']}/approve", headers=h["other_coordinator"], json={}
        ).status_code
        == 404
    )
    approved = client.post(
        f"/api/v1/plans/{plan['id']}/approve",
        headers=h["coordinator"],
        json={"comment": "Clear targets"},
    )
    assert approved.json["status"] == "approved"
    assert approved.json["decision_comment"] == "Clear targets"

    log = client.post(
        f"/api/v1/pairings/{pairing}/logs", headers=h["coach"], json=log_body(world)
    ).json
    assert log["status"] == "draft" and log["hours"] == 3
    stale = client.put(
        f"/api/v1/logs/{log['id']}",
        headers=h["coach"],
        json={"hours": 2, "version": log["version"] + 5},
    )
    assert stale.status_code == 409 and stale.json["error"]["code"] == "stale_version"
    client.post(f"/api/v1/logs/{log['id']}/submit", headers=h["coach"], json={})
    assert (
        client.post(
            f"/api/v1/logs/{log['id']}/acknowledge", headers=h["other_mentee"], json={}
        ).status_code
        == 404
    )
    disputed = client.post(
        f"/api/v1/logs/{log['id']}/dispute",
        headers=h["mentee"],
        json={"comment": "I assisted; I did not co-lead"},
    )
    assert disputed.json["status"] == "disputed"
    current = client.get(f"/api/v1/logs/{log['id']}", headers=h["coach"]).json
    fixed = client.put(
        f"/api/v1/logs/{log['id']}",
        headers=h["coach"],
        json={"mentee_role": "assisted", "version": current["version"]},
    )
    assert fixed.status_code == 200 and fixed.json["mentee_role"] == "assisted"
    client.post(f"/api/v1/logs/{log['id']}/submit", headers=h["coach"], json={})
    ack = client.post(f"/api/v1/logs/{log['id']}/acknowledge", headers=h["mentee"], json={})
    assert ack.json["status"] == "acknowledged"
    again = client.post(f"/api/v1/logs/{log['id']}/acknowledge", headers=h["mentee"], json={})
    assert again.status_code == 409
    verified = client.post(f"/api/v1/logs/{log['id']}/verify", headers=h["secretariat"], json={})
    assert verified.json["status"] == "verified"
    actions = [e["action"] for e in verified.json["history"]]
    assert actions == [
        "created",
        "submitted",
        "disputed",
        "corrected",
        "submitted",
        "acknowledged",
        "verified",
    ]

    export = client.get("/api/v1/logs?format=csv", headers=h["coordinator"])
    assert export.status_code == 200 and export.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][0] == "log_id" and len(rows) == 2
    assert rows[1][9].startswith("'=")  # formula neutralised
    assert rows[1][7] == "3"
    other = client.get("/api/v1/logs?format=csv", headers=h["other_coordinator"])
    other_rows = list(csv.reader(io.StringIO(other.get_data(as_text=True).lstrip("\ufeff"))))
    assert str(log["id"]) not in [r[0] for r in other_rows]  # another sector's log


def test_plan_item_errors_name_the_item_and_field(client, flow):
    world, h = flow
    response = client.post(
        f"/api/v1/pairings/{world.a.pairing_id}/plans",
        headers=h["coach"],
        json={"items": [item(world), item(world, target_level=1)]},
    )
    assert response.status_code == 422
    fields = response.json["error"]["fields"]
    assert "items.1.target_level" in fields and "items.1.competency_id" in fields


def test_others_cannot_write_plans_or_logs(app, client, flow):
    world, h = flow
    pairing = world.a.pairing_id
    for who in ("other_coach", "mentee"):
        status = client.post(
            f"/api/v1/pairings/{pairing}/plans", headers=h[who], json={"items": [item(world)]}
        ).status_code
        assert status in (403, 404), who
        status = client.post(
            f"/api/v1/pairings/{pairing}/logs",
            headers=h[who],
            json=log_body(world, off_plan_reason="x"),
        ).status_code
        assert status in (403, 404), who


def test_log_list_filters_are_checked(client, flow):
    _world, h = flow
    assert client.get("/api/v1/logs?from=yesterday", headers=h["secretariat"]).status_code == 422
    assert client.get("/api/v1/logs?coach_id=x", headers=h["secretariat"]).status_code == 422
