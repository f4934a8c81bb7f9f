"""Assessments on the 0–4 scale and the evidence rule.

Who may assess whom: the mentee themself (``self``, never validated); a coach for mentees
they coach or coached; a coordinator for their sectors; the secretariat. History is
append-only: a correction is a new assessment.

Citations: an assessment cites only logs its assessor may read (scbi.transfer.queries.export's
``visible_logs``), of this mentee, that count (acknowledged or verified) and that are dated
on or before the assessment. A refused id is named by its number alone ("log 699 cannot
be cited"): a refusal never shows what the assessor could not read.

Evidence rule: a validated assessment at level 3 or above cites at least one
acknowledged (or verified) log of this mentee, on this competency, in which the mentee
led; otherwise it is refused with ``evidence_required``.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from scbi import audit
from scbi.auth.models import Role, User
from scbi.auth.permissions import can_manage_sector
from scbi.coaches.models import Coach
from scbi.competencies import level_changes  # noqa: F401  (kept in step with each flush)
from scbi.competencies.models import ASSESSMENT, Assessment, AssessorRole, ReviewStatus
from scbi.competencies.permissions import (
    can_pick_up_review,
    can_request_review,
    can_validate,
    is_open_review,
)
from scbi.dates import today
from scbi.errors import InvalidTransition, NotAllowed, ValidationFailed
from scbi.extensions import db
from scbi.mentees.models import Mentee
from scbi.programme.models import Competency
from scbi.programme.queries import sector_competencies
from scbi.transfer.models import COUNTED_LOG_STATUSES, MenteeRole, Pairing, TransferLog
from scbi.transfer.queries import visible_logs
from scbi.validation import MAX_ID, Errors

EVIDENCE_LEVEL = 3


def coaches_mentee(user: User, mentee: Mentee) -> bool:
    """The user coaches or coached the mentee (any pairing, ended ones included)."""
    return (
        db.session.scalar(
            select(Pairing.id)
            .join(Coach, Coach.id == Pairing.coach_id)
            .where(Pairing.mentee_id == mentee.id, Coach.user_id == user.id)
            .limit(1)
        )
        is not None
    )


def assessor_role(user: User, mentee: Mentee) -> AssessorRole:
    """The role an assessment by ``user`` has, or NotAllowed."""
    if mentee.user_id == user.id:
        return AssessorRole.SELF
    if user.has_role(Role.SECRETARIAT):
        return AssessorRole.SECRETARIAT
    if user.has_role(Role.COORDINATOR) and can_manage_sector(user, mentee.sector_id):
        return AssessorRole.COORDINATOR
    if user.has_role(Role.COACH) and coaches_mentee(user, mentee):
        return AssessorRole.COACH
    raise NotAllowed(_("You may not assess this mentee."))


def create_assessment(
    mentee: Mentee,
    *,
    by: User,
    competency_id,
    level,
    assessed_on,
    note: str = "",
    log_ids=None,
    request_review: bool = False,
    resolves: int | None = None,
) -> Assessment:
    role = assessor_role(by, mentee)
    errors = Errors()
    competency = None
    competency_id = errors.integer("competency_id", competency_id)
    if competency_id is not None:
        competency = db.session.scalar(
            sector_competencies(mentee.sector_id).where(Competency.id == competency_id)
        )
        if competency is None:
            errors.add(
                "competency_id",
                _("Choose a competency of the mentee's sector or a cross-cutting framework."),
            )
    level = errors.integer("level", level, **ASSESSMENT["level"].check())
    day = errors.date("assessed_on", assessed_on)
    if day and day > today():
        errors.add("assessed_on", _("The date cannot be in the future."))
    note = errors.text("note", note, **ASSESSMENT["note"].check())
    logs = _cited_logs(errors, mentee, log_ids, by)
    if day and day < mentee.joined_on:
        errors.add(
            "assessed_on",
            _("The mentee joined on %(d)s; assess from then on.", d=mentee.joined_on.isoformat()),
        )
    late = [log for log in logs if day and log.activity_date > day]
    if late:
        errors.add(
            "log_ids",
            _(
                "Cite only logs of activities on or before the assessment date (%(d)s).",
                d=day.isoformat(),
            ),
        )
    if can_validate(role) and "log_ids" not in errors.fields:
        _evidence_rule(errors, mentee, competency, level, logs)
    for log in logs:
        if log.status not in COUNTED_LOG_STATUSES:
            errors.add(
                "log_ids",
                _(
                    "“%(t)s” is not acknowledged by the mentee, so it cannot be cited yet.",
                    t=log.title,
                ),
            )
    errors.raise_if_any()
    if request_review and not can_request_review(role):
        request_review = False
    if resolves is not None and not can_validate(role):
        raise NotAllowed(_("A review is settled by the coach or the coordinator."))
    assessment = Assessment(
        mentee_id=mentee.id,
        competency_id=competency.id,
        assessor_id=by.id,
        assessor_role=role,
        level=level,
        assessed_on=day,
        note=note,
        logs=logs,
        review_status=ReviewStatus.WAITING if request_review else ReviewStatus.NONE,
    )
    db.session.add(assessment)
    db.session.flush()
    if resolves is not None:
        _resolve(mentee, resolves, assessment, by)
    audit.record(
        "assessment.create",
        by=by,
        entity=assessment,
        after={
            "mentee_id": mentee.id,
            "competency_id": competency.id,
            "role": role.value,
            "level": level,
            "assessed_on": day,
            "log_ids": [log.id for log in logs],
            "review": assessment.review_status,
        },
    )
    return assessment


def _cited_logs(errors: Errors, mentee: Mentee, log_ids, by: User) -> list[TransferLog]:
    """The cited logs ``by`` may read, of this mentee. Any other id is refused by its
    number only: whether it exists, and what it says, stay unseen."""
    if not log_ids:
        return []
    try:
        ids = sorted({int(i) for i in log_ids})
    except (TypeError, ValueError):
        errors.add("log_ids", _("Logs are given by their ids."))
        return []
    logs = db.session.scalars(
        visible_logs(by)
        .join(Pairing, Pairing.id == TransferLog.pairing_id)
        .where(
            TransferLog.id.in_([i for i in ids if 0 < i <= MAX_ID]),
            Pairing.mentee_id == mentee.id,
        )
        .order_by(TransferLog.id)
    ).all()
    found = {log.id for log in logs}
    for ident in ids:
        if ident not in found:
            errors.add(
                "log_ids",
                _(
                    "Log %(id)s cannot be cited: cite logs of this mentee that you can see.",
                    id=ident,
                ),
            )
    return list(logs)


def _evidence_rule(errors: Errors, mentee: Mentee, competency, level, logs) -> None:
    """Refuse (``evidence_required``, with every other bad field) a level ≥ 3 that the cited
    logs, all readable by the assessor, do not back."""
    if competency is None or level is None or level < EVIDENCE_LEVEL:
        return
    good = [
        log
        for log in logs
        if log.status in COUNTED_LOG_STATUSES
        and log.mentee_role == MenteeRole.LED
        and any(c.id == competency.id for c in log.competencies)
    ]
    if good:
        return
    reasons = []
    if not logs:
        reasons.append(_("no log is cited"))
    for log in logs:
        if log.status not in COUNTED_LOG_STATUSES:
            reasons.append(_("“%(t)s” is not acknowledged by the mentee", t=log.title))
        elif not any(c.id == competency.id for c in log.competencies):
            reasons.append(
                _("“%(t)s” does not address %(c)s", t=log.title, c=competency.short_name)
            )
        elif log.mentee_role != MenteeRole.LED:
            reasons.append(
                _(
                    "in “%(t)s” the mentee's part was: %(role)s, not: %(led)s",
                    t=log.title,
                    role=MenteeRole(log.mentee_role).short,
                    led=MenteeRole.LED.short,
                )
            )
    message = _(
        "Level %(level)d needs evidence of independent performance: cite at least one "
        "acknowledged log of %(name)s on %(competency)s in which they led. Missing: "
        "%(reasons)s.",
        level=level,
        name=mentee.user.full_name,
        competency=competency.short_name,
        reasons="; ".join(reasons),
    )
    fields = {**errors.fields, "log_ids": [message]}
    raise ValidationFailed(message, code="evidence_required", fields=fields)


def pick_up_review(assessment: Assessment, *, by: User) -> Assessment:
    """A coach of the mentee or a coordinator of the sector takes a review request."""
    mentee = assessment.mentee
    role = assessor_role(by, mentee)
    if not can_validate(role):
        raise NotAllowed
    if not can_pick_up_review(role, assessment):
        raise InvalidTransition(_("This self-assessment is not waiting for a review."))
    assessment.review_status = ReviewStatus.IN_REVIEW
    assessment.reviewer_id = by.id
    db.session.flush()
    audit.record("assessment.review_picked_up", by=by, entity=assessment)
    return assessment


def _resolve(mentee: Mentee, self_id: int, validated: Assessment, by: User) -> None:
    request = db.session.get(Assessment, int(self_id))
    if request is None or request.mentee_id != mentee.id or not is_open_review(request):
        raise InvalidTransition(_("That review request is not open."))
    request.review_status = ReviewStatus.RESOLVED
    request.reviewer_id = by.id
    request.resolved_by_id = validated.id
    db.session.flush()
    audit.record(
        "assessment.review_resolved",
        by=by,
        entity=request,
        after={"by_assessment": validated.id, "level": validated.level},
    )
