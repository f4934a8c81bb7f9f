"""Critical mass (DESIGN.md): national experts of a sector at a date, the month-end
trajectory recomputed from history, a forecast, and the pipeline.

A mentee is a national expert of sector S on date d when their status on d is ``active``
or ``graduated`` and their current level (scbi.mentees.levels, the one implementation)
on every core competency of S's frameworks is at least S.expert_level. A sector without
core competencies has no experts. Nothing is cached: every number comes from history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from scbi.extensions import db
from scbi.mentees.levels import current_levels
from scbi.mentees.models import Mentee, MenteeStatus, MenteeStatusChange
from scbi.programme.models import Competency, CompetencyFramework, Sector

COUNTING = (MenteeStatus.ACTIVE.value, MenteeStatus.GRADUATED.value)
TREND_MONTHS = 12


def core_competency_ids(sector: Sector) -> list[int]:
    return list(
        db.session.scalars(
            select(Competency.id)
            .join(CompetencyFramework)
            .where(CompetencyFramework.sector_id == sector.id, Competency.core.is_(True))
        )
    )


def counting_mentees(sector: Sector, on: date) -> list[int]:
    """Mentees of the sector whose status on ``on`` is active or graduated (from the dated
    status history: those who withdrew or left stop counting from that date)."""
    ranked = (
        select(
            MenteeStatusChange.mentee_id,
            MenteeStatusChange.status,
            func.row_number()
            .over(
                partition_by=MenteeStatusChange.mentee_id,
                order_by=(MenteeStatusChange.status_on.desc(), MenteeStatusChange.id.desc()),
            )
            .label("rank"),
        )
        .join(Mentee, Mentee.id == MenteeStatusChange.mentee_id)
        .where(Mentee.sector_id == sector.id, MenteeStatusChange.status_on <= on)
        .subquery()
    )
    return list(
        db.session.scalars(
            select(ranked.c.mentee_id).where(ranked.c.rank == 1, ranked.c.status.in_(COUNTING))
        )
    )


def gaps(sector: Sector, on: date, core: list[int] | None = None) -> dict[int, int]:
    """Per counting mentee: how many core competencies are still below the expert level."""
    core = core_competency_ids(sector) if core is None else core
    mentees = counting_mentees(sector, on)
    if not core:
        return dict.fromkeys(mentees, 0)
    levels = current_levels(mentees, on, core)
    return {m: sum(1 for c in core if _level(levels, m, c) < sector.expert_level) for m in mentees}


def _level(levels, mentee_id: int, competency_id: int) -> int:
    found = levels.get((mentee_id, competency_id))
    return found.level if found else 0


def experts(sector: Sector, on: date, core: list[int] | None = None) -> int:
    core = core_competency_ids(sector) if core is None else core
    if not core:
        return 0
    return sum(1 for missing in gaps(sector, on, core).values() if missing == 0)


def pipeline(sector: Sector, on: date) -> dict[str, int]:
    """Counting mentees by the number of core competencies still below the expert level."""
    buckets = {"0": 0, "1": 0, "2": 0, "3+": 0}
    core = core_competency_ids(sector)
    if not core:
        return buckets
    for missing in gaps(sector, on, core).values():
        buckets["3+" if missing >= 3 else str(missing)] += 1
    return buckets


def month_ends(until: date, count: int) -> list[date]:
    """The last ``count`` month ends strictly before ``until``'s month, then ``until``."""
    ends, first = [], until.replace(day=1)
    for _i in range(count - 1):
        first_prev = (first - timedelta(days=1)).replace(day=1)
        ends.append(first - timedelta(days=1))
        first = first_prev
    return [*reversed(ends), until]


def trajectory(sector: Sector, until: date, months: int = TREND_MONTHS) -> list[tuple[date, int]]:
    core = core_competency_ids(sector)
    return [(end, experts(sector, end, core)) for end in month_ends(until, months)]


@dataclass(frozen=True)
class Forecast:
    forecast_date: date | None
    on_track: bool
    slope_per_month: float


def forecast(points: list[tuple[date, int]], target: int, target_date: date) -> Forecast:
    """Least-squares trend over the trajectory's month ends: the date the target is
    reached at that pace, or None (not on track) when the trend does not rise."""
    if not points:
        return Forecast(None, False, 0.0)
    last_day, current = points[-1]
    if current >= target:
        return Forecast(last_day, last_day <= target_date, 0.0)
    n = len(points)
    xs = list(range(n))
    ys = [p[1] for p in points]
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    var = sum((x - mean_x) ** 2 for x in xs)
    slope = (
        sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / var if var else 0.0
    )
    if slope <= 0:
        return Forecast(None, False, slope)
    fitted_now = mean_y + slope * (xs[-1] - mean_x)
    months = max(0.0, (target - fitted_now) / slope)
    reached = last_day + timedelta(days=round(months * 30.4375))
    return Forecast(reached, reached <= target_date, slope)


@dataclass(frozen=True)
class CriticalMass:
    sector: Sector
    experts: int
    target: int
    progress: float
    trajectory: list[tuple[date, int]]
    forecast: Forecast
    pipeline: dict[str, int]


def critical_mass(sector: Sector, on: date) -> CriticalMass:
    points = trajectory(sector, on)
    count = points[-1][1]
    return CriticalMass(
        sector=sector,
        experts=count,
        target=sector.expert_target,
        progress=round(count / sector.expert_target, 4) if sector.expert_target else 0.0,
        trajectory=points,
        forecast=forecast(points, sector.expert_target, sector.target_date),
        pipeline=pipeline(sector, on),
    )
