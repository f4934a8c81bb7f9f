"""Coaches, mentees and the bulk import of either."""

from __future__ import annotations

from flask import g, jsonify, request
from flask_babel import gettext as _

from scbi.api.blueprint import bp
from scbi.api.docs import component, endpoint
from scbi.api.lists import list_response
from scbi.api.schema import F, Schema, json_body
from scbi.auth.models import ACCOUNT as ACCOUNT_LIMITS
from scbi.auth.models import Role
from scbi.auth.permissions import SIGNED_IN, role_required
from scbi.coaches import queries as queries_of_coaches
from scbi.coaches import services as coaches
from scbi.coaches.models import COACH, Coach, CoachStatus
from scbi.coaches.queries import coach_or_404
from scbi.errors import ValidationFailed
from scbi.mentees import queries as queries_of_mentees
from scbi.mentees import services as mentees
from scbi.mentees.models import MENTEE, MENTEE_STATUS, Gender, Mentee, MenteeStatus
from scbi.mentees.queries import mentee_or_404
from scbi.pagination import paginate
from scbi.transaction import commit

ACCOUNT = {
    "email": F("string", **ACCOUNT_LIMITS["email"].api()),
    "full_name": F("string", **ACCOUNT_LIMITS["full_name"].api()),
    "password": F(
        "string",
        **ACCOUNT_LIMITS["password"].api(required=False),
        description=(
            "Initial password, changed at first sign-in; omitted = a one-time password is "
            "generated and returned once as one_time_password"
        ),
    ),
}
CoachIn = Schema(
    "CoachIn",
    {
        **ACCOUNT,
        "nationality": F("string", **COACH["nationality"].api()),
        "organisation": F("string", **COACH["organisation"].api()),
        "technical_expertise": F("string", **COACH["technical_expertise"].api()),
        "coaching_experience_years": F(
            "integer", required=True, **COACH["coaching_experience_years"].api()
        ),
        "coaching_qualification": F("string", **COACH["coaching_qualification"].api()),
        "sector_id": F("integer", required=True),
        "host_institution_id": F("integer", required=True),
        "contract_start": F("date", required=True),
        "contract_end": F("date", required=True),
        "max_mentees": F("integer", **COACH["max_mentees"].api(), description="Default 4"),
    },
)
CoachPatch = Schema(
    "CoachPatch",
    {
        "version": F("integer", required=True),
        "status": F("string", enum=tuple(s.value for s in CoachStatus)),
        **{
            k: F(f.type, min=f.min, max=f.max, max_length=f.max_length)
            for k, f in CoachIn.fields.items()
            if k not in ACCOUNT
        },
    },
)
MenteeIn = Schema(
    "MenteeIn",
    {
        **ACCOUNT,
        "staff_number": F("string", **MENTEE["staff_number"].api()),
        "gender": F("string", required=True, enum=tuple(x.value for x in Gender)),
        "position": F("string", **MENTEE["position"].api()),
        "institution_id": F("integer", required=True),
        "sector_id": F("integer", required=True),
        "phase_id": F("integer", nullable=True, description="Cohort"),
        "joined_on": F("date", required=True),
    },
)
MenteePatch = Schema(
    "MenteePatch",
    {
        "version": F("integer", required=True),
        "status": F("string", enum=tuple(s.value for s in MenteeStatus)),
        "status_date": F("date", description="Required with status"),
        "note": F("string", **MENTEE_STATUS["note"].api()),
        **{
            k: F(f.type, nullable=f.nullable, enum=f.enum, max_length=f.max_length)
            for k, f in MenteeIn.fields.items()
            if k not in ACCOUNT
        },
    },
)
PERSON = {
    "id": F("integer", required=True),
    "user_id": F("integer", required=True),
    "email": F("string", required=True),
    "full_name": F("string", required=True),
    "sector_id": F("integer", required=True),
    "version": F("integer", required=True),
    "one_time_password": F(
        "string",
        nullable=True,
        description=(
            "Only in the answer to a registration without a password: the generated one-time "
            "password, or null when the e-mail already had an account (a mentee becoming a "
            "coach, or the reverse), which keeps its own password, or null when mail is on "
            "and an invitation to choose a password was mailed instead"
        ),
    ),
    "invitation_sent": F(
        "boolean",
        description=(
            "Only in the answer to a registration without a password: whether an "
            "invitation to choose a password was mailed (mail on)"
        ),
    ),
}
component(
    Schema(
        "Coach",
        {
            **PERSON,
            **{
                k: F(f.type if f.type != "date" else "date", required=k != "coaching_qualification")
                for k, f in CoachIn.fields.items()
                if k not in ACCOUNT and k != "sector_id"
            },
            "status": F("string", required=True),
            "active_pairings": F("integer", required=True),
        },
    )
)
component(
    Schema(
        "Mentee",
        {
            **PERSON,
            **{
                k: F(f.type, nullable=f.nullable, required=True)
                for k, f in MenteeIn.fields.items()
                if k not in ACCOUNT and k != "sector_id"
            },
            "status": F("string", required=True),
            "status_changed_on": F("date", required=True),
        },
    )
)
component(
    Schema(
        "ImportResult",
        {
            "kind": F("string", required=True),
            "created": F("integer", required=True),
            "people": F(
                "array",
                items="object",
                required=True,
                description="[{id, email, full_name, one_time_password, invitation_sent}]",
            ),
        },
    )
)


def coach_json(c: Coach, active: int | None = None) -> dict:
    if active is None:
        active = queries_of_coaches.active_mentee_counts([c.id]).get(c.id, 0)
    return {
        "id": c.id,
        "user_id": c.user_id,
        "email": c.user.email,
        "full_name": c.user.full_name,
        "nationality": c.nationality,
        "organisation": c.organisation,
        "technical_expertise": c.technical_expertise,
        "coaching_experience_years": c.coaching_experience_years,
        "coaching_qualification": c.coaching_qualification,
        "sector_id": c.sector_id,
        "host_institution_id": c.host_institution_id,
        "contract_start": c.contract_start.isoformat(),
        "contract_end": c.contract_end.isoformat(),
        "max_mentees": c.max_mentees,
        "status": c.status,
        "active_pairings": active,
        "version": c.version,
    }


def mentee_json(m: Mentee) -> dict:
    return {
        "id": m.id,
        "user_id": m.user_id,
        "email": m.user.email,
        "full_name": m.user.full_name,
        "staff_number": m.staff_number,
        "gender": m.gender,
        "position": m.position,
        "institution_id": m.institution_id,
        "sector_id": m.sector_id,
        "phase_id": m.phase_id,
        "joined_on": m.joined_on.isoformat(),
        "status": m.status,
        "status_changed_on": m.status_changed_on.isoformat(),
        "version": m.version,
    }


@bp.get("/coaches")
@endpoint(
    "List the coaches the caller may see",
    tag="people",
    response="Coach",
    list_of=True,
    query=(
        ("sector_id", "integer", "Repeat it for several sectors."),
        ("status", "string", ""),
        ("q", "string", "Part of the name or e-mail"),
        ("active_from", "date", "The contract ends on or after this day."),
        ("active_to", "date", "The contract starts on or before this day."),
    ),
)
@role_required(*SIGNED_IN)
def list_coaches():
    query = queries_of_coaches.coach_list(g.api_user, request.args, default_status="all")
    query = query.order_by(None).order_by(Coach.id)
    page = paginate(query, default_per_page=50)
    active = queries_of_coaches.active_mentee_counts([c.id for c in page.items])
    return jsonify(
        items=[coach_json(c, active.get(c.id, 0)) for c in page.items],
        page=page.page,
        per_page=page.per_page,
        total=page.total,
    )


@bp.post("/coaches")
@endpoint(
    "Register a coach (creates the account)",
    tag="people",
    body=CoachIn,
    response="Coach",
    status=201,
)
@role_required(Role.SECRETARIAT)
def create_coach():
    data = json_body(CoachIn)
    coach, registration = coaches.register_coach(by=g.api_user, **data)
    commit()
    body = coach_json(coach, 0)
    if "password" not in data:
        body["one_time_password"] = registration.password
        body["invitation_sent"] = registration.invited
    return jsonify(body), 201


@bp.get("/coaches/<int:coach_id>")
@endpoint("One coach", tag="people", response="Coach")
@role_required(*SIGNED_IN)
def get_coach(coach_id: int):
    return jsonify(coach_json(coach_or_404(g.api_user, coach_id)))


@bp.patch("/coaches/<int:coach_id>")
@endpoint(
    "Change a coach's profile (contract, capacity, status…)",
    tag="people",
    body=CoachPatch,
    response="Coach",
)
@role_required(Role.SECRETARIAT)
def patch_coach(coach_id: int):
    coach = coach_or_404(g.api_user, coach_id)
    coaches.update_coach(coach, by=g.api_user, **json_body(CoachPatch))
    commit()
    return jsonify(coach_json(coach))


@bp.get("/mentees")
@endpoint(
    "List the mentees the caller may see",
    tag="people",
    response="Mentee",
    list_of=True,
    query=(
        ("sector_id", "integer", "Repeat it for several sectors."),
        ("institution_id", "integer", ""),
        ("status", "string", ""),
        ("phase_id", "integer", ""),
        ("q", "string", "Part of the name, e-mail or staff number"),
        ("gender", F("string", enum=tuple(g.value for g in Gender))),
        ("active_from", "date", "Active at some time on or after this day (dated statuses)."),
        ("active_to", "date", "Active at some time on or before this day (dated statuses)."),
    ),
)
@role_required(*SIGNED_IN)
def list_mentees():
    query, _filters = queries_of_mentees.mentee_list(g.api_user, request.args, default_status="all")
    query = query.order_by(None).order_by(Mentee.id)
    return list_response(query, mentee_json)


@bp.post("/mentees")
@endpoint(
    "Register a mentee (creates the account)",
    tag="people",
    body=MenteeIn,
    response="Mentee",
    status=201,
)
@role_required(Role.SECRETARIAT)
def create_mentee():
    data = json_body(MenteeIn)
    mentee, registration = mentees.register_mentee(by=g.api_user, **data)
    commit()
    body = mentee_json(mentee)
    if "password" not in data:
        body["one_time_password"] = registration.password
        body["invitation_sent"] = registration.invited
    return jsonify(body), 201


@bp.get("/mentees/<int:mentee_id>")
@endpoint("One mentee", tag="people", response="Mentee")
@role_required(*SIGNED_IN)
def get_mentee(mentee_id: int):
    return jsonify(mentee_json(mentee_or_404(g.api_user, mentee_id)))


@bp.patch("/mentees/<int:mentee_id>")
@endpoint(
    "Change a mentee's status (with its date) or profile",
    tag="people",
    body=MenteePatch,
    response="Mentee",
)
@role_required(Role.SECRETARIAT)
def patch_mentee(mentee_id: int):
    mentee = mentee_or_404(g.api_user, mentee_id)
    data = json_body(MenteePatch)
    version = data.pop("version")
    status = {k: data.pop(k) for k in ("status", "status_date", "note") if k in data}
    if data:
        mentees.update_mentee(mentee, by=g.api_user, version=version, **data)
        version = mentee.version
    if status:
        if "status" not in status:
            raise ValidationFailed(fields={"status": [_("Send the new status with its date.")]})
        mentees.change_status(
            mentee,
            by=g.api_user,
            version=version,
            status=status["status"],
            status_date=status.get("status_date"),
            note=status.get("note", ""),
        )
    commit()
    return jsonify(mentee_json(mentee))
