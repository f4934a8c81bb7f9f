"""Ratios by partner (docs/partners.md, "Ratios by partner"), the converted block in the API
and the value-for-money sheets of the workbooks, with figures worked out by hand.

The data set, sector A of the test world, FY 2024 Q3 (January–March 2025; the fiscal year
starts in July), reporting currency USD:

- coach A (the world's) is co-funded month by month: AGY 1,000 USD and BNK 500 EUR in each
  of January, February and March: 3,000 USD and 1,500 EUR in the quarter;
- coach X is co-funded in one currency: AGY 400 USD and CDF 200 USD a month: 1,200 and 600;
- pairing A (coach A): 4 h led on 10 February and 4 h assisted on 20 February, both
  acknowledged; pairing X (coach X, a mentee of its own): 2 h led on 5 March and 2 h
  observed on 12 March, acknowledged;
- the experts built in the quarter: mentee A and mentee X (none before it).

With the EUR rate of FY 2024 Q3 at 1.20, coach A costs 3,000 + 1,800 = 4,800 USD: AGY's
share 3,000 / 4,800 = 5/8, BNK's 3/8. Coach X costs 1,800 USD: AGY 2/3, CDF 1/3.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from scbi.auth.models import User
from scbi.coaches.models import Coach
from scbi.extensions import db
from scbi.mentees.models import Mentee
from scbi.partners import services
from scbi.programme.models import Phase, Sector
from scbi.reports.periods import fiscal_quarter
from scbi.reports.value import value_for_money
from tests import factories
from tests.helpers import api_token, bearer

QUARTER = (2024, 3)


def _monthly(partner_id: int, currency: str, amount: int) -> dict:
    months = ("2025-01", "2025-02", "2025-03")
    return {
        "partner_id": partner_id,
        "currency": currency,
        "basis": "monthly",
        "months": [{"month": m, "amount": amount} for m in months],
    }


def _log(world, pairing, coach_user_id, mentee_user_id, day, hours, role):
    from scbi.transfer.services import logs

    log = logs.create_log(
        pairing,
        by=db.session.get(User, coach_user_id),
        activity_date=day,
        activity_type="on_the_job",
        hours=hours,
        title="Work",
        mentee_role=role,
        competency_ids=[world.competency_id],
        off_plan_reason="" if pairing.id == world.a.pairing_id else "Before the plan",
    )
    logs.submit_log(log, by=db.session.get(User, coach_user_id))
    logs.acknowledge_log(log, by=db.session.get(User, mentee_user_id))


@pytest.fixture
def cofunded(app):
    world = factories.world(app)
    with app.app_context():
        from scbi.transfer.models import Pairing

        admin = factories.admin()
        agy = services.create_partner(by=admin, name="Agency", acronym="AGY")
        bnk = services.create_partner(by=admin, name="Bank", acronym="BNK")
        cdf = services.create_partner(by=admin, name="Fund", acronym="CDF")
        coach_a = db.session.get(Coach, world.a.coach_id)
        services.set_funding(
            coach_a,
            [_monthly(agy.id, "USD", 1000), _monthly(bnk.id, "EUR", 500)],
            by=admin,
            version=coach_a.version,
        )
        x = factories.coach(world.a.sector_id, world.a.institution_id)
        services.set_funding(
            x, [_monthly(agy.id, "USD", 400), _monthly(cdf.id, "USD", 200)], by=admin, version=1
        )
        mentee_x = factories.mentee(world.a.sector_id, world.a.institution_id)
        pairing_x = factories.pairing(x, mentee_x, db.session.get(Phase, world.phase_id))
        pairing_a = db.session.get(Pairing, world.a.pairing_id)
        a_users = (world.a.coach_user.id, world.a.mentee_user.id)
        _log(world, pairing_a, *a_users, date(2025, 2, 10), 4, "led")
        _log(world, pairing_a, *a_users, date(2025, 2, 20), 4, "assisted")
        x_users = (x.user_id, mentee_x.user_id)
        _log(world, pairing_x, *x_users, date(2025, 3, 5), 2, "led")
        _log(world, pairing_x, *x_users, date(2025, 3, 12), 2, "observed")
        db.session.commit()
        world.mentee_x_id, world.ids = mentee_x.id, (agy.id, bnk.id, cdf.id)
    return world


def _rate(rate="1.20"):
    services.create_rate(
        by=factories.admin(), fiscal_year=2024, quarter=3, currency="EUR", rate=rate
    )
    db.session.commit()


def _vfm(app, world) -> dict:
    with app.app_context():
        sector = db.session.get(Sector, world.a.sector_id)
        built = [world.a.mentee_id, world.mentee_x_id]
        return value_for_money([sector], fiscal_quarter(*QUARTER), {sector.id: (built, [])})


def _partners(vfm) -> dict:
    return {p["acronym"]: p for p in vfm["by_partner"]}


def test_partner_ratios_on_co_funded_coaches(app, cofunded):
    with app.app_context():
        _rate()
    vfm = _vfm(app, cofunded)
    found = _partners(vfm)
    # AGY: 5/8 of coach A and 2/3 of coach X. Experts 5/8 + 2/3 = 31/24; acknowledged
    # minutes 5/8 × 480 + 2/3 × 240 = 460; led 5/8 × 240 + 2/3 × 120 = 230. Its 4,200 USD:
    # 4,200 × 24 / 31 = 3,251.61 an expert, 4,200 × 60 / 460 = 547.83 an hour, 1,095.65
    # a led hour.
    assert found["AGY"]["period"] == {"USD": "4200.00"}
    assert found["AGY"]["ratios"]["period"]["USD"] == {
        "experts": 1.29,
        "acknowledged_hours": 7.67,
        "led_hours": 3.83,
        "cost_per_expert": "3251.61",
        "cost_per_ack_hour": "547.83",
        "cost_per_led_hour": "1095.65",
    }
    # BNK: 3/8 of coach A: 0.375 experts, 180 minutes, 90 led. 1,500 EUR → 4,000 an
    # expert, 500 an hour, 1,000 a led hour; converted, 1,800 USD → 4,800, 600, 1,200.
    assert found["BNK"]["ratios"]["period"]["EUR"] == {
        "experts": 0.38,
        "acknowledged_hours": 3.0,
        "led_hours": 1.5,
        "cost_per_expert": "4000.00",
        "cost_per_ack_hour": "500.00",
        "cost_per_led_hour": "1000.00",
    }
    assert found["BNK"]["converted"]["period"] == {
        "ta_cost": "1800.00",
        "experts": 0.38,
        "acknowledged_hours": 3.0,
        "led_hours": 1.5,
        "cost_per_expert": "4800.00",
        "cost_per_ack_hour": "600.00",
        "cost_per_led_hour": "1200.00",
    }
    # CDF: 1/3 of coach X: 1/3 expert, 80 minutes, 40 led; 600 USD → 1,800, 450, 900.
    assert found["CDF"]["ratios"]["period"]["USD"] == {
        "experts": 0.33,
        "acknowledged_hours": 1.33,
        "led_hours": 0.67,
        "cost_per_expert": "1800.00",
        "cost_per_ack_hour": "450.00",
        "cost_per_led_hour": "900.00",
    }
    # The sector: 4,800 USD and 1,500 EUR = 6,600 USD over 2 experts, 12 hours, 6 led.
    assert vfm["converted"]["period"] == {
        "ta_cost": "6600.00",
        "cost_per_expert": "3300.00",
        "cost_per_ack_hour": "550.00",
        "cost_per_led_hour": "1100.00",
    }
    # the partners' attributed figures add up to the sector's
    experts = sum(p["converted"]["period"]["experts"] for p in found.values())
    assert experts == pytest.approx(2, abs=0.01)


def test_without_the_rate_only_coaches_paid_in_one_currency_are_attributed(app, cofunded):
    vfm = _vfm(app, cofunded)
    found = _partners(vfm)
    unknown = dict.fromkeys(
        (
            "experts",
            "acknowledged_hours",
            "led_hours",
            "cost_per_expert",
            "cost_per_ack_hour",
            "cost_per_led_hour",
        )
    )
    # coach A is paid in USD and EUR: without a rate, AGY's and BNK's shares of it are
    # unknown, and so are their ratios (AGY also funds coach A)
    assert found["AGY"]["ratios"]["period"]["USD"] == unknown
    assert found["BNK"]["ratios"]["period"]["EUR"] == unknown
    assert found["BNK"]["converted"]["period"] is None
    # coach X is paid in USD only: CDF's third needs no rate
    assert found["CDF"]["ratios"]["period"]["USD"]["cost_per_expert"] == "1800.00"
    assert vfm["converted"]["period"] is None
    assert vfm["converted"]["missing"][0] | {"label": ""} == {
        "currency": "EUR",
        "fiscal_year": 2024,
        "quarter": 3,
        "label": "",
        "in_period": True,
    }


def test_the_api_and_the_workbooks_carry_the_converted_figures(app, client, cofunded):
    with app.app_context():
        _rate()
    headers = bearer(api_token(client, cofunded.secretariat))
    query = "fy=2024&quarter=3"
    path = f"/api/v1/reports/sectors/{cofunded.a.sector_id}?{query}"
    vfm = client.get(path, headers=headers).json["value_for_money"]
    # the shape of before, and the converted block beside it
    assert vfm["period"]["USD"]["ta_cost"] == "4800.00"
    assert vfm["period"]["EUR"]["ta_cost"] == "1500.00"
    assert vfm["converted"]["period"]["ta_cost"] == "6600.00"
    assert vfm["converted"]["period"]["cost_per_ack_hour"] == "550.00"  # 6,600 / 12 h
    assert vfm["converted"]["rates"][0]["rate"] == "1.2"
    book = load_workbook(BytesIO(client.get(f"{path}&format=xlsx", headers=headers).data))
    sheet = book["Value for money"]
    rows = list(sheet.iter_rows(min_row=2))
    by_key = {tuple(c.value for c in r[:5]): r for r in rows}
    converted = next(
        r
        for key, r in by_key.items()
        if key[0] == "all" and key[2] == "period" and key[4] == "converted"
    )
    assert converted[3].value == "USD"
    assert converted[5].value == 6600 and converted[5].number_format == '#,##0.00 "USD"'
    assert converted[7].value == 550  # per acknowledged hour
    assert converted[9].value == 0  # the world's report builds no expert: per expert —
    assert converted[6].value is None
    euros = next(
        r for key, r in by_key.items() if key[0] == "all" and key[2] == "period" and key[3] == "EUR"
    )
    assert euros[5].value == 1500 and euros[5].number_format == '#,##0.00 "EUR"'
    bnk = next(
        r
        for key, r in by_key.items()
        if key[:5] == ("partner", "BNK", "cumulative", "USD", "converted")
    )
    assert bnk[5].value == 1800 and isinstance(bnk[5].value, int | float)
    rates = list(book["Exchange rates"].iter_rows(min_row=2, values_only=True))
    assert rates == [("EUR", 2024, 3, "FY 2024/25 Q3", 1.2, "used", True)]
    pdf = client.get(f"{path}&format=pdf", headers=headers)
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    overview = client.get(f"/api/v1/reports/programme?{query}&format=xlsx", headers=headers)
    programme = load_workbook(BytesIO(overview.data))
    assert "Value for money" in programme.sheetnames


def test_a_publication_made_before_the_conversion_still_renders(app, client, cofunded):
    """A stored dict whose value for money has no ``converted`` nor ``ratios``."""
    from scbi.reports import exports

    with app.app_context():
        _rate()
        sector = db.session.get(Sector, cofunded.a.sector_id)
        vfm = value_for_money([sector], fiscal_quarter(*QUARTER), {sector.id: ([], [])})
    del vfm["converted"]
    for p in vfm["by_partner"]:
        del p["ratios"], p["converted"]
    for s in vfm["by_sector"]:
        del s["converted"]
    with app.test_request_context():
        html = exports.render_template("reports/_value_for_money.html", vfm=vfm)
        sheets = exports.value_sheets({"value_for_money": vfm}, "S")
    assert "4,800.00" in html and "All, in" not in html
    assert [title for title, _h, _r in sheets] == ["Value for money"]


def test_mentees_with_two_coaches_count_half_for_each(app, cofunded):
    with app.app_context():
        _rate()
        coach_x = db.session.scalar(
            db.select(Coach).where(
                Coach.id != cofunded.a.coach_id, Coach.sector_id == cofunded.a.sector_id
            )
        )
        from scbi.transfer.models import Pairing

        # mentee A is also paired with coach X (a second coach, from 1 February 2025)
        factories.pairing(
            coach_x,
            db.session.get(Mentee, cofunded.a.mentee_id),
            db.session.get(Phase, cofunded.phase_id),
        )
        db.session.commit()
        assert db.session.query(Pairing).count() == 4
    found = _partners(_vfm(app, cofunded))
    # mentee A: 1/2 to coach A, 1/2 to coach X; mentee X: 1 to coach X. So coach A holds
    # 1/2 expert and coach X 3/2. AGY: 5/8 × 1/2 + 2/3 × 3/2 = 5/16 + 1 = 1.3125.
    assert found["AGY"]["ratios"]["period"]["USD"]["experts"] == 1.31
    # 4,200 / 1.3125 = 3,200
    assert found["AGY"]["ratios"]["period"]["USD"]["cost_per_expert"] == "3200.00"
