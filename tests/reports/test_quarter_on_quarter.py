"""Each headline figure and the experts beside the previous period's, worked out by hand
on the sector of test_sector_report.py (see its docstring for the people and logs).

FY 2025 Q3 (January–March 2026) is compared with Q2 (October–December 2025):
- pairings: K1–m1, K1–m2 and K1–m3 (ended 15 December) overlap Q2: 3 (Q3: 2);
- mentees: m1, m2 and m3 (active on 1 October, withdrew 15 December); m4 joined in
  February: 3, two female and one male (Q3: 3);
- coaches: Alice, Bob (contract to 31 December) and Zed: 3 (Q3: 2);
- hours: L6 (20 December) and L8 (10 December), an hour each: 2.0 (Q3: 4.5);
- submitted: L6 and L8, first submitted in December: 2 (Q3: 4); acknowledged and
  disputed: none in Q2, their answers came in January (Q3: 5 and 3); no median;
- experts on 31 December 2025: m3 withdrew on the 15th, m4 was not yet expert: 0 (Q3: 1).
"""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from scbi.extensions import db
from scbi.programme.models import Sector
from scbi.reports import metrics, periods
from tests import factories as f
from tests.helpers import api_token, bearer, login, plain_figures
from tests.reports.test_report_outputs import QUERY, keyed, table
from tests.reports.test_sector_report import built  # noqa: F401  (fixture)

Q2 = {
    "active_pairings": 3,
    "active_mentees": 3,
    "mentees_by_gender": {"female": 2, "male": 1, "other": 0, "undisclosed": 0},
    "active_coaches": 3,
    "coaching_hours": 2.0,
    "logs_submitted": 2,
    "logs_acknowledged": 0,
    "logs_disputed": 0,
    "median_days_to_acknowledge": None,
}


def report_for(app, built, period_of):  # noqa: F811
    with app.test_request_context():
        sector = db.session.get(Sector, built["sector_id"])
        return metrics.sector_report(sector, period_of())


def test_a_quarter_beside_the_quarter_before(app, built):  # noqa: F811
    report = report_for(app, built, lambda: periods.fiscal_quarter(2025, 3))
    previous = report["previous"]
    assert previous["period"] == {
        "start": "2025-10-01",
        "end": "2025-12-31",
        "label": "FY 2025/26 Q2",
        "as_of": "2025-12-31",
        "fiscal_year": 2025,
        "quarter": 2,
    }
    assert previous["headline"] == Q2
    assert previous["experts"] == 0
    # Q1's previous is the last quarter of the year before
    first = report_for(app, built, lambda: periods.fiscal_quarter(2025, 1))["previous"]
    assert (first["period"]["start"], first["period"]["quarter"]) == ("2025-04-01", 4)
    assert first["period"]["fiscal_year"] == 2024


def test_a_year_beside_the_year_before_reads_the_experts_a_year_back(app, built):  # noqa: F811
    """FY 2025's standing figures are read on 30 June 2026; the year before ended on
    30 June 2025, the thirteenth month end back: the sweep reaches it (no expert yet: m3
    became one in September), and the report's trajectory keeps its twelve points."""
    report = report_for(app, built, lambda: periods.fiscal_year(2025))
    previous = report["previous"]
    assert (previous["period"]["start"], previous["period"]["end"]) == ("2024-07-01", "2025-06-30")
    assert previous["experts"] == 0
    assert len(report["critical_mass"]["trajectory"]) == 12
    # pairings start in February 2025 and coaches' contracts in January: all active
    assert previous["headline"]["active_pairings"] == 3
    assert previous["headline"]["coaching_hours"] == 0.0


def test_a_date_range_beside_the_range_of_the_same_length_before(app, built):  # noqa: F811
    """1 February – 31 March 2026 (59 days) after 4 December 2025 – 31 January 2026: L1
    (10 January, 2 h), L6 and L8 (December, 1 h each) count there; first submitted in it:
    L1, L6 and L8 (on 10 December; its resubmission in January is no new one);
    acknowledged L1, L6 and L8, disputed L8; days to acknowledge 2, 13 and 1: median 2.
    The experts on 31 January, a month end: 0."""
    report = report_for(app, built, lambda: periods.date_range(date(2026, 2, 1), date(2026, 3, 31)))
    previous = report["previous"]
    assert (previous["period"]["start"], previous["period"]["end"]) == ("2025-12-04", "2026-01-31")
    headline = previous["headline"]
    assert headline["coaching_hours"] == 4.0
    assert (headline["logs_submitted"], headline["logs_acknowledged"]) == (3, 3)
    assert (headline["logs_disputed"], headline["median_days_to_acknowledge"]) == (1, 2.0)
    assert previous["experts"] == 0
    # a range whose day before is no month end has no expert count to compare with
    odd = report_for(app, built, lambda: periods.date_range(date(2026, 1, 15), date(2026, 2, 14)))
    assert odd["previous"]["experts"] is None
    assert odd["previous"]["period"]["start"] == "2025-12-15"


def test_the_overview_compares_each_sector_and_the_totals(app, built):  # noqa: F811
    with app.test_request_context():
        sector = db.session.get(Sector, built["sector_id"])
        overview = metrics.programme_overview(
            [sector], periods.fiscal_quarter(2025, 3), with_cascade=False
        )
    [row] = overview["sectors"]
    assert row["previous"]["headline"] == Q2 and row["previous"]["experts"] == 0
    totals = overview["totals"]["previous"]
    assert totals["headline"]["coaching_hours"] == 2.0
    assert totals["headline"]["active_pairings"] == 3
    assert totals["experts"] == 0 and totals["period"]["label"] == "FY 2025/26 Q2"


@pytest.mark.parametrize(
    ("label", "before", "now", "change"),
    [
        ("Active pairings", "3", "2", "−1"),
        ("Active mentees", "3", "3", "±0"),
        ("Active coaches", "3", "2", "−1"),
        ("Coaching hours (acknowledged)", "2", "4.5", "+2.5"),
        ("Logs submitted", "2", "4", "+2"),
        ("Logs acknowledged", "0", "5", "+5"),
        ("Logs disputed", "0", "3", "+3"),
        ("Median days to acknowledge", "—", "2", "—"),
        ("National experts at the end of the period", "0", "1", "+1"),
    ],
)
def test_the_page_shows_each_figure_beside_the_previous_one(
    app,
    client,
    built,  # noqa: F811
    label,
    before,
    now,
    change,
):
    world = f.world(app)
    login(client, world.secretariat)
    page = plain_figures(client.get(f"/reports/sectors/{built['sector_id']}?{QUERY}").text)
    row = (
        f'<th scope="row">{label}</th><td class="text-end">{before}</td>'
        f'<td class="text-end">{now}</td><td class="text-end">{change}</td>'
    )
    assert row in page
    assert "Compared with the previous period, FY 2025/26 Q2" in page


def test_the_workbooks_and_the_api_carry_the_previous_period(app, client, built):  # noqa: F811
    world = f.world(app)
    headers = bearer(api_token(client, world.secretariat))
    base = f"/api/v1/reports/sectors/{built['sector_id']}?{QUERY}"
    assert client.get(base, headers=headers).json["previous"]["headline"] == Q2
    book = load_workbook(BytesIO(client.get(f"{base}&format=xlsx", headers=headers).data))
    found = list(book["1 Headline"].iter_rows(min_row=2, values_only=True))
    rows = dict(zip(keyed(r[0] for r in found), (r[1:] for r in found), strict=True))
    assert [c.value for c in book["1 Headline"][1]] == [
        "figure",
        "value",
        "previous period",
        "change",
    ]
    assert rows["coaching_hours"] == (4.5, 2.0, 2.5)
    assert rows["active_pairings"] == (2, 3, -1)
    assert rows["median_days_to_acknowledge"] == (2.0, None, None)
    assert rows["national_experts"] == (1, 0, 1)
    overview = client.get(f"/api/v1/reports/programme?{QUERY}", headers=headers).json
    mine = next(r for r in overview["sectors"] if r["sector"]["id"] == built["sector_id"])
    assert mine["previous"]["headline"] == Q2
    book = load_workbook(
        BytesIO(client.get(f"/api/v1/reports/programme?{QUERY}&format=xlsx", headers=headers).data)
    )
    row = next(r for r in table(book, "Sectors") if r["code"] == built["code"])
    assert (row["previous_coaching_hours"], row["previous_experts"]) == (2.0, 0)
    found = list(book["Totals"].iter_rows(min_row=2, values_only=True))
    totals = dict(zip(keyed(r[0] for r in found), (r[1:] for r in found), strict=True))
    assert totals["experts"][1] == 0  # the previous period's, beside this one's
