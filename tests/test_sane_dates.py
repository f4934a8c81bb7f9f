"""Absurd dates are refused, through one mechanism, wherever they come in: services, the
API's schemas, web forms and the CSV import; periods have a longest length; plan targets
already past are refused at submission."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from scbi.auth.models import User
from scbi.dates import today
from scbi.errors import ValidationFailed
from scbi.extensions import db
from scbi.people.importer import TEMPLATES, import_people
from scbi.programme import services as programme
from scbi.transfer.models import Pairing
from scbi.transfer.services import plans
from scbi.validation import Errors
from tests import factories as f
from tests.helpers import api_token, bearer, login, post_form

OUT_OF_RANGE = "outside the programme's calendar"


@pytest.fixture
def world(app):
    return f.world(app)


@pytest.mark.parametrize(
    "value",
    [
        "0001-01-01",
        "1018-03-01",
        "1989-12-31",
        "2101-01-01",
        date(1, 1, 1),
        date(1989, 12, 31),
        datetime(2101, 1, 1, 12, 0),
    ],
)
def test_absurd_dates_are_refused_as_values_and_as_date_objects(app, value):
    with app.test_request_context():
        errors = Errors()
        assert errors.date("day", value) is None
        [message] = errors.fields["day"]
    assert OUT_OF_RANGE in message
    assert "from 1990-01-01 to 2100-12-31" in message


@pytest.mark.parametrize("value", ["1990-01-01", "2100-12-31", date(2026, 5, 1)])
def test_dates_of_the_calendar_pass(app, value):
    with app.test_request_context():
        errors = Errors()
        assert errors.date("day", value) is not None
        assert not errors


def test_absurd_dates_are_refused_at_creation_by_the_services(app, world):
    with app.app_context():
        with pytest.raises(ValidationFailed) as phase:
            programme.create_phase(by=f.admin(), name="Odd", start_date=date(1, 1, 1))
        with pytest.raises(ValidationFailed) as mentee:
            f.mentee(world.a.sector_id, world.a.institution_id, joined_on=date(1, 1, 1))
        with pytest.raises(ValidationFailed) as coach:
            f.coach(world.a.sector_id, world.a.institution_id, contract_start=date(1018, 1, 1))
        db.session.rollback()
    assert OUT_OF_RANGE in phase.value.fields["start_date"][0]
    assert OUT_OF_RANGE in mentee.value.fields["joined_on"][0]
    assert OUT_OF_RANGE in coach.value.fields["contract_start"][0]


def test_absurd_dates_get_the_same_422_from_the_api(app, client, world):
    """The API's date field refuses the range itself, with the services' own message."""
    sec = bearer(api_token(client, world.secretariat))
    with app.test_request_context():
        errors = Errors()
        errors.date("start_date", "0001-01-01")
        expected = errors.fields["start_date"]
    phase = client.post(
        "/api/v1/phases", headers=sec, json={"name": "Odd", "start_date": "0001-01-01"}
    )
    assert phase.status_code == 422
    assert phase.json["error"]["fields"]["start_date"] == expected
    mentee = client.post(
        "/api/v1/mentees",
        headers=sec,
        json={
            "email": "old@reg.rw",
            "full_name": "Old Timer",
            "staff_number": "RW-0001",
            "gender": "male",
            "position": "Analyst",
            "institution_id": world.a.institution_id,
            "sector_id": world.a.sector_id,
            "joined_on": "0001-01-01",
        },
    )
    assert mentee.status_code == 422
    assert OUT_OF_RANGE in mentee.json["error"]["fields"]["joined_on"][0]
    coach = client.get(f"/api/v1/coaches/{world.a.coach_id}", headers=sec).json
    patched = client.patch(
        f"/api/v1/coaches/{world.a.coach_id}",
        headers=sec,
        json={"version": coach["version"], "contract_start": "1018-01-01"},
    )
    assert patched.status_code == 422
    assert OUT_OF_RANGE in patched.json["error"]["fields"]["contract_start"][0]


def test_absurd_dates_are_refused_in_web_forms(app, client, world):
    login(client, world.secretariat)
    refused = post_form(client, "/phases/new", {"name": "Odd", "start_date": "0001-01-01"})
    assert refused.status_code == 422
    assert "enter a date from 1990-01-01 to 2100-12-31" in refused.text  # beside the field
    assert 'value="0001-01-01"' in refused.text  # the input is kept


def test_absurd_dates_are_refused_in_the_people_import(app, world):
    from scbi.programme.models import Institution, Sector

    with app.app_context():
        code = db.session.get(Sector, world.a.sector_id).code
        acronym = db.session.get(Institution, world.a.institution_id).acronym
        coach_row = [
            "old@coach.org", "Old Coach", "Kenyan", "GIZ", "Grids", "5", "", code, acronym,
            "1018-01-01", "2027-12-31", "4",
        ]  # fmt: skip
        mentee_row = [
            "old@reg.rw", "Old Mentee", "RW-7777", "male", "Analyst", acronym, code, "",
            "0001-01-01",
        ]  # fmt: skip
        for kind, row, column in (
            ("coach", coach_row, "contract_start"),
            ("mentee", mentee_row, "joined_on"),
        ):
            text = ",".join(TEMPLATES[kind]) + "\n" + ",".join(row) + "\n"
            with pytest.raises(ValidationFailed) as refused:
                import_people(text, kind=kind, by=f.admin())
            db.session.rollback()
            [problem] = refused.value.rows
            assert problem["row"] == 2
            assert problem["message"].startswith(f"{column}: ")
            assert OUT_OF_RANGE in problem["message"]


def test_phases_contracts_and_pairings_last_at_most_15_years(app, world):
    with app.app_context():
        with pytest.raises(ValidationFailed) as phase:
            programme.create_phase(
                by=f.admin(), name="Long", start_date=date(2025, 1, 1), end_date=date(2040, 1, 2)
            )
        with pytest.raises(ValidationFailed) as coach:
            f.coach(world.a.sector_id, world.a.institution_id, contract_end=date(2040, 1, 2))
        long_phase = programme.create_phase(
            by=f.admin(), name="Fifteen", start_date=date(2025, 1, 1), end_date=date(2040, 1, 1)
        )
        long_coach = f.coach(
            world.a.sector_id, world.a.institution_id, contract_end=date(2040, 1, 1)
        )
        mentee = f.mentee(world.a.sector_id, world.a.institution_id)
        with pytest.raises(ValidationFailed) as pairing:
            f.pairing(long_coach, mentee, long_phase, planned_end_date=date(2040, 2, 2))
        leap = Errors()
        leap.span("end", date(2028, 2, 29), date(2043, 3, 1))
        db.session.rollback()
    assert "more than 15 years" in phase.value.fields["end_date"][0]
    assert "on or before 2040-01-01" in phase.value.fields["end_date"][0]
    assert "more than 15 years" in coach.value.fields["contract_end"][0]
    assert "on or before 2040-02-01" in pairing.value.fields["planned_end_date"][0]
    assert "on or before 2043-02-28" in leap.fields["end"][0]


def test_plan_targets_already_past_are_refused_at_submission(app, client, world):
    """A new plan does not report items overdue on the day it is approved: a past date is
    refused when written, and one that passed since the draft was saved, at submission."""
    with app.app_context():
        comps = f.competencies(world.b.sector_id, 2)
        db.session.commit()
        pairing = db.session.get(Pairing, world.b.pairing_id)
        coach = db.session.get(User, world.b.coach_user.id)
        items = f.plan_items(comps)
        items[1]["target_date"] = today() - timedelta(days=400)
        with pytest.raises(ValidationFailed) as written:
            plans.create_plan(pairing, by=coach, items=items)
        assert set(written.value.fields) == {"items.1.target_date"}
        assert "already passed" in written.value.fields["items.1.target_date"][0]
        db.session.rollback()
        pairing = db.session.get(Pairing, world.b.pairing_id)
        coach = db.session.get(User, world.b.coach_user.id)
        plan = plans.create_plan(pairing, by=coach, items=f.plan_items(comps))
        plan.items[1].target_date = items[1]["target_date"]  # it passed since it was saved
        db.session.flush()
        plans.update_plan(plan, by=coach, version=plan.version, items=items)  # kept: saved
        with pytest.raises(ValidationFailed) as refused:
            plans.submit_plan(plan, by=coach)
        assert set(refused.value.fields) == {"items.1.target_date"}
        assert "already passed" in refused.value.fields["items.1.target_date"][0]
        db.session.commit()
        plan_id, version = plan.id, plan.version
    headers = bearer(api_token(client, world.b.coach_user))
    api = client.post(f"/api/v1/plans/{plan_id}/submit", headers=headers, json={})
    assert api.status_code == 422
    assert "items.1.target_date" in api.json["error"]["fields"]
    items[1]["target_date"] = today().isoformat()
    items[0]["target_date"] = today().isoformat()
    fixed = client.put(
        f"/api/v1/plans/{plan_id}", headers=headers, json={"items": items, "version": version}
    )
    assert fixed.status_code == 200, fixed.json
    assert client.post(f"/api/v1/plans/{plan_id}/submit", headers=headers, json={}).status_code == (
        200
    )


def test_a_revision_keeps_the_approved_targets_it_does_not_change(app, world):
    with app.app_context():
        plan = db.session.get(plans.TransferPlan, world.plan_id)
        coach = db.session.get(User, world.a.coach_user.id)
        past = today() - timedelta(days=90)
        plan.items[0].target_date = past  # approved when it still lay ahead
        db.session.flush()
        revision = plans.revise_plan(plan, by=coach)
        plans.submit_plan(revision, by=coach)  # the item is kept as approved
        assert revision.status == "submitted"
        db.session.rollback()
        plan = db.session.get(plans.TransferPlan, world.plan_id)
        plan.items[0].target_date = past
        db.session.flush()
        revision = plans.revise_plan(plan, by=coach)
        items = [
            {
                "competency_id": plan.items[0].competency_id,
                "baseline_level": 1,
                "target_level": 4,
                "target_date": past - timedelta(days=1),
                "methods": ["on_the_job"],
                "expected_evidence": "A study the mentee leads",
            }
        ]
        with pytest.raises(ValidationFailed) as refused:  # a past date changed: a new one
            plans.update_plan(revision, by=coach, version=revision.version, items=items)
        assert "already passed" in refused.value.fields["items.0.target_date"][0]
        db.session.rollback()
