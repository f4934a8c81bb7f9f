"""The one metrics layer: the sector report and the programme overview as plain data.

The web pages, the PDF, the XLSX workbook and the API all render what these functions
return, so they cannot disagree. Numbers are JSON-ready: dates as ISO strings, hours as
numbers rounded to the quarter hours they are logged in.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from scbi.mentees.models import MenteeStatus
from scbi.programme.models import Sector
from scbi.reports import disaggregation, headline_queries, periods, queries, results
from scbi.reports.headline import (
    active_mentees,
    critical_mass_data,
    headlines,
    hours,
    iso,
    masses,
    period_data,
    previous_data,
)
from scbi.reports.peer_learning import overview_block, peer_learning
from scbi.reports.periods import Period, month_starts
from scbi.reports.retention import institution_names, retention
from scbi.reports.value import value_for_money
from scbi.transfer.models import ActivityType, MenteeRole

__all__ = ["critical_mass_data", "programme_overview", "sector_report"]

SILENT_AFTER_DAYS = 14
LARGEST_GAPS = 5

# --- sector report -------------------------------------------------------------------------


def sector_report(sector: Sector, period: Period) -> dict:
    """The eight sections of DESIGN.md "Sector report", and under ``previous`` the headline
    and experts of the period before (scbi.reports.periods.previous), in a constant number
    of statements whatever the data size."""
    as_of = period.as_of
    before = periods.previous(period)
    statuses, others = queries.statuses_and_follow_ups([sector.id], period)
    [(cm, experts_before)] = masses([sector], as_of, before.as_of, statuses)
    minutes = headline_queries.transfer_minutes([sector.id], [period, before])
    now, then = headlines([sector.id], [period, before], statuses, minutes)
    active = active_mentees(statuses, period)
    plan_items = queries.plan_items([sector.id], period, as_of)
    institution_minutes = queries.institution_minutes([sector.id], period)
    return {
        "sector": {"id": sector.id, "code": sector.code, "name": sector.name},
        "period": period_data(period),
        "headline": now[sector.id],
        "critical_mass": critical_mass_data(cm),
        **_plans_and_gains(plan_items, as_of),
        "transfer": _transfer([row[1:] for row in minutes if row[0] == 0], period),
        "institutions": _institutions(institution_minutes, statuses, active, cm.expert_ids),
        "coaches": _coaches(sector, period, as_of),
        "priority_results": results.priority_results(sector.id, period),
        "previous": previous_data(before, then[sector.id], experts_before),
        "value_for_money": value_for_money(
            [sector], period, {sector.id: (cm.expert_ids, cm.kept_ids)}
        ),
        **disaggregation.breakdowns(
            disaggregation.people(statuses),
            cm.gaps,
            institution_minutes,
            [(i.gender, i.institution_id, i.baseline, i.current) for i in plan_items],
        ),
        "retention": retention(statuses, others, as_of, institution_names(institution_minutes)),
        "peer_learning": peer_learning(others, period, [sector])[sector.id],
    }


ACHIEVED, ON_TRACK, OVERDUE = "achieved", "on_track", "overdue"


def item_state(current: int, target: int, target_date: date, as_of: date) -> str:
    """A plan item's state on ``as_of``: achieved when the current level reaches the
    target, else overdue once the target date has passed, else on track (section 3; the
    list of plan items behind its figures sorts them by the same rule)."""
    if current >= target:
        return ACHIEVED
    return OVERDUE if target_date < as_of else ON_TRACK


def _plans_and_gains(plan_items, as_of: date) -> dict:
    by_competency: dict[int, dict] = {}
    overdue = []
    for item in plan_items:
        row = by_competency.setdefault(
            item.competency_id,
            {
                "competency_id": item.competency_id,
                "competency": item.competency,
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
        row["_baseline"] += item.baseline
        row["_current"] += item.current
        state = item_state(item.current, item.target, item.target_date, as_of)
        if state == ACHIEVED:
            row["achieved"] += 1
            continue
        row["_gap"] += item.target - item.current
        row["_below"] += 1
        if state == OVERDUE:
            row["overdue"] += 1
            overdue.append(
                {
                    "plan_item_id": item.item_id,
                    "mentee": item.mentee,
                    "competency": item.competency,
                    "current_level": item.current,
                    "target_level": item.target,
                    "target_date": item.target_date.isoformat(),
                    "days_overdue": (as_of - item.target_date).days,
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
                **{role: hours(value) for role, value in roles.items()},
                "total": hours(total),
                "led_share": round(roles[MenteeRole.LED] / total, 4) if total else None,
            }
        )
    return {
        "hours_by_activity": {k: hours(v) for k, v in by_activity.items()},
        "hours_by_mentee_role": by_role,
    }


def _institutions(minutes_rows, statuses, active, expert_ids) -> list[dict]:
    """Each institution of scbi.reports.queries.institution_minutes (rows by gender and
    part added up) with its active mentees, counted hours and national experts."""
    found: dict[int, list] = {}
    for ident, acronym, name, _gender, _role, value in minutes_rows:
        row = found.setdefault(ident, [acronym, name, 0])
        row[2] += value or 0
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
            "hours": hours(minutes),
            "experts": experts[ident],
        }
        for ident, (acronym, name, minutes) in found.items()
    ]


def _coaches(sector: Sector, period: Period, as_of: date) -> list[dict]:
    out = []
    for coach_id, name, last_log, minutes in queries.coach_follow_up(sector.id, period, as_of):
        days = (as_of - last_log).days if last_log else None
        out.append(
            {
                "coach_id": coach_id,
                "name": name,
                "last_log_date": iso(last_log),
                "days_since_last_log": days,
                "hours": hours(minutes),
                "silent": days is None or days > SILENT_AFTER_DAYS,
            }
        )
    return out


# --- programme overview --------------------------------------------------------------------


def programme_overview(sectors: list[Sector], period: Period, *, with_cascade: bool) -> dict:
    """One row per sector (headline and critical mass, and the previous period's headline
    and experts), the totals, and the cascade."""
    ids = [s.id for s in sectors]
    before = periods.previous(period)
    statuses, others = queries.statuses_and_follow_ups(ids, period)
    minutes = headline_queries.transfer_minutes(ids, [period, before])
    now, then = headlines(ids, [period, before], statuses, minutes)
    found = masses(sectors, period.as_of, before.as_of, statuses)
    rows = []
    for sector, (cm, experts_before) in zip(sectors, found, strict=True):
        mass = critical_mass_data(cm)
        del mass["trajectory"]
        rows.append(
            {
                "sector": {"id": sector.id, "code": sector.code, "name": sector.name},
                "headline": now[sector.id],
                "critical_mass": mass,
                "previous": previous_data(before, then[sector.id], experts_before),
            }
        )
    totals = dict(now[None])
    totals["experts"] = sum(cm.experts for cm, _b in found)
    totals["expert_target"] = sum(cm.target for cm, _b in found)
    totals["sectors_on_track"] = sum(1 for cm, _b in found if cm.forecast.on_track)
    earlier = [b for _cm, b in found]
    experts_before = None if None in earlier else sum(earlier)
    totals["previous"] = previous_data(before, then[None], experts_before)
    gaps = {m: n for cm, _b in found for m, n in cm.gaps.items()}
    out = {
        "period": period_data(period),
        "sectors": rows,
        "totals": totals,
        **disaggregation.breakdowns(
            disaggregation.people(statuses),
            gaps,
            queries.institution_minutes(ids, period),
            queries.plan_levels(ids, period, period.as_of),
        ),
    }
    experts_of = dict(zip(ids, [(cm.expert_ids, cm.kept_ids) for cm, _b in found], strict=True))
    out["value_for_money"] = value_for_money(sectors, period, experts_of)
    names = {i: (g["acronym"], g["name"]) for i, g in out["by_institution"].items()}
    out["retention"] = retention(statuses, others, period.as_of, names, sectors)
    out["peer_learning"] = overview_block(peer_learning(others, period, sectors), sectors)
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
    former = sum(1 for p in people if p["mentee_status"] != MenteeStatus.ACTIVE)
    return {"former_mentees_coaching": former, "people": people}
