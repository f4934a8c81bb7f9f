"""Exchange rates per fiscal quarter and the totals converted at them, with figures worked
out by hand (docs/partners.md, "Exchange rates").

The data set is tests/partners/test_value_for_money.py's ``funded`` (sector A): coach X's
10,000 USD over 100 days (2025-01-01 … 2025-04-10, 100 USD a day) from AGY; coach A's
monthly euros from BNK, 1,000 in February and March 2025 and 900 in April; 6 acknowledged
hours in March (3 led), 2 led in February. The fiscal year starts in July (the default),
so January–March 2025 is FY 2024 Q3 ("FY 2024/25 Q3") and April–June FY 2024 Q4. The
reporting currency is USD.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from scbi import dates
from scbi.extensions import db
from scbi.partners import conversion, services
from scbi.partners.models import ExchangeRate
from scbi.programme.models import Sector
from scbi.reports.periods import Period, fiscal_quarter
from scbi.reports.value import value_for_money
from tests import factories
from tests.helpers import api_token, audit_actions, bearer, csrf_token, login
from tests.partners.test_value_for_money import PERIOD, _ids, funded  # noqa: F401

Q3, Q4 = (2024, 3), (2024, 4)


def _rate(quarter, currency: str, rate: str) -> None:
    services.create_rate(
        by=factories.admin(),
        fiscal_year=quarter[0],
        quarter=quarter[1],
        currency=currency,
        rate=rate,
    )
    db.session.commit()


def _vfm(app, world, period: Period, experts=(5, 3)) -> dict:
    with app.app_context():
        sector = db.session.get(Sector, world.a.sector_id)
        return value_for_money([sector], period, {sector.id: tuple(_ids(n) for n in experts)})


def test_fiscal_quarters_are_the_reports_own(app):
    for month in (1, 4, 7, 10):
        app.config["FISCAL_YEAR_START_MONTH"] = month
        with app.test_request_context():
            for year in (2024, 2025):
                for number in range(1, 5):
                    period = fiscal_quarter(year, number)
                    assert dates.fiscal_quarter_dates(year, number) == (period.start, period.end)
                    assert dates.fiscal_quarter_of(period.start) == (year, number)
                    assert dates.fiscal_quarter_of(period.end) == (year, number)
                    assert dates.fiscal_label(year, number) == period.label
    app.config["FISCAL_YEAR_START_MONTH"] = 7
    with app.app_context():
        assert conversion.pieces(date(2025, 3, 20), date(2025, 7, 2)) == [
            ((2024, 3), date(2025, 3, 20), date(2025, 3, 31)),
            ((2024, 4), date(2025, 4, 1), date(2025, 6, 30)),
            ((2025, 1), date(2025, 7, 1), date(2025, 7, 2)),
        ]


def test_a_quarters_costs_convert_at_its_rate(app, funded):  # noqa: F811
    with app.app_context():
        _rate(Q3, "EUR", "1.10")
    vfm = _vfm(app, funded, PERIOD)
    converted = vfm["converted"]
    # The period (1–30 March 2025, in FY 2024 Q3): 3,000 USD and 1,000 × 30 / 31 =
    # 967.7419… EUR; 967.7419… × 1.10 = 1,064.5161…, so 4,064.5161… USD. (Rounding the
    # euros to 967.74 first would give 4,064.51: amounts are rounded only when shown.)
    assert converted["currency"] == "USD"
    assert converted["period"] == {
        "ta_cost": "4064.52",
        "cost_per_expert": "2032.26",  # / 2 experts built
        "cost_per_ack_hour": "677.42",  # / 6 hours
        "cost_per_led_hour": "1354.84",  # / 3 led hours
    }
    # Cumulatively (to 30 March): 8,900 USD and 1,967.7419… EUR, all in FY 2024 Q3:
    # 8,900 + 2,164.5161… = 11,064.5161… over 5 experts, 8 hours, 5 led.
    assert converted["cumulative"] == {
        "ta_cost": "11064.52",
        "cost_per_expert": "2212.90",
        "cost_per_ack_hour": "1383.06",
        "cost_per_led_hour": "2212.90",
    }
    label = "FY 2024/25 Q3"
    assert converted["rates"] == [
        {
            "currency": "EUR",
            "fiscal_year": 2024,
            "quarter": 3,
            "label": label,
            "rate": "1.1",
            "in_period": True,
        }
    ]
    assert converted["missing"] == []
    # each currency is still shown apart, as before
    assert vfm["period"]["USD"]["ta_cost"] == "3000.00"
    assert vfm["period"]["EUR"]["ta_cost"] == "967.74"
    assert vfm["by_sector"][0]["converted"]["period"]["ta_cost"] == "4064.52"


def test_a_period_over_two_quarters_converts_quarter_by_quarter(app, funded):  # noqa: F811
    with app.app_context():
        _rate(Q3, "EUR", "1.10")
        _rate(Q4, "EUR", "1.20")
    vfm = _vfm(app, funded, Period(date(2025, 3, 1), date(2025, 4, 30), "March–April"))
    # USD: March's 31 days and April's 10 → 4,100. EUR: March's 1,000 at Q3's 1.10 = 1,100
    # and April's 900 at Q4's 1.20 = 1,080. Total 6,280 (at one rate it would be 6,190 or
    # 6,380).
    assert vfm["period"]["USD"]["ta_cost"] == "4100.00"
    assert vfm["period"]["EUR"]["ta_cost"] == "1900.00"
    assert vfm["converted"]["period"]["ta_cost"] == "6280.00"
    assert [(r["quarter"], r["rate"]) for r in vfm["converted"]["rates"]] == [
        (3, "1.1"),
        (4, "1.2"),
    ]


def test_a_missing_rate_is_named_and_gives_no_converted_total(app, client, funded):  # noqa: F811
    with app.app_context():
        _rate(Q3, "EUR", "1.10")  # Q4's is not entered
        vfm = _vfm(app, funded, fiscal_quarter(*Q4), experts=(5, 5))
    converted = vfm["converted"]
    assert converted["period"] is None and converted["cumulative"] is None
    assert converted["missing"] == [
        {
            "currency": "EUR",
            "fiscal_year": 2024,
            "quarter": 4,
            "label": "FY 2024/25 Q4",
            "in_period": True,
        }
    ]
    assert [r["quarter"] for r in converted["rates"]] == [3]  # the cumulative's Q3, used
    assert vfm["period"]["EUR"]["ta_cost"] == "900.00"  # each currency still apart
    assert vfm["by_partner"][1]["converted"]["period"] is None  # BNK's euros of Q4
    assert vfm["by_partner"][0]["converted"]["period"]["ta_cost"] == "1000.00"  # AGY's USD
    login(client, funded.secretariat)
    page = client.get(f"/reports/sectors/{funded.a.sector_id}?fy=2024&quarter=4").text
    assert "No exchange rate is entered for:" in page and "EUR, FY 2024/25 Q4" in page
    assert "no converted total: a rate is missing" in page


def test_the_rates_page_enters_changes_and_lists_the_missing_rates(app, client, funded):  # noqa: F811
    login(client, funded.secretariat)
    page = client.get("/partners/rates").text
    assert "Rates the reports still need" in page
    assert "EUR, FY 2024/25 Q3" in page and "EUR, FY 2024/25 Q4" in page
    token = csrf_token(client, "/partners/rates/new")
    form = {"csrf_token": token, "fiscal_year": "2024", "quarter": "3", "currency": "eur"}
    refused = client.post("/partners/rates/new", data=form | {"rate": "0"})
    assert refused.status_code == 422 and "A rate must be more than 0." in refused.text
    assert 'value="eur"' in refused.text  # the input is kept
    own = client.post("/partners/rates/new", data=form | {"currency": "USD", "rate": "1"})
    assert own.status_code == 422 and "USD is the reporting currency" in own.text
    unknown = client.post("/partners/rates/new", data=form | {"currency": "ZZZ", "rate": "1"})
    assert unknown.status_code == 422 and "Unknown currency" in unknown.text
    assert client.post("/partners/rates/new", data=form | {"rate": "1.10"}).status_code == 302
    again = client.post("/partners/rates/new", data=form | {"rate": "1.2"})
    assert again.status_code == 422 and "is already entered" in again.text
    page = client.get("/partners/rates").text
    assert "EUR, FY 2024/25 Q3" not in page and "EUR, FY 2024/25 Q4" in page
    assert "1.1" in page
    with app.app_context():
        rate = db.session.query(ExchangeRate).one()
        rate_id, version = rate.id, rate.version
    path = f"/partners/rates/{rate_id}/edit"
    changed = client.post(path, data={"csrf_token": token, "rate": "1.12", "version": version})
    assert changed.status_code == 302
    stale = client.post(path, data={"csrf_token": token, "rate": "1.13", "version": version})
    assert stale.status_code == 409
    with app.app_context():
        rate = db.session.get(ExchangeRate, rate_id)
        assert rate.rate == Decimal("1.12") and rate.version == version + 1
    assert [a for a in audit_actions(app) if a.startswith("exchange_rate.")] == [
        "exchange_rate.create",
        "exchange_rate.update",
    ]


def test_the_rates_api(app, client):
    world = factories.world(app)
    headers = bearer(api_token(client, world.secretariat))
    path = "/api/v1/exchange-rates/2025/3/eur"
    made = client.put(path, json={"rate": "1.0825"}, headers=headers)
    assert made.status_code == 201, made.json
    assert made.json | {"id": 0, "updated_at": "", "entered_by": {}} == {
        "id": 0,
        "fiscal_year": 2025,
        "quarter": 3,
        "period": {"start": "2026-01-01", "end": "2026-03-31", "label": "FY 2025/26 Q3"},
        "currency": "EUR",
        "reporting_currency": "USD",
        "rate": "1.0825",
        "entered_by": {},
        "updated_at": "",
        "version": 1,
    }
    assert made.json["entered_by"]["id"] == world.secretariat.id
    # another's rate entered meanwhile: a PUT without the version read is stale
    assert client.put(path, json={"rate": "1.09"}, headers=headers).status_code == 409
    changed = client.put(path, json={"rate": "1.09", "version": 1}, headers=headers)
    assert changed.status_code == 200 and changed.json["version"] == 2
    stale = client.put(path, json={"rate": "1.1", "version": 1}, headers=headers)
    assert stale.status_code == 409 and stale.json["error"]["code"] == "stale_version"
    for bad_path, body, field in (
        (path, {"rate": "-1", "version": 2}, "rate"),
        (path, {"rate": "0", "version": 2}, "rate"),
        (path, {"rate": "1.12345678901", "version": 2}, "rate"),
        (path, {"rate": "abc", "version": 2}, "rate"),
        ("/api/v1/exchange-rates/2025/3/USD", {"rate": "1"}, "currency"),
        ("/api/v1/exchange-rates/2025/3/XYZ", {"rate": "1"}, "currency"),
        ("/api/v1/exchange-rates/2025/5/EUR", {"rate": "1"}, "quarter"),
        ("/api/v1/exchange-rates/1999/1/EUR", {"rate": "1"}, "fiscal_year"),
    ):
        refused = client.put(bad_path, json=body, headers=headers)
        assert refused.status_code == 422, (bad_path, body, refused.json)
        assert set(refused.json["error"]["fields"]) == {field}, refused.json
    listed = client.get("/api/v1/exchange-rates", headers=headers).json
    assert listed["total"] == 1 and listed["items"][0]["rate"] == "1.09"
    assert client.get("/api/v1/exchange-rates?currency=RWF", headers=headers).json["total"] == 0
    coordinator = bearer(api_token(client, world.a.coordinator))
    assert client.get("/api/v1/exchange-rates", headers=coordinator).status_code == 403
    forbidden = client.put(path, json={"rate": "1.2", "version": 2}, headers=coordinator)
    assert forbidden.status_code == 403
    actions = [a for a in audit_actions(app) if a.startswith("exchange_rate.")]
    assert actions == ["exchange_rate.create", "exchange_rate.update"]


def test_a_rate_into_another_reporting_currency_is_not_used(app, funded):  # noqa: F811
    with app.app_context():
        _rate(Q3, "EUR", "1.10")
    app.config["REPORTING_CURRENCY"] = "EUR"
    try:
        vfm = _vfm(app, funded, PERIOD)
    finally:
        app.config["REPORTING_CURRENCY"] = "USD"
    # Into EUR, the USD costs need a USD rate; the EUR → USD rate is not one.
    assert vfm["converted"]["currency"] == "EUR" and vfm["converted"]["period"] is None
    assert [(m["currency"], m["quarter"]) for m in vfm["converted"]["missing"]] == [("USD", 3)]


def test_rates_keep_every_decimal_entered(app, funded):  # noqa: F811
    """A rate in the UNION's text column (never its money column, which is read to cents),
    and partners keep their names (the basis is read as text, not as the enum)."""
    with app.app_context():
        _rate(Q3, "EUR", "0.00123457")
    vfm = _vfm(app, funded, PERIOD)
    # 967.7419… × 0.00123457 = 1.1947451…: 3,001.19 USD with the 3,000 USD
    assert vfm["converted"]["period"]["ta_cost"] == "3001.19"
    assert vfm["converted"]["rates"][0]["rate"] == "0.00123457"
    assert [p["name"] for p in vfm["by_partner"]] == ["A bilateral agency", "A development bank"]
    with app.app_context():
        rate = db.session.query(ExchangeRate).one()
        services.update_rate(rate, by=factories.admin(), version=rate.version, rate="1.0825")
        db.session.commit()
    # 967.7419… × 1.0825 = 1,047.5806…: 4,047.58 USD
    assert _vfm(app, funded, PERIOD)["converted"]["period"]["ta_cost"] == "4047.58"
