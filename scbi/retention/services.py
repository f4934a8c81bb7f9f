"""The rule that changes follow-ups: recording (or correcting) an answer, validated,
audited and flushed (the caller commits). The web form, the API and the demo all call it."""

from __future__ import annotations

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _

from scbi import audit
from scbi.auth.models import User
from scbi.dates import today
from scbi.errors import InvalidTransition, NotAllowed, NotFound, check_version
from scbi.mentees.models import Mentee
from scbi.retention.models import FOLLOW_UP, MILESTONES, FollowUp, FollowUpSource, FollowUpState
from scbi.retention.permissions import can_answer, can_record_for_others, is_own
from scbi.retention.queries import follow_ups_of
from scbi.validation import Errors

ANSWER_FIELDS = (
    "answered_on",
    "in_public_service",
    "same_institution",
    "same_sector",
    "position",
    "promoted",
    "coaching_others",
    "note",
)
FIELDS = ("mentee_id", "months", *ANSWER_FIELDS, "recorded_by_id", "recorded_as")
# Asked only of those still in public service; left empty for those who left it.
IN_SERVICE_ONLY = ("same_institution", "same_sector", "promoted")


def _yes_no(errors: Errors, field: str, value, *, required: bool = True) -> bool | None:
    if value is None or value == "":
        if required:
            errors.add(field, _("Answer yes or no."))
        return None
    if not isinstance(value, bool):
        errors.add(field, _("Answer yes or no."))
        return None
    return value


def _values(errors: Errors, data: dict, due: date) -> dict:
    answered_on = data.get("answered_on") or today()
    answered_on = errors.date("answered_on", answered_on)
    if answered_on is not None:
        if answered_on > today():
            errors.add("answered_on", _("The date must not be in the future."))
        elif answered_on < due:
            errors.add(
                "answered_on",
                _(
                    "This follow-up fell due on %(day)s; an answer cannot be dated earlier.",
                    day=format_date(due, "long"),
                ),
            )
    in_service = _yes_no(errors, "in_public_service", data.get("in_public_service"))
    values = {
        "answered_on": answered_on,
        "in_public_service": in_service,
        "coaching_others": _yes_no(errors, "coaching_others", data.get("coaching_others")),
        "position": errors.text("position", data.get("position"), **FOLLOW_UP["position"].check()),
        "note": errors.text("note", data.get("note"), **FOLLOW_UP["note"].check()),
    }
    for name in IN_SERVICE_ONLY:
        # meaningless once out of the public service: left empty, whatever was sent
        values[name] = _yes_no(errors, name, data.get(name)) if in_service else None
    return values


def require_may_answer(user: User, mentee: Mentee) -> None:
    """Refuse (403) anyone who may never answer this mentee's follow-ups: all but the
    secretariat and the mentee themself (a coordinator reads them only)."""
    if not (can_record_for_others(user) or is_own(user, mentee)):
        raise NotAllowed


def record_follow_up(
    mentee: Mentee, months: int, *, by: User, version=None, **answers
) -> tuple[FollowUp, bool]:
    """Record the answer to the mentee's ``months`` follow-up, or correct the stored one
    (under its ``version``: a stale one is a 409 and changes nothing). Answers the answer
    and whether it is new (the API's 201).

    Refused: a milestone other than 6, 12 or 24 (404); a follow-up not yet due, or of a
    mentee still in the programme (409 ``not_due``, saying when it falls due); anyone but
    the secretariat and the mentee themself for their current follow-up (403); an answer
    dated before the follow-up fell due or in the future, a missing yes or no (422, naming
    the field). ``answered_on`` defaults to today; a mentee's answer is dated the day they
    first give it (another date is refused: only the secretariat dates an answer).
    """
    if months not in MILESTONES:
        raise NotFound
    require_may_answer(by, mentee)
    found = follow_ups_of(mentee)
    milestone = found.get(months)
    if found.exit_on is None or milestone is None:
        raise InvalidTransition(
            _(
                "%(name)s is still in the programme: the follow-ups start when their last "
                "pairing ends or they graduate.",
                name=mentee.full_name,
            ),
            code="not_due",
        )
    if milestone.state == FollowUpState.UPCOMING:
        raise InvalidTransition(
            _(
                "The %(months)d-month follow-up falls due on %(day)s; it cannot be answered "
                "before.",
                months=months,
                day=format_date(milestone.due_on, "long"),
            ),
            code="not_due",
        )
    if not can_answer(by, mentee, milestone.state, current=milestone.current):
        raise NotAllowed(
            _("Only the secretariat records an earlier follow-up; yours is the latest one.")
            if is_own(by, mentee)
            else None
        )
    existing = milestone.answer
    if existing is not None:
        check_version(existing, version)
    errors = Errors()
    if not can_record_for_others(by):  # a mentee's answer is dated the day it is given
        dated = existing.answered_on if existing is not None else today()
        sent = answers.get("answered_on")
        if sent not in (None, "", dated, dated.isoformat()):
            errors.add(
                "answered_on",
                _("Only the secretariat dates an answer; yours is dated the day you give it."),
            )
        answers["answered_on"] = dated
    values = _values(errors, answers, milestone.due_on)
    errors.raise_if_any()
    if existing is not None and all(getattr(existing, k) == values[k] for k in values):
        return existing, False  # nothing changed: nor who recorded it
    values["recorded_by_id"] = by.id
    values["recorded_as"] = (
        FollowUpSource.MENTEE if is_own(by, mentee) else FollowUpSource.SECRETARIAT
    )
    if existing is None:
        follow_up = FollowUp(mentee_id=mentee.id, months=months, **values)
        return audit.add_created(follow_up, *FIELDS, by=by, action="follow_up.create"), True
    return audit.apply_changes(existing, values, by=by, action="follow_up.update"), False
