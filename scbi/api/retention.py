"""Follow-ups after the programme (docs/retention.md): the list of follow-ups, one
mentee's follow-ups, and recording an answer. Who may read and answer is the pages' rule
(scbi.retention.permissions): the mentee their own, the secretariat any, coordinators read
their sectors'; coaches none."""

from __future__ import annotations

from flask import g, jsonify, request

from scbi.api.blueprint import bp
from scbi.api.docs import component, day, endpoint
from scbi.api.lists import list_response
from scbi.api.schema import F, Schema, json_body
from scbi.auth.models import Role
from scbi.auth.permissions import role_required
from scbi.errors import NotFound
from scbi.mentees.models import Gender
from scbi.pagination import paginate_rows
from scbi.retention import queries, services
from scbi.retention.models import FOLLOW_UP, MILESTONES, FollowUp, FollowUpSource, FollowUpState
from scbi.retention.permissions import READERS
from scbi.retention.queries import listing
from scbi.transaction import commit_with

STATES = tuple(s.value for s in FollowUpState)
_ONLY_IN_SERVICE = "Asked only of those still in public service: ignored (null) otherwise."


def _flag(description: str) -> F:
    return F("string", enum=("1",), description=description)


FollowUpIn = Schema(
    "FollowUpIn",
    {
        "answered_on": F("date", description="The day the answer was given; default today."),
        "in_public_service": F("boolean", required=True, description="Retained: yes or no."),
        "same_institution": F("boolean", nullable=True, description=_ONLY_IN_SERVICE),
        "same_sector": F("boolean", nullable=True, description=_ONLY_IN_SERVICE),
        "promoted": F("boolean", nullable=True, description=_ONLY_IN_SERVICE),
        "position": F("string", plain_text=True, **FOLLOW_UP["position"].api()),
        "coaching_others": F(
            "boolean", required=True, description="Now coaching or mentoring others."
        ),
        "note": F("string", plain_text=True, **FOLLOW_UP["note"].api()),
        "version": F(
            "integer",
            description="The version of the stored answer read (required to correct one).",
        ),
    },
)
ANSWER_FIELDS = {
    "id": F("integer", required=True),
    "mentee_id": F("integer", required=True),
    "months": F("integer", required=True),
    "answered_on": F("date", required=True),
    "in_public_service": F("boolean", required=True),
    "same_institution": F("boolean", nullable=True, required=True),
    "same_sector": F("boolean", nullable=True, required=True),
    "promoted": F("boolean", nullable=True, required=True),
    "position": F("string", required=True),
    "coaching_others": F("boolean", required=True),
    "note": F("string", required=True),
    "recorded_as": F("string", required=True, enum=tuple(s.value for s in FollowUpSource)),
    "recorded_by": F("object", required=True, description="{id, full_name}"),
    "version": F("integer", required=True),
}
component(Schema("FollowUpAnswer", ANSWER_FIELDS))
_DATES = {
    "months": F("integer", required=True, description="6, 12 or 24"),
    "due_on": F("date", required=True, description="the exit date plus the months"),
    "answer_by": F("date", required=True, description="the end of its 30-day answer window"),
    "state": F("string", required=True, enum=STATES),
    "days_overdue": F("integer", required=True, description="0 unless overdue"),
}
component(
    Schema(
        "MenteeFollowUps",
        {
            "mentee_id": F("integer", required=True),
            "exit_on": F(
                "date",
                nullable=True,
                required=True,
                description="null while the mentee is in the programme (no follow-ups yet)",
            ),
            "items": F(
                "array",
                items="object",
                required=True,
                description="[{months, due_on, answer_by, state, days_overdue, current (the "
                "latest that has fallen due), answer: FollowUpAnswer or null}]",
            ),
        },
    )
)
component(
    Schema(
        "ListedFollowUp",
        {
            "mentee": F("object", required=True, description="{id, full_name}"),
            "sector": F("object", required=True, description="{id, code}"),
            "institution": F("string", required=True, description="the mentee's, by acronym"),
            "exit_on": F("date", required=True),
            **_DATES,
            "answered_on": F("date", nullable=True, required=True),
            "in_public_service": F("boolean", nullable=True, required=True),
            "coaching_others": F("boolean", nullable=True, required=True),
        },
    )
)


def answer_json(f: FollowUp | None) -> dict | None:
    if f is None:
        return None
    return {
        "id": f.id,
        "mentee_id": f.mentee_id,
        "months": f.months,
        "answered_on": f.answered_on.isoformat(),
        "in_public_service": f.in_public_service,
        "same_institution": f.same_institution,
        "same_sector": f.same_sector,
        "promoted": f.promoted,
        "position": f.position,
        "coaching_others": f.coaching_others,
        "note": f.note,
        "recorded_as": f.recorded_as.value,
        "recorded_by": {"id": f.recorded_by_id, "full_name": f.recorded_by.full_name},
        "version": f.version,
    }


def _listed_json(row: listing.ListedFollowUp) -> dict:
    return {
        "mentee": {"id": row.mentee_id, "full_name": row.full_name},
        "sector": {"id": row.sector_id, "code": row.sector_code},
        "institution": row.institution,
        "exit_on": row.exit_on.isoformat(),
        "months": row.months,
        "due_on": row.due_on.isoformat(),
        "answer_by": row.answer_by.isoformat(),
        "state": row.state.value,
        "days_overdue": row.days_overdue,
        "answered_on": row.answered_on.isoformat() if row.answered_on else None,
        "in_public_service": row.in_public_service,
        "coaching_others": row.coaching_others,
    }


def _mentee_json(mentee_id: int, found: queries.MenteeFollowUps) -> dict:
    return {
        "mentee_id": mentee_id,
        "exit_on": found.exit_on.isoformat() if found.exit_on else None,
        "items": [
            {
                "months": m.months,
                "due_on": m.due_on.isoformat(),
                "answer_by": m.answer_by.isoformat(),
                "state": m.state.value,
                "days_overdue": m.days_overdue,
                "current": m.current,
                "answer": answer_json(m.answer),
            }
            for m in found.milestones
        ],
    }


@bp.get("/follow-ups")
@endpoint(
    "Follow-ups after the programme that have fallen due, overdue first (coordinators: "
    "their sectors')",
    tag="retention",
    response="ListedFollowUp",
    list_of=True,
    query=(
        (
            "state",
            F(
                "string",
                enum=listing.STATE_FILTERS,
                description="one state (on `on`), or open (due or overdue); default every "
                "follow-up that has fallen due (by `on`)",
            ),
        ),
        ("sector_id", "integer", "The mentee's sector; repeat it for several sectors."),
        ("months", F("integer", min=6, max=24, description="6, 12 or 24")),
        (
            "on",
            day(
                "The follow-ups as they stood on this day (default today): the exit dates, "
                "the states and the answers given by then."
            ),
        ),
        ("answered", _flag("1: only those answered (by `on`): followed up.")),
        ("retained", _flag("1: only answers that say still in the public service.")),
        ("cascade", _flag("1: only answers that say coaching or mentoring others.")),
        (
            "latest",
            _flag(
                "1: only each mentee's latest answer among their follow-ups fallen due "
                "(the reports' cascade counts mentees by it)."
            ),
        ),
        (
            "gender",
            F(
                "string",
                enum=tuple(g.value for g in Gender),
                description="The mentee's, as recorded today.",
            ),
        ),
        (
            "institution_id",
            "integer",
            "The mentee's institution, as recorded today; repeat it for several.",
        ),
    ),
)
@role_required(Role.SECRETARIAT, Role.COORDINATOR)
def list_follow_ups():
    found = listing.list_filters(request.args)
    page = paginate_rows(listing.follow_up_list(g.api_user, found), 50)
    return list_response(page, lambda row: _listed_json(listing.listed(row, found.on)))


@bp.get("/mentees/<int:mentee_id>/follow-ups")
@endpoint(
    "A mentee's follow-ups at 6, 12 and 24 months: their dates, state and answers (the "
    "mentee, the secretariat, coordinators of the mentee's sector)",
    tag="retention",
    response="MenteeFollowUps",
)
@role_required(*READERS)
def mentee_follow_ups(mentee_id: int):
    mentee = queries.follow_up_mentee_or_404(g.api_user, mentee_id)
    return jsonify(_mentee_json(mentee.id, queries.follow_ups_of(mentee)))


@bp.put("/mentees/<int:mentee_id>/follow-ups/<int:months>")
@endpoint(
    "Record the answer to a follow-up (201), or correct it with the version read (200): "
    "the mentee their own latest one, the secretariat any that has fallen due; 409 "
    "not_due before it falls due",
    tag="retention",
    body=FollowUpIn,
    response="FollowUpAnswer",
    also=((201, "FollowUpAnswer", "a new answer"),),
    errors=(409,),
)
@role_required(Role.SECRETARIAT, Role.MENTEE)
def put_follow_up(mentee_id: int, months: int):
    mentee = queries.follow_up_mentee_or_404(g.api_user, mentee_id)
    if months not in MILESTONES:
        raise NotFound
    services.require_may_answer(g.api_user, mentee)
    follow_up, created = services.record_follow_up(
        mentee, months, by=g.api_user, **json_body(FollowUpIn)
    )
    return jsonify(commit_with(lambda: answer_json(follow_up))), 201 if created else 200
