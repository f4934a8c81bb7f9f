"""The OpenAPI document: valid OpenAPI 3.1, built from the routes, matching real answers."""

from __future__ import annotations

import re

import jsonschema
import pytest
from openapi_spec_validator import validate

from scbi.api.openapi import build_document
from tests.helpers import bearer


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json


def test_document_is_valid_openapi(document):
    validate(document)
    assert document["openapi"].startswith("3.")


def test_every_api_route_is_documented_and_nothing_else(app, document):
    routes = {
        (re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1")), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    documented = {(path, method) for path, ops in document["paths"].items() for method in ops}
    assert routes == documented


def test_contract_paths_are_present(document):
    for path, method in [
        ("/tokens", "post"),
        ("/tokens/current", "delete"),
        ("/me", "get"),
        ("/health", "get"),
        ("/users", "post"),
        ("/users/{user_id}", "patch"),
    ]:
        assert method in document["paths"][path]


def test_an_undocumented_route_breaks_the_build(app):
    from flask import Flask

    from scbi.api import bp

    other = Flask("other")
    other.register_blueprint(bp)

    @other.get("/api/v1/undocumented", endpoint="api.undocumented")
    def undocumented():
        return {}

    with pytest.raises(LookupError, match="undocumented"):
        build_document(other)


def schema_for(document, name):
    return {"$ref": f"#/components/schemas/{name}", "components": document["components"]}


def test_answers_match_their_schemas(client, document, make_user):
    user = make_user("secretariat")
    token = client.post("/api/v1/tokens", json={"email": user.email, "password": user.password})
    jsonschema.validate(token.json, schema_for(document, "Token"))
    headers = bearer(token.json["token"])
    jsonschema.validate(client.get("/api/v1/me", headers=headers).json, schema_for(document, "Me"))
    one = client.get(f"/api/v1/users/{user.id}", headers=headers).json
    jsonschema.validate(one, schema_for(document, "User"))
    refused = client.post("/api/v1/users", json={}, headers=headers).json
    jsonschema.validate(refused, schema_for(document, "Error"))
