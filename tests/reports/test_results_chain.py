"""The sector report's results chain (section 8), on a hand-built set with the figures
worked out by hand. The fiscal year starts in July; the report is FY 2025 Q1, July to
September 2025.

Sector A (the test world) has two priority results: R, "Universal access by 2029", and
R2, "Grid code revised". Pairing A's plan in force (approved 2025-02-10) has one item, the
world's competency C1; pairing A2 (a second mentee of the same coach) has items C1 and C2.

- R's indicators: *Households connected* from 10 (2025-01-01) to 30 (2026-12-31), actuals
  12 in FY 2024 Q4, 18 in FY 2025 Q1 and 22 in FY 2025 Q2: the latest at or before
  2025-09-30 is 18, (18 − 10) / (30 − 10) = 40 %. *Grid losses* from 20 down to 10, one
  actual 17.5 in FY 2024 Q4: (17.5 − 20) / (10 − 20) = 25 %.
- R2's indicator *Mini-grids licensed*, 0 → 12, has no actual: none, no progress.
- Logs naming R, pairing A, on C1: acknowledged 90 min (07-10), verified 60 min (08-05),
  acknowledged 30 min (09-20) → 3.0 h, 3 logs, 1 plan item (A's C1). Not counted: a draft
  of 120 min (08-10), a submitted log never acknowledged (08-12), an acknowledged 240 min
  on 10-02 (FY 2025 Q2), and an acknowledged 120 min naming no result (08-15).
- A log naming R2, pairing A2, on C2 only: acknowledged 60 min (08-20) → 1.0 h, 1 log, 1
  plan item (A2's C2, not its C1).
- Sector B's result with a log naming it: never in sector A's report.

In FY 2025 Q2 R has the 240 min log (4.0 h, 1 log, 1 plan item) and *Households connected*
is at 22: (22 − 10) / 20 = 60 %.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from scbi.auth.models import User
from scbi.extensions import db
from scbi.programme import indicators, services
from scbi.programme.models import PriorityResult
from scbi.reports import exports
from scbi.reports.differences import differences
from scbi.transfer.models import Pairing, TransferPlan
from scbi.transfer.services import logs
from tests import factories as f
from tests.helpers import QueryCounter, api_token, bearer, login
from tests.reports.test_report_outputs import pdf_text

Q1 = "fy=2025&quarter=1"
Q2 = "fy=2025&quarter=2"


def _log(pairing, coach, mentee, day, minutes, *, result=None, competency, to="acknowledged"):
    log = logs.create_log(
        pairing,
        by=coach,
        activity_date=day,
        activity_type="on_the_job",
        hours=minutes / 60,
        title=f"Work of {day.isoformat()}",
        mentee_role="co_led",
        competency_ids=[competency],
        priority_result_id=result,
    )
    if to == "draft":
        return log
    logs.submit_log(log, by=coach)
    if to in ("acknowledged", "verified"):
        logs.acknowledge_log(log, by=mentee)
    if to == "verified":
        logs.verify_log(log, by=f.admin())
    return log


@pytest.fixture
def chain(app):
    world = f.world(app)
    with app.app_context():
        admin = f.admin()
        r = db.session.get(PriorityResult, world.result_id)
        r2 = services.create_priority_result(
            by=admin,
            sector_id=world.a.sector_id,
            title="Grid code revised",
            due_date=date(2027, 6, 30),
        )
        rb = services.create_priority_result(
            by=admin, sector_id=world.b.sector_id, title="Seed system", due_date=date(2027, 6, 30)
        )
        households = indicators.create_indicator(
            r,
            by=admin,
            name="Households connected",
            unit="%",
            baseline_value="10",
            baseline_date=date(2025, 1, 1),
            target_value="30",
            target_date=date(2026, 12, 31),
        )
        for year, quarter, value in ((2024, 4, "12"), (2025, 1, "18"), (2025, 2, "22")):
            indicators.record_value(
                households, by=admin, fiscal_year=year, quarter=quarter, value=value, source="EUCL"
            )
        losses = indicators.create_indicator(
            r,
            by=admin,
            name="Grid losses",
            unit="%",
            baseline_value="20",
            baseline_date=date(2025, 1, 1),
            target_value="10",
            target_date=date(2027, 6, 30),
        )
        indicators.record_value(
            losses, by=admin, fiscal_year=2024, quarter=4, value="17.5", source="REG"
        )
        indicators.create_indicator(
            r2,
            by=admin,
            name="Mini-grids licensed",
            unit="licences",
            baseline_value="0",
            baseline_date=date(2025, 7, 1),
            target_value="12",
            target_date=date(2026, 6, 30),
        )
        pairing_a = db.session.get(Pairing, world.a.pairing_id)
        coach = db.session.get(User, world.a.coach_user.id)
        mentee = db.session.get(User, world.a.mentee_user.id)
        [c2] = f.competencies(world.a.sector_id, 1)
        mentee2 = f.mentee(world.a.sector_id, world.a.institution_id)
        pairing_a2 = f.pairing(pairing_a.coach, mentee2, pairing_a.phase)
        f.approved_plan(pairing_a2, [db.session.get(type(c2), world.competency_id), c2])
        for plan in db.session.scalars(select(TransferPlan)):  # in force since February 2025
            plan.decided_at = datetime(2025, 2, 10, 12, tzinfo=UTC)
        c1 = world.competency_id
        _log(pairing_a, coach, mentee, date(2025, 7, 10), 90, result=r.id, competency=c1)
        _log(
            pairing_a,
            coach,
            mentee,
            date(2025, 8, 5),
            60,
            result=r.id,
            competency=c1,
            to="verified",
        )
        _log(pairing_a, coach, mentee, date(2025, 9, 20), 30, result=r.id, competency=c1)
        _log(
            pairing_a, coach, mentee, date(2025, 8, 10), 120, result=r.id, competency=c1, to="draft"
        )
        _log(
            pairing_a,
            coach,
            mentee,
            date(2025, 8, 12),
            60,
            result=r.id,
            competency=c1,
            to="submitted",
        )
        _log(pairing_a, coach, mentee, date(2025, 10, 2), 240, result=r.id, competency=c1)
        _log(pairing_a, coach, mentee, date(2025, 8, 15), 120, competency=c1)
        _log(pairing_a2, coach, mentee2.user, date(2025, 8, 20), 60, result=r2.id, competency=c2.id)
        b_pairing = db.session.get(Pairing, world.b.pairing_id)
        [cb] = f.competencies(world.b.sector_id, 1)
        f.approved_plan(b_pairing, [cb])
        _log(
            b_pairing,
            db.session.get(User, world.b.coach_user.id),
            db.session.get(User, world.b.mentee_user.id),
            date(2025, 8, 1),
            180,
            result=rb.id,
            competency=cb.id,
        )
        db.session.commit()
        world.r2_id, world.rb_id = r2.id, rb.id
    return world


def _report(client, world, query=Q1, **kwargs):
    headers = bearer(api_token(client, world.secretariat))
    path = f"/api/v1/reports/sectors/{world.a.sector_id}?{query}"
    return client.get(path, headers=headers, **kwargs)


def test_each_result_has_its_status_indicators_hours_and_plan_items(app, client, chain):
    section = _report(client, chain).json["priority_results"]
    results = {r["title"]: r for r in section["results"]}
    assert set(results) == {"Universal access by 2029", "Grid code revised"}  # not sector B's
    r, r2 = results["Universal access by 2029"], results["Grid code revised"]
    assert (r["status"], r["hours"], r["logs"], r["plan_items"]) == ("not_started", 3.0, 3, 1)
    assert (r2["hours"], r2["logs"], r2["plan_items"]) == (1.0, 1, 1)
    households, losses = r["indicators"]
    assert households == {
        "id": households["id"],
        "name": "Households connected",
        "unit": "%",
        "baseline_value": "10",
        "baseline_date": "2025-01-01",
        "target_value": "30",
        "target_date": "2026-12-31",
        "latest_value": "18",
        "latest_period": "FY 2025/26 Q1",
        "latest_fiscal_year": 2025,
        "latest_quarter": 1,
        "latest_period_end": "2025-09-30",
        "progress": 0.4,
    }
    assert (losses["latest_value"], losses["latest_period"], losses["progress"]) == (
        "17.5",
        "FY 2024/25 Q4",
        0.25,
    )
    [licensed] = r2["indicators"]
    assert (licensed["latest_value"], licensed["latest_period"], licensed["progress"]) == (
        None,
        None,
        None,
    )
    assert section["by_status"]["not_started"] == 2


def test_the_next_quarter_reads_its_own_logs_and_latest_actual(app, client, chain):
    results = {
        r["title"]: r for r in _report(client, chain, Q2).json["priority_results"]["results"]
    }
    r = results["Universal access by 2029"]
    assert (r["hours"], r["logs"], r["plan_items"]) == (4.0, 1, 1)
    households = r["indicators"][0]
    assert (households["latest_value"], households["progress"]) == ("22", 0.6)
    r2 = results["Grid code revised"]
    assert (r2["hours"], r2["logs"], r2["plan_items"]) == (0.0, 0, 0)


def test_the_page_the_pdf_and_the_workbook_show_the_same_figures(app, client, chain):
    api = _report(client, chain).json
    login(client, chain.secretariat)
    page = client.get(f"/reports/sectors/{chain.a.sector_id}?{Q1}").text
    with app.test_request_context():
        printed = pdf_text(exports.sector_html(api))
    for text in (page, printed):
        flat = re.sub(r"\s+", " ", text)
        assert "Indicators against target" in flat
        assert "Households connected" in flat and "40 %" in flat and "25 %" in flat
        assert "FY 2025/26 Q1" in flat and "17.5" in flat
        assert "plan items served" in flat
    cell = r'<td class="text-end"><a class="figure-link" [^>]+>{}</a></td>'  # opens its list
    cells = "".join(cell.format(n) for n in (3, 3, 1))
    assert re.search(rf"Universal access by 2029</td>.*?{cells}", page, re.S)
    book = load_workbook(BytesIO(_report(client, chain, f"{Q1}&format=xlsx").data))
    header = [c.value for c in book["8 Priority results"][1]]
    rows = {
        r[1]: dict(zip(header, r, strict=True))
        for r in book["8 Priority results"].iter_rows(min_row=2, values_only=True)
    }
    universal = rows["Universal access by 2029"]
    assert (universal["Hours"], universal["Logs"], universal["Plan items served"]) == (3, 3, 1)
    header = [c.value for c in book["8 Result indicators"][1]]
    indicators_ = [
        dict(zip(header, r, strict=True))
        for r in book["8 Result indicators"].iter_rows(min_row=2, values_only=True)
    ]
    households = next(i for i in indicators_ if i["Name"] == "Households connected")
    assert (households["Baseline"], households["Latest actual"], households["Target"]) == (
        10,
        18,
        30,
    )
    assert households["Progress towards the target"] == 0.4
    assert isinstance(households["Latest actual"], int | float)  # numbers stored as numbers


def test_a_publication_made_before_the_results_chain_still_renders(app, chain, client):
    report = _report(client, chain).json
    older = {**report, "priority_results": {**report["priority_results"]}}
    older["priority_results"]["results"] = [
        {k: v for k, v in r.items() if k not in ("hours", "logs", "plan_items", "indicators")}
        for r in report["priority_results"]["results"]
    ]
    with app.test_request_context("/"):
        html = exports.sector_html(older)
        book = load_workbook(BytesIO(exports.sector_xlsx(older)))
        changed = differences(older, report)
    assert "Universal access by 2029" in html and "Indicators against target" not in html
    assert "8 Result indicators" not in book.sheetnames
    assert changed == []  # figures one release added are no change in the figures


def test_a_corrected_actual_after_publication_is_a_named_difference(app, client, chain):
    report = _report(client, chain).json
    with app.app_context():
        from scbi.programme.models import Indicator

        households = db.session.scalar(
            select(Indicator).where(Indicator.name == "Households connected")
        )
        value = next(v for v in households.values if (v.fiscal_year, v.quarter) == (2025, 1))
        indicators.record_value(
            households,
            by=f.admin(),
            fiscal_year=2025,
            quarter=1,
            value="20",
            source="EUCL",
            version=value.version,
        )
        db.session.commit()
    now = _report(client, chain).json
    with app.test_request_context("/"):
        changed = {d["label"]: (d["published"], d["now"]) for d in differences(report, now)}
    named = "Priority results › Universal access by 2029 › Households connected"
    assert changed == {
        f"{named} › Latest actual": ("18", "20"),
        f"{named} › Progress towards the target": (0.4, 0.5),
    }


def test_indicators_add_no_statement_to_the_report(app, client, chain):
    """One statement reads results, indicators, latest actuals, hours and plan items: the
    same number with none of them and with many more."""
    login(client, chain.secretariat)
    path = f"/reports/sectors/{chain.a.sector_id}?{Q1}"
    client.get(path)

    def count():
        with QueryCounter(app) as counter:
            assert client.get(path).status_code == 200
        return counter.count

    before = count()
    with app.app_context():
        admin = f.admin()
        for n in range(4):
            result = services.create_priority_result(
                by=admin,
                sector_id=chain.a.sector_id,
                title=f"Result {n}",
                due_date=date(2027, 1, 1),
            )
            for k in range(3):
                made = indicators.create_indicator(
                    result,
                    by=admin,
                    name=f"Indicator {k}",
                    unit="%",
                    baseline_value="1",
                    baseline_date=date(2025, 1, 1),
                    target_value="2",
                    target_date=date(2026, 1, 1),
                )
                for year, quarter in ((2024, 4), (2025, 1), (2025, 2)):
                    indicators.record_value(
                        made, by=admin, fiscal_year=year, quarter=quarter, value="1.5", source="x"
                    )
        db.session.commit()
    assert count() == before <= 15
