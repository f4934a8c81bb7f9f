""" "What needs me now" from plans and logs: one COUNT per item, whatever the data size."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from scbi.auth.models import Role, User
from scbi.auth.permissions import scope_pairings
from scbi.coaches.models import Coach
from scbi.extensions import db
from scbi.main.needs import Need, provider
from scbi.mentees.models import LEFT_STATUSES, Mentee
from scbi.transfer.models import (
    OPEN_PLAN_STATUSES,
    OPEN_STATUSES,
    LogStatus,
    Pairing,
    PairingStatus,
    PlanStatus,
    TransferLog,
    TransferPlan,
)


def _count(query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery()))


def _own_pairings(user: User, model, column):
    return select(Pairing.id).join(model, model.id == column).where(model.user_id == user.id)


@provider
def coach_work(user: User) -> list[Need]:
    if not user.has_role(Role.COACH):
        return []
    mine = _own_pairings(user, Coach, Pairing.coach_id)
    # Only logs that can still be corrected and sent: an ended pairing's (the mentee's
    # exit ends them too) are history.
    open_ids = select(Pairing.id).where(Pairing.status.in_([s.value for s in OPEN_STATUSES]))
    disputed = _count(
        select(TransferLog.id).where(
            TransferLog.author_id == user.id,
            TransferLog.status == LogStatus.DISPUTED.value,
            TransferLog.pairing_id.in_(open_ids),
        )
    )
    drafts = _count(
        select(TransferLog.id).where(
            TransferLog.author_id == user.id,
            TransferLog.status == LogStatus.DRAFT.value,
            TransferLog.pairing_id.in_(open_ids),
        )
    )
    returned = _count(
        select(TransferPlan.id).where(
            TransferPlan.pairing_id.in_(mine), TransferPlan.status == PlanStatus.RETURNED.value
        )
    )
    with_plan = select(TransferPlan.pairing_id).where(
        TransferPlan.status.in_([PlanStatus.APPROVED.value, *[s.value for s in OPEN_PLAN_STATUSES]])
    )
    planless = _count(
        select(Pairing.id).where(
            Pairing.id.in_(mine),
            Pairing.status == PairingStatus.ACTIVE.value,
            Pairing.id.not_in(with_plan),
        )
    )
    return [
        Need(
            ngettext(
                "%(num)d log disputed by a mentee", "%(num)d logs disputed by mentees", disputed
            ),
            disputed,
            url_for("transfer.my_logs", status="disputed"),
            _("Correct them and send them again."),
        ),
        Need(
            ngettext("%(num)d plan returned to you", "%(num)d plans returned to you", returned),
            returned,
            url_for("main.home") + "#pairings-heading",
            _("Read the comment, fix the plan and submit it again."),
        ),
        Need(
            ngettext(
                "%(num)d mentee without a transfer plan",
                "%(num)d mentees without a transfer plan",
                planless,
            ),
            planless,
            url_for("main.home") + "#pairings-heading",
            _("Write the plan: what you will hand over, to what level, by when."),
        ),
        Need(
            ngettext("%(num)d draft log not yet sent", "%(num)d draft logs not yet sent", drafts),
            drafts,
            url_for("transfer.my_logs", status="draft"),
            _("Send them to the mentee to acknowledge."),
        ),
    ]


@provider
def mentee_work(user: User) -> list[Need]:
    if not user.has_role(Role.MENTEE):
        return []
    # A mentee who left reads their logs but acknowledges nothing any more.
    mine = _own_pairings(user, Mentee, Pairing.mentee_id).where(
        Mentee.status.not_in([s.value for s in LEFT_STATUSES])
    )
    waiting = _count(
        select(TransferLog.id).where(
            TransferLog.pairing_id.in_(mine), TransferLog.status == LogStatus.SUBMITTED.value
        )
    )
    return [
        Need(
            ngettext(
                "%(num)d log waits for your acknowledgement",
                "%(num)d logs wait for your acknowledgement",
                waiting,
            ),
            waiting,
            url_for("transfer.my_logs", status="submitted"),
            _("Acknowledge what happened as written; dispute what did not."),
        )
    ]


@provider
def manager_work(user: User) -> list[Need]:
    if not user.has_role(Role.SECRETARIAT, Role.COORDINATOR):
        return []
    from datetime import timedelta

    from scbi.dates import today
    from scbi.transfer.queries import SILENT_DAYS

    scope = scope_pairings(select(Pairing.id), user)
    plans_waiting = _count(
        select(TransferPlan.id).where(
            TransferPlan.pairing_id.in_(scope), TransferPlan.status == PlanStatus.SUBMITTED.value
        )
    )
    to_verify = _count(
        select(TransferLog.id).where(
            TransferLog.pairing_id.in_(scope), TransferLog.status == LogStatus.ACKNOWLEDGED.value
        )
    )
    recent = (
        select(Pairing.coach_id)
        .join(TransferLog, TransferLog.pairing_id == Pairing.id)
        .where(
            TransferLog.status != LogStatus.DRAFT.value,
            TransferLog.activity_date >= today() - timedelta(days=SILENT_DAYS),
        )
    )
    silent = _count(
        select(Pairing.coach_id)
        .distinct()
        .where(
            Pairing.id.in_(scope),
            Pairing.status == PairingStatus.ACTIVE.value,
            Pairing.coach_id.not_in(recent),
        )
    )
    return [
        Need(
            ngettext(
                "%(num)d plan waits for your decision",
                "%(num)d plans wait for your decision",
                plans_waiting,
            ),
            plans_waiting,
            url_for("transfer.plans_waiting"),
            _("Approve it, or return it with a comment."),
        ),
        Need(
            ngettext(
                "%(num)d coach silent for more than 14 days",
                "%(num)d coaches silent for more than 14 days",
                silent,
            ),
            silent,
            url_for("coaches.follow_up", silent=1),
            _("Follow up with them."),
        ),
        Need(
            ngettext(
                "%(num)d acknowledged log to verify",
                "%(num)d acknowledged logs to verify",
                to_verify,
            ),
            to_verify,
            url_for("transfer.logs_list", status="acknowledged"),
            _("Sample them and check their evidence."),
        ),
    ]


@provider
def review_requests(user: User) -> list[Need]:
    """Self-assessments asking for a review, for the mentee's coaches and coordinators."""
    from scbi.auth.permissions import scope_mentees
    from scbi.competencies.models import Assessment, ReviewStatus

    if not user.has_role(Role.COACH, Role.COORDINATOR):
        return []  # picked up by the mentee's coach or the sector's coordinator
    visible = scope_mentees(select(Mentee.id), user)
    waiting = _count(
        select(Assessment.id).where(
            Assessment.mentee_id.in_(visible),
            Assessment.review_status == ReviewStatus.WAITING.value,
        )
    )
    first = db.session.scalar(
        select(Assessment.mentee_id)
        .where(
            Assessment.mentee_id.in_(visible),
            Assessment.review_status == ReviewStatus.WAITING.value,
        )
        .limit(1)
    )
    return [
        Need(
            ngettext(
                "%(num)d self-assessment asks for a review",
                "%(num)d self-assessments ask for a review",
                waiting,
            ),
            waiting,
            url_for("competencies.competencies", mentee_id=first) if first else "#",
            _("Review the level with evidence, then record the validated level."),
        )
    ]
