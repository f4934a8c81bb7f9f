"""Every JSON body is read in one place: what the parser cannot handle is a 400."""

from __future__ import annotations

import pytest

from scbi.api.schema import MAX_JSON_DEPTH, json_depth
from tests.helpers import audit_actions


def nested(levels: int) -> str:
    """``{"email": [[…]]}`` with ``levels`` levels of nesting in all."""
    return '{"email": ' + "[" * (levels - 1) + "]" * (levels - 1) + "}"


def test_deeply_nested_json_is_a_400_bad_request_not_a_500(app, client):
    before = audit_actions(app)
    response = client.post("/api/v1/tokens", data=nested(100_000), content_type="application/json")
    assert response.status_code == 400
    assert response.json["error"]["code"] == "bad_request"
    assert audit_actions(app) == before  # refused before validation and sign-in


def test_bodies_nested_past_the_limit_are_refused_before_validation(client):
    def post(levels):
        return client.post("/api/v1/tokens", data=nested(levels), content_type="application/json")

    within = post(MAX_JSON_DEPTH)
    assert within.status_code == 422  # the schema speaks: email must be a string
    assert "email" in within.json["error"]["fields"]
    beyond = post(MAX_JSON_DEPTH + 1)
    assert beyond.status_code == 400
    assert beyond.json["error"]["code"] == "bad_request"
    assert "nested more than 32 levels" in beyond.json["error"]["message"]


@pytest.mark.parametrize(
    "body",
    [b"\xff\xfe\xfa not utf-8", b'{"email": "\xc3"}', b"{not json", b"[1, 2]", b"NaN-ish"],
)
def test_any_body_the_parser_cannot_handle_is_a_400_bad_request(client, body):
    response = client.post("/api/v1/tokens", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json["error"]["code"] == "bad_request"


def test_json_depth_counts_without_recursion():
    assert json_depth(1, 32) == 0
    assert json_depth({}, 32) == 1
    assert json_depth({"a": [1, {"b": []}]}, 32) == 4
    deep: list = []
    for _ in range(100_000):
        deep = [deep]
    assert json_depth(deep, 32) == 33  # gives up just past the limit
