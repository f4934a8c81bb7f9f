"""The rules of a request, before the engagement runs: recording it, editing it and its
objectives, the counterpart team, declining it or recording its withdrawal. Each change
is validated, audited and flushed (the caller commits). Brokering and starting are in
:mod:`~scbi.engagements.services.running`, check-ins in :mod:`~.check_ins`, the close-out
in :mod:`~.close_out`.

Refusals: anyone but the secretariat and the sector's coordinators (403); a request in a
sector the coordinator does not manage (422, on ``sector_id``); a change the state does
not allow (409, saying the state); a field missing or wrong (422, naming it).
"""

from __future__ import annotations

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _

from scbi import audit
from scbi.auth.models import User
from scbi.auth.permissions import managed_sector_ids
from scbi.dates import today
from scbi.engagements.models import (
    ENGAGEMENT,
    MAX_MEMBERS,
    MAX_OBJECTIVES,
    MEMBER,
    NOT_STARTED,
    OBJECTIVE,
    Engagement,
    EngagementMember,
    EngagementObjective,
    EngagementStatus,
)
from scbi.engagements.permissions import can_manage, can_record_requests, may_run
from scbi.engagements.queries import team_rows
from scbi.errors import InvalidTransition, NotAllowed, check_version
from scbi.extensions import db
from scbi.mentees.models import Mentee
from scbi.programme.models import Institution, Sector
from scbi.validation import Errors

REQUEST_FIELDS = (
    "institution_id",
    "sector_id",
    "received_on",
    "requested_by_name",
    "requested_by_role",
    "problem",
    "hoped_result",
)


def require_manager(user: User, engagement: Engagement) -> None:
    """Refuse (403) anyone but the secretariat and the coordinators of its sector."""
    if not can_manage(user, engagement):
        raise NotAllowed


def require_runner(user: User, engagement: Engagement) -> None:
    """Refuse (403) anyone but its managers and the brokered coach (start, check in,
    close)."""
    if not may_run(user, engagement):
        raise NotAllowed(
            _("Only the secretariat, the sector's coordinators and the brokered coach do this.")
        )


def long_day(day: date) -> str:
    return format_date(day, "long")


def refuse_unless(engagement: Engagement, allowed, message: str) -> None:
    """Refuse (409) a change the engagement's state does not allow; ``message`` says what
    is allowed and takes the state as ``%(status)s``."""
    if engagement.status not in allowed:
        raise InvalidTransition(message % {"status": engagement.status.label})


# --- the request ---------------------------------------------------------------------------


def _request_values(errors: Errors, data: dict, by: User) -> dict:
    institution = errors.ref(
        "institution_id", Institution, data.get("institution_id"), label=_("institution")
    )
    sector_id = data.get("sector_id")
    if sector_id in (None, "") and institution is not None:
        sector_id = institution.sector_id  # the institution's, unless another is chosen
    sector = errors.ref("sector_id", Sector, sector_id, label=_("sector"))
    managed = managed_sector_ids(by)
    if sector is not None and managed is not None and sector.id not in managed:
        errors.add(
            "sector_id",
            _("You record the requests of your own sectors: choose one of them."),
        )
    received_on = errors.date("received_on", data.get("received_on"))
    if received_on is not None and received_on > today():
        errors.add("received_on", _("The date must not be in the future."))
    return {
        "institution_id": institution.id if institution else None,
        "sector_id": sector.id if sector else None,
        "received_on": received_on,
        **{
            name: errors.text(name, data.get(name), **ENGAGEMENT[name].check())
            for name in ("requested_by_name", "requested_by_role", "problem", "hoped_result")
        },
    }


def _objectives(errors: Errors, objectives) -> list[str]:
    """The objectives' texts: a list of 0 to MAX_OBJECTIVES texts, each refusal naming
    the objective by its number."""
    if objectives is None:
        return []
    if not isinstance(objectives, list):
        errors.add("objectives", _("Must be a list."))
        return []
    if len(objectives) > MAX_OBJECTIVES:
        errors.add("objectives", _("At most %(n)d objectives.", n=MAX_OBJECTIVES))
    texts = []
    for n, text in enumerate(objectives):
        problems = Errors()
        texts.append(problems.text("text", text, **OBJECTIVE["text"].check()))
        for message in problems.fields.get("text", []):
            errors.add(
                f"objectives.{n}",
                _("Objective %(n)d: %(problem)s", n=n + 1, problem=message),
            )
    return texts


def _set_objectives(engagement: Engagement, texts: list[str]) -> bool:
    """Objective n keeps its row (and any check-in's words on it) with the new text; the
    ones beyond the new list go. Whether anything changed."""
    current = list(engagement.objectives)
    if [o.text for o in current] == texts:
        return False
    for objective, text in zip(current, texts, strict=False):
        objective.text = text
    for objective in current[len(texts) :]:
        engagement.objectives.remove(objective)
    for n, text in enumerate(texts[len(current) :], start=len(current) + 1):
        engagement.objectives.append(EngagementObjective(number=n, text=text))
    return True


def record_request(*, by: User, objectives=None, **data) -> Engagement:
    """Record a partner institution's request (state ``requested``): the institution, the
    sector (empty: the institution's), when it came and from whom, the problem and the
    result hoped for, and, when already known, its objectives."""
    if not can_record_requests(by):
        raise NotAllowed
    errors = Errors()
    values = _request_values(errors, data, by)
    texts = _objectives(errors, objectives)
    errors.raise_if_any()
    engagement = Engagement(status=EngagementStatus.REQUESTED, recorded_by_id=by.id, **values)
    _set_objectives(engagement, texts)
    return audit.add_created(
        engagement,
        "status",
        *REQUEST_FIELDS,
        by=by,
        action="engagement.request",
    )


def _objective_texts(engagement: Engagement) -> list[str]:
    return [o.text for o in engagement.objectives]


def update_request(
    engagement: Engagement, *, by: User, version, objectives=None, **data
) -> Engagement:
    """Change the request and its objectives (``objectives`` None: kept) until the
    engagement starts: it is then judged against the objectives it started with."""
    require_manager(by, engagement)
    check_version(engagement, version)
    refuse_unless(
        engagement,
        NOT_STARTED,
        _(
            "The request and its objectives are fixed once the engagement has started (it "
            "is: %(status)s)."
        ),
    )
    errors = Errors()
    current = audit.snapshot(engagement, *REQUEST_FIELDS)
    values = _request_values(errors, {**current, **data}, by)
    texts = _objective_texts(engagement) if objectives is None else _objectives(errors, objectives)
    if not texts and engagement.status == EngagementStatus.BROKERED:
        errors.add("objectives", _("A brokered engagement keeps at least one objective."))
    errors.raise_if_any()
    before = _objective_texts(engagement)
    audit.apply_changes(engagement, values, by=by, action="engagement.update")
    if _set_objectives(engagement, texts):
        engagement.version += 1  # its objectives are the engagement's content
        db.session.flush()
        audit.record(
            "engagement.objectives",
            by=by,
            entity=engagement,
            before={"objectives": before},
            after={"objectives": texts},
        )
    return engagement


# --- the counterpart team ------------------------------------------------------------------


def _members(errors: Errors, members) -> list[dict]:
    if not isinstance(members, list):
        errors.add("members", _("Must be a list."))
        return []
    if len(members) > MAX_MEMBERS:
        errors.add("members", _("At most %(n)d people in the team.", n=MAX_MEMBERS))
    found, seen = [], set()
    for n, item in enumerate(members):
        key = f"members.{n}."
        if not isinstance(item, dict):
            errors.add(f"members.{n}", _("Must be an object."))
            continue
        mentee = errors.ref(
            key + "mentee_id", Mentee, item.get("mentee_id"), required=False, label=_("mentee")
        )
        if mentee is not None and mentee.id in seen:
            errors.add(key + "mentee_id", _("This mentee is already in the team."))
        if mentee is not None:
            seen.add(mentee.id)
        # a mentee's name and position are known: given, they are the team's words
        name = str(item.get("name") or "").strip() or (mentee.full_name if mentee else "")
        position = str(item.get("position") or "").strip() or (mentee.position if mentee else "")
        found.append(
            {
                "name": errors.text(key + "name", name, **MEMBER["name"].check()),
                "position": errors.text(key + "position", position, **MEMBER["position"].check()),
                "mentee_id": mentee.id if mentee else None,
            }
        )
    return found


def set_team(engagement: Engagement, *, by: User, version, members) -> Engagement:
    """Replace the counterpart team by ``members`` (``[{name, position, mentee_id?}]``; a
    mentee's own name and position when left empty) while the engagement is open. The
    team is part of the engagement, edited under its version."""
    require_manager(by, engagement)
    check_version(engagement, version)
    refuse_unless(
        engagement,
        (*NOT_STARTED, EngagementStatus.ACTIVE),
        _("The team of an ended engagement stays as it was (it is: %(status)s)."),
    )
    errors = Errors()
    wanted = _members(errors, members)
    errors.raise_if_any()
    before = team_rows(engagement)
    if wanted == before:
        return engagement
    current = list(engagement.members)
    for member, values in zip(current, wanted, strict=False):
        for name, value in values.items():
            setattr(member, name, value)
    for member in current[len(wanted) :]:
        engagement.members.remove(member)
    for n, values in enumerate(wanted[len(current) :], start=len(current) + 1):
        engagement.members.append(EngagementMember(number=n, **values))
    engagement.version += 1
    db.session.flush()
    audit.record(
        "engagement.team", by=by, entity=engagement, before={"team": before}, after={"team": wanted}
    )
    return engagement


# --- a request not taken up ----------------------------------------------------------------

_NOT_TAKEN_UP = {
    EngagementStatus.DECLINED: "engagement.decline",
    EngagementStatus.WITHDRAWN: "engagement.withdraw",
}


def _not_taken_up(
    engagement: Engagement, to: EngagementStatus, *, by: User, version, reason, message: str
) -> Engagement:
    require_manager(by, engagement)
    check_version(engagement, version)
    refuse_unless(engagement, NOT_STARTED, message)
    errors = Errors()
    reason = errors.text("reason", reason, **ENGAGEMENT["end_reason"].check())
    errors.raise_if_any()
    before = {"status": engagement.status}
    engagement.status = to
    engagement.ended_on = today()
    engagement.end_reason = reason
    db.session.flush()
    audit.record(
        _NOT_TAKEN_UP[to],
        by=by,
        entity=engagement,
        before=before,
        after={"status": to, "ended_on": engagement.ended_on, "end_reason": reason},
    )
    return engagement


def decline(engagement: Engagement, *, by: User, version, reason) -> Engagement:
    """The secretariat (or the sector's coordinator) does not take the request up, saying
    why; only before the engagement starts."""
    return _not_taken_up(
        engagement,
        EngagementStatus.DECLINED,
        by=by,
        version=version,
        reason=reason,
        message=_("Only a request not yet started can be declined (it is: %(status)s)."),
    )


def withdraw(engagement: Engagement, *, by: User, version, reason) -> Engagement:
    """Record that the institution withdrew its request, and why; only before the
    engagement starts."""
    return _not_taken_up(
        engagement,
        EngagementStatus.WITHDRAWN,
        by=by,
        version=version,
        reason=reason,
        message=_("Only a request not yet started can be withdrawn (it is: %(status)s)."),
    )
