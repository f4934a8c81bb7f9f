"""The API of peer exchanges: the same rules as the pages, answers that match the OpenAPI
document, versions on every change, 404 outside the caller's scope."""

from __future__ import annotations

from datetime import timedelta

import jsonschema
import pytest

from scbi.api.openapi import build_document
from scbi.dates import today
from scbi.exchanges.models import ExchangePlanLink
from scbi.extensions import db
from tests import factories
from tests.exchanges.helpers import exchange_of_a
from tests.helpers import api_token, bearer


@pytest.fixture
def world(app):
    return factories.world(app)


@pytest.fixture
def document(app):
    return build_document(app)


def check(document, name: str, answer) -> None:
    jsonschema.validate(
        answer, {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
    )


def token(client, person) -> dict:
    return bearer(api_token(client, person))


def test_an_exchange_is_created_read_and_changed_with_its_version(client, world, document):
    sec = token(client, world.secretariat)
    body = {
        "kind": "study_visit",
        "title": "Visit to Uganda's regulator",
        "starts_on": (today() - timedelta(days=3)).isoformat(),
        "ends_on": (today() - timedelta(days=2)).isoformat(),
        "sector_ids": [world.a.sector_id],
        "host_organisation": "Electricity Regulatory Authority",
        "host_country": "UG",
        "competency_ids": [world.competency_id],
        "id": 99,  # no mass assignment
        "created_by_id": world.a.mentee_user.id,
    }
    made = client.post("/api/v1/exchanges", json=body, headers=sec)
    assert made.status_code == 201, made.json
    assert made.headers["Location"].endswith(f"/api/v1/exchanges/{made.json['id']}")
    check(document, "Exchange", made.json)
    assert made.json["host_country_name"] == "Uganda" and made.json["state"] == "held"
    path = f"/api/v1/exchanges/{made.json['id']}"
    stale = client.patch(path, json={"version": 0, "learnt": "x"}, headers=sec)
    assert stale.status_code == 409 and stale.json["error"]["code"] == "stale_version"
    assert client.patch(path, json={"learnt": "x"}, headers=sec).status_code == 422
    changed = client.patch(path, json={"version": 1, "learnt": "They publish"}, headers=sec)
    assert changed.status_code == 200 and changed.json["version"] == 2
    assert changed.json["learnt"] == "They publish"
    refused = client.post("/api/v1/exchanges", json={"kind": "study_visit"}, headers=sec)
    assert refused.status_code == 422
    assert {"title", "starts_on", "sector_ids"} <= set(refused.json["error"]["fields"])


def test_the_list_is_scoped_and_filtered(app, client, world, document):
    with app.app_context():
        made = exchange_of_a(world)
    listed = client.get(
        "/api/v1/exchanges?actions=overdue", headers=token(client, world.a.mentee_user)
    )
    assert listed.status_code == 200
    assert [e["id"] for e in listed.json["items"]] == [made.id]
    check(document, "ListedExchange", listed.json["items"][0])
    assert listed.json["items"][0]["overdue_actions"] == 1
    outsider = token(client, world.b.coordinator)
    assert client.get("/api/v1/exchanges", headers=outsider).json["total"] == 0
    assert client.get(f"/api/v1/exchanges/{made.id}", headers=outsider).status_code == 404
    bad = client.get("/api/v1/exchanges?kind=holiday&state=soon&from=2025-13-01", headers=outsider)
    assert bad.status_code == 422
    assert set(bad.json["error"]["fields"]) == {"kind", "state", "from"}
    mentee = token(client, world.a.mentee_user)
    assert client.get("/api/v1/exchanges?state=held", headers=mentee).json["total"] == 1
    assert client.get("/api/v1/exchanges?state=planned", headers=mentee).json["total"] == 0


def test_participants_are_added_and_removed(app, client, world, document):
    with app.app_context():
        made = exchange_of_a(world)
    coordinator = token(client, world.a.coordinator)
    path = f"/api/v1/exchanges/{made.id}/participants"
    refused = client.post(path, json={"kind": "external", "name": "Ann"}, headers=coordinator)
    assert refused.status_code == 422
    assert set(refused.json["error"]["fields"]) == {"organisation", "country"}
    added = client.post(
        path,
        json={"kind": "external", "name": "Ann", "organisation": "ERA", "country": "UG"},
        headers=coordinator,
    )
    assert added.status_code == 201
    check(document, "ExchangeParticipant", added.json)
    mentee = token(client, world.a.mentee_user)
    assert client.delete(f"{path}/{added.json['id']}", headers=mentee).status_code == 403
    assert client.delete(f"{path}/{added.json['id']}", headers=coordinator).status_code == 204
    exchange = client.get(f"/api/v1/exchanges/{made.id}", headers=coordinator).json
    check(document, "Exchange", exchange)
    mentee_part = next(p["id"] for p in exchange["participants"] if p["kind"] == "mentee")
    kept = client.delete(f"{path}/{mentee_part}", headers=coordinator)
    assert kept.status_code == 409 and kept.json["error"]["code"] == "participant_recorded"


def test_actions_are_added_changed_and_marked_done_by_their_owner(app, client, world, document):
    with app.app_context():
        made = exchange_of_a(world)
    coordinator = token(client, world.a.coordinator)
    path = f"/api/v1/exchanges/{made.id}/actions"
    refused = client.post(path, json={"description": "Write it up"}, headers=coordinator)
    assert refused.status_code == 422
    assert set(refused.json["error"]["fields"]) == {"owner_id", "due_on"}
    added = client.post(
        path,
        json={"description": "Write it up", "owner_name": "RURA", "due_on": today().isoformat()},
        headers=coordinator,
    )
    assert added.status_code == 201
    check(document, "ExchangeAction", added.json)
    action = f"/api/v1/exchange-actions/{added.json['id']}"
    changed = client.patch(
        action,
        json={"version": 1, "due_on": (today() + timedelta(days=7)).isoformat()},
        headers=coordinator,
    )
    assert changed.status_code == 200 and changed.json["version"] == 2
    owned = f"/api/v1/exchange-actions/{made.action_id}/done"
    coach = token(client, world.a.coach_user)
    assert client.post(owned, json={"version": 1}, headers=coach).status_code == 403
    mentee = token(client, world.a.mentee_user)
    done = client.post(owned, json={"version": 1}, headers=mentee)
    assert done.status_code == 200 and done.json["done_on"] == today().isoformat()
    again = client.post(owned, json={"version": done.json["version"]}, headers=mentee)
    assert again.status_code == 409 and again.json["error"]["code"] == "already_done"


def test_a_mentee_writes_and_changes_their_reflection(app, client, world, document):
    with app.app_context():
        made = exchange_of_a(world)
    mentee = token(client, world.a.mentee_user)
    path = f"/api/v1/exchanges/{made.id}/reflection"
    first = client.put(path, json={"text": "Useful"}, headers=mentee)
    assert first.status_code == 201
    check(document, "ExchangeReflection", first.json)
    stale = client.put(path, json={"text": "Later", "version": 0}, headers=mentee)
    assert stale.status_code == 409
    second = client.put(path, json={"text": "Very useful", "version": 1}, headers=mentee)
    assert second.status_code == 200 and second.json["version"] == 2
    read = client.get(
        f"/api/v1/exchanges/{made.id}/reflections", headers=token(client, world.a.coach_user)
    )
    assert [r["text"] for r in read.json] == ["Very useful"]
    outsider = token(client, world.b.mentee_user)
    assert client.put(path, json={"text": "Me too"}, headers=outsider).status_code == 404


def test_a_coach_links_and_unlinks_a_plan(app, client, world, document):
    with app.app_context():
        made = exchange_of_a(world)
    coach = token(client, world.a.coach_user)
    assert (
        client.delete(f"/api/v1/exchange-plan-links/{made.link_id}", headers=coach).status_code
        == 204
    )
    path = f"/api/v1/exchanges/{made.id}/plan-links"
    wrong = client.post(path, json={"plan_id": 2_000_000_000}, headers=coach)
    assert wrong.status_code == 422 and list(wrong.json["error"]["fields"]) == ["plan_id"]
    linked = client.post(path, json={"plan_id": world.plan_id, "note": "Item 1"}, headers=coach)
    assert linked.status_code == 201
    check(document, "ExchangePlanLink", linked.json)
    with app.app_context():
        assert db.session.get(ExchangePlanLink, linked.json["id"]).note == "Item 1"
