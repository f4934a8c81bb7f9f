"""Issue 11, finding 10: the OpenAPI document and the answers agree (shapes, nullable fields,
every error status an operation can answer, 413 for a file too large, report dates)."""

from __future__ import annotations

import pytest

from scbi.api.openapi import build_document
from tests import factories
from tests.helpers import api_token, bearer, login


@pytest.fixture
def world(app):
    return factories.world(app)


@pytest.fixture
def document(app):
    return build_document(app)


def token(client, person) -> dict:
    return bearer(api_token(client, person))


def ok_schema(document, method: str, path: str) -> dict:
    return document["paths"][path][method]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]


def statuses(document, method: str, path: str) -> set[int]:
    return {int(code) for code in document["paths"][path][method]["responses"]}


def test_finding10_competencies_and_the_critical_mass_are_documented_as_arrays(
    client, world, document
):
    for path in ("/mentees/{mentee_id}/competencies", "/reports/critical-mass"):
        schema = ok_schema(document, "get", path)
        assert schema["type"] == "array", path
        assert "page" not in {p["name"] for p in document["paths"][path]["get"]["parameters"]}
    sec = token(client, world.secretariat)
    levels = client.get(f"/api/v1/mentees/{world.a.mentee_id}/competencies", headers=sec).json
    masses = client.get("/api/v1/reports/critical-mass", headers=sec).json
    assert isinstance(levels, list)
    assert levels[0]["competency_id"] == world.competency_id
    assert isinstance(masses, list)
    assert {m["sector_id"] for m in masses} == {world.a.sector_id, world.b.sector_id}


def test_finding10_one_time_password_is_null_for_an_existing_account_as_documented(
    app, client, world, document
):
    field = document["components"]["schemas"]["Coach"]["properties"]["one_time_password"]
    assert field["type"] == ["string", "null"]
    assert "null when the e-mail already had an account" in field["description"]
    response = client.post(
        "/api/v1/coaches",
        json={
            "email": world.a.mentee_user.email,  # a mentee becoming a coach: the cascade
            "full_name": "Mentee Now Coach",
            "nationality": "Rwandan",
            "organisation": "REG",
            "technical_expertise": "Grid planning",
            "coaching_experience_years": 1,
            "sector_id": world.a.sector_id,
            "host_institution_id": world.a.institution_id,
            "contract_start": "2025-06-01",
            "contract_end": "2026-06-30",
        },
        headers=token(client, world.secretariat),
    )
    assert response.status_code == 201, response.json
    assert response.json["one_time_password"] is None


@pytest.mark.parametrize(
    ("method", "path", "expected", "absent"),
    [
        # coordinators and secretariat only; a development partner's account hears 404
        ("get", "/assessments", {401, 403, 404, 422}, set()),
        # every programme role; filters checked (403: an account that must change its
        # password); a development partner's account hears 404, as if it did not exist
        ("get", "/coaches", {401, 403, 404, 422}, set()),
        ("patch", "/coaches/{coach_id}", {400, 401, 403, 404, 409, 413, 422}, set()),
        ("post", "/logs/{log_id}/evidence", {400, 403, 404, 409, 413, 422}, set()),
        ("post", "/frameworks/import", {400, 403, 404, 413, 422}, set()),
        ("get", "/me", {401, 403}, {404, 422}),  # any account, a partner's too
        ("get", "/health", {503}, {401}),  # public
        ("post", "/plans/{plan_id}/submit", {401, 403, 404, 409}, set()),
        ("get", "/reports/sectors/{sector_id}", {401, 403, 404, 422}, set()),
    ],
)
def test_finding10_documented_errors_follow_from_what_the_view_can_answer(
    document, method, path, expected, absent
):
    documented = statuses(document, method, path)
    assert expected <= documented, documented
    assert not absent & documented, documented


def test_finding10_uploads_are_documented_as_multipart(document):
    body = document["paths"]["/logs/{log_id}/evidence"]["post"]["requestBody"]["content"]
    assert set(body) == {"application/json", "multipart/form-data"}
    assert body["multipart/form-data"]["schema"]["required"] == ["file"]
    imports = document["paths"]["/people/import"]["post"]
    assert set(imports["requestBody"]["content"]) == {"multipart/form-data", "text/csv"}
    kind = next(p for p in imports["parameters"] if p["name"] == "kind")
    assert kind["required"] is True
    assert kind["schema"]["enum"] == ["coach", "mentee"]


def test_finding10_a_file_over_the_limit_is_413(client, world, monkeypatch):
    import io

    from scbi import files

    coach = token(client, world.a.coach_user)
    draft = client.post(
        f"/api/v1/pairings/{world.a.pairing_id}/logs",
        json={
            "activity_date": "2025-06-03",
            "activity_type": "on_the_job",
            "hours": 1,
            "title": "Site visit",
            "mentee_role": "led",
            "competency_ids": [world.competency_id],
        },
        headers=coach,
    ).json
    monkeypatch.setattr(files, "MAX_BYTES", 1024)
    response = client.post(
        f"/api/v1/logs/{draft['id']}/evidence",
        data={"file": (io.BytesIO(b"%PDF-1.4 " + b"0" * 2048), "big.pdf")},
        headers=coach,
    )
    assert response.status_code == 413
    assert response.json["error"]["code"] == "too_large"
    assert "10 MB" in response.json["error"]["fields"]["file"][0]


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ("from=9999-01-01&to=9999-12-31", {"from", "to"}),
        ("from=1989-12-31&to=2025-01-31", {"from"}),
        ("from=2025-01-01&to=2101-01-01", {"to"}),
        ("fy=2101", {"fy"}),
        ("from=2025-1-1&to=2025-02-01", {"from"}),
        ("format=docx", {"format"}),
    ],
)
def test_finding10_report_periods_outside_1990_2100_are_422_naming_the_parameter(
    client, world, query, fields
):
    sec = token(client, world.secretariat)
    response = client.get(f"/api/v1/reports/sectors/{world.a.sector_id}?{query}", headers=sec)
    assert response.status_code == 422, response.json
    assert set(response.json["error"]["fields"]) == fields
    programme = client.get(f"/api/v1/reports/programme?{query}", headers=sec)
    assert programme.status_code == 422


def test_finding10_far_dates_are_422_on_every_date_parameter(client, world):
    sec = token(client, world.secretariat)
    for path, name in (
        ("/api/v1/reports/critical-mass", "on"),
        (f"/api/v1/mentees/{world.a.mentee_id}/competencies", "on"),
        ("/api/v1/logs", "from"),
    ):
        response = client.get(f"{path}?{name}=9999-12-31", headers=sec)
        assert response.status_code == 422, path
        assert list(response.json["error"]["fields"]) == [name]


def test_finding10_the_report_page_refuses_far_dates_beside_the_picker(client, world):
    login(client, world.secretariat)
    response = client.get(f"/reports/sectors/{world.a.sector_id}?from=9999-01-01&to=9999-12-31")
    assert response.status_code == 422  # the picker, the refusal beside it
    assert "Give a date from 1990-01-01 to 2100-12-31." in response.text


def test_finding10_query_parameters_are_checked_after_the_role(client, world):
    coach = token(client, world.a.coach_user)
    assert client.get("/api/v1/assessments?sector_id=abc", headers=coach).status_code == 403
    sec = token(client, world.secretariat)
    refused = client.get("/api/v1/assessments?sector_id=abc&format=pdf", headers=sec)
    assert refused.status_code == 422
    assert set(refused.json["error"]["fields"]) == {"sector_id", "format"}
    for bad in ("q=%01x", "q=" + "x" * 201, "status=nonsense", "from=", "to=2025-02-30"):
        response = client.get(f"/api/v1/logs?{bad}", headers=sec)
        assert response.status_code in (200, 422), bad
        if not bad.startswith("q"):
            assert response.status_code == 422, bad
    assert client.get("/api/v1/users?q=%01x", headers=sec).status_code == 422
