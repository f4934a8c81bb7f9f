"""The one metrics layer: the sector report and the programme overview as plain data.

The web pages, the PDF, the XLSX workbook and the API all render what these functions
return, so they cannot disagree. Numbers are JSON-ready: dates as ISO strings, hours as
numbers rounded to the quarter hours they are logged in.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from scbi.mentees.levels import current_levels
from scbi.mentees.models import Gender, MenteeStatus
from scbi.programme.models import ResultStatus, Sector
from scbi.reports import queries
from scbi.reports.critical_mass import CriticalMass, critical_masses
from scbi.reports.periods import Period, month_starts
from scbi.transfer.models import ActivityType, MenteeRole

SILENT_AFTER_DAYS = 14
LARGEST_GAPS = 5
GENDERS = ("female", "male", "other")


def _hours(minutes) -> float:
    return round((minutes or 0) / 60, 2)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _period(period: Period) -> dict:
    return {
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "label": period.label,
        "as_of": period.as_of.isoformat(),
        "fiscal_year": period.fiscal_year,
        "quarter": period.quarter,
    }


# --- headline ------------------------------------------------------------------------------


def _active_mentees(rows, period: Period) -> dict[int, dict]:
    """Mentees active at some point of the period, from their dated statuses:
    ``{mentee_id: {"sector_id", "gender", "institution_id"}}``."""
    at_start: dict[int, str] = {}
    joined_during: set[int] = set()
    info: dict[int, dict] = {}
    for status_on, _id, mentee, sector_id, status, gender, institution in rows:
        info[mentee] = {"sector_id": sector_id, "gender": gender, "institution_id": institution}
        if status_on <= period.start:
            at_start[mentee] = status
        elif status_on <= period.end and status == MenteeStatus.ACTIVE.value:
            joined_during.add(mentee)
    active = {m for m, s in at_start.items() if s == MenteeStatus.ACTIVE.value} | joined_during
    return {m: info[m] for m in active}


def _gender(value: str) -> str:
    return value if value in (Gender.FEMALE.value, Gender.MALE.value) else "other"


def headlines(
    sector_ids: list[int], period: Period, active_mentees: dict[int, dict], minutes_rows
) -> dict[int | None, dict]:
    """Section 1 for each sector, and the programme's totals under the key None
    (``active_mentees`` as _active_mentees finds them, ``minutes_rows`` as
    scbi.reports.queries.transfer_minutes gives them)."""
    people = queries.active_people(sector_ids, period)
    steps = queries.log_steps(sector_ids, period)
    medians = queries.median_days_to_acknowledge(sector_ids, period)
    minutes: dict[int, int] = defaultdict(int)
    for sector_id, _m, _a, _r, value in minutes_rows:
        minutes[sector_id] += value
    genders: dict[int, dict[str, int]] = {s: dict.fromkeys(GENDERS, 0) for s in sector_ids}
    for mentee in active_mentees.values():
        genders[mentee["sector_id"]][_gender(mentee["gender"])] += 1
    out: dict[int | None, dict] = {}
    for sector_id in sector_ids:
        out[sector_id] = {
            "active_pairings": people[sector_id][0],
            "active_mentees": sum(genders[sector_id].values()),
            "mentees_by_gender": genders[sector_id],
            "active_coaches": people[sector_id][1],
            "coaching_hours": _hours(minutes[sector_id]),
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
    totals["coaching_hours"] = _hours(sum(minutes.values()))
    totals["mentees_by_gender"] = {
        g: sum(out[s]["mentees_by_gender"][g] for s in sector_ids) for g in GENDERS
    }
    totals["median_days_to_acknowledge"] = medians[None]
    out[None] = totals
    return out


def critical_mass_data(cm: CriticalMass) -> dict:
    return {
        "experts": cm.experts,
        "target": cm.target,
        "progress": cm.progress,
        "target_date": cm.target_date.isoformat(),
        "expert_level": cm.expert_level,
        "core_competencies": cm.core_count,
        "forecast_date": _iso(cm.forecast.forecast_date),
        "on_track": cm.forecast.on_track,
        "trend_per_month": round(cm.forecast.slope_per_month, 2),
        "trajectory": [{"month": d.isoformat(), "experts": n} for d, n in cm.trajectory],
        "pipeline": cm.pipeline,
    }


# --- sector report -------------------------------------------------------------------------


def sector_report(sector: Sector, period: Period) -> dict:
    """The eight sections of DESIGN.md "Sector report", in a constant number of
    statements whatever the data size."""
    as_of = period.as_of
    statuses = queries.mentee_statuses([sector.id], period.end)
    cm = critical_masses([sector], as_of, statuses)[0]
    minutes = queries.transfer_minutes([sector.id], period)
    active = _active_mentees(statuses, period)
    return {
        "sector": {"id": sector.id, "code": sector.code, "name": sector.name},
        "period": _period(period),
        "headline": headlines([sector.id], period, active, minutes)[sector.id],
        "critical_mass": critical_mass_data(cm),
        **_plans_and_gains(sector, period, as_of),
        "transfer": _transfer(minutes, period),
        "institutions": _institutions(sector, period, statuses, active, cm.expert_ids),
        "coaches": _coaches(sector, period, as_of),
        "priority_results": _priority_results(sector, as_of),
    }


def _plans_and_gains(sector: Sector, period: Period, as_of: date) -> dict:
    items = queries.plan_items(sector.id, period, as_of)
    levels = current_levels({i.mentee_id for i in items}, as_of, {i.competency_id for i in items})
    by_competency: dict[int, dict] = {}
    overdue = []
    for item_id, mentee, competency, name, baseline, target, target_date, mentee_name in items:
        found = levels.get((mentee, competency))
        current = found.level if found else 0
        row = by_competency.setdefault(
            competency,
            {
                "competency_id": competency,
                "competency": name,
                "items": 0,
                "achieved": 0,
                "on_track": 0,
                "overdue": 0,
                "_baseline": 0,
                "_current": 0,
                "_gap": 0,
                "_below": 0,
            },
        )
        row["items"] += 1
        row["_baseline"] += baseline
        row["_current"] += current
        if current >= target:
            row["achieved"] += 1
            continue
        row["_gap"] += target - current
        row["_below"] += 1
        if target_date < as_of:
            row["overdue"] += 1
            overdue.append(
                {
                    "plan_item_id": item_id,
                    "mentee": mentee_name,
                    "competency": name,
                    "current_level": current,
                    "target_level": target,
                    "target_date": target_date.isoformat(),
                    "days_overdue": (as_of - target_date).days,
                }
            )
        else:
            row["on_track"] += 1
    rows = list(by_competency.values())
    plans = {
        "totals": {
            k: sum(r[k] for r in rows) for k in ("items", "achieved", "on_track", "overdue")
        },
        "by_competency": [
            {
                k: r[k]
                for k in ("competency_id", "competency", "items", "achieved", "on_track", "overdue")
            }
            for r in rows
        ],
        "overdue": sorted(overdue, key=lambda o: (-o["days_overdue"], o["mentee"])),
    }
    gains = [
        {
            "competency_id": r["competency_id"],
            "competency": r["competency"],
            "items": r["items"],
            "mean_baseline": round(r["_baseline"] / r["items"], 2),
            "mean_current": round(r["_current"] / r["items"], 2),
            "mean_gain": round((r["_current"] - r["_baseline"]) / r["items"], 2),
        }
        for r in rows
    ]
    gaps = sorted(
        (
            {
                "competency_id": r["competency_id"],
                "competency": r["competency"],
                "items_below_target": r["_below"],
                "mean_gap": round(r["_gap"] / r["_below"], 2),
            }
            for r in rows
            if r["_below"]
        ),
        key=lambda g: (-g["mean_gap"], -g["items_below_target"], g["competency"]),
    )[:LARGEST_GAPS]
    return {"plans": plans, "competency_gains": {"by_competency": gains, "largest_gaps": gaps}}


def _transfer(minutes, period: Period) -> dict:
    by_activity = dict.fromkeys((t.value for t in ActivityType), 0)
    months = {
        m.strftime("%Y-%m"): dict.fromkeys((r.value for r in MenteeRole), 0)
        for m in month_starts(period)
    }
    for _sector, month, activity, role, value in minutes:
        by_activity[activity] += value
        months[month][role] += value
    by_role = []
    for month, roles in months.items():
        total = sum(roles.values())
        by_role.append(
            {
                "month": month,
                **{role: _hours(value) for role, value in roles.items()},
                "total": _hours(total),
                "led_share": round(roles[MenteeRole.LED.value] / total, 4) if total else None,
            }
        )
    return {
        "hours_by_activity": {k: _hours(v) for k, v in by_activity.items()},
        "hours_by_mentee_role": by_role,
    }


def _institutions(sector: Sector, period: Period, statuses, active, expert_ids) -> list[dict]:
    mentees: dict[int, int] = defaultdict(int)
    for mentee in active.values():
        mentees[mentee["institution_id"]] += 1
    institution_of = {row[2]: row[6] for row in statuses}
    experts: dict[int, int] = defaultdict(int)
    for mentee in expert_ids:
        experts[institution_of[mentee]] += 1
    return [
        {
            "institution_id": ident,
            "acronym": acronym,
            "name": name,
            "mentees": mentees[ident],
            "hours": _hours(minutes),
            "experts": experts[ident],
        }
        for ident, acronym, name, minutes in queries.institutions(sector.id, period)
    ]


def _coaches(sector: Sector, period: Period, as_of: date) -> list[dict]:
    out = []
    for coach_id, name, last_log, minutes in queries.coach_follow_up(sector.id, period, as_of):
        days = (as_of - last_log).days if last_log else None
        out.append(
            {
                "coach_id": coach_id,
                "name": name,
                "last_log_date": _iso(last_log),
                "days_since_last_log": days,
                "hours": _hours(minutes),
                "silent": days is None or days > SILENT_AFTER_DAYS,
            }
        )
    return out


def _priority_results(sector: Sector, as_of: date) -> dict:
    results = [
        {
            "id": ident,
            "title": title,
            "institution": acronym,
            "due_date": due.isoformat(),
            "status": status,
            "note": note,
        }
        for ident, title, due, acronym, status, note in queries.priority_results(sector.id, as_of)
    ]
    by_status = dict.fromkeys((s.value for s in ResultStatus), 0)
    for result in results:
        by_status[result["status"]] += 1
    return {"by_status": by_status, "results": results}


# --- programme overview --------------------------------------------------------------------


def programme_overview(sectors: list[Sector], period: Period, *, with_cascade: bool) -> dict:
    """One row per sector (headline and critical mass), the totals, and the cascade."""
    ids = [s.id for s in sectors]
    statuses = queries.mentee_statuses(ids, period.end)
    heads = headlines(
        ids, period, _active_mentees(statuses, period), queries.transfer_minutes(ids, period)
    )
    masses = critical_masses(sectors, period.as_of, statuses)
    rows = []
    for sector, cm in zip(sectors, masses, strict=True):
        mass = critical_mass_data(cm)
        del mass["trajectory"]
        rows.append(
            {
                "sector": {"id": sector.id, "code": sector.code, "name": sector.name},
                "headline": heads[sector.id],
                "critical_mass": mass,
            }
        )
    totals = dict(heads[None])
    totals["experts"] = sum(cm.experts for cm in masses)
    totals["expert_target"] = sum(cm.target for cm in masses)
    totals["sectors_on_track"] = sum(1 for cm in masses if cm.forecast.on_track)
    out = {"period": _period(period), "sectors": rows, "totals": totals}
    if with_cascade:
        out["cascade"] = _cascade()
    return out


def _cascade() -> dict:
    people = [
        {
            "name": name,
            "mentored_in": mentored_in,
            "mentee_status": status,
            "status_since": since.isoformat(),
            "coaches_in": coaches_in,
            "coaching_since": start.isoformat(),
        }
        for name, mentored_in, status, since, coaches_in, start in queries.cascade()
    ]
    former = sum(1 for p in people if p["mentee_status"] != MenteeStatus.ACTIVE.value)
    return {"former_mentees_coaching": former, "people": people}
