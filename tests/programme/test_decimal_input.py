"""Numbers typed in the reader's language (scbi.forms.read_decimal and DecimalTextField):
the indicator forms, the funding form and the exchange-rate forms read the locale's
decimal separator and show values back the same way; the API keeps JSON's dot.

The locales are Babel's (CLDR) for the programme's territory: in Rwanda Kinyarwanda
writes 12,5 (and 1.500,25), English 12.5 — and so does French in Rwanda (fr_RW); French
in a francophone territory (fr_SN) writes 12,5 and groups with a space. A separator that
does not fit the locale is refused, never guessed (12,5 in English is not 125)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from flask_babel import force_locale
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from scbi.auth.models import User
from scbi.coaches.models import Coach
from scbi.extensions import db
from scbi.forms import read_decimal, shown_decimal
from scbi.partners.models import ExchangeRate
from scbi.partners.services import create_partner
from scbi.programme.models import Indicator, IndicatorValue
from tests import factories
from tests.helpers import api_token, bearer, login, post_form


@pytest.mark.parametrize(
    ("locale", "typed", "read"),
    [
        ("rw_RW", "12,5", "12.5"),
        ("rw_RW", "1.500,25", "1500.25"),
        ("rw_RW", " -3,25 ", "-3.25"),
        ("rw_RW", "0,00077", "0.00077"),
        ("rw_RW", "12.5", None),  # 125 or 12,5? refused
        ("en_RW", "12.5", "12.5"),
        ("en_RW", "1,500.5", "1500.5"),
        ("en_RW", "12,5", None),
        ("fr_RW", "12.5", "12.5"),
        ("fr_RW", "12,5", None),
        ("fr_SN", "12,5", "12.5"),
        ("fr_SN", "1 500,5", "1500.5"),  # a plain space for the narrow one
        ("fr_SN", "1\u202f500,5", "1500.5"),
        ("en_RW", "1e5", None),
        ("en_RW", "NaN", None),
        ("en_RW", "Infinity", None),
        ("en_RW", "twelve", None),
        ("en_RW", "", None),
        ("en_RW", "1" * 41, None),
    ],
)
def test_a_number_is_read_in_the_locale_or_not_at_all(app, locale, typed, read):
    with app.test_request_context(), force_locale(locale):
        found = read_decimal(typed)
    assert found == (None if read is None else Decimal(read))


def test_a_value_is_shown_as_the_reader_writes_it(app):
    with app.test_request_context():
        for locale, value, shown in (
            ("rw_RW", Decimal("1500.2500"), "1500,25"),
            ("en_RW", Decimal("1500.2500"), "1500.25"),
            ("rw_RW", Decimal("0.00077"), "0,00077"),
            ("fr_SN", "30", "30"),
            ("fr_SN", Decimal("-2.5"), "-2,5"),
        ):
            with force_locale(locale):
                assert shown_decimal(value) == shown
                assert read_decimal(shown) == Decimal(str(value))  # and read back


@settings(max_examples=200, deadline=None)
@given(
    value=st.decimals(
        min_value=Decimal("-99999999999.9999"),
        max_value=Decimal("99999999999.9999"),
        places=4,
        allow_nan=False,
        allow_infinity=False,
    ),
    locale=st.sampled_from(["en_RW", "fr_RW", "rw_RW", "fr_SN"]),
)
def test_whatever_is_shown_reads_back_as_the_same_number(app, value, locale):
    with app.test_request_context(), force_locale(locale):
        assert read_decimal(shown_decimal(value)) == value


@pytest.fixture
def world(app):
    return factories.world(app)


def _speaks(app, person, language: str) -> None:
    with app.app_context():
        db.session.get(User, person.id).language = language
        db.session.commit()


def test_the_indicator_forms_read_and_show_decimal_commas(app, client, world):
    _speaks(app, world.a.coordinator, "rw")
    login(client, world.a.coordinator)
    path = f"/priority-results/{world.result_id}/indicators/new"
    form = {
        "name": "Households connected",
        "unit": "%",
        "baseline_value": "12,5",
        "baseline_date": "2025-01-01",
        "target_value": "1.030,75",
        "target_date": "2026-12-31",
    }
    refused = post_form(client, path, form | {"baseline_value": "12.5"})
    assert refused.status_code == 422
    assert "12,5." in refused.text  # the example, as a Kinyarwanda reader writes it
    assert 'value="12.5"' in refused.text  # the input is kept as typed
    assert post_form(client, path, form).status_code == 302
    with app.app_context():
        made = db.session.scalars(select(Indicator)).one()
        assert (made.baseline_value, made.target_value) == (Decimal("12.5"), Decimal("1030.75"))
        made_id = made.id
    edit = client.get(f"/indicators/{made_id}/edit").text
    assert 'value="12,5"' in edit and 'value="1030,75"' in edit
    values = f"/indicators/{made_id}/values"
    entered = {"fiscal_year": "2025", "quarter": "1", "value": "18,25", "source": "EUCL"}
    assert post_form(client, values, entered).status_code == 302
    with app.app_context():
        assert db.session.scalars(select(IndicatorValue.value)).one() == Decimal("18.25")
    assert 'value="18,25"' in client.get(f"{values}?fy=2025&quarter=1").text
    _speaks(app, world.a.coordinator, "en")
    assert 'value="12.5"' in client.get(f"/indicators/{made_id}/edit").text


def test_french_follows_the_territory(app, client, world):
    """fr_RW writes a dot (CLDR); in Senegal (SCBI_TERRITORY=SN) French writes a comma."""
    _speaks(app, world.a.coordinator, "fr")
    login(client, world.a.coordinator)
    path = f"/priority-results/{world.result_id}/indicators/new"
    form = {
        "name": "Grid losses",
        "unit": "%",
        "baseline_value": "20,5",
        "baseline_date": "2025-01-01",
        "target_value": "10",
        "target_date": "2026-12-31",
    }
    assert post_form(client, path, form).status_code == 422  # 20,5 is not a number in fr_RW
    app.config["TERRITORY"] = "SN"
    try:
        assert post_form(client, path, form | {"baseline_value": "1 020,5"}).status_code == 302
    finally:
        app.config["TERRITORY"] = "RW"
    with app.app_context():
        assert db.session.scalars(select(Indicator.baseline_value)).one() == Decimal("1020.5")


def test_the_api_keeps_the_dot_whatever_the_language(app, client, world):
    with app.app_context():
        made, _value = factories.indicator(world.result_id)
        db.session.commit()
        made_id = made.id
    headers = bearer(api_token(client, world.secretariat)) | {"Accept-Language": "rw"}
    path = f"/api/v1/indicators/{made_id}/values/2025/2"
    comma = client.put(path, json={"value": "12,5", "source": "x"}, headers=headers)
    assert comma.status_code == 422 and list(comma.json["error"]["fields"]) == ["value"]
    dot = client.put(path, json={"value": "12.5", "source": "x"}, headers=headers)
    assert dot.status_code == 201 and dot.json["value"] == "12.5"


def test_the_funding_and_rate_forms_read_decimal_commas(app, client, world):
    with app.app_context():
        partner = create_partner(by=factories.admin(), name="Agency", acronym="AGY")
        db.session.commit()
        partner_id = partner.id
        version = db.session.get(Coach, world.a.coach_id).version
    _speaks(app, world.secretariat, "rw")
    login(client, world.secretariat)
    path = f"/coaches/{world.a.coach_id}/funding"
    form = {"partner_id": str(partner_id), "version": str(version), "currency": "EUR"}
    refused = post_form(client, path, form | {"basis": "total", "amount": "1500.50"})
    assert refused.status_code == 422 and "1500,5." in refused.text
    total = form | {"basis": "total", "amount": "1.500,50"}
    assert post_form(client, path, total).status_code == 302
    monthly = form | {
        "version": str(version + 1),
        "basis": "monthly",
        "months": "2025-02 1000,25\n2025-03 999",
    }
    assert post_form(client, path, monthly).status_code == 302
    with app.app_context():
        from scbi.partners.queries import fundings_of

        total_funding, monthly_funding = fundings_of(world.a.coach_id)
        assert total_funding.amount == Decimal("1500.50")
        assert [m.amount for m in monthly_funding.months] == [Decimal("1000.25"), Decimal("999")]
    rate = {"fiscal_year": "2024", "quarter": "3", "currency": "EUR", "rate": "1,0825"}
    assert post_form(client, "/partners/rates/new", rate).status_code == 302
    with app.app_context():
        found = db.session.scalars(select(ExchangeRate)).one()
        assert found.rate == Decimal("1.0825")
        rate_id = found.id
    edit = client.get(f"/partners/rates/{rate_id}/edit").text
    assert 'value="1,0825"' in edit


def test_a_date_is_no_decimal(app):
    """The field reads numbers only: a date typed in it is refused."""
    with app.test_request_context(), force_locale("en_RW"):
        assert read_decimal(date(2025, 1, 1).isoformat()) is None
