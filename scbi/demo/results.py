"""The demo's results chain: indicators of each priority result, from a baseline at the
phase's start to a target on the result's due date, with an actual value for every fiscal
quarter since (half of them with a PDF as evidence) — delivered results reach their target,
results at risk lag. The logs that name the result they served (two in three) are written
in scbi.demo.transfer."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from scbi.dates import fiscal_label, fiscal_quarter_dates, fiscal_quarter_of, today
from scbi.demo.transfer import pdf_naming
from scbi.extensions import db
from scbi.programme.indicators import create_indicator, record_value
from scbi.programme.models import PriorityResult

# Per result (by title): (indicator, unit, baseline, target, pace), the pace being how far
# along the straight line from baseline to target the actuals run (1: on it).
INDICATORS = {
    "Least-cost power development plan 2025-2040 adopted": [
        ("Plan chapters validated by the technical committee", "chapters", 0, 12, 1.0),
    ],
    "Grid code revised for variable renewable energy": [
        ("Grid code sections revised", "sections", 0, 18, 0.6),
        ("Variable renewable capacity connected under the code", "MW", 12, 60, 0.5),
    ],
    "Universal access electrification roadmap updated": [
        ("Households with access to electricity", "%", Decimal("72.4"), 100, 0.9),
    ],
    "Strategic Plan for Agriculture Transformation mid-term review": [
        ("Review milestones completed", "milestones", 0, 8, 1.0),
    ],
    "Seed certification system decentralised to districts": [
        ("Districts with a certified seed inspector", "districts", 3, 30, 0.55),
    ],
    "Mineral exploration licensing digitised": [
        ("Licence applications processed online", "%", 0, 90, 0.9),
    ],
    "National mining sector local-content policy drafted": [
        ("Stakeholder consultations held", "consultations", 0, 10, 0.7),
    ],
    "Investment facilitation one-stop centre service charter": [
        ("Services with a published service standard", "services", 4, 40, 1.0),
    ],
    "Aftercare programme for established investors": [
        ("Established investors in the aftercare programme", "investors", 0, 120, 0.85),
    ],
    "Coffee and tea export quality traceability system": [
        ("Export lots traceable to the washing station", "%", 15, 80, 0.6),
    ],
    "AfCFTA export readiness programme for SMEs": [
        ("SMEs certified export-ready", "SMEs", 0, 150, 0.3),
    ],
}
SOURCES = {
    "%": "Administrative records, quarterly statistics note",
    "MW": "Grid operator's connection register",
}


def build_indicators(admin, baseline_date: date) -> int:
    """The indicators and their quarterly actuals; returns how many values were recorded."""
    made = 0
    results = db.session.scalars(select(PriorityResult).order_by(PriorityResult.id))
    for result in results:
        for name, unit, baseline, target, pace in INDICATORS.get(result.title, []):
            indicator = create_indicator(
                result,
                by=admin,
                name=name,
                unit=unit,
                baseline_value=str(baseline),
                baseline_date=baseline_date,
                target_value=str(target),
                target_date=result.due_date,
            )
            places = Decimal("0.1") if unit in ("%", "MW") else Decimal(1)
            owner = result.institution.acronym if result.institution else result.sector.code
            source = SOURCES.get(unit, f"{owner} quarterly progress report")
            span = (result.due_date - baseline_date).days or 1
            year, quarter = fiscal_quarter_of(baseline_date)
            while fiscal_quarter_dates(year, quarter)[0] <= today():
                end = min(fiscal_quarter_dates(year, quarter)[1], today())
                share = min(Decimal(1), Decimal((end - baseline_date).days) / span)
                gained = (Decimal(target) - Decimal(baseline)) * share * Decimal(str(pace))
                value = Decimal(baseline) + gained
                label = f"{name}, {fiscal_label(year, quarter)}"
                record_value(
                    indicator,
                    by=admin,
                    fiscal_year=year,
                    quarter=quarter,
                    value=str(value.quantize(places)),
                    source=source,
                    evidence=(io.BytesIO(pdf_naming(label)), f"indicator-{year}-q{quarter}.pdf")
                    if made % 2 == 0
                    else None,
                )
                made += 1
                year, quarter = (year, quarter + 1) if quarter < 4 else (year + 1, 1)
    return made
