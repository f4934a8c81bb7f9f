"""The read side of plans: the plans waiting for a decision, a plan's other versions, the
pairing's plans for the API, and the choices of the plan form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload
from wtforms.fields.choices import SelectChoice

from scbi.audit import AuditEvent
from scbi.auth.models import User
from scbi.extensions import db
from scbi.programme.models import Competency, CompetencyFramework, PriorityResult
from scbi.programme.queries import sector_competencies
from scbi.transfer.models import OPEN_PLAN_STATUSES, Pairing, PlanItem, PlanStatus, TransferPlan
from scbi.transfer.permissions import is_coach_of
from scbi.transfer.queries.scope import scope_pairings

# The states the managers' list shows (drafts are their coach's own); submitted by default.
LISTED = (PlanStatus.SUBMITTED, PlanStatus.APPROVED, PlanStatus.RETURNED, PlanStatus.SUPERSEDED)


def plan_list(user: User, args) -> Select:
    """Plans of the pairings ``user`` sees in the ``status`` asked (submitted by default,
    and for anything not listed), oldest submission first."""
    status = args.get("status", PlanStatus.SUBMITTED)
    if status not in LISTED:
        status = PlanStatus.SUBMITTED
    return (
        select(TransferPlan)
        .where(
            TransferPlan.status == status,
            TransferPlan.pairing_id.in_(scope_pairings(select(Pairing.id), user)),
        )
        .order_by(TransferPlan.submitted_at, TransferPlan.id)
    )


# The audited actions that move a plan: the state each leaves it in, and how the plan page
# tells it ({name} took the step on {day}).
_STEPS = {
    "plan.create": (PlanStatus.DRAFT, _l("Written by %(name)s on %(day)s.")),
    "plan.revise": (PlanStatus.DRAFT, _l("Revision begun by %(name)s on %(day)s.")),
    "plan.submit": (PlanStatus.SUBMITTED, _l("Submitted by %(name)s on %(day)s.")),
    "plan.approve": (PlanStatus.APPROVED, _l("Approved by %(name)s on %(day)s.")),
    "plan.return": (PlanStatus.RETURNED, _l("Returned by %(name)s on %(day)s.")),
    "plan.supersede": (
        PlanStatus.SUPERSEDED,
        _l("Replaced on %(day)s: %(name)s approved its revision."),
    ),
}


@dataclass(frozen=True)
class PlanStep:
    """One step of a plan's life as the audit trail recorded it: the state it moved the
    plan to, who took it, when, the comment given, and its sentence."""

    status: PlanStatus
    by: str
    at: datetime
    comment: str
    words: str  # a sentence with %(name)s and %(day)s

    @property
    def is_return(self) -> bool:
        return self.status == PlanStatus.RETURNED

    @property
    def is_decision(self) -> bool:
        return self.status in (PlanStatus.APPROVED, PlanStatus.RETURNED)


@dataclass(frozen=True)
class PlanHistory:
    """How the plan page tells a plan's life: the step it is at, the latest decision when
    that is not the same step, then the older steps, newest first."""

    current: PlanStep | None
    decision: PlanStep | None
    older: list[PlanStep]


def plan_history(plan: TransferPlan) -> PlanHistory:
    """The plan's steps from the audit trail (every submission, return and approval, with
    its comment), told current first. One query, from the trail's index on (entity type,
    entity id)."""
    rows = db.session.execute(
        select(
            AuditEvent.action,
            AuditEvent.occurred_at,
            AuditEvent.after,
            # the name now, or the address the trail kept (a step the CLI took)
            func.coalesce(User.full_name, AuditEvent.actor_email),
        )
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(
            AuditEvent.entity_type == TransferPlan.__tablename__,
            AuditEvent.entity_id == plan.id,
            AuditEvent.action.in_(_STEPS),
        )
        .order_by(AuditEvent.id.desc())
    )
    steps = []
    for action, at, after, name in rows:
        status, words = _STEPS[action]
        comment = (after or {}).get("comment") or ""
        steps.append(PlanStep(status, name or "—", at, comment, words))
    current = steps[0] if steps else None
    decision = next((step for step in steps[1:] if step.is_decision), None)
    if current is not None and current.is_decision:
        decision = None  # the current step is the latest decision: told once
    older = [step for step in steps[1:] if step is not decision]
    return PlanHistory(current, decision, older)


def other_versions(plan: TransferPlan) -> list[TransferPlan]:
    """The pairing's other plans that left draft, newest first (the plan page's history)."""
    return db.session.scalars(
        select(TransferPlan)
        .where(
            TransferPlan.pairing_id == plan.pairing_id,
            TransferPlan.id != plan.id,
            TransferPlan.status != PlanStatus.DRAFT,
        )
        .order_by(TransferPlan.number.desc())
    ).all()


def pairing_plans(user: User, pairing: Pairing) -> Select:
    """The pairing's plans with their items, newest first; its draft only for its coach."""
    query = (
        select(TransferPlan)
        .options(selectinload(TransferPlan.items))
        .where(TransferPlan.pairing_id == pairing.id)
        .order_by(TransferPlan.number.desc())
    )
    if not is_coach_of(user, pairing):
        query = query.where(TransferPlan.status != PlanStatus.DRAFT)
    return query


def competency_choices(pairing: Pairing) -> list[SelectChoice]:
    """The competencies the pairing may plan, the sector's frameworks first (core ones
    starred), grouped by framework."""
    competencies = db.session.scalars(
        allowed_competencies(pairing)
        .options(joinedload(Competency.framework))
        .order_by(CompetencyFramework.sector_id.is_(None), Competency.sort_order)
    ).all()
    return [SelectChoice("", _("— choose a competency —"))] + [
        SelectChoice(
            c.id,
            f"{c.short_name} ({c.idnumber})" + (" ★" if c.core else ""),
            optgroup=c.framework.name,
        )
        for c in competencies
    ]


def result_choices(pairing: Pairing) -> list[SelectChoice]:
    """The priority results of the pairing's sector, by title."""
    results = db.session.scalars(
        select(PriorityResult)
        .where(PriorityResult.sector_id == pairing.sector_id)
        .order_by(PriorityResult.title)
    ).all()
    return [SelectChoice("", _("— none —"))] + [SelectChoice(r.id, r.title) for r in results]


def allowed_competencies(pairing: Pairing) -> Select:
    """What a pairing's plans and logs may name: its sector's competencies and the
    cross-cutting ones."""
    return sector_competencies(pairing.sector_id)


def approved_plan(pairing_id: int) -> TransferPlan | None:
    return db.session.scalar(
        select(TransferPlan).where(
            TransferPlan.pairing_id == pairing_id, TransferPlan.status == PlanStatus.APPROVED
        )
    )


def open_plan(pairing_id: int) -> TransferPlan | None:
    return db.session.scalar(
        select(TransferPlan).where(
            TransferPlan.pairing_id == pairing_id,
            TransferPlan.status.in_(list(OPEN_PLAN_STATUSES)),
        )
    )


def plan_competency_ids(pairing_id: int) -> set[int]:
    """The competencies of the pairing's approved plan (none without one), in one query."""
    return set(
        db.session.scalars(
            select(PlanItem.competency_id)
            .join(TransferPlan, TransferPlan.id == PlanItem.plan_id)
            .where(
                TransferPlan.pairing_id == pairing_id,
                TransferPlan.status == PlanStatus.APPROVED,
            )
        )
    )
