"""Deleting indicators and actual values (a leftover of issue 18 item 4): on the web (a
confirmation page, a POST form with the version shown) and in the API (DELETE with
``?version=``), by the secretariat and the coordinators of the result's sector, audited;
a stale version is refused, and an indicator keeps until its values are deleted (409
saying how many). The factories' indicator has one value, FY 2025 Q1's, with a PDF."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from scbi.audit import AuditEvent
from scbi.errors import Conflict, NotAllowed
from scbi.extensions import db
from scbi.files import path_of
from scbi.programme import indicators
from scbi.programme.models import Indicator, IndicatorValue
from tests import factories
from tests.helpers import api_token, bearer, login, post_form


@pytest.fixture
def made(app):
    """The world, with an indicator of sector A's result: its values of FY 2025 Q1 (with
    a PDF) and Q2."""
    world = factories.world(app)
    with app.app_context():
        indicator, value = factories.indicator(world.result_id)
        second, _new = indicators.record_value(
            indicator, by=factories.admin(), fiscal_year=2025, quarter=2, value="19", source="x"
        )
        db.session.commit()
        world.indicator_id, world.indicator_version = indicator.id, indicator.version
        world.q1 = (value.id, value.version, value.stored_name)
        world.q2 = (second.id, second.version)
    return world


def _counts(app) -> tuple[int, int]:
    with app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(Indicator)),
            db.session.scalar(select(func.count()).select_from(IndicatorValue)),
        )


def _actions(app) -> list[str]:
    with app.app_context():
        return db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.action.like("indicator%.delete"))
            .order_by(AuditEvent.id)
        ).all()


def test_the_service_keeps_an_indicator_with_values_then_deletes_it(app, made):
    with app.app_context():
        indicator = db.session.get(Indicator, made.indicator_id)
        admin = factories.admin()
        with pytest.raises(Conflict) as caught:
            indicators.delete_indicator(indicator, by=admin, version=indicator.version)
        assert caught.value.code == "has_values"
        assert "has 2 actual values" in caught.value.message
        value = db.session.get(IndicatorValue, made.q1[0])
        with pytest.raises(Conflict) as stale:
            indicators.delete_value(value, by=admin, version=value.version + 1)
        assert stale.value.code == "stale_version"
        indicators.delete_value(value, by=admin, version=value.version)
        assert path_of(made.q1[2]).exists()  # the file leaves once the deletion commits
        db.session.commit()
        assert not path_of(made.q1[2]).exists()
        indicator = db.session.get(Indicator, made.indicator_id)
        with pytest.raises(Conflict) as one:
            indicators.delete_indicator(indicator, by=admin, version=indicator.version)
        assert "has 1 actual value:" in one.value.message
        db.session.rollback()
        indicators.delete_value(
            db.session.get(IndicatorValue, made.q2[0]), by=admin, version=made.q2[1]
        )
        db.session.commit()
        indicator = db.session.get(Indicator, made.indicator_id)
        with pytest.raises(Conflict):
            indicators.delete_indicator(indicator, by=admin, version=indicator.version + 1)
        indicators.delete_indicator(indicator, by=admin, version=indicator.version)
        db.session.commit()
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "indicator.delete")
        ).one()
        assert event.before["name"].startswith("Households connected")
        assert event.before["baseline_value"] == "10.0000"
        assert event.entity_id == made.indicator_id
    assert _counts(app) == (0, 0)
    assert _actions(app) == [
        "indicator_value.delete",
        "indicator_value.delete",
        "indicator.delete",
    ]


@pytest.mark.parametrize("who", ["coach", "mentee", "other coordinator"])
def test_only_those_who_manage_the_indicators_delete_them(app, made, who):
    person = {
        "coach": made.a.coach_user,
        "mentee": made.a.mentee_user,
        "other coordinator": made.b.coordinator,
    }[who]
    with app.app_context():
        from scbi.auth.models import User

        user = db.session.get(User, person.id)
        value = db.session.get(IndicatorValue, made.q2[0])
        with pytest.raises(NotAllowed):
            indicators.delete_value(value, by=user, version=value.version)
        indicator = db.session.get(Indicator, made.indicator_id)
        with pytest.raises(NotAllowed):
            indicators.delete_indicator(indicator, by=user, version=indicator.version)
    assert _counts(app) == (1, 2)


def test_the_pages_confirm_refuse_and_delete(app, client, made):
    login(client, made.a.coordinator)
    result = client.get(f"/priority-results/{made.result_id}").text
    assert f"/indicators/{made.indicator_id}/delete" in result
    assert f"/indicator-values/{made.q1[0]}/delete" in result
    # an indicator with values says so on its confirmation page, and is kept
    page = client.get(f"/indicators/{made.indicator_id}/delete")
    assert page.status_code == 200 and "This indicator has 2 actual values" in page.text
    kept = post_form(
        client, f"/indicators/{made.indicator_id}/delete", {"version": made.indicator_version}
    )
    assert kept.status_code == 409 and "This indicator has 2 actual values" in kept.text
    # a value's page names it; a stale version changes nothing and says so
    path = f"/indicator-values/{made.q1[0]}/delete"
    confirm = client.get(path)
    assert confirm.status_code == 200 and "FY 2025/26 Q1" in confirm.text
    assert f'name="version" type="hidden" value="{made.q1[1]}"' in confirm.text
    stale = post_form(client, path, {"version": made.q1[1] + 1})
    assert stale.status_code == 409 and "changed by someone else" in stale.text
    assert _counts(app) == (1, 2)
    assert post_form(client, path, {}).status_code == 422  # no version: no deletion
    gone = post_form(client, path, {"version": made.q1[1]})
    assert gone.status_code == 302 and gone.location.endswith("#indicators")
    assert "Actual value deleted." in client.get(gone.location).text
    post_form(client, f"/indicator-values/{made.q2[0]}/delete", {"version": made.q2[1]})
    deleted = post_form(
        client, f"/indicators/{made.indicator_id}/delete", {"version": made.indicator_version}
    )
    assert deleted.status_code == 302
    assert "Indicator deleted." in client.get(deleted.location).text
    assert _counts(app) == (0, 0)
    assert client.get(f"/indicators/{made.indicator_id}/delete").status_code == 404
    assert _actions(app) == [
        "indicator_value.delete",
        "indicator_value.delete",
        "indicator.delete",
    ]


def test_the_api_deletes_under_the_version_read(app, client, made):
    headers = bearer(api_token(client, made.secretariat))
    indicator = f"/api/v1/indicators/{made.indicator_id}"
    missing = client.delete(indicator, headers=headers)
    assert missing.status_code == 422
    assert list(missing.json["error"]["fields"]) == ["version"]
    refused = client.delete(f"{indicator}?version={made.indicator_version}", headers=headers)
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "has_values"
    assert "2 actual values" in refused.json["error"]["message"]
    q1 = f"{indicator}/values/2025/1"
    stale = client.delete(f"{q1}?version={made.q1[1] + 1}", headers=headers)
    assert (stale.status_code, stale.json["error"]["code"]) == (409, "stale_version")
    assert _counts(app) == (1, 2)
    assert client.delete(f"{q1}?version={made.q1[1]}", headers=headers).status_code == 204
    assert client.delete(f"{q1}?version={made.q1[1]}", headers=headers).status_code == 404
    assert client.get(f"{q1}/evidence", headers=headers).status_code == 404
    q2 = f"{indicator}/values/2025/2?version={made.q2[1]}"
    assert client.delete(q2, headers=headers).status_code == 204
    assert client.get(indicator, headers=headers).json["values"] == []
    done = client.delete(f"{indicator}?version={made.indicator_version}", headers=headers)
    assert done.status_code == 204 and done.data == b""
    assert client.get(indicator, headers=headers).status_code == 404
    assert _counts(app) == (0, 0)


def test_another_sectors_coordinator_cannot_delete_by_the_api(app, client, made):
    headers = bearer(api_token(client, made.b.coordinator))
    indicator = f"/api/v1/indicators/{made.indicator_id}"
    value = client.delete(f"{indicator}/values/2025/1?version={made.q1[1]}", headers=headers)
    assert value.status_code == 403
    assert client.delete(f"{indicator}?version=1", headers=headers).status_code == 403
    assert _counts(app) == (1, 2)
