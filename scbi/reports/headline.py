"""Section 1 (the headline) and the critical mass as plain data, for a report's period
and the one before it (scbi.reports.periods.previous), for many sectors at once."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta

from scbi.mentees.models import Gender, MenteeStatus
from scbi.reports import headline_queries
from scbi.reports.critical_mass import (
    TREND_MONTHS,
    CriticalMass,
    of_standing,
    standings,
)
from scbi.reports.periods import Period

# each counted on its own, never merged (undisclosed is not other)
GENDERS = tuple(g.value for g in Gender)


def hours(minutes) -> float:
    return round((minutes or 0) / 60, 2)


def iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def period_data(period: Period) -> dict:
    return {
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "label": period.label,
        "as_of": period.as_of.isoformat(),
        "fiscal_year": period.fiscal_year,
        "quarter": period.quarter,
    }


def active_mentees(rows, period: Period) -> dict[int, dict]:
    """Mentees active at some point of the period, from their dated statuses:
    ``{mentee_id: {"sector_id", "gender", "institution_id"}}``."""
    at_start: dict[int, str] = {}
    joined_during: set[int] = set()
    info: dict[int, dict] = {}
    for status_on, _id, mentee, sector_id, status, gender, institution in rows:
        info[mentee] = {"sector_id": sector_id, "gender": gender, "institution_id": institution}
        if status_on <= period.start:
            at_start[mentee] = status
        elif status_on <= period.end and status == MenteeStatus.ACTIVE:
            joined_during.add(mentee)
    active = {m for m, s in at_start.items() if s == MenteeStatus.ACTIVE} | joined_during
    return {m: info[m] for m in active}


def headlines(
    sector_ids: list[int], compared: list[Period], statuses, minutes_rows
) -> list[dict[int | None, dict]]:
    """Section 1 for each sector, and the programme's totals under the key None, for each
    of the ``compared`` periods (``statuses`` as scbi.reports.queries.mentee_statuses
    gives them up to the end of the last period, ``minutes_rows`` as
    scbi.reports.headline_queries.transfer_minutes gives them for these periods)."""
    people = headline_queries.active_people(sector_ids, compared)
    steps, medians = headline_queries.log_figures(sector_ids, compared)
    minutes: list[dict[int, int]] = [defaultdict(int) for _p in compared]
    for index, sector_id, _m, _a, _r, value in minutes_rows:
        minutes[index][sector_id] += value
    return [
        _headline(sector_ids, active_mentees(statuses, period), *figures)
        for period, *figures in zip(compared, people, steps, medians, minutes, strict=True)
    ]


def _headline(sector_ids, active_mentees, people, steps, medians, minutes) -> dict:
    genders: dict[int, dict[str, int]] = {s: dict.fromkeys(GENDERS, 0) for s in sector_ids}
    for mentee in active_mentees.values():
        genders[mentee["sector_id"]][mentee["gender"]] += 1
    out: dict[int | None, dict] = {}
    for sector_id in sector_ids:
        out[sector_id] = {
            "active_pairings": people[sector_id][0],
            "active_mentees": sum(genders[sector_id].values()),
            "mentees_by_gender": genders[sector_id],
            "active_coaches": people[sector_id][1],
            "coaching_hours": hours(minutes[sector_id]),
            "logs_submitted": steps[sector_id]["submitted"],
            "logs_acknowledged": steps[sector_id]["acknowledged"],
            "logs_disputed": steps[sector_id]["disputed"],
            "median_days_to_acknowledge": medians[sector_id],
        }
    totals = {
        key: sum(out[s][key] for s in sector_ids)
        for key in (
            "active_pairings",
            "active_mentees",
            "active_coaches",
            "logs_submitted",
            "logs_acknowledged",
            "logs_disputed",
        )
    }
    totals["coaching_hours"] = hours(sum(minutes.values()))
    totals["mentees_by_gender"] = {
        g: sum(out[s]["mentees_by_gender"][g] for s in sector_ids) for g in GENDERS
    }
    totals["median_days_to_acknowledge"] = medians[None]
    out[None] = totals
    return out


def masses(sectors, as_of: date, before: date, statuses) -> list[tuple[CriticalMass, int | None]]:
    """Each sector's critical mass on ``as_of``, and its experts on ``before`` (the
    previous period's as-of date) read off the same month-end sweep: the sweep reaches back
    as far as ``before`` when that is a month end, so no statement is added. A ``before``
    that is no month end (a date range's) has no count: None. Each critical mass also
    carries the experts on ``before`` (``kept_ids``) when they are counted."""
    months = TREND_MONTHS
    if before < as_of and (before + timedelta(days=1)).day == 1:
        months = max(months, as_of.year * 12 + as_of.month - before.year * 12 - before.month + 1)
    found = standings(sectors, as_of, months, statuses, keep=before)
    out = []
    for sector in sectors:
        standing = found[sector.id]
        recent = replace(standing, trajectory=standing.trajectory[-TREND_MONTHS:])
        out.append((of_standing(sector, recent), dict(standing.trajectory).get(before)))
    return out


def previous_data(period: Period, headline: dict, experts: int | None) -> dict:
    return {"period": period_data(period), "headline": headline, "experts": experts}


def critical_mass_data(cm: CriticalMass) -> dict:
    return {
        "experts": cm.experts,
        "target": cm.target,
        "progress": cm.progress,
        "target_date": cm.target_date.isoformat(),
        "expert_level": cm.expert_level,
        "core_competencies": cm.core_count,
        "forecast_date": iso(cm.forecast.forecast_date),
        "on_track": cm.forecast.on_track,
        "trend_per_month": round(cm.forecast.slope_per_month, 2),
        "trajectory": [{"month": d.isoformat(), "experts": n} for d, n in cm.trajectory],
        "pipeline": cm.pipeline,
    }
