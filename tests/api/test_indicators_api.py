"""The indicators' API (issue 18 item 4): read by whoever reads the result, written by the
secretariat and the coordinators of the result's sector; values are exact decimal strings;
a stale version is 409; records out of reach are 404, roles not allowed 403."""

from __future__ import annotations

import io

import jsonschema
import pytest
from sqlalchemy import func, select

from scbi.extensions import db
from scbi.programme.models import Indicator, IndicatorValue
from tests import factories
from tests.helpers import MISSING_ID, api_token, bearer

NEW = {
    "name": "Households connected",
    "unit": "%",
    "baseline_value": "10",
    "baseline_date": "2025-01-01",
    "target_value": "30.0",
    "target_date": "2026-12-31",
}


@pytest.fixture
def world(app):
    return factories.world(app)


def _headers(client, person):
    return bearer(api_token(client, person))


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_a_coordinator_adds_an_indicator_records_and_corrects_its_values(app, client, world):
    headers = _headers(client, world.a.coordinator)
    made = client.post(
        f"/api/v1/priority-results/{world.result_id}/indicators", json=NEW, headers=headers
    )
    assert made.status_code == 201, made.json
    indicator = made.json
    assert made.headers["Location"].endswith(f"/api/v1/indicators/{indicator['id']}")
    assert (indicator["target_value"], indicator["latest"], indicator["progress"]) == (
        "30",
        None,
        None,
    )
    values = f"/api/v1/indicators/{indicator['id']}/values"
    first = client.put(
        f"{values}/2025/1", json={"value": "18", "source": "EUCL register"}, headers=headers
    )
    assert first.status_code == 201, first.json
    assert (first.json["period"], first.json["period_start"], first.json["period_end"]) == (
        "FY 2025/26 Q1",
        "2025-07-01",
        "2025-09-30",
    )
    again = client.put(f"{values}/2025/1", json={"value": "19", "source": "x"}, headers=headers)
    assert again.status_code == 409  # the quarter has a value: correct it with its version
    stale = client.put(
        f"{values}/2025/1",
        json={"value": "19", "source": "x", "version": first.json["version"] + 1},
        headers=headers,
    )
    assert stale.status_code == 409 and stale.json["error"]["code"] == "stale_version"
    corrected = client.put(
        f"{values}/2025/1",
        json={"value": "19.5", "source": "EUCL register", "version": first.json["version"]},
        headers=headers,
    )
    assert corrected.status_code == 200 and corrected.json["value"] == "19.5"
    read = client.get(f"/api/v1/indicators/{indicator['id']}", headers=headers).json
    assert read["latest"]["value"] == "19.5" and read["progress"] == 0.475  # 9.5 / 20
    evidence = client.post(
        f"{values}/2025/1/evidence",
        data={"file": (io.BytesIO(b"%PDF-1.4 register"), "register.pdf")},
        headers=headers,
        content_type="multipart/form-data",
    )
    assert evidence.status_code == 200, evidence.json
    assert evidence.json["evidence"]["original_name"] == "register.pdf"
    refused = client.post(
        f"{values}/2025/1/evidence",
        data={"file": (io.BytesIO(b"MZ"), "tool.exe")},
        headers=headers,
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422 and "evidence" in refused.json["error"]["fields"]
    mentee = _headers(client, world.a.mentee_user)  # whoever reads the result
    download = client.get(evidence.json["evidence"]["download_url"], headers=mentee)
    assert download.status_code == 200 and download.data == b"%PDF-1.4 register"
    assert "attachment" in download.headers["Content-Disposition"]
    listed = client.get(
        f"/api/v1/priority-results/{world.result_id}/indicators", headers=mentee
    ).json
    assert listed["total"] == 1 and listed["items"][0]["values"][0]["value"] == "19.5"


def test_refusals_name_the_field(app, client, world):
    headers = _headers(client, world.secretariat)
    path = f"/api/v1/priority-results/{world.result_id}/indicators"
    cases = [
        ({"target_date": "2024-12-31"}, "target_date"),
        ({"target_value": "10.00"}, "target_value"),
        ({"baseline_value": 10}, "baseline_value"),  # a JSON number: send a decimal string
        ({"baseline_value": "1.23456"}, "baseline_value"),
        ({"name": ""}, "name"),
    ]
    for change, field in cases:
        response = client.post(path, json=NEW | change, headers=headers)
        assert response.status_code == 422, change
        assert field in response.json["error"]["fields"], change
    assert _count(app, Indicator) == 0
    made = client.post(path, json=NEW, headers=headers).json
    stale = client.patch(
        f"/api/v1/indicators/{made['id']}",
        json={"unit": "per cent", "version": made["version"] + 1},
        headers=headers,
    )
    assert stale.status_code == 409
    patched = client.patch(
        f"/api/v1/indicators/{made['id']}",
        json={"unit": "per cent", "version": made["version"]},
        headers=headers,
    )
    assert patched.status_code == 200 and patched.json["unit"] == "per cent"
    values = f"/api/v1/indicators/{made['id']}/values"
    future = client.put(f"{values}/2099/1", json={"value": "1", "source": "x"}, headers=headers)
    assert future.status_code == 422 and "quarter" in future.json["error"]["fields"]
    empty = client.put(f"{values}/2025/1", json={}, headers=headers)
    assert set(empty.json["error"]["fields"]) == {"value", "source"}
    assert _count(app, IndicatorValue) == 0


def test_who_may_write_and_what_is_out_of_reach(app, client, world):
    with app.app_context():
        made, _value = factories.indicator(world.result_id)
        db.session.commit()
        ident, version = made.id, made.version
    for person, expected in (
        (world.a.coach_user, 403),
        (world.a.mentee_user, 403),
        (world.b.coordinator, 403),  # reads the result, manages another sector
    ):
        headers = _headers(client, person)
        calls = [
            ("post", f"/api/v1/priority-results/{world.result_id}/indicators", NEW),
            ("patch", f"/api/v1/indicators/{ident}", {"unit": "MW", "version": version}),
            ("put", f"/api/v1/indicators/{ident}/values/2025/2", {"value": "1", "source": "x"}),
        ]
        for method, path, body in calls:
            status = getattr(client, method)(path, json=body, headers=headers).status_code
            assert status == expected, (person, path, status)
        assert client.get(f"/api/v1/indicators/{ident}", headers=headers).status_code == 200
    headers = _headers(client, world.secretariat)
    for path in (
        f"/api/v1/indicators/{MISSING_ID}",
        f"/api/v1/priority-results/{MISSING_ID}/indicators",
        f"/api/v1/indicators/{ident}/values/2025/2/evidence",  # no value that quarter
    ):
        assert client.get(path, headers=headers).status_code == 404, path
    with app.app_context():
        assert db.session.get(Indicator, ident).unit == "%"
        assert db.session.scalar(select(func.count()).select_from(IndicatorValue)) == 1


def test_answers_match_the_document(client, world):
    document = client.get("/api/v1/openapi.json").json
    headers = _headers(client, world.secretariat)
    made = client.post(
        f"/api/v1/priority-results/{world.result_id}/indicators", json=NEW, headers=headers
    ).json
    value = client.put(
        f"/api/v1/indicators/{made['id']}/values/2025/1",
        json={"value": "18", "source": "x"},
        headers=headers,
    ).json
    one = client.get(f"/api/v1/indicators/{made['id']}", headers=headers).json
    for body, name in ((one, "Indicator"), (value, "IndicatorValue")):
        jsonschema.validate(
            body, {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
        )
    paths = document["paths"]
    assert {"get", "post"} <= set(paths["/priority-results/{result_id}/indicators"])
    assert "put" in paths["/indicators/{indicator_id}/values/{fiscal_year}/{quarter}"]
