""" "What needs me now" from plans and logs: one COUNT per item, whatever the data size."""

from __future__ import annotations

from datetime import timedelta
from functools import cache

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import Integer, Select, bindparam, func, select

from scbi import pagination
from scbi.auth.models import Role, User
from scbi.coaches.models import Coach, CoachStatus
from scbi.dates import today
from scbi.extensions import db
from scbi.loaders import read_tallies, tallies, tally_statement
from scbi.mentees.models import LEFT_STATUSES, Mentee, MenteeStatus
from scbi.mentees.queries import scope_mentees
from scbi.needs import Need, needs, opening
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
from scbi.transfer.queries import last_log_date, scope_pairings, silent_since
from scbi.validation import EARLIEST_DATE


def _log_url(log_id: int) -> str:
    return url_for("transfer.log", log_id=log_id)


def _plan_url(plan_id: int) -> str:
    return url_for("transfer.plan", plan_id=plan_id)


def _pairing_url(pairing_id: int) -> str:
    return url_for("transfer.pairing", pairing_id=pairing_id)


# The user of the statements below, a parameter: each is built once per process, not on
# every home page (building one and its cache key cost several times running it).
USER = bindparam("user_id", type_=Integer)


def _own_pairings(model, column):
    return select(Pairing.id).join(model, model.id == column).where(model.user_id == USER)


@cache
def _coach_tallies() -> Select:
    mine = _own_pairings(Coach, Pairing.coach_id)
    # Only logs that can still be corrected and sent: an ended pairing's (the mentee's
    # exit ends them too) are history. One statement, from ix_transfer_log_author_status.
    open_ids = mine.where(Pairing.status.in_(OPEN_STATUSES))

    def own_logs(status):  # from ix_transfer_log_author_status
        return select(TransferLog.id).where(
            TransferLog.author_id == USER,
            TransferLog.status == status,
            TransferLog.pairing_id.in_(open_ids),
        )

    with_plan = select(TransferPlan.id).where(
        TransferPlan.pairing_id == Pairing.id,
        TransferPlan.status.in_([PlanStatus.APPROVED, *OPEN_PLAN_STATUSES]),
    )
    return tally_statement(
        own_logs(LogStatus.DISPUTED),
        own_logs(LogStatus.DRAFT),
        select(TransferPlan.id).where(
            TransferPlan.pairing_id.in_(mine), TransferPlan.status == PlanStatus.RETURNED
        ),
        select(Pairing.id).where(
            Pairing.id.in_(mine),
            Pairing.status == PairingStatus.ACTIVE,
            ~with_plan.exists(),
        ),
    )


@needs.answer
def coach_work(user: User) -> list[Need]:
    if not user.has_role(Role.COACH):
        return []
    (disputed, a_disputed), (drafts, a_draft), (returned, a_returned), (planless, a_pairing) = (
        read_tallies(_coach_tallies(), {"user_id": user.id})
    )
    return [
        Need(
            ngettext(
                "%(num)d log disputed by a mentee", "%(num)d logs disputed by mentees", disputed
            ),
            disputed,
            opening(a_disputed, _log_url, url_for("transfer.my_logs", status="disputed")),
            _("Correct them and send them again."),
        ),
        Need(
            ngettext("%(num)d plan returned to you", "%(num)d plans returned to you", returned),
            returned,
            opening(a_returned, _plan_url, url_for("main.home") + "#pairings-heading"),
            _("Read the comment, fix the plan and submit it again."),
        ),
        Need(
            ngettext(
                "%(num)d mentee without a transfer plan",
                "%(num)d mentees without a transfer plan",
                planless,
            ),
            planless,
            opening(a_pairing, _pairing_url, url_for("main.home") + "#pairings-heading"),
            _("Write the plan: what you will hand over, to what level, by when."),
        ),
        Need(
            ngettext("%(num)d draft log not yet sent", "%(num)d draft logs not yet sent", drafts),
            drafts,
            opening(a_draft, _log_url, url_for("transfer.my_logs", status="draft")),
            _("Send them to the mentee to acknowledge."),
        ),
    ]


@cache
def _mentee_tallies() -> Select:
    # A mentee who left reads their logs but acknowledges nothing any more.
    mine = _own_pairings(Mentee, Pairing.mentee_id).where(Mentee.status.not_in(LEFT_STATUSES))
    return tally_statement(
        select(TransferLog.id).where(
            TransferLog.pairing_id.in_(mine), TransferLog.status == LogStatus.SUBMITTED
        )
    )


@needs.answer
def mentee_work(user: User) -> list[Need]:
    if not user.has_role(Role.MENTEE):
        return []
    [(waiting, a_log)] = read_tallies(_mentee_tallies(), {"user_id": user.id})
    return [
        Need(
            ngettext(
                "%(num)d log waits for your acknowledgement",
                "%(num)d logs wait for your acknowledgement",
                waiting,
            ),
            waiting,
            opening(a_log, _log_url, url_for("transfer.my_logs", status="submitted")),
            _("Acknowledge what happened as written; dispute what did not."),
        )
    ]


@needs.answer
def manager_work(user: User) -> list[Need]:
    if not user.has_role(Role.SECRETARIAT, Role.COORDINATOR):
        return []
    scope = scope_pairings(select(Pairing.id), user)
    # the rule of the follow-up page (queries.is_silent), in SQL: no log sent lately;
    # each coach's last log once (not once for each of their pairings)
    coaches = (
        select(Pairing.coach_id)
        .distinct()
        .where(Pairing.id.in_(scope), Pairing.status == PairingStatus.ACTIVE)
        .subquery()
    )
    last = func.coalesce(last_log_date(coaches.c.coach_id), EARLIEST_DATE)
    (plans_waiting, a_plan), (to_verify, a_verify), (silent, _coach) = tallies(  # one statement
        select(TransferPlan.id).where(
            TransferPlan.pairing_id.in_(scope), TransferPlan.status == PlanStatus.SUBMITTED
        ),
        # acknowledged logs pile up (verification samples them): counted as far as the
        # list they open counts them, not all of a sector's tens of thousands
        select(TransferLog.id)
        .where(TransferLog.pairing_id.in_(scope), TransferLog.status == LogStatus.ACKNOWLEDGED)
        .limit(pagination.CAP + 1),
        select(coaches.c.coach_id).where(last < silent_since()),
    )
    return [
        Need(
            ngettext(
                "%(num)d plan waits for your decision",
                "%(num)d plans wait for your decision",
                plans_waiting,
            ),
            plans_waiting,
            opening(a_plan, _plan_url, url_for("transfer.plans_waiting")),
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
            _("More than %(num)d acknowledged logs to verify", num=pagination.CAP)
            if to_verify > pagination.CAP
            else ngettext(
                "%(num)d acknowledged log to verify",
                "%(num)d acknowledged logs to verify",
                to_verify,
            ),
            to_verify,
            opening(a_verify, _log_url, url_for("transfer.logs_list", status="acknowledged")),
            _("Sample them and check their evidence."),
        ),
    ]


@needs.answer
def unpaired_mentees(user: User) -> list[Need]:
    """Secretariat and coordinators: active mentees of their sectors without an open pairing."""
    if not user.has_role(Role.SECRETARIAT, Role.COORDINATOR):
        return []
    paired = select(Pairing.mentee_id).where(Pairing.status.in_(OPEN_STATUSES))
    query = scope_mentees(select(func.count()).select_from(Mentee), user).where(
        Mentee.status == MenteeStatus.ACTIVE, Mentee.id.not_in(paired)
    )
    count = db.session.scalar(query)
    return [
        Need(
            title=ngettext(
                "%(num)d active mentee has no coach", "%(num)d active mentees have no coach", count
            ),
            count=count,
            url=url_for("mentees.index", unpaired=1),
            hint=_("Pair them with a coach of their sector."),
        )
    ]


@needs.answer
def contracts_ending(user: User) -> list[Need]:
    """Secretariat: coaches whose contract ends within 60 days while they still coach."""
    if not user.has_role(Role.SECRETARIAT):
        return []
    soon = today() + timedelta(days=60)
    count = db.session.scalar(
        select(func.count())
        .select_from(Coach)
        .where(
            Coach.status == CoachStatus.ACTIVE,
            Coach.contract_end <= soon,
            Coach.id.in_(select(Pairing.coach_id).where(Pairing.status == PairingStatus.ACTIVE)),
        )
    )
    return [
        Need(
            title=ngettext(
                "%(num)d coach's contract ends within 60 days",
                "%(num)d coaches' contracts end within 60 days",
                count,
            ),
            count=count,
            url=url_for("coaches.index", ending=1),
            hint=_("Extend the contract or plan how their pairings end."),
        )
    ]
