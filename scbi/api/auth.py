"""Tokens, the caller's identity, and the health check."""

from __future__ import annotations

from flask import g, jsonify, request
from flask_babel import gettext as _

from scbi import transaction
from scbi.api.blueprint import bp
from scbi.api.docs import component, endpoint
from scbi.api.schema import F, Schema, json_body
from scbi.auth import services
from scbi.auth.models import ACCOUNT, TOKEN
from scbi.auth.tokens import issue_token, revoke_token
from scbi.coaches.queries import coach_id_of
from scbi.errors import NotAuthenticated, PasswordChangeRequired, Throttled
from scbi.mentees.queries import mentee_id_of
from scbi.transaction import commit

TokenRequest = Schema(
    "TokenRequest",
    {
        "email": F("string", **ACCOUNT["email"].api()),
        "password": F("string", **ACCOUNT["password"].api()),
        "label": F(
            "string", **TOKEN["label"].api(), description="What the token is for, e.g. a device."
        ),
    },
)
component(
    Schema(
        "Token",
        {
            "token": F("string", required=True, description="Shown once; send as a Bearer token."),
            "expires_at": F("datetime", required=True),
        },
    )
)
component(
    Schema(
        "Me",
        {
            "id": F("integer", required=True),
            "email": F("string", required=True),
            "full_name": F("string", required=True),
            "roles": F("array", items="string", required=True),
            "coach_id": F("integer", nullable=True, required=True),
            "mentee_id": F("integer", nullable=True, required=True),
            "sector_ids": F("array", items="integer", required=True),
        },
    )
)
component(Schema("Health", {"status": F("string", required=True, enum=("ok",))}))


@bp.post("/tokens")
@endpoint(
    "Exchange an e-mail and password for a bearer token",
    tag="auth",
    body=TokenRequest,
    response="Token",
    status=201,
    errors=(401, 403, 429),
    public=True,
)
def create_token():
    data = json_body(TokenRequest)
    try:
        plain, token = issue_token(
            data["email"], data["password"], label=data.get("label"), client=request.remote_addr
        )
    except services.LoginFailed:
        commit()  # keep the failure count and its audit event
        raise NotAuthenticated(
            _("The e-mail or password is not correct."), code="invalid_credentials"
        ) from None
    except (Throttled, PasswordChangeRequired):
        # a throttled attempt is audited too; a right one-time password clears the count
        commit()
        raise
    commit()
    return jsonify(token=plain, expires_at=token.expires_at.isoformat()), 201


@bp.delete("/tokens/current")
@endpoint("Revoke the token used for this call", tag="auth", status=204)
def delete_current_token():
    revoke_token(g.api_token, by=g.api_user)
    commit()
    return "", 204


def me_json(user) -> dict:
    return {
        "id": user.id,
        "email": user.email,
        "full_name": user.full_name,
        "roles": sorted(user.roles),
        "coach_id": coach_id_of(user),
        "mentee_id": mentee_id_of(user),
        "sector_ids": [s.id for s in user.sectors],
    }


@bp.get("/me")
@endpoint("The caller's account, roles and scope", tag="auth", response="Me")
def me():
    return jsonify(me_json(g.api_user))


@bp.get("/health")
@endpoint(
    "Whether the service and its database answer",
    tag="meta",
    response="Health",
    errors=(503,),
    public=True,
)
def health():
    if not transaction.answers():
        return jsonify(status="unavailable"), 503
    return jsonify(status="ok")
