"""The OpenAPI 3.1 document, built from the registered routes and their ``endpoint`` docs.

Every /api/v1 rule must carry a Doc: a route without one makes the build fail, so the
document cannot fall behind the code (tests/api/test_openapi.py builds it).
"""

from __future__ import annotations

import re

from flask import current_app, jsonify

from scbi.api.blueprint import bp
from scbi.api.docs import COMPONENTS, Doc, endpoint
from scbi.errors import HTTP_CODES
from scbi.pagination import MAX_PER_PAGE
from scbi.transfer.models import EVIDENCE

_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
_ERROR_DESCRIPTIONS = {
    400: "Malformed JSON or an unreadable request",
    401: "No valid bearer token (or bad credentials)",
    403: "The caller's role does not allow this, or the account must first choose a new "
    "password on the web (`password_change_required`)",
    404: "Missing, or not visible to the caller",
    409: "Stale version, or a transition not allowed from the current state",
    413: "The body is too large",
    422: "Validation failed; `fields` names each bad field",
    429: "Throttled; see Retry-After",
    503: "The database does not answer",
}


_UPLOADS = {
    "multipart/form-data": {
        "type": "object",
        "required": ["file"],
        "properties": {
            "file": {"type": "string", "format": "binary"},
            "title": {"type": "string", "maxLength": EVIDENCE["title"].max_length},
        },
    },
    "text/csv": {"type": "string"},
}


def _error_schema() -> dict:
    return {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "string", "examples": sorted(set(HTTP_CODES.values()))},
                    "message": {"type": "string"},
                    "fields": {
                        "type": "object",
                        "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    },
                },
            }
        },
    }


def _operation(rule, method: str, doc: Doc, roles) -> dict:
    op: dict = {
        "operationId": rule.endpoint.removeprefix("api."),
        "summary": doc.summary,
        "tags": [doc.tag],
        "responses": {},
    }
    if roles:
        op["description"] = "Roles: " + ", ".join(sorted(roles)) + "."
    if doc.public:
        op["security"] = []
    params = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "integer" if conv == "int" else "string"},
        }
        for conv, name in _CONVERTER.findall(rule.rule)
    ]
    if doc.list_of:  # read leniently (scbi.pagination.page_args): any value is answered
        params += [
            {
                "name": "page",
                "in": "query",
                "schema": {},
                "description": "A whole number from 1 (default 1); anything else reads as 1.",
            },
            {
                "name": "per_page",
                "in": "query",
                "schema": {},
                "description": f"1 to {MAX_PER_PAGE} (default 50); more reads as "
                f"{MAX_PER_PAGE}, anything else as the default.",
            },
        ]
    for name, spec in doc.query_fields().items():
        schema = spec.openapi()
        param = {"name": name, "in": "query", "schema": schema}
        if spec.required:
            param["required"] = True
        if schema.get("description"):
            param["description"] = schema.pop("description")
        params.append(param)
    if params:
        op["parameters"] = params
    content = {}
    if doc.body is not None:
        content["application/json"] = {"schema": doc.body.openapi()}
    for media_type in doc.uploads:
        content[media_type] = {"schema": _UPLOADS[media_type]}
    if content:
        op["requestBody"] = {"required": True, "content": content}
    ok: dict = {"description": "OK" if doc.status < 300 else str(doc.status)}
    if doc.response:
        schema = {"$ref": f"#/components/schemas/{doc.response}"}
        if doc.list_of:
            schema = {
                "type": "object",
                "required": ["items", "page", "per_page", "total"],
                "properties": {
                    "items": {"type": "array", "items": schema},
                    "page": {"type": "integer"},
                    "per_page": {"type": "integer"},
                    "total": {"type": "integer"},
                    "next": {
                        "type": "string",
                        "description": "where a list is paged by key (the logs), the "
                        "`after` of the following page; absent on the last",
                    },
                },
            }
        elif doc.array_of:
            schema = {"type": "array", "items": schema}
        ok["content"] = {doc.content_type: {"schema": schema}}
    for media_type in doc.alternatives:
        ok.setdefault("content", {})[media_type] = {
            "schema": {"type": "string", "format": "binary"}
        }
    op["responses"][str(doc.status)] = ok
    for status, name, when in doc.also:  # answers of one status merge into a oneOf
        ref = {"$ref": f"#/components/schemas/{name}"}
        answer = op["responses"].setdefault(str(status), {"description": when})
        if "content" not in answer:
            answer["content"] = {"application/json": {"schema": ref}}
            continue
        answer["description"] += f"; {when}"
        schema = answer["content"]["application/json"]["schema"]
        answer["content"]["application/json"]["schema"] = {
            "oneOf": [*schema.get("oneOf", [schema]), ref]
        }
    path_ids = bool(_CONVERTER.search(rule.rule))
    for status in sorted(doc.statuses(path_ids=path_ids, roles=roles)):
        op["responses"][str(status)] = {
            "description": _ERROR_DESCRIPTIONS.get(status, HTTP_CODES.get(status, "Error")),
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
    return op


def build_document(app) -> dict:
    """The document for every /api/v1 route of ``app``; raises if one is undocumented."""
    paths: dict = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.endpoint.startswith("api."):
            continue
        view = app.view_functions[rule.endpoint]
        doc = getattr(view, "api_doc", None)
        if doc is None:
            raise LookupError(f"API route {rule.rule} ({rule.endpoint}) has no @endpoint doc")
        path = _CONVERTER.sub(r"{\2}", rule.rule.removeprefix(bp.url_prefix))
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(
                rule, method, doc, getattr(view, "roles", ())
            )
    schemas = {name: schema.openapi() for name, schema in sorted(COMPONENTS.items())}
    schemas["Error"] = _error_schema()
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "SCBI API",
            "version": "1",
            "description": "Coaching and mentoring programmes: the same services, rules and "
            "numbers as the web UI. Errors: "
            '`{"error": {"code", "message", "fields"}}`.',
        },
        "servers": [{"url": bp.url_prefix}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


@bp.get("/openapi.json")
@endpoint("This OpenAPI document", tag="meta", public=True)
def openapi_document():
    return jsonify(build_document(current_app))
