"""Transfer plan rules: draft → submitted → approved | returned; revise makes a new draft.

The coach of the pairing writes and submits; the secretariat or the sector's coordinator
decides. An approved plan never changes: revising it starts a new draft whose approval
supersedes it.

Target dates lie inside the pairing, always. They also lie ahead (today or later), checked
where a date is written and again when the plan is submitted; a date that has passed while
nobody touched it is not written again, so it never blocks a save:

- saving (create, update) refuses a past date that is new or changed — one the plan being
  edited does not already hold for that competency, nor the approved plan it revises;
- submitting refuses every past date except those a revision keeps exactly as the
  approved plan has them (an approved plan stays revisable after its dates pass).
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from scbi import audit
from scbi.auth.models import User
from scbi.database import utcnow
from scbi.dates import today
from scbi.errors import InvalidTransition, NotAllowed, check_version
from scbi.extensions import db
from scbi.programme.models import PriorityResult
from scbi.transfer.models import (
    PLAN_DECISION,
    PLAN_ITEM,
    ActivityType,
    Pairing,
    PlanItem,
    PlanStatus,
    TransferPlan,
)
from scbi.transfer.permissions import can_decide, require_plan_writer
from scbi.transfer.queries.plans import allowed_competencies, approved_plan, open_plan
from scbi.validation import Errors

MAX_ITEMS = 30


def _items(
    pairing: Pairing, raw_items, kept: frozenset[tuple[int, date]] = frozenset()
) -> list[PlanItem]:
    """Validated plan items; errors are named ``items.<n>.<field>`` (n from 0).

    A target date outside the pairing is refused; so is one already past, unless ``kept``
    holds it for that competency (the date is not new, see the module's docstring)."""
    errors = Errors()
    day = today()
    if not isinstance(raw_items, list):
        errors.add("items", _("Send a list of items."))
        errors.raise_if_any()
    if len(raw_items) > MAX_ITEMS:
        errors.add("items", _("At most %(n)d items in a plan.", n=MAX_ITEMS))
    allowed = {c.id: c for c in db.session.scalars(allowed_competencies(pairing))}
    end = pairing.end_date or pairing.planned_end_date
    seen: set[int] = set()
    items = []
    for n, raw in enumerate(raw_items if isinstance(raw_items, list) else []):
        key = f"items.{n}."
        raw = raw if isinstance(raw, dict) else {}
        competency_id = errors.integer(key + "competency_id", raw.get("competency_id"))
        if competency_id is not None:
            if competency_id not in allowed:
                errors.add(
                    key + "competency_id",
                    _(
                        "Choose a competency of the %(sector)s frameworks or a cross-cutting one.",
                        sector=pairing.sector.name,
                    ),
                )
            elif competency_id in seen:
                errors.add(key + "competency_id", _("This competency is already in the plan."))
            seen.add(competency_id)
        baseline = errors.integer(
            key + "baseline_level", raw.get("baseline_level"), **PLAN_ITEM["baseline_level"].check()
        )
        target = errors.integer(
            key + "target_level", raw.get("target_level"), **PLAN_ITEM["target_level"].check()
        )
        if baseline is not None and target is not None and target <= baseline:
            errors.add(
                key + "target_level",
                _("The target must be above the baseline (%(b)d).", b=baseline),
            )
        target_date = errors.date(key + "target_date", raw.get("target_date"))
        if target_date and not pairing.start_date <= target_date <= end:
            errors.add(key + "target_date", outside_pairing_message(pairing))
        elif target_date and target_date < day and (competency_id, target_date) not in kept:
            errors.add(key + "target_date", passed_message(target_date.isoformat(), day))
        methods = raw.get("methods") or []
        if not isinstance(methods, list) or not methods:
            errors.add(key + "methods", _("Choose at least one transfer method."))
            methods = []
        elif any(
            not isinstance(m, str) or m not in {a.value for a in ActivityType} for m in methods
        ):
            errors.add(
                key + "methods",
                _(
                    "Unknown method; choose among: %(values)s.",
                    values=", ".join(a.value for a in ActivityType),
                ),
            )
        evidence = errors.text(
            key + "expected_evidence",
            raw.get("expected_evidence"),
            **PLAN_ITEM["expected_evidence"].check(),
        )
        result_id = served_result(
            errors, key + "priority_result_id", pairing, raw.get("priority_result_id")
        )
        items.append(
            PlanItem(
                position=n,
                competency_id=competency_id,
                baseline_level=baseline,
                target_level=target,
                target_date=target_date,
                methods=sorted(set(methods), key=[a.value for a in ActivityType].index)
                if all(isinstance(m, str) and m in {a.value for a in ActivityType} for m in methods)
                else [],
                expected_evidence=evidence,
                priority_result_id=result_id,
            )
        )
    errors.raise_if_any()
    return items


def outside_pairing_message(pairing: Pairing) -> str:
    """Why a target date outside the pairing is refused (the plan form shows it too)."""
    end = pairing.end_date or pairing.planned_end_date
    return _(
        "Choose a date inside the pairing (%(start)s to %(end)s).",
        start=pairing.start_date.isoformat(),
        end=end.isoformat(),
    )


def passed_message(day: str, on: date) -> str:
    """Why a target date ``day`` (as written) that has passed on ``on`` is refused."""
    return _(
        "The target date %(day)s has already passed; choose a day from today "
        "(%(today)s) on, inside the pairing.",
        day=day,
        today=on.isoformat(),
    )


def approved_targets(plan: TransferPlan) -> dict[int, date]:
    """The target date of each competency in the approved plan a draft revises (none for
    a first plan): dates that may stay as they are though they have passed."""
    approved = approved_plan(plan.pairing_id) if plan.number > 1 else None
    if approved is None or approved.id == plan.id:
        return {}
    return {i.competency_id: i.target_date for i in approved.items}


def _kept(plan: TransferPlan) -> frozenset[tuple[int, date]]:
    """The (competency, target date) pairs a save of ``plan`` writes again rather than
    anew: those it holds, and those of the approved plan it revises."""
    held = {(i.competency_id, i.target_date) for i in plan.items}
    return frozenset(held | set(approved_targets(plan).items()))


def _snapshot(plan: TransferPlan) -> dict:
    return {
        "status": plan.status,
        "number": plan.number,
        "items": [
            {
                "competency_id": i.competency_id,
                "baseline": i.baseline_level,
                "target": i.target_level,
                "date": i.target_date,
            }
            for i in plan.items
        ],
    }


def create_plan(pairing: Pairing, *, by: User, items) -> TransferPlan:
    """Start the pairing's plan (a draft); refused while another plan is open."""
    require_plan_writer(by, pairing)
    _require_open(pairing)
    if open_plan(pairing.id) is not None:
        raise InvalidTransition(
            _("This pairing already has a plan being written or decided; continue that one.")
        )
    if approved_plan(pairing.id) is not None:
        raise InvalidTransition(_("This pairing has an approved plan; revise it instead."))
    plan_items = _items(pairing, items)
    number = (
        db.session.scalar(
            select(func.max(TransferPlan.number)).where(TransferPlan.pairing_id == pairing.id)
        )
        or 0
    ) + 1
    plan = TransferPlan(
        pairing_id=pairing.id, number=number, status=PlanStatus.DRAFT, items=plan_items
    )
    db.session.add(plan)
    db.session.flush()
    audit.record("plan.create", by=by, entity=plan, after=_snapshot(plan))
    return plan


def _require_open(pairing: Pairing) -> None:
    if not pairing.is_open:
        raise InvalidTransition(_("This pairing has ended; its plans can no longer change."))


def update_plan(plan: TransferPlan, *, by: User, version, items) -> TransferPlan:
    require_plan_writer(by, plan.pairing)
    _require_open(plan.pairing)
    check_version(plan, version)
    if not plan.editable:
        raise InvalidTransition(
            _(
                "Only a draft or a returned plan can be edited (this one is: %(status)s).",
                status=PlanStatus(plan.status).label,
            )
        )
    before = _snapshot(plan)
    _replace_items(plan, _items(plan.pairing, items, _kept(plan)))
    plan.version += 1  # its items are the plan's content, even when only they changed
    db.session.flush()
    audit.record("plan.update", by=by, entity=plan, before=before, after=_snapshot(plan))
    return plan


def _replace_items(plan: TransferPlan, new_items: list[PlanItem]) -> None:
    """Update items in place by competency (one flush, no unique-key clash), add the new
    ones and drop the others."""
    existing = {item.competency_id: item for item in plan.items}
    kept = []
    for new in new_items:
        item = existing.pop(new.competency_id, None)
        if item is None:
            kept.append(new)
            continue
        for name in (
            "position",
            "baseline_level",
            "target_level",
            "target_date",
            "methods",
            "expected_evidence",
            "priority_result_id",
        ):
            setattr(item, name, getattr(new, name))
        kept.append(item)
    plan.items = kept


def _move(
    plan: TransferPlan,
    by: User,
    version,
    allowed: set[PlanStatus],
    to: PlanStatus,
    action: str,
    comment: str = "",
) -> TransferPlan:
    if version is not None:
        check_version(plan, version)
    if PlanStatus(plan.status) not in allowed:
        raise InvalidTransition(_REFUSALS[to] % {"status": PlanStatus(plan.status).label})
    before = plan.status
    plan.status = to
    db.session.flush()
    audit.record(
        action,
        by=by,
        entity=plan,
        before={"status": before},
        after={"status": to.value, "comment": comment},
    )
    return plan


# Why a step is refused, a whole sentence each (the status as a value, in its own words).
_REFUSALS = {
    PlanStatus.SUBMITTED: _l(
        "Only a draft or a returned plan can be submitted (this one is: %(status)s)."
    ),
    PlanStatus.APPROVED: _l("Only a submitted plan can be approved (this one is: %(status)s)."),
    PlanStatus.RETURNED: _l("Only a submitted plan can be returned (this one is: %(status)s)."),
}


def submit_plan(plan: TransferPlan, *, by: User, version=None) -> TransferPlan:
    """Send the plan for a decision. Each target date must still lie ahead (today or
    later), except an item a revision keeps exactly as the approved plan had it."""
    require_plan_writer(by, plan.pairing)
    _require_open(plan.pairing)
    if not plan.items:
        raise InvalidTransition(_("Add at least one item before submitting the plan."))
    _check_targets_ahead(plan)
    plan.submitted_at = utcnow()
    return _move(
        plan,
        by,
        version,
        {PlanStatus.DRAFT, PlanStatus.RETURNED},
        PlanStatus.SUBMITTED,
        "plan.submit",
    )


def _check_targets_ahead(plan: TransferPlan) -> None:
    day = today()
    kept = set(approved_targets(plan).items())
    errors = Errors()
    for item in plan.items:
        if item.target_date < day and (item.competency_id, item.target_date) not in kept:
            errors.add(
                f"items.{item.position}.target_date",
                passed_message(item.target_date.isoformat(), day),
            )
    errors.raise_if_any()


def approve_plan(plan: TransferPlan, *, by: User, version=None, comment: str = "") -> TransferPlan:
    """Approve a submitted plan; the plan it revises (if any) becomes superseded."""
    if not can_decide(by, plan.pairing):
        raise NotAllowed
    errors = Errors()
    comment = errors.text("comment", comment, **PLAN_DECISION["comment"].check())
    errors.raise_if_any()
    previous = approved_plan(plan.pairing_id)
    _move(plan, by, version, {PlanStatus.SUBMITTED}, PlanStatus.APPROVED, "plan.approve", comment)
    if previous is not None:
        previous.status = PlanStatus.SUPERSEDED
        audit.record(
            "plan.supersede",
            by=by,
            entity=previous,
            before={"status": "approved"},
            after={"status": "superseded", "by_plan": plan.id},
        )
    plan.decided_by_id, plan.decided_at, plan.decision_comment = by.id, utcnow(), comment
    db.session.flush()
    return plan


def return_plan(plan: TransferPlan, *, by: User, version=None, comment: str = "") -> TransferPlan:
    """Send a submitted plan back to the coach; the comment (required) says what to fix."""
    if not can_decide(by, plan.pairing):
        raise NotAllowed
    errors = Errors()
    comment = errors.text("comment", comment, **PLAN_DECISION["comment"].check(required=True))
    errors.raise_if_any()
    _move(plan, by, version, {PlanStatus.SUBMITTED}, PlanStatus.RETURNED, "plan.return", comment)
    plan.decided_by_id, plan.decided_at, plan.decision_comment = by.id, utcnow(), comment
    db.session.flush()
    return plan


def revise_plan(plan: TransferPlan, *, by: User) -> TransferPlan:
    """Start a new draft from the approved plan (which stays in force until the new one is
    approved)."""
    require_plan_writer(by, plan.pairing)
    if plan.status != PlanStatus.APPROVED:
        raise InvalidTransition(_("Only the approved plan can be revised."))
    if open_plan(plan.pairing_id) is not None:
        raise InvalidTransition(_("A revision of this plan is already under way."))
    if not plan.pairing.is_open:
        raise InvalidTransition(_("This pairing has ended; its plans can no longer change."))
    draft = TransferPlan(
        pairing_id=plan.pairing_id,
        number=plan.number + 1,
        status=PlanStatus.DRAFT,
        items=[
            PlanItem(
                position=i.position,
                competency_id=i.competency_id,
                baseline_level=i.baseline_level,
                target_level=i.target_level,
                target_date=i.target_date,
                methods=list(i.methods),
                expected_evidence=i.expected_evidence,
                priority_result_id=i.priority_result_id,
            )
            for i in plan.items
        ],
    )
    db.session.add(draft)
    db.session.flush()
    audit.record(
        "plan.revise", by=by, entity=draft, after={"from_plan": plan.id, "number": draft.number}
    )
    return draft


def served_result(errors: Errors, field: str, pairing: Pairing, ident) -> int | None:
    """The priority result a plan item or an activity served (optional): one of the
    pairing's sector, else an error naming ``field``."""
    result = errors.ref(
        field, PriorityResult, ident or None, required=False, label=_("priority result")
    )
    if result is not None and result.sector_id != pairing.sector_id:
        errors.add(field, _("Choose a priority result of the pairing's sector."))
        return None
    return result.id if result is not None else None
