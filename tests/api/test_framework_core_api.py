"""The API's core choice: the import preview (nothing stored), the update of an existing
framework, the bulk PUT /frameworks/{id}/core with its version, and the warning field."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from scbi.audit import AuditEvent
from scbi.programme.models import Competency, CompetencyFramework
from tests.helpers import audit_actions, count_rows
from tests.programme.test_core_choice import SYNTHETIC
from tests.programme.test_moodle import comp, fw, make_csv

SECTOR = {"code": "PUB", "name": "Public service", "expert_target": 5, "target_date": "2028-06-30"}


@pytest.fixture
def sec(api_as):
    return api_as("secretariat")[1]


def post_file(client, sec, text, query=""):
    return client.post(
        f"/api/v1/frameworks/import{query}", headers=sec, data=text, content_type="text/csv"
    )


def test_preview_answers_the_tree_and_proposed_flags_storing_nothing(app, client, sec):
    audit_before = count_rows(app, AuditEvent)
    r = post_file(client, sec, SYNTHETIC, "?preview=true")
    assert r.status_code == 200
    body = r.json
    assert body["existing_id"] is None and body["changes"] is None
    rows = {c["idnumber"]: c for c in body["competencies"]}
    assert {k for k, c in rows.items() if c["core"]} == {"BU", "NE", "LD"}
    assert rows["PL1"] == {
        "idnumber": "PL1",
        "short_name": "Level 1 — Aware",
        "parent_idnumber": "PL",
        "depth": 3,
        "leaf": True,
        "core": False,
        "core_in_file": None,
        "status": "new",
    }
    assert body["core_count"] == 3 and body["warning"] is None
    assert count_rows(app, CompetencyFramework) == 0 and count_rows(app, Competency) == 0
    assert count_rows(app, AuditEvent) == audit_before
    assert post_file(client, sec, SYNTHETIC, "?preview=maybe").status_code == 422


def test_import_reimport_needs_update_and_update_reports_the_changes(app, client, sec):
    created = post_file(client, sec, SYNTHETIC)
    assert created.status_code == 201 and created.json["core_count"] == 3
    again = post_file(client, sec, SYNTHETIC)
    assert again.status_code == 422 and "?update=true" in again.json["error"]["rows"][0]["message"]
    text = make_csv(fw("SYN"), comp("LD", short="Leading"), comp("BU"), comp("NE"), comp("Z"))
    preview = post_file(client, sec, text, "?preview=true").json
    assert preview["existing_id"] == created.json["id"]
    assert preview["changes"]["added"] == ["Z"]
    stale = post_file(client, sec, text, f"?update=true&version={preview['version'] - 1}")
    assert stale.status_code == 409
    updated = post_file(client, sec, text, f"?update=true&version={preview['version']}")
    assert updated.status_code == 200
    changes = updated.json["changes"]
    assert {c["idnumber"] for c in changes["changed"]} == {"LD", "BU", "NE"}
    assert sorted(changes["deleted"]) == ["L1", "L2", "LV", "PL", "PL1", "PL2", "SK"]
    assert {c["idnumber"] for c in updated.json["competencies"]} == {"LD", "BU", "NE", "Z"}
    assert "framework.update_import" in audit_actions(app)


def test_bulk_core_put_sets_exactly_the_ids_with_the_version(app, client, sec):
    # in force from 2025 (a change cannot take effect before the latest one)
    framework = post_file(client, sec, SYNTHETIC, "?effective_on=2025-01-01").json
    ids = {c["idnumber"]: c["id"] for c in framework["competencies"]}
    url = f"/api/v1/frameworks/{framework['id']}/core"
    day = (date.today() - timedelta(days=1)).isoformat()
    r = client.put(
        url,
        headers=sec,
        json={
            "core_ids": [ids["SK"], ids["LD"]],
            "version": framework["version"],
            "effective_on": day,
        },
    )
    assert r.status_code == 200
    assert {c["idnumber"] for c in r.json["competencies"] if c["core"]} == {"SK", "LD"}
    assert r.json["version"] == framework["version"] + 1 and r.json["core_count"] == 2
    stale = client.put(url, headers=sec, json={"core_ids": [], "version": framework["version"]})
    assert stale.status_code == 409 and stale.json["error"]["code"] == "stale_version"
    unknown = client.put(
        url, headers=sec, json={"core_ids": [999999], "version": r.json["version"]}
    )
    assert unknown.status_code == 422 and "core_ids" in unknown.json["error"]["fields"]
    future = client.put(
        url,
        headers=sec,
        json={"core_ids": [], "version": r.json["version"], "effective_on": "2099-01-01"},
    )
    assert future.status_code == 422 and "effective_on" in future.json["error"]["fields"]


def test_the_warning_is_a_field_of_the_framework_and_the_preview(app, client, sec):
    sector = client.post("/api/v1/sectors", headers=sec, json=SECTOR).json
    many = make_csv(fw("MANY"), *[comp(f"C{i}") for i in range(13)])
    preview = post_file(client, sec, many, f"?preview=true&sector_id={sector['id']}").json
    assert preview["warning"]["core_count"] == 13
    assert preview["warning"]["code"] == "many_core_competencies"
    framework = post_file(client, sec, many, f"?sector_id={sector['id']}").json
    assert framework["warning"]["expert_level"] == 3
    assert "level 3 on all 13 core competencies" in framework["warning"]["message"]
    got = client.get(f"/api/v1/frameworks/{framework['id']}", headers=sec).json
    ids = [c["id"] for c in got["competencies"]][:12]
    fewer = client.put(
        f"/api/v1/frameworks/{framework['id']}/core",
        headers=sec,
        json={"core_ids": ids, "version": got["version"]},
    )
    assert fewer.json["warning"] is None


def test_patch_competency_takes_effective_on(client, sec):
    framework = post_file(client, sec, SYNTHETIC).json
    planning = next(c for c in framework["competencies"] if c["idnumber"] == "PL")
    url = f"/api/v1/competencies/{planning['id']}"
    bad = client.patch(
        url,
        headers=sec,
        json={"core": True, "version": planning["version"], "effective_on": "1980-01-01"},
    )
    assert bad.status_code == 422 and "effective_on" in bad.json["error"]["fields"]
    ok = client.patch(url, headers=sec, json={"core": True, "version": planning["version"]})
    assert ok.status_code == 200 and ok.json["core"] is True


def test_the_openapi_document_describes_the_new_answers(client):
    doc = client.get("/api/v1/openapi.json").json
    core = doc["paths"]["/frameworks/{framework_id}/core"]["put"]
    assert core["requestBody"]["content"]["application/json"]["schema"]["required"] == [
        "core_ids",
        "version",
    ]
    answers = doc["paths"]["/frameworks/import"]["post"]["responses"]
    assert {"200", "201", "409", "422"} <= set(answers)
    refs = answers["200"]["content"]["application/json"]["schema"]["oneOf"]
    assert {r["$ref"].rsplit("/", 1)[1] for r in refs} == {"ImportPreview", "Framework"}
    params = {p["name"] for p in doc["paths"]["/frameworks/import"]["post"]["parameters"]}
    assert {"preview", "update", "version", "effective_on", "sector_id"} <= params
