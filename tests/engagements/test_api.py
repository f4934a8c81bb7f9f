"""Short engagements through the API: the same rules and refusals as the pages, versions,
the list's filters and scope, and answers that match the OpenAPI document."""

from __future__ import annotations

import jsonschema
import pytest

from scbi.api.openapi import build_document
from scbi.extensions import db
from tests import factories as f
from tests.engagements.helpers import active, closed, requested
from tests.helpers import api_token, bearer


@pytest.fixture
def world(app):
    return f.world(app)


def schema(app, name: str) -> dict:
    document = build_document(app)
    return {"$ref": f"#/components/schemas/{name}", "components": document["components"]}


def test_an_engagement_runs_through_the_api(app, client, world):
    sec = bearer(api_token(client, world.secretariat))
    made = client.post(
        "/api/v1/engagements",
        json={
            "institution_id": world.a.institution_id,
            "received_on": "2025-03-01",
            "requested_by_name": "Jeanne Uwase",
            "problem": "Connections take months.",
            "hoped_result": "Four weeks.",
            "objectives": ["Map the process", "Cut the waste"],
            "status": "closed",  # not the caller's to set
        },
        headers=sec,
    )
    assert made.status_code == 201, made.json
    e = made.json
    assert e["status"] == "requested" and e["practitioner"] is None
    assert made.headers["Location"].endswith(f"/api/v1/engagements/{e['id']}")
    jsonschema.validate(e, schema(app, "Engagement"))
    path = f"/api/v1/engagements/{e['id']}"
    broker = {"coach_id": world.a.coach_id, "start_date": "2025-03-03", "weeks": 27}
    refused = client.post(f"{path}/broker", json=broker | {"version": e["version"]}, headers=sec)
    assert refused.status_code == 422 and "weeks" in refused.json["error"]["fields"]
    broker["weeks"] = 6
    stale = client.post(f"{path}/broker", json=broker | {"version": 0}, headers=sec)
    assert stale.status_code == 409 and stale.json["error"]["code"] == "stale_version"
    e = client.post(f"{path}/broker", json=broker | {"version": e["version"]}, headers=sec).json
    assert e["end_date"] == "2025-04-13" and e["practitioner"]["kind"] == "coach"
    e = client.put(
        f"{path}/team",
        json={"members": [{"mentee_id": world.a.mentee_id}], "version": e["version"]},
        headers=sec,
    ).json
    assert e["team"][0]["mentee_id"] == world.a.mentee_id
    coach = bearer(api_token(client, world.a.coach_user))
    e = client.post(f"{path}/start", json={"version": e["version"]}, headers=coach).json
    assert e["status"] == "active" and e["close_out_due"] is True
    first, second = (o["id"] for o in e["objectives"])
    check_in = client.post(
        f"{path}/check-ins",
        json={"note": "Mapped it.", "held_on": "2025-03-10",
              "progress": [{"objective_id": first, "progress": "on_track"}]},
        headers=coach,
    )  # fmt: skip
    assert check_in.status_code == 201, check_in.json
    jsonschema.validate(check_in.json, schema(app, "EngagementCheckIn"))
    listed = client.get(f"{path}/check-ins", headers=coach).json
    assert [c["note"] for c in listed] == ["Mapped it."]
    close = {
        "outcomes": [{"objective_id": first, "outcome": "achieved"}],
        "team_can_now": "Map a process alone.",
        "longer_pairing": False,
        "closed_on": "2025-04-18",
        "version": e["version"],
    }
    refused = client.post(f"{path}/close", json=close, headers=coach)
    assert refused.status_code == 422
    assert refused.json["error"]["fields"]["outcomes"] == [
        "Give the outcome of each objective: none yet for 2. Cut the waste."
    ]
    close["outcomes"].append({"objective_id": second, "outcome": "partly", "note": "Half."})
    done = client.post(f"{path}/close", json=close, headers=coach)
    assert done.status_code == 200, done.json
    assert [o["outcome"] for o in done.json["objectives"]] == ["achieved", "partly"]
    assert done.json["close_out"]["team_can_now"] == "Map a process alone."
    jsonschema.validate(done.json, schema(app, "Engagement"))
    again = client.post(f"{path}/decline", json={"reason": "x", "version": 9}, headers=sec)
    assert again.status_code == 409


def test_the_list_keeps_to_the_caller_s_engagements_and_filters(app, client, world):
    with app.app_context():
        mine = active(world.a).id
        waiting = requested(world.a).id
        other = closed(world.b).id
        db.session.commit()

    def listed(person, query: str = "") -> set[int]:
        answer = client.get(
            f"/api/v1/engagements{query}", headers=bearer(api_token(client, person))
        )
        assert answer.status_code == 200, answer.json
        return {e["id"] for e in answer.json["items"]}

    assert listed(world.secretariat) == {mine, waiting}
    assert listed(world.secretariat, "?status=all") == {mine, waiting, other}
    assert listed(world.secretariat, "?status=due") == {mine}
    assert listed(world.secretariat, f"?status=all&sector_id={world.b.sector_id}") == {other}
    assert listed(world.secretariat, f"?status=all&coach_id={world.a.coach_id}") == {mine}
    assert listed(world.a.coordinator, "?status=all") == {mine, waiting}
    assert listed(world.a.coach_user, "?status=all") == {mine}
    assert listed(world.a.mentee_user, "?status=all") == {mine}
    assert listed(world.b.mentee_user, "?status=all") == {other}
    bad = client.get(
        "/api/v1/engagements?status=nonsense", headers=bearer(api_token(client, world.secretariat))
    )
    assert bad.status_code == 422 and "status" in bad.json["error"]["fields"]


def test_an_expert_is_brokered_with_every_detail_named(app, client, world):
    with app.app_context():
        ident, version = (e := requested(world.a)).id, e.version
        db.session.commit()
    sec = bearer(api_token(client, world.secretariat))
    body = {"expert_name": "Ann Lee", "start_date": "2025-03-03", "weeks": 4, "version": version}
    refused = client.post(f"/api/v1/engagements/{ident}/broker", json=body, headers=sec)
    assert refused.status_code == 422
    assert {"expert_organisation", "expert_country", "expert_email"} <= set(
        refused.json["error"]["fields"]
    )
    body |= {
        "expert_organisation": "Kenya Power",
        "expert_country": "Kenya",
        "expert_email": "ann@example.org",
    }
    done = client.post(f"/api/v1/engagements/{ident}/broker", json=body, headers=sec)
    assert done.status_code == 200
    assert done.json["practitioner"] == {
        "kind": "expert",
        "coach_id": None,
        "name": "Ann Lee",
        "organisation": "Kenya Power",
        "country": "Kenya",
        "email": "ann@example.org",
    }
