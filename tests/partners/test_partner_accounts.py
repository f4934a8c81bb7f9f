"""Development partners' accounts (issue 18, item 2): the reports of the sectors their
partner funds, as aggregate figures — and nothing else, which answers 404 as if it did not
exist. The route × role matrix pins every route's answer (tests/test_matrix.py)."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from scbi.audit import AuditEvent
from scbi.coaches.models import Coach
from scbi.extensions import db
from tests import factories as f
from tests.helpers import api_token, bearer, csrf_token, login
from tests.reports.test_sector_report import PERIOD, built  # noqa: F401  (fixture)

QUERY = "fy=2025&quarter=3"


@pytest.fixture
def funder(app, built):  # noqa: F811
    """A partner account whose partner funds the hand-built sector's first coach; another
    partner funds its second."""
    with app.app_context():
        coaches = db.session.scalars(
            select(Coach.id).where(Coach.sector_id == built["sector_id"]).order_by(Coach.id)
        ).all()
        f.partner_account(coaches[1], acronym="OT")
        return f.partner_account(coaches[0])


def test_a_partner_reads_its_sectors_report_without_any_name(app, client, built, funder):  # noqa: F811
    login(client, funder)
    page = client.get(f"/reports/sectors/{built['sector_id']}?{QUERY}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert built["name"] in html
    for name in ("Alice Kamau", "Bob Mwangi", "Zed Otieno", "Mentee Number"):
        assert name not in html, name
    # no way into a person's records: no link to the logs, mentees, coaches or pairings,
    # no raw-log or assessment CSV, no publishing form
    for path in ("/logs", "/mentees", "/coaches", "/pairings", "assessments.csv", "/publish"):
        assert f'href="{path}' not in html and f'action="{path}' not in html, path
    assert "assessments.csv" not in html and "/publish" not in html
    # the same figures by API, the overdue items and coaches without who they are
    token = api_token(client, funder)
    answer = client.get(
        f"/api/v1/reports/sectors/{built['sector_id']}", query_string=PERIOD, headers=bearer(token)
    )
    assert answer.status_code == 200
    report = answer.get_json()
    assert report["people_hidden"] is True
    assert report["plans"]["totals"]["overdue"] == 1
    assert [set(o) & {"mentee", "plan_item_id"} for o in report["plans"]["overdue"]] == [set()]
    assert report["coaches"] and all(
        set(c) & {"name", "coach_id"} == set() for c in report["coaches"]
    )
    assert "Alice Kamau" not in answer.get_data(as_text=True)
    # every figure as the secretariat reads it
    world = f.world(app)
    staff = client.get(
        f"/api/v1/reports/sectors/{built['sector_id']}",
        query_string=PERIOD,
        headers=bearer(api_token(client, world.secretariat)),
    ).get_json()
    assert report["critical_mass"] == staff["critical_mass"] and staff["critical_mass"]["experts"]
    for key in ("headline", "transfer", "institutions", "by_gender"):
        assert report[key] == staff[key], key
    mine, every = report["value_for_money"], staff["value_for_money"]
    assert {k: v for k, v in mine.items() if k != "by_partner"} == {
        k: v for k, v in every.items() if k != "by_partner"
    }
    # another funder's costs stay between it and the programme
    assert [p["acronym"] for p in every["by_partner"]] == ["AG", "OT"]
    assert [p["acronym"] for p in mine["by_partner"]] == ["AG"]
    assert [c["hours"] for c in report["coaches"]] == [c["hours"] for c in staff["coaches"]]
    # and as files
    workbook = client.get(f"/reports/sectors/{built['sector_id']}?{QUERY}&format=xlsx")
    assert workbook.status_code == 200
    cells = {
        str(c.value)
        for sheet in load_workbook(io.BytesIO(workbook.data)).worksheets
        for row in sheet.iter_rows()
        for c in row
        if c.value is not None
    }
    assert not {v for v in cells if "Alice Kamau" in v or "Mentee Number" in v}
    pdf = client.get(f"/reports/sectors/{built['sector_id']}?{QUERY}&format=pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"


def test_the_staff_still_read_the_names(app, client, built, funder):  # noqa: F811
    world = f.world(app)
    login(client, world.secretariat)
    html = client.get(f"/reports/sectors/{built['sector_id']}?{QUERY}").get_data(as_text=True)
    assert "Alice Kamau" in html and "Mentee Number" in html


def test_a_sector_the_partner_does_not_fund_is_not_there(app, client, built, funder):  # noqa: F811
    world = f.world(app)  # two more sectors, funded by no one
    login(client, funder)
    assert client.get(f"/reports/sectors/{world.b.sector_id}").status_code == 404
    token = api_token(client, funder)
    api = client.get(f"/api/v1/reports/sectors/{world.b.sector_id}", headers=bearer(token))
    assert api.status_code == 404
    with app.app_context():
        from scbi.programme.models import Sector

        other = db.session.get(Sector, world.b.sector_id).name
    overview = client.get(f"/reports?{QUERY}").get_data(as_text=True)
    assert built["name"] in overview and other not in overview
    programme = client.get("/api/v1/reports/programme", headers=bearer(token)).get_json()
    assert [row["sector"]["id"] for row in programme["sectors"]] == [built["sector_id"]]
    assert "cascade" not in programme or not programme["cascade"]
    masses = client.get("/api/v1/reports/critical-mass", headers=bearer(token)).get_json()
    assert [m["sector_id"] for m in masses] == [built["sector_id"]]


def test_publications_of_funded_sectors_only_and_without_names(app, client, built, funder):  # noqa: F811
    world = f.world(app)
    with app.app_context():
        mine = f.publication(built["sector_id"], fy=2025, quarter=3).id
        other = f.publication(world.b.sector_id).id
        db.session.commit()
    login(client, funder)
    page = client.get(f"/reports/published/{mine}")
    assert page.status_code == 200
    assert "Alice Kamau" not in page.get_data(as_text=True)
    assert client.get(f"/reports/published/{other}").status_code == 404
    token = api_token(client, funder)
    listed = client.get("/api/v1/reports/published", headers=bearer(token)).get_json()
    assert [p["id"] for p in listed["items"]] == [mine]
    one = client.get(f"/api/v1/reports/published/{mine}", headers=bearer(token)).get_json()
    assert one["figures"]["people_hidden"] is True
    assert "Alice Kamau" not in str(one)
    assert client.get(f"/reports/published/{mine}?format=xlsx").status_code == 200


def test_every_personal_record_answers_404_and_is_audited(app, client, funder):
    world = f.world(app)
    with app.app_context():
        coach = db.session.get(Coach, world.a.coach_id)
        f.partner_account(coach.id)  # the partner funds sector A too: still no records
    login(client, funder)
    paths = [
        f"/mentees/{world.a.mentee_id}",
        f"/coaches/{world.a.coach_id}",
        f"/pairings/{world.a.pairing_id}",
        f"/logs/{world.log_id}",
        f"/evidence/{world.evidence_id}",
        f"/mentees/{world.a.mentee_id}/competencies",
        f"/plans/{world.plan_id}",
        "/logs",
        "/mentees",
        "/programme",
    ]
    for path in paths:
        assert client.get(path).status_code == 404, path
    token = api_token(client, funder)
    for path in (f"/api/v1/logs/{world.log_id}", f"/api/v1/mentees/{world.a.mentee_id}"):
        assert client.get(path, headers=bearer(token)).status_code == 404, path
    with app.app_context():
        denied = db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "access.denied", AuditEvent.actor_id == funder.id
            )
        ).all()
    asked = {(e.entity_type, e.entity_id) for e in denied}
    assert ("mentee", world.a.mentee_id) in asked and ("transfer_log", world.log_id) in asked


def test_the_partners_home_and_menu(app, client, built, funder):  # noqa: F811
    login(client, funder)
    html = client.get("/").get_data(as_text=True)
    assert f'href="/reports/sectors/{built["sector_id"]}"' in html
    menu = re.findall(r'class="nav-link[^"]*"[^>]*href="([^"]+)"', html) or re.findall(
        r'href="([^"]+)"[^>]*class="nav-link', html
    )
    assert "/reports" in menu and not {"/pairings", "/mentees", "/logs", "/programme"} & set(menu)


def test_the_secretariat_makes_a_partner_account(app, client, make_user):
    world = f.world(app)
    with app.app_context():
        from scbi.partners.services import create_partner

        partner = create_partner(by=f.admin(), name="Bank", acronym="DB")
        db.session.commit()
        partner_id = partner.id
    login(client, world.secretariat)
    form = {"full_name": "Ann Officer", "email": "ann@bank.example", "roles": ["partner"]}
    token = csrf_token(client, "/users/new")
    refused = client.post("/users/new", data=form | {"csrf_token": token})
    assert refused.status_code == 422
    assert "Choose the development partner this account reads for." in refused.get_data(
        as_text=True
    )
    assert 'value="ann@bank.example"' in refused.get_data(as_text=True)
    mixed = client.post(
        "/users/new",
        data=form
        | {"roles": ["partner", "coordinator"], "partner_id": partner_id, "csrf_token": token},
    )
    assert mixed.status_code == 422
    assert "holds no other role" in mixed.get_data(as_text=True)
    # every problem at once: the roles refused and the partner missing, on the page and API
    both = client.post(
        "/users/new", data=form | {"roles": ["partner", "coordinator"], "csrf_token": token}
    ).get_data(as_text=True)
    assert "holds no other role" in both
    assert "Choose the development partner this account reads for." in both
    refused = client.post(
        "/api/v1/users",
        json={"email": "b@bank.example", "full_name": "B", "roles": ["partner", "secretariat"]},
        headers=bearer(api_token(client, world.secretariat)),
    )
    assert refused.status_code == 422
    assert set(refused.get_json()["error"]["fields"]) == {"roles", "partner_id"}
    made = client.post("/users/new", data=form | {"partner_id": partner_id, "csrf_token": token})
    assert made.status_code == 200  # mail off: the one-time password is shown
    api = api_token(client, world.secretariat)
    listed = client.get("/api/v1/users?role=partner", headers=bearer(api)).get_json()
    [account] = listed["items"]
    assert (account["email"], account["roles"], account["partner_id"]) == (
        "ann@bank.example",
        ["partner"],
        partner_id,
    )
    # a coordinator is never linked to a partner
    coordinator = client.post(
        "/api/v1/users",
        json={
            "email": "k@x.example",
            "full_name": "K",
            "roles": ["coordinator"],
            "partner_id": partner_id,
        },
        headers=bearer(api),
    )
    assert coordinator.status_code == 422
    assert "partner_id" in coordinator.get_json()["error"]["fields"]
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.entity_id == account["id"])
        ).all()
    assert "user.partner" in events


def test_a_partners_report_pages_cost_no_statement_more(app, client, built, funder):  # noqa: F811
    """The funded sectors are a subquery of the statements the pages send anyway."""
    from tests.helpers import QueryCounter

    world = f.world(app)

    def counts(person):
        login(client, person)
        out = []
        for path in (f"/reports/sectors/{built['sector_id']}?{QUERY}", f"/reports?{QUERY}"):
            client.get(path)  # the first request after signing in records the session's use
            with QueryCounter(app) as counter:
                assert client.get(path).status_code == 200
            out.append(len(counter.statements))
        client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
        return out

    partner, staff = counts(funder), counts(world.secretariat)
    assert all(p <= s for p, s in zip(partner, staff, strict=True)), (partner, staff)


def test_an_account_of_a_deactivated_partner_can_still_be_saved(app, client, funder):
    """The partner stays offered on the account's page, so saving its name keeps the link."""
    world = f.world(app)
    with app.app_context():
        from scbi.partners.models import Partner
        from scbi.partners.services import update_partner

        partner = db.session.get(Partner, funder.partner_id)
        update_partner(partner, by=f.admin(), version=partner.version, active=False)
        db.session.commit()
    login(client, world.secretariat)
    page = client.get(f"/users/{funder.id}").get_data(as_text=True)
    assert re.search(
        rf'<option selected value="{funder.partner_id}"|value="{funder.partner_id}" selected', page
    )
    version = re.search(r'name="version"[^>]*value="(\d+)"', page)[1]
    saved = client.post(
        f"/users/{funder.id}",
        data={
            "full_name": "Officer renamed",
            "roles": ["partner"],
            "partner_id": funder.partner_id,
            "active": "y",
            "version": version,
            "csrf_token": csrf_token(client, f"/users/{funder.id}"),
        },
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)[:500]


def test_an_account_that_stops_being_a_partner_loses_its_link(app, client, funder):
    world = f.world(app)
    token = bearer(api_token(client, world.secretariat))
    read = client.get(f"/api/v1/users/{funder.id}", headers=token).get_json()
    changed = client.patch(
        f"/api/v1/users/{funder.id}",
        json={"roles": ["coordinator"], "version": read["version"]},
        headers=token,
    )
    assert changed.status_code == 200, changed.get_json()
    assert (changed.get_json()["roles"], changed.get_json()["partner_id"]) == (
        ["coordinator"],
        None,
    )


def test_each_partner_reads_its_own_funding_whatever_was_read_before(app, client, funder):
    """Two partners' reports read in one application context (a mailing, a job): each
    sees its own partner among the funders."""
    world = f.world(app)
    with app.app_context():
        other = f.partner_account(world.a.coach_id, acronym="OX")
    with app.test_request_context():
        from scbi.auth.models import User
        from scbi.reports import periods, services

        period = periods.parse(PERIOD)
        first, second = db.session.get(User, funder.id), db.session.get(User, other.id)
        services.programme_overview(first, period)
        seen = services.programme_overview(second, period)["value_for_money"]["by_partner"]
    assert [p["acronym"] for p in seen] == ["OX"]
