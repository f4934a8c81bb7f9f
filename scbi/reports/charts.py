"""The report's charts, drawn from the metrics (never from their own queries), as SVG for
the page and the PDF alike. Each has a title and a description; the page and the PDF
print the numbers in a table beside it."""

from __future__ import annotations

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import Markup

from scbi import charts
from scbi.i18n import number
from scbi.reports.critical_mass import fit
from scbi.transfer.models import ActivityType, MenteeRole


def _month(iso: str) -> str:
    """A month as its reader abbreviates it (Jan 26, janv. 26)."""
    return format_date(date.fromisoformat(iso[:7] + "-01"), "MMM yy")


def trajectory(mass: dict) -> Markup:
    points = mass["trajectory"]
    values = [p["experts"] for p in points]
    forecast = mass["forecast_date"] or _("not on track")
    return charts.line(
        _("National experts at each month end"),
        _(
            "From %(first)s to %(last)s; target %(target)s by %(date)s; forecast: %(forecast)s.",
            first=values[0] if values else 0,
            last=values[-1] if values else 0,
            target=mass["target"],
            date=mass["target_date"],
            forecast=forecast,
        ),
        [_month(p["month"]) for p in points],
        values,
        name=_("experts"),
        target=mass["target"],
        trend=fit(values),
    )


def pipeline(mass: dict) -> Markup:
    labels = [_("expert"), _("1 below"), _("2 below"), _("3 or more below")]
    values = [mass["pipeline"][k] for k in ("0", "1", "2", "3+")]
    return charts.stacked_bars(
        _("Pipeline: mentees by core competencies below the expert level"),
        ", ".join(f"{label}: {value}" for label, value in zip(labels, values, strict=True)),
        labels,
        [charts.Series(_("mentees"), values)],
    )


def hours_by_activity(transfer: dict) -> Markup:
    hours = transfer["hours_by_activity"]
    labels = [ActivityType(k).short for k in hours]
    return charts.stacked_bars(
        _("Coaching hours by activity type"),
        ", ".join(
            f"{label}: {number(value)} h"
            for label, value in zip(labels, hours.values(), strict=True)
        ),
        labels,
        [charts.Series(_("hours"), list(hours.values()))],
        unit="h",
    )


def role_share(transfer: dict) -> Markup:
    months = transfer["hours_by_mentee_role"]

    def share(month: dict, role: MenteeRole) -> float:
        return round(100 * month[role] / month["total"], 1) if month["total"] else 0.0

    led = [f"{_month(m['month'])}: {share(m, MenteeRole.LED):g}%" for m in months]
    return charts.stacked_bars(
        _("Share of hours by the mentee's part, month by month"),
        _("The share the mentee led, by month: %(values)s.", values=", ".join(led)),
        [_month(m["month"]) for m in months],
        # each part by its short label, as the mentee's dashboard and the table beside it
        [charts.Series(role.short, [share(m, role) for m in months]) for role in MenteeRole],
        unit="%",
    )


def sector_charts(report: dict) -> dict[str, Markup]:
    return {
        "trajectory": trajectory(report["critical_mass"]),
        "pipeline": pipeline(report["critical_mass"]),
        "activity": hours_by_activity(report["transfer"]),
        "roles": role_share(report["transfer"]),
    }
