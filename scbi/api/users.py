"""Secretariat, coordinator and development partner accounts (coach and mentee accounts come
with their profiles)."""

from __future__ import annotations

from flask import g, jsonify, request, url_for

from scbi.api.blueprint import bp
from scbi.api.docs import component, endpoint
from scbi.api.lists import list_response
from scbi.api.schema import F, Schema, json_body
from scbi.auth import links, services
from scbi.auth.models import ACCOUNT, Role, User
from scbi.auth.permissions import role_required
from scbi.auth.queries import account_list, user_or_404
from scbi.pagination import paginate
from scbi.partners.queries import account_partner_id, account_partners
from scbi.partners.services import account_partner_problems, set_account_partner
from scbi.programme.services import coordinator_sector_problems, set_coordinator_sectors
from scbi.transaction import commit
from scbi.validation import refusing_also

ROLES_HELP = (
    "Any of: secretariat, coordinator, or partner alone (coach and mentee roles come with "
    "profiles)."
)
PARTNER_HELP = (
    "A partner account's development partner (required with the partner role; null "
    "otherwise): it reads the reports of the sectors whose coaches that partner funds"
)

UserCreate = Schema(
    "UserCreate",
    {
        "email": F("string", **ACCOUNT["email"].api()),
        "full_name": F("string", **ACCOUNT["full_name"].api()),
        "password": F(
            "string",
            **ACCOUNT["password"].api(required=False),
            description=(
                "An initial password; the person must change it at first sign-in. Omitted: "
                "with mail on, an invitation to choose a password is mailed "
                "(invitation_sent); with mail off, a one-time password is generated and "
                "returned once (one_time_password)"
            ),
        ),
        "roles": F("array", items="string", required=True, description=ROLES_HELP),
        "sector_ids": F("array", items="integer", description="A coordinator's sectors"),
        "partner_id": F("integer", nullable=True, description=PARTNER_HELP),
    },
)
UserPatch = Schema(
    "UserPatch",
    {
        "version": F("integer", required=True),
        "active": F("boolean"),
        "roles": F("array", items="string", description=ROLES_HELP),
        "full_name": F("string", **ACCOUNT["full_name"].api(required=False)),
        "sector_ids": F("array", items="integer", description="A coordinator's sectors"),
        "partner_id": F("integer", nullable=True, description=PARTNER_HELP),
    },
)
component(
    Schema(
        "User",
        {
            "id": F("integer", required=True),
            "email": F("string", required=True),
            "full_name": F("string", required=True),
            "roles": F("array", items="string", required=True),
            "active": F("boolean", required=True),
            "must_change_password": F("boolean", required=True),
            "last_login_at": F("datetime", nullable=True, required=True),
            "sector_ids": F("array", items="integer", required=True),
            "partner_id": F("integer", nullable=True, required=True, description=PARTNER_HELP),
            "created_at": F("datetime", required=True),
            "version": F("integer", required=True),
            "one_time_password": F(
                "string",
                nullable=True,
                description="Only in the answer to a creation without a password, mail off",
            ),
            "invitation_sent": F(
                "boolean",
                description="Only in the answer to a creation without a password",
            ),
        },
    )
)


def user_json(user: User, partners: dict[int, int] | None = None) -> dict:
    """The account; ``partners`` (a page's, read at once) or its own link gives partner_id."""
    if partners is None:
        partners = account_partners([user.id])
    return {
        "id": user.id,
        "email": user.email,
        "full_name": user.full_name,
        "roles": sorted(user.roles),
        "active": user.active,
        "must_change_password": user.must_change_password,
        "last_login_at": user.last_login_at.isoformat() if user.last_login_at else None,
        "sector_ids": [s.id for s in user.sectors],
        "partner_id": partners.get(user.id),
        "created_at": user.created_at.isoformat(),
        "version": user.version,
    }


@bp.get("/users")
@endpoint(
    "List accounts",
    tag="users",
    response="User",
    list_of=True,
    query=(
        ("q", "string", "Part of the name or e-mail"),
        ("role", "string", "Only accounts holding this role"),
    ),
)
@role_required(Role.SECRETARIAT)
def list_users():
    query = account_list(
        q=request.args.get("q") or "", role=request.args.get("role") or "", with_sectors=True
    )
    page = paginate(query.order_by(User.id), 50)
    partners = account_partners([u.id for u in page.items])
    return list_response(page, lambda user: user_json(user, partners))


def _problems(user: User | None, roles, sector_ids, partner_id):
    """What the sectors and the partner would refuse, checked when the account's own
    change is (every problem of the request at once)."""
    return (
        lambda: coordinator_sector_problems(user, roles, sector_ids),
        lambda: account_partner_problems(user, roles, partner_id),
    )


@bp.get("/users/<int:user_id>")
@endpoint("One account", tag="users", response="User")
@role_required(Role.SECRETARIAT)
def get_user(user_id: int):
    return jsonify(user_json(user_or_404(g.api_user, user_id)))


@bp.post("/users")
@endpoint(
    "Create a secretariat, coordinator or development partner account",
    tag="users",
    body=UserCreate,
    response="User",
    status=201,
)
@role_required(Role.SECRETARIAT)
def create_user():
    data = json_body(UserCreate)
    sector_ids = data.pop("sector_ids", None)
    partner_id = data.pop("partner_id", None)
    extra = {}
    with refusing_also(*_problems(None, data.get("roles"), sector_ids, partner_id)):
        if "password" in data:
            user = services.create_user(by=g.api_user, **data)
        else:
            user, password = links.create_account(by=g.api_user, **data)
            extra = {"one_time_password": password, "invitation_sent": password is None}
    if sector_ids:
        set_coordinator_sectors(user, sector_ids, by=g.api_user)
    set_account_partner(user, partner_id, by=g.api_user)
    commit()
    response = jsonify(user_json(user) | extra)
    response.headers["Location"] = url_for("api.get_user", user_id=user.id)
    return response, 201


@bp.patch("/users/<int:user_id>")
@endpoint(
    "Activate, deactivate or change the roles of an account",
    tag="users",
    body=UserPatch,
    response="User",
)
@role_required(Role.SECRETARIAT)
def patch_user(user_id: int):
    user = user_or_404(g.api_user, user_id)
    data = json_body(UserPatch)
    sector_ids = data.pop("sector_ids", None)
    partner_id = data.pop("partner_id", account_partner_id(user.id))
    roles = data.get("roles", [r.value for r in user.roles])
    with refusing_also(*_problems(user, roles, sector_ids, partner_id)):
        services.update_user(user, by=g.api_user, **data)
    if sector_ids is not None:
        set_coordinator_sectors(user, sector_ids, by=g.api_user)
    set_account_partner(user, partner_id, by=g.api_user)
    commit()
    return jsonify(user_json(user))
