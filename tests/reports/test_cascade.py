"""The cascade: a graduated mentee registered as a coach keeps one account, and the
programme overview shows them."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from scbi.auth.models import User
from scbi.coaches.services import register_coach
from scbi.errors import ValidationFailed
from scbi.extensions import db
from scbi.mentees.services import change_status
from scbi.programme.models import Sector
from scbi.reports import exports, metrics, periods
from tests import factories as f
from tests.helpers import api_token, bearer, csrf_token, login


def coach_profile(sector_id, institution_id):
    return {
        "nationality": "Rwandan",
        "organisation": "MININFRA",
        "technical_expertise": "Grid planning",
        "coaching_experience_years": 1,
        "sector_id": sector_id,
        "host_institution_id": institution_id,
        "contract_start": date(2026, 7, 1),
        "contract_end": date(2027, 6, 30),
    }


def test_a_graduated_mentee_becomes_a_coach_on_the_same_account(app):
    with app.test_request_context():
        s = f.sector()
        other = f.sector()
        inst, other_inst = f.institution(s.id), f.institution(other.id)
        mentee = f.mentee(s.id, inst.id)
        change_status(
            mentee, by=f.admin(), version=mentee.version, status="graduated",
            status_date=date(2026, 6, 30),
        )  # fmt: skip
        epoch = mentee.user.session_epoch
        coach, registration = register_coach(
            by=f.admin(),
            email=mentee.user.email.upper(),
            full_name="ignored: the account keeps its name",
            **coach_profile(other.id, other_inst.id),
        )
        db.session.commit()
        assert registration.password is None and coach.user_id == mentee.user_id
        user = db.session.get(User, mentee.user_id)
        assert {r.value for r in user.roles} == {"mentee", "coach"}
        assert user.session_epoch == epoch + 1  # a change of roles ends the sessions
        overview = metrics.programme_overview(
            list(db.session.scalars(db.select(Sector))),
            periods.fiscal_year(2026),
            with_cascade=True,
        )
        assert overview["cascade"]["former_mentees_coaching"] == 1
        [person] = overview["cascade"]["people"]
        assert (person["mentored_in"], person["coaches_in"]) == (s.code, other.code)
        assert (person["mentee_status"], person["coaching_since"]) == ("graduated", "2026-07-01")
        # the workbook names the columns and the status in words (issue 17)
        book = load_workbook(BytesIO(exports.programme_xlsx(overview)))
        cascade = list(book["Cascade"].iter_rows(values_only=True))
        assert "Mentee status" in cascade[0] and "Graduated" in cascade[1]
        assert not [name for name in cascade[0] if "_" in name]
        with pytest.raises(ValidationFailed) as refused:  # a second coach profile: no
            register_coach(
                by=f.admin(), email=user.email, full_name="Again", **coach_profile(s.id, inst.id)
            )
        assert "email" in refused.value.fields
        with pytest.raises(ValidationFailed):  # staff accounts do not take a coach profile
            register_coach(
                by=f.admin(), email=f.admin().email, full_name="X", **coach_profile(s.id, inst.id)
            )


def test_the_registration_page_says_the_account_was_kept(app, client):
    world = f.world(app)
    login(client, world.secretariat)
    form = {
        "email": world.a.mentee_user.email,
        "full_name": "Someone",
        "nationality": "Rwandan",
        "organisation": "MININFRA",
        "technical_expertise": "Grid planning",
        "coaching_experience_years": "1",
        "max_mentees": "2",
        "sector_id": str(world.a.sector_id),
        "host_institution_id": str(world.a.institution_id),
        "contract_start": "2026-07-01",
        "contract_end": "2027-06-30",
        "csrf_token": csrf_token(client, "/coaches/new"),
    }
    response = client.post("/coaches/new", data=form, follow_redirects=True)
    assert response.status_code == 200
    assert "already had an account" in response.get_data(as_text=True)
    token = api_token(client, world.secretariat)
    overview = client.get("/api/v1/reports/programme", headers=bearer(token)).json
    [person] = overview["cascade"]["people"]
    assert person["mentee_status"] == "active"  # shown, but not yet a *former* mentee
    assert overview["cascade"]["former_mentees_coaching"] == 0
