"""Indicators of priority results and their actual values (issue 18 item 4, the results
chain): the rules, who may do what, and the pages.

Figures by hand, with the fiscal year starting in July (FY 2025 Q1 is July–September
2025): an indicator from 10 on 2025-01-01 to 30 on 2026-12-31 whose actual is 18 is
(18 − 10) / (30 − 10) = 8 / 20 = 40 % of the way; one from 20 down to 10 whose actual is
17.5 is (17.5 − 20) / (10 − 20) = 25 %.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from scbi.audit import AuditEvent
from scbi.auth.models import User
from scbi.errors import Conflict, NotAllowed, TooLarge, ValidationFailed
from scbi.extensions import db
from scbi.programme import indicators
from scbi.programme.models import Indicator, IndicatorValue, PriorityResult
from tests import factories
from tests.helpers import login, post_form

BASE = {
    "name": "Households connected",
    "unit": "%",
    "baseline_value": "10",
    "baseline_date": date(2025, 1, 1),
    "target_value": "30",
    "target_date": date(2026, 12, 31),
}
PDF = b"%PDF-1.4 connections register"


@pytest.fixture
def world(app):
    return factories.world(app)


def _result(world):
    return db.session.get(PriorityResult, world.result_id)


def _user(person):
    return db.session.get(User, person.id)


def _refusal(call) -> dict:
    with pytest.raises(ValidationFailed) as caught:
        call()
    return caught.value.fields


def test_an_actual_is_a_share_of_the_way_from_the_baseline_to_the_target(app, world):
    with app.app_context():
        made = indicators.create_indicator(_result(world), by=_user(world.a.coordinator), **BASE)
        value, new = indicators.record_value(
            made,
            by=_user(world.a.coordinator),
            fiscal_year=2025,
            quarter=1,
            value="18",
            source="EUCL connections register",
        )
        assert new and (value.period_start, value.period_end) == (
            date(2025, 7, 1),
            date(2025, 9, 30),
        )
        assert value.period_label == "FY 2025/26 Q1"
        assert made.progress == Decimal("0.4")
        losses = indicators.create_indicator(
            _result(world),
            by=factories.admin(),
            **(BASE | {"name": "Grid losses", "baseline_value": "20", "target_value": "10"}),
        )
        indicators.record_value(
            losses, by=factories.admin(), fiscal_year=2024, quarter=4, value="17.5", source="REG"
        )
        assert losses.progress == Decimal("0.25")
        db.session.commit()
        assert db.session.get(Indicator, made.id).baseline_value == Decimal("10")
        assert db.session.get(IndicatorValue, value.id).value == Decimal("18")
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-4:] == [
        "indicator.create",
        "indicator_value.create",
        "indicator.create",
        "indicator_value.create",
    ]


def test_the_fiscal_year_setting_names_the_quarter(app, world):
    """With a January start, FY 2025 Q1 is January–March 2025 (the reports' quarters)."""
    with app.app_context():
        made = indicators.create_indicator(_result(world), by=factories.admin(), **BASE)
        app.config["FISCAL_YEAR_START_MONTH"] = 1
        try:
            value, _new = indicators.record_value(
                made, by=factories.admin(), fiscal_year=2025, quarter=1, value="11", source="x"
            )
            assert (value.period_start, value.period_end) == (date(2025, 1, 1), date(2025, 3, 31))
            assert value.period_label == "FY 2025 Q1"
        finally:
            app.config["FISCAL_YEAR_START_MONTH"] = 7
        db.session.rollback()


def test_a_correction_replaces_the_quarters_value_under_its_version(app, world):
    with app.app_context():
        made, value = factories.indicator(world.result_id)
        db.session.commit()
        read = value.version
        # a second "new" value for the quarter is a stale write: 409, nothing changes
        with pytest.raises(Conflict):
            indicators.record_value(
                made, by=factories.admin(), fiscal_year=2025, quarter=1, value="19", source="x"
            )
        with pytest.raises(Conflict):
            indicators.record_value(
                made,
                by=factories.admin(),
                fiscal_year=2025,
                quarter=1,
                value="19",
                source="x",
                version=read + 1,
            )
        corrected, new = indicators.record_value(
            made,
            by=factories.admin(),
            fiscal_year=2025,
            quarter=1,
            value="19.25",
            source="EUCL register, corrected",
            version=read,
        )
        db.session.commit()
        assert not new and corrected.id == value.id and corrected.version == read + 1
        assert db.session.get(IndicatorValue, value.id).value == Decimal("19.25")
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "indicator_value.update")
        ).one()
    assert Decimal(event.before["value"]) == 18 and Decimal(event.after["value"]) == Decimal(
        "19.25"
    )
    assert event.after["source"] == "EUCL register, corrected"


def test_refusals_name_the_field(app, world):
    with app.app_context():
        result, by = _result(world), factories.admin()

        def create(**changes):
            return lambda: indicators.create_indicator(result, by=by, **(BASE | changes))

        assert "target_date" in _refusal(create(target_date=date(2024, 12, 31)))
        assert "target_value" in _refusal(create(target_value="10.0"))
        assert "baseline_value" in _refusal(create(baseline_value="12.34567"))
        assert "baseline_value" in _refusal(create(baseline_value="100000000000"))
        assert "baseline_value" in _refusal(create(baseline_value="ten"))
        assert "target_value" in _refusal(create(target_value=30.5))  # a float is not exact
        assert set(_refusal(create(name=" ", unit=""))) == {"name", "unit"}
        indicators.create_indicator(result, by=by, **BASE)
        assert "name" in _refusal(create(name="HOUSEHOLDS connected"))
        made = db.session.scalars(select(Indicator)).one()

        def record(**changes):
            values = {"fiscal_year": 2025, "quarter": 1, "value": "18", "source": "x"} | changes
            return lambda: indicators.record_value(made, by=by, **values)

        assert "quarter" in _refusal(record(fiscal_year=2099))  # has not started yet
        assert "quarter" in _refusal(record(fiscal_year=2024, quarter=1))  # before the baseline
        assert "fiscal_year" in _refusal(record(fiscal_year=1800))
        assert "quarter" in _refusal(record(quarter=5))
        assert "source" in _refusal(record(source="  "))
        assert "value" in _refusal(record(value=""))
        evidence = record(evidence=(io.BytesIO(b"MZ\x90\x00"), "tool.exe"))
        assert "evidence" in _refusal(evidence)
        evidence = record(evidence=(io.BytesIO(b"just text"), "register.pdf"))
        assert "evidence" in _refusal(evidence)  # the content is not what the name says
        db.session.rollback()
        assert db.session.scalar(select(IndicatorValue.id)) is None


def test_a_file_over_the_limit_is_413(app, world, monkeypatch):
    from scbi import files

    monkeypatch.setattr(files, "MAX_BYTES", 10)
    with app.app_context():
        made = indicators.create_indicator(_result(world), by=factories.admin(), **BASE)
        with pytest.raises(TooLarge) as caught:
            indicators.record_value(
                made,
                by=factories.admin(),
                fiscal_year=2025,
                quarter=1,
                value="18",
                source="x",
                evidence=(io.BytesIO(PDF), "register.pdf"),
            )
        assert caught.value.status == 413 and "evidence" in caught.value.fields


@pytest.mark.parametrize("who", ["coach", "mentee", "other coordinator"])
def test_only_the_secretariat_and_the_sectors_coordinators_manage_indicators(app, world, who):
    person = {
        "coach": world.a.coach_user,
        "mentee": world.a.mentee_user,
        "other coordinator": world.b.coordinator,
    }[who]
    with app.app_context():
        with pytest.raises(NotAllowed):
            indicators.create_indicator(_result(world), by=_user(person), **BASE)
        made, _value = factories.indicator(world.result_id)
        with pytest.raises(NotAllowed):
            indicators.update_indicator(made, by=_user(person), version=made.version, unit="MW")
        with pytest.raises(NotAllowed):
            indicators.record_value(
                made, by=_user(person), fiscal_year=2025, quarter=2, value="1", source="x"
            )


def test_new_evidence_replaces_the_quarters_file_once_committed(app, world):
    from scbi.files import path_of

    with app.app_context():
        made, value = factories.indicator(world.result_id)
        db.session.commit()
        first = value.stored_name
        assert path_of(first).read_bytes().startswith(b"%PDF")
        indicators.record_value(
            made,
            by=factories.admin(),
            fiscal_year=2025,
            quarter=1,
            version=value.version,
            evidence=(io.BytesIO(b"quarter,value\n2025Q1,18\n"), "register.csv"),
        )
        assert path_of(first).exists()  # until the change commits
        db.session.commit()
        assert not path_of(first).exists()
        kept = db.session.get(IndicatorValue, value.id)
        assert (kept.original_name, kept.content_type, kept.value) == (
            "register.csv",
            "text/csv",
            Decimal("18"),
        )


# --- pages -----------------------------------------------------------------------------------


def test_the_result_page_shows_baseline_latest_actual_target_and_progress(app, client, world):
    with app.app_context():
        _made, value = factories.indicator(world.result_id, name="Households connected")
        db.session.commit()
        value_id = value.id
    login(client, world.a.mentee_user)  # whoever reads the result reads its indicators
    page = client.get(f"/priority-results/{world.result_id}").text
    assert "Households connected" in page and "EUCL connections register" in page
    assert "FY 2025/26 Q1" in page
    assert "40% of the way from the baseline to the target" in page
    assert f"/indicator-values/{value_id}/download" in page
    assert "Record an actual value" not in page  # a mentee manages nothing
    evidence = client.get(f"/indicator-values/{value_id}/download")
    assert evidence.status_code == 200 and evidence.data == b"%PDF-1.4 register"
    assert evidence.headers["X-Content-Type-Options"] == "nosniff"
    manager = app.test_client()
    login(manager, world.a.coordinator)
    assert "Record an actual value" in manager.get(f"/priority-results/{world.result_id}").text


def test_forms_keep_the_input_and_name_the_field(app, client, world):
    login(client, world.a.coordinator)
    path = f"/priority-results/{world.result_id}/indicators/new"
    refused = post_form(
        client,
        path,
        {
            "name": "Mini-grids licensed",
            "unit": "licences",
            "baseline_value": "3",
            "baseline_date": "2025-07-01",
            "target_value": "3",
            "target_date": "2025-06-30",
        },
    )
    assert refused.status_code == 422
    assert "The target date must not be before the baseline date." in refused.text
    assert "The target must differ from the baseline" in refused.text
    assert 'value="Mini-grids licensed"' in refused.text
    saved = post_form(
        client,
        path,
        {
            "name": "Mini-grids licensed",
            "unit": "licences",
            "baseline_value": "3",
            "baseline_date": "2025-07-01",
            "target_value": "12",
            "target_date": "2026-06-30",
        },
    )
    assert saved.status_code == 302
    with app.app_context():
        made = db.session.scalars(select(Indicator)).one()
        made_id, version = made.id, made.version
    stale = post_form(
        client,
        f"/indicators/{made_id}/edit",
        {
            "name": "Mini-grids licensed",
            "unit": "licences",
            "baseline_value": "4",
            "baseline_date": "2025-07-01",
            "target_value": "12",
            "target_date": "2026-06-30",
            "version": version + 1,
        },
    )
    assert stale.status_code == 409 and 'value="4"' in stale.text
    values = f"/indicators/{made_id}/values"
    form = {"fiscal_year": "2025", "quarter": "2", "value": "5,5", "source": "RURA register"}
    refused = post_form(client, values, form)
    assert refused.status_code == 422 and "Enter a number" in refused.text
    assert "RURA register" in refused.text
    recorded = post_form(
        client,
        values,
        form | {"value": "5", "evidence": (io.BytesIO(PDF), "licences.pdf")},
        content_type="multipart/form-data",
    )
    assert recorded.status_code == 302
    correction = client.get(f"{values}?fy=2025&quarter=2").text
    assert 'value="5"' in correction and "RURA register" in correction
    with app.app_context():
        value = db.session.scalars(select(IndicatorValue)).one()
        assert value.original_name == "licences.pdf"
        read = value.version
    again = post_form(client, values, form | {"value": "6"})  # no version: someone's new value
    assert again.status_code == 409 and 'value="6"' in again.text
    corrected = post_form(client, values, form | {"value": "6", "version": str(read)})
    assert corrected.status_code == 302
    with app.app_context():
        value = db.session.scalars(select(IndicatorValue)).one()
    assert (value.value, value.original_name) == (Decimal("6"), "licences.pdf")
    # the Q2 value opened, the quarter switched to Q1 (no value yet): nothing is recorded
    # for Q1 under Q2's version
    switched = post_form(
        client,
        values,
        form | {"quarter": "1", "value": "9", "version": str(read + 1), "read_id": str(value.id)},
    )
    assert switched.status_code == 409 and "another quarter" in switched.text
    assert 'value="9"' in switched.text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(IndicatorValue)) == 1


@pytest.mark.parametrize("who", ["coach", "other coordinator"])
def test_a_coach_or_another_sectors_coordinator_is_refused_the_forms(app, client, world, who):
    person = world.a.coach_user if who == "coach" else world.b.coordinator
    with app.app_context():
        made, _value = factories.indicator(world.result_id)
        db.session.commit()
        made_id = made.id
    login(client, person)
    for path in (
        f"/priority-results/{world.result_id}/indicators/new",
        f"/indicators/{made_id}/edit",
        f"/indicators/{made_id}/values",
    ):
        assert client.get(path).status_code == 403, path
        assert post_form(client, path, {"name": "x", "unit": "y"}).status_code == 403, path
