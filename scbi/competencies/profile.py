"""A mentee's competency profile: baseline → current → target, with the self-assessed
level beside it and the evidence behind it. A constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, or_, select

from scbi.competencies.levels import current_levels
from scbi.competencies.models import Assessment, AssessorRole
from scbi.extensions import db
from scbi.mentees.models import Mentee
from scbi.programme.models import Competency, CompetencyFramework
from scbi.transfer.models import (
    COUNTED_LOG_STATUSES,
    MenteeRole,
    Pairing,
    PlanItem,
    PlanStatus,
    TransferLog,
    TransferPlan,
    log_competency,
)


@dataclass
class ProfileRow:
    competency: Competency
    baseline_level: int | None
    target_level: int | None
    target_date: date | None
    current_level: int
    validated_on: date | None
    self_level: int | None
    evidence_log_count: int  # acknowledged logs in which the mentee led
    log_count: int = 0  # acknowledged logs on the competency
    hours: float = 0.0


def _plan_items(mentee_id: int):
    """The latest approved plan item per competency of the mentee's pairings."""
    ranked = (
        select(
            PlanItem.competency_id,
            PlanItem.baseline_level,
            PlanItem.target_level,
            PlanItem.target_date,
            func.row_number()
            .over(
                partition_by=PlanItem.competency_id,
                order_by=(TransferPlan.decided_at.desc(), TransferPlan.id.desc()),
            )
            .label("rank"),
        )
        .join(TransferPlan)
        .join(Pairing)
        .where(
            Pairing.mentee_id == mentee_id,
            TransferPlan.status.in_([PlanStatus.APPROVED, PlanStatus.SUPERSEDED]),
        )
        .subquery()
    )
    return {
        row[0]: row[1:4]
        for row in db.session.execute(
            select(
                ranked.c.competency_id,
                ranked.c.baseline_level,
                ranked.c.target_level,
                ranked.c.target_date,
            ).where(ranked.c.rank == 1)
        )
    }


def _self_levels(mentee_id: int, on: date) -> dict[int, int]:
    ranked = (
        select(
            Assessment.competency_id,
            Assessment.level,
            func.row_number()
            .over(
                partition_by=Assessment.competency_id,
                order_by=(Assessment.assessed_on.desc(), Assessment.id.desc()),
            )
            .label("rank"),
        )
        .where(
            Assessment.mentee_id == mentee_id,
            Assessment.assessed_on <= on,
            Assessment.assessor_role == AssessorRole.SELF,
        )
        .subquery()
    )
    return dict(
        db.session.execute(
            select(ranked.c.competency_id, ranked.c.level).where(ranked.c.rank == 1)
        ).all()
    )


def activity_by_competency(mentee_id: int) -> dict[int, tuple[int, int, int]]:
    """Per competency: acknowledged logs, their minutes, and those in which the mentee led."""
    led = case((TransferLog.mentee_role == MenteeRole.LED, 1), else_=0)
    return {
        row[0]: tuple(int(v or 0) for v in row[1:])
        for row in db.session.execute(
            select(
                log_competency.c.competency_id,
                func.count(),
                func.sum(TransferLog.minutes),
                func.sum(led),
            )
            .join(TransferLog, TransferLog.id == log_competency.c.log_id)
            .join(Pairing, Pairing.id == TransferLog.pairing_id)
            .where(
                Pairing.mentee_id == mentee_id,
                TransferLog.status.in_(COUNTED_LOG_STATUSES),
            )
            .group_by(log_competency.c.competency_id)
        )
    }


def competency_profile(mentee: Mentee, on: date) -> list[ProfileRow]:
    """The sector's core competencies, those in the mentee's plans and those assessed."""
    items = _plan_items(mentee.id)
    assessed = select(Assessment.competency_id).where(Assessment.mentee_id == mentee.id)
    competencies = db.session.scalars(
        select(Competency)
        .join(CompetencyFramework)
        .where(
            or_(
                (CompetencyFramework.sector_id == mentee.sector_id) & Competency.core.is_(True),
                Competency.id.in_(list(items)) if items else Competency.id.is_(None),
                Competency.id.in_(assessed),
            )
        )
        .order_by(CompetencyFramework.sector_id.is_(None), Competency.sort_order)
    ).all()
    levels = current_levels([mentee.id], on, [c.id for c in competencies])
    selves = _self_levels(mentee.id, on)
    activity = activity_by_competency(mentee.id)
    rows = []
    for c in competencies:
        baseline, target, target_date = items.get(c.id, (None, None, None))
        level = levels.get((mentee.id, c.id))
        rows.append(
            ProfileRow(
                competency=c,
                baseline_level=baseline,
                target_level=target,
                target_date=target_date,
                current_level=level.level if level else 0,
                validated_on=level.validated_on if level else None,
                self_level=selves.get(c.id),
                evidence_log_count=activity.get(c.id, (0, 0, 0))[2],
                log_count=activity.get(c.id, (0, 0, 0))[0],
                hours=activity.get(c.id, (0, 0, 0))[1] / 60,
            )
        )
    return rows
