"""The current level (DESIGN.md): one implementation for pages, API and reports.

A mentee's current level on a competency on date d is the level of the latest validated
assessment on or before d (several on one day: the last recorded); before any, the
baseline of the latest approved plan item (a plan approved on or before d, superseded
since or not); else 0. Self-assessments never count. Computed in SQL with window
functions, for any number of mentees at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Date, and_, cast, func, literal, null, select, union_all

from scbi.competencies.models import Assessment, AssessorRole
from scbi.extensions import db
from scbi.transfer.models import Pairing, PlanItem, PlanStatus, TransferPlan


@dataclass(frozen=True)
class Level:
    level: int
    source: str  # "assessment", "baseline" or "none"
    validated_on: date | None = None


def current_levels(mentee_ids, on: date, competency_ids=None) -> dict[tuple[int, int], Level]:
    """``{(mentee_id, competency_id): Level}`` for every pair with an assessment or a plan
    baseline; pairs missing from the answer are at level 0."""
    mentee_ids = list(mentee_ids)
    if not mentee_ids:
        return {}
    baselines = _baselines(mentee_ids, on, competency_ids).subquery()
    validated = _validated(mentee_ids, on, competency_ids).subquery()
    both = union_all(
        select(
            literal(0).label("kind"),
            baselines.c.mentee_id,
            baselines.c.competency_id,
            baselines.c.baseline_level.label("level"),
            cast(null(), Date).label("assessed_on"),
        ),
        select(
            literal(1),
            validated.c.mentee_id,
            validated.c.competency_id,
            validated.c.level,
            validated.c.assessed_on,
        ),
    ).subquery()
    levels: dict[tuple[int, int], Level] = {}
    # one statement; an assessment outranks the baseline of the same pair
    for kind, mentee_id, competency_id, level, assessed_on in db.session.execute(
        select(both).order_by(both.c.kind)
    ):
        if kind:
            levels[(mentee_id, competency_id)] = Level(level, "assessment", _day(assessed_on))
        else:
            levels[(mentee_id, competency_id)] = Level(level, "baseline")
    return levels


def _day(value) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def current_level(mentee_id: int, competency_id: int, on: date) -> Level:
    return current_levels([mentee_id], on, [competency_id]).get(
        (mentee_id, competency_id), Level(0, "none")
    )


def _validated(mentee_ids, on: date, competency_ids):
    ranked = select(
        Assessment.mentee_id,
        Assessment.competency_id,
        Assessment.level,
        Assessment.assessed_on,
        func.row_number()
        .over(
            partition_by=(Assessment.mentee_id, Assessment.competency_id),
            order_by=(Assessment.assessed_on.desc(), Assessment.id.desc()),
        )
        .label("rank"),
    ).where(
        Assessment.mentee_id.in_(mentee_ids),
        Assessment.assessed_on <= on,
        Assessment.assessor_role != AssessorRole.SELF,
    )
    if competency_ids is not None:
        ranked = ranked.where(Assessment.competency_id.in_(list(competency_ids)))
    ranked = ranked.subquery()
    return select(
        ranked.c.mentee_id, ranked.c.competency_id, ranked.c.level, ranked.c.assessed_on
    ).where(ranked.c.rank == 1)


# The plans whose baselines count: approved, superseded since or not.
COUNTING_PLANS = (PlanStatus.APPROVED, PlanStatus.SUPERSEDED)


def approved_by(on: date):
    """A plan approved on or before ``on`` (UTC day), superseded since or not: the plans
    whose baselines count, and among which the latest is the plan in force."""
    end_of_day = datetime.combine(on + timedelta(days=1), time(), tzinfo=UTC)
    return and_(
        TransferPlan.status.in_(COUNTING_PLANS),
        TransferPlan.decided_at < end_of_day,
    )


def _baselines(mentee_ids, on: date, competency_ids):
    ranked = (
        select(
            Pairing.mentee_id,
            PlanItem.competency_id,
            PlanItem.baseline_level,
            func.row_number()
            .over(
                partition_by=(Pairing.mentee_id, PlanItem.competency_id),
                order_by=(TransferPlan.decided_at.desc(), TransferPlan.id.desc()),
            )
            .label("rank"),
        )
        .join(TransferPlan, TransferPlan.id == PlanItem.plan_id)
        .join(
            Pairing,
            Pairing.id == TransferPlan.pairing_id,
        )
        .where(
            Pairing.mentee_id.in_(mentee_ids),
            approved_by(on),
        )
    )
    if competency_ids is not None:
        ranked = ranked.where(PlanItem.competency_id.in_(list(competency_ids)))
    ranked = ranked.subquery()
    return select(ranked.c.mentee_id, ranked.c.competency_id, ranked.c.baseline_level).where(
        ranked.c.rank == 1
    )
