"""Partners, contract funding and value for money, with figures computed by hand.

The data set (sector A of the test world):

- coach X: a contract of 100 days (2025-01-01 … 2025-04-10) funded by AGY with a total of
  10,000 USD, so 100 USD a day;
- coach A (the world's, contract 2025–2027): monthly amounts from BNK in EUR, 1,000 for
  February and March 2025 and 900 for April;
- coach B (sector B) funded by AGY with 5,000 USD (never in sector A's figures);
- pairing A's logs: 3 h led on 2025-03-10 and 3 h assisted on 2025-03-20 (both
  acknowledged), 2 h led on 2025-02-15 (acknowledged), 1 h led on 2025-03-25 (submitted,
  never acknowledged: not counted).

The period is 2025-03-01 … 2025-03-30 (30 days), with 2 experts built in it (5 experts at
its end, 3 before it).
"""

from __future__ import annotations

import html
import re
from datetime import date
from decimal import Decimal

import pytest

from scbi.coaches.models import Coach
from scbi.extensions import db
from scbi.partners import costs, services
from scbi.partners.models import Partner
from scbi.programme.models import Sector
from scbi.reports.periods import Period
from scbi.reports.value import value_for_money
from tests import factories
from tests.helpers import api_token, audit_actions, bearer, csrf_token, login

PERIOD = Period(date(2025, 3, 1), date(2025, 3, 30), "March 2025")


def _ids(n: int) -> list[int]:
    """``n`` experts no pairing knows (ids no mentee has): counted, attributed to no coach."""
    return list(range(-n, 0))


def _acknowledged_log(world, day: date, hours: int, role: str, *, acknowledge: bool = True):
    from scbi.auth.models import User
    from scbi.transfer.services import logs

    log = factories.draft_log(world, activity_date=day, hours=hours, mentee_role=role)
    logs.submit_log(log, by=db.session.get(User, world.a.coach_user.id))
    if acknowledge:
        logs.acknowledge_log(log, by=db.session.get(User, world.a.mentee_user.id))
    return log


@pytest.fixture
def funded(app):
    """The data set above; returns the world and the ids of the new records."""
    world = factories.world(app)
    with app.app_context():
        admin = factories.admin()
        agency = services.create_partner(by=admin, name="A bilateral agency", acronym="agy")
        bank = services.create_partner(by=admin, name="A development bank", acronym="BNK")
        x = factories.coach(
            world.a.sector_id,
            world.a.institution_id,
            contract_start=date(2025, 1, 1),
            contract_end=date(2025, 4, 10),
        )
        services.set_funding(
            x,
            [{"partner_id": agency.id, "currency": "USD", "basis": "total", "amount": "10000"}],
            by=admin,
            version=x.version,
        )
        coach_a = db.session.get(Coach, world.a.coach_id)
        months = [("2025-02", "1000"), ("2025-03", "1000.00"), ("2025-04", 900)]
        services.set_funding(
            coach_a,
            [
                {
                    "partner_id": bank.id,
                    "currency": "eur",
                    "basis": "monthly",
                    "months": [{"month": m, "amount": a} for m, a in months],
                }
            ],
            by=admin,
            version=coach_a.version,
        )
        coach_b = db.session.get(Coach, world.b.coach_id)
        services.set_funding(
            coach_b,
            [{"partner_id": agency.id, "currency": "USD", "basis": "total", "amount": 5000}],
            by=admin,
            version=coach_b.version,
        )
        _acknowledged_log(world, date(2025, 3, 10), 3, "led")
        _acknowledged_log(world, date(2025, 3, 20), 3, "assisted")
        _acknowledged_log(world, date(2025, 2, 15), 2, "led")
        _acknowledged_log(world, date(2025, 3, 25), 1, "led", acknowledge=False)
        db.session.commit()
        world.agency_id, world.bank_id, world.x_id = agency.id, bank.id, x.id
    return world


def test_cost_spreads_a_total_over_the_contracts_days_and_months_over_their_days(app, funded):
    with app.app_context():
        a = [funded.a.sector_id]
        # USD: 30 of the 100 days → 3,000. EUR: 30 of March's 31 days → 1,000 × 30 / 31.
        assert costs.ta_cost(a, PERIOD.start, PERIOD.end) == {
            "EUR": Decimal(1000) * 30 / 31,
            "USD": Decimal(3000),
        }
        # All sectors: coach B's 5,000 USD over 2025-01-01 … 2027-06-30 (911 days) adds
        # 5,000 × 30 / 911.
        everything = costs.ta_cost(None, PERIOD.start, PERIOD.end)
        assert everything["USD"] == Decimal(3000) + Decimal(5000) * 30 / 911
        # A whole contract costs its total; the months their sum.
        assert costs.ta_cost(a, date(2024, 1, 1), date(2028, 1, 1)) == {
            "EUR": Decimal(2900),
            "USD": Decimal(10000),
        }
        by_partner = costs.ta_cost_by_partner(a, PERIOD.start, PERIOD.end)
        assert by_partner == {
            "AGY": {"USD": Decimal(3000)},
            "BNK": {"EUR": Decimal(1000) * 30 / 31},
        }


def test_value_for_money_of_a_sector_by_hand(app, funded):
    with app.app_context():
        sector = db.session.get(Sector, funded.a.sector_id)
        vfm = value_for_money([sector], PERIOD, {sector.id: (_ids(5), _ids(3))})
    # Period: 2 experts built; 6 acknowledged hours, 3 of them led.
    assert vfm["experts"] == {"period": 2, "cumulative": 5}
    assert vfm["hours"]["period"] == {"acknowledged": 6.0, "led": 3.0}
    assert vfm["period"]["USD"] == {
        "ta_cost": "3000.00",
        "cost_per_expert": "1500.00",  # 3,000 / 2
        "cost_per_ack_hour": "500.00",  # 3,000 / 6
        "cost_per_led_hour": "1000.00",  # 3,000 / 3
    }
    assert vfm["period"]["EUR"] == {
        "ta_cost": "967.74",  # 1,000 × 30 / 31 = 967.7419…
        "cost_per_expert": "483.87",  # 967.7419… / 2
        "cost_per_ack_hour": "161.29",  # 5,000 / 31 = 161.290…
        "cost_per_led_hour": "322.58",  # 10,000 / 31 = 322.580…
    }
    # Cumulative (up to 2025-03-30): 89 contract days → 8,900 USD; February's 1,000 EUR
    # and March's 967.74…; 5 experts; 8 acknowledged hours, 5 led.
    assert vfm["hours"]["cumulative"] == {"acknowledged": 8.0, "led": 5.0}
    assert vfm["cumulative"]["USD"] == {
        "ta_cost": "8900.00",
        "cost_per_expert": "1780.00",
        "cost_per_ack_hour": "1112.50",
        "cost_per_led_hour": "1780.00",
    }
    assert vfm["cumulative"]["EUR"] == {
        "ta_cost": "1967.74",  # 1,000 + 967.7419…
        "cost_per_expert": "393.55",  # 1,967.7419… / 5 = 393.548…
        "cost_per_ack_hour": "245.97",  # / 8 = 245.967…
        "cost_per_led_hour": "393.55",
    }
    assert [(p["acronym"], p["period"], p["cumulative"]) for p in vfm["by_partner"]] == [
        ("AGY", {"USD": "3000.00"}, {"USD": "8900.00"}),
        ("BNK", {"EUR": "967.74"}, {"EUR": "1967.74"}),
    ]
    assert vfm["by_sector"][0]["period"] == vfm["period"]


def test_a_zero_denominator_gives_no_ratio(app, funded):
    with app.app_context():
        sector = db.session.get(Sector, funded.a.sector_id)
        vfm = value_for_money(
            [sector],
            Period(date(2025, 4, 1), date(2025, 4, 10), "x"),
            {sector.id: (_ids(3), _ids(3))},
        )
    # 10 days of coach X → 1,000 USD; no expert built, no hour logged in April.
    assert vfm["period"]["USD"] == {
        "ta_cost": "1000.00",
        "cost_per_expert": None,
        "cost_per_ack_hour": None,
        "cost_per_led_hour": None,
    }


def test_the_reports_carry_the_section(app, client, funded):
    headers = bearer(api_token(client, funded.secretariat))
    query = "from=2025-03-01&to=2025-03-30"
    report = client.get(f"/api/v1/reports/sectors/{funded.a.sector_id}?{query}", headers=headers)
    vfm = report.json["value_for_money"]
    assert vfm["period"]["USD"]["ta_cost"] == "3000.00"
    assert vfm["period"]["USD"]["cost_per_ack_hour"] == "500.00"
    assert vfm["period"]["USD"]["cost_per_expert"] is None  # the world builds no expert
    overview = client.get(f"/api/v1/reports/programme?{query}", headers=headers).json
    assert {s["sector_id"] for s in overview["value_for_money"]["by_sector"]} == {
        funded.a.sector_id,
        funded.b.sector_id,
    }
    login(client, funded.secretariat)
    page = client.get(f"/reports/sectors/{funded.a.sector_id}?{query}").text
    assert "Value for money" in page and "$3,000.00" in page and "€967.74" in page
    assert "Value for money" in client.get(f"/reports?{query}").text


def test_partner_api_refusals_and_audit(app, client):
    world = factories.world(app)
    headers = bearer(api_token(client, world.secretariat))
    made = client.post(
        "/api/v1/partners", json={"name": "Agency", "acronym": "agy"}, headers=headers
    )
    assert made.status_code == 201 and made.json["acronym"] == "AGY"
    partner = made.json
    again = client.post(
        "/api/v1/partners", json={"name": "Other", "acronym": "Agy"}, headers=headers
    )
    assert again.status_code == 422 and "acronym" in again.json["error"]["fields"]
    path = f"/api/v1/partners/{partner['id']}"
    stale = client.patch(path, json={"active": False, "version": 99}, headers=headers)
    assert stale.status_code == 409 and stale.json["error"]["code"] == "stale_version"
    ok = client.patch(path, json={"active": False, "version": partner["version"]}, headers=headers)
    assert ok.status_code == 200 and ok.json["active"] is False and ok.json["version"] == 2
    coordinator = bearer(api_token(client, world.a.coordinator))
    body = {"name": "X", "acronym": "X"}
    assert client.post("/api/v1/partners", json=body, headers=coordinator).status_code == 403
    assert client.get("/api/v1/partners", headers=coordinator).json["total"] == 1
    actions = [a for a in audit_actions(app) if a.startswith("partner.")]
    assert actions == ["partner.create", "partner.update"]


def test_funding_api_refusals_versions_and_audit(app, client):
    world = factories.world(app)
    headers = bearer(api_token(client, world.secretariat))
    partner = client.post(
        "/api/v1/partners", json={"name": "Bank", "acronym": "BNK"}, headers=headers
    ).json
    path = f"/api/v1/coaches/{world.a.coach_id}/funding"
    read = client.get(path, headers=headers).json
    assert read["items"] == []
    bad = {
        "version": read["version"],
        "items": [
            {"partner_id": partner["id"], "currency": "XYZ", "basis": "total", "amount": "-5"},
            {"partner_id": 999999, "currency": "USD", "basis": "total", "amount": "1.234"},
            {
                "partner_id": partner["id"],
                "currency": "RWF",
                "basis": "monthly",
                "months": [{"month": "2024-12", "amount": 1}, {"month": "2025-13", "amount": 1}],
            },
        ],
    }
    refused = client.put(path, json=bad, headers=headers)
    assert refused.status_code == 422
    fields = refused.json["error"]["fields"]
    assert set(fields) == {
        "items.0.currency",
        "items.0.amount",
        "items.1.partner_id",
        "items.1.amount",
        "items.2.months.0.month",  # before the contract
        "items.2.months.1.month",  # no such month
    }
    good = {
        "version": read["version"],
        "items": [
            {"partner_id": partner["id"], "currency": "usd", "basis": "total", "amount": 1000},
            {
                "partner_id": partner["id"],
                "currency": "RWF",
                "basis": "monthly",
                "months": [{"month": "2025-01", "amount": "500000"}],
            },
        ],
    }
    saved = client.put(path, json=good, headers=headers)
    assert saved.status_code == 200, saved.json
    assert saved.json["version"] == read["version"] + 1
    assert saved.json["items"][0] == {
        "partner_id": partner["id"],
        "currency": "USD",
        "basis": "total",
        "amount": "1000.00",
        "months": [],
    }
    assert saved.json["items"][1]["months"] == [{"month": "2025-01", "amount": "500000.00"}]
    assert client.put(path, json=good, headers=headers).status_code == 409  # the old version
    coordinator = bearer(api_token(client, world.a.coordinator))
    assert client.get(path, headers=coordinator).json["items"] == saved.json["items"]
    good["version"] = saved.json["version"]
    assert client.put(path, json=good, headers=coordinator).status_code == 403
    assert "coach.funding" in audit_actions(app)


def test_secretariat_pages_create_partners_and_fund_a_contract(app, client):
    world = factories.world(app)
    login(client, world.secretariat)
    token = csrf_token(client, "/partners/new")
    made = client.post(
        "/partners/new",
        data={"csrf_token": token, "name": "Agency", "acronym": "agy", "active": "y"},
    )
    assert made.status_code == 302
    with app.app_context():
        partner = db.session.query(Partner).one()
        version = db.session.get(Coach, world.a.coach_id).version
    assert "AGY" in client.get("/partners").text
    page = client.get(f"/coaches/{world.a.coach_id}")
    assert f"/coaches/{world.a.coach_id}/funding" in page.text
    path = f"/coaches/{world.a.coach_id}/funding"
    form = {"csrf_token": token, "partner_id": str(partner.id), "version": str(version)}
    refused = client.post(path, data=form | {"currency": "ZZZ", "basis": "total", "amount": "-1"})
    assert refused.status_code == 422
    assert "Unknown currency" in refused.text and "cannot be negative" in refused.text
    monthly = form | {"currency": "EUR", "basis": "monthly", "months": "2025-02 1000\n2025-03 1000"}
    assert client.post(path, data=monthly).status_code == 302
    listed = client.get(path).text
    assert "€1,000.00" in listed
    stale = client.post(path, data=form | {"currency": "USD", "basis": "total", "amount": "5"})
    assert stale.status_code == 409
    removed = client.post(
        f"{path}/0/remove", data={"csrf_token": token, "version": str(version + 1)}
    )
    assert removed.status_code == 302
    assert "No funding recorded" in client.get(path).text
    # a funding that is not there (a second tab removed it): not found, nothing changes
    gone = client.post(f"{path}/0/remove", data={"csrf_token": token, "version": str(version + 2)})
    assert gone.status_code == 404
    # the second tab itself, with the version it read: stale (409), not "not found"
    stale_gone = client.post(
        f"{path}/0/remove", data={"csrf_token": token, "version": str(version + 1)}
    )
    assert stale_gone.status_code == 409
    with app.app_context():
        assert db.session.get(Coach, world.a.coach_id).version == version + 2
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, world.a.coach_user)
    assert client.get(path).status_code == 403


def test_the_partner_pages_use_a_constant_number_of_statements(app, client, funded):
    from tests.helpers import QueryCounter

    login(client, funded.secretariat)
    paths = [
        "/partners",
        "/partners/rates",
        f"/coaches/{funded.a.coach_id}/funding",
        f"/coaches/{funded.x_id}/funding",
    ]
    counts = []
    for path in paths:
        with QueryCounter(app) as counter:
            assert client.get(path).status_code == 200
        counts.append(counter.count)
    assert max(counts) <= 15, counts
    assert counts[2] == counts[3]  # monthly amounts or a total: the same statements


def test_a_cost_opens_the_contracts_it_sums(app, client, funded):
    """Figures you can open: each cost of the value-for-money section links to the
    contracts behind it, and the list's total in that currency is the figure — by hand:
    coach X's 3,000 USD and coach A's 967.74 EUR in March, 8,900 USD and 1,967.74 EUR since
    the programme's start; one partner's, one sector's."""
    a, b = funded.a.sector_id, funded.b.sector_id
    query = "from=2025-03-01&to=2025-03-30"
    login(client, funded.secretariat)

    def totals(path: str, reader=client) -> dict[str, str]:
        response = reader.get(path)
        assert response.status_code == 200, path
        found = re.findall(r'data-currency="(\w+)" data-amount="([^"]+)"', response.text)
        return {
            currency: str(Decimal(amount).quantize(Decimal("0.01"))) for currency, amount in found
        }

    assert totals(f"/reports/costs?sector_id={a}&{query}") == {"EUR": "967.74", "USD": "3000.00"}
    assert totals(f"/reports/costs?sector_id={a}&{query}&span=cumulative") == {
        "EUR": "1967.74",
        "USD": "8900.00",
    }
    bank = f"/reports/costs?sector_id={a}&{query}&partner_id={funded.bank_id}"
    assert totals(bank) == {"EUR": "967.74"}
    assert totals(f"/reports/costs?sector_id={a}&{query}&currency=usd") == {"USD": "3000.00"}
    # both sectors: coach B's 5,000 USD over 911 days adds 164.65 in March
    both = f"/reports/costs?sector_id={a}&sector_id={b}&{query}&currency=USD"
    assert totals(both) == {"USD": "3164.65"}
    page = client.get(f"/reports/costs?sector_id={a}&{query}&span=cumulative").text
    assert "$8,900.00" in page and "AGY" in page and "Cost from the programme" in page

    # the report's costs link there (period, cumulative, by partner)
    report = client.get(f"/reports/sectors/{a}?{query}").text
    links = re.findall(r'data-value="([^"]+)" href="([^"]+)"', report)
    addresses = {html.unescape(href): value for value, href in links}
    assert {
        (value, "span=cumulative" in href, "partner_id" in href, "currency=USD" in href)
        for href, value in addresses.items()
        if "/reports/costs" in href
    } == {
        ("3000.00", False, False, True),
        ("8900.00", True, False, True),
        ("967.74", False, False, False),
        ("1967.74", True, False, False),
        ("3000.00", False, True, True),
        ("8900.00", True, True, True),
        ("967.74", False, True, False),
        ("1967.74", True, True, False),
    }
    for href, value in addresses.items():
        currency = "USD" if "currency=USD" in href else "EUR"
        assert totals(href)[currency] == value, href

    # refusals name the field; a coordinator of the other sector gets a 404
    bad = client.get(f"/reports/costs?sector_id={a}&currency=dollars&span=ever")
    assert bad.status_code == 422
    assert "currency" in bad.text and "span" in bad.text
    with app.test_client() as other:
        login(other, funded.b.coordinator)
        assert other.get(f"/reports/costs?sector_id={a}").status_code == 404
        assert totals(f"/reports/costs?{query}", other) == {"USD": "164.65"}  # their sector
