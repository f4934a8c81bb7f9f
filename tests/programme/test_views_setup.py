"""A secretariat officer sets up a sector from nothing in the web UI."""

from __future__ import annotations

import io
import re

import pytest

from scbi.extensions import db
from scbi.programme.models import Sector
from scbi.transfer.models import Pairing
from tests import factories
from tests.helpers import count_rows, login, post_form

FRAMEWORK = (
    "a,b,c,d,e,f,g,h,i,j,k,l,m,n,core\r\n"
    ",ENE-FW,Energy planning,,1,,,,,,,,1,,\r\n"
    ",ENE-LCP,Least-cost planning,,1,,,,,,,,,,1\r\n"
    ",ENE-PPA,PPA negotiation,,1,,,,,,,,,,1\r\n"
)


def follow_id(response, pattern):
    return int(re.search(pattern, response.headers["Location"])[1])


def test_secretariat_sets_up_a_sector_from_nothing(app, client, login_as, make_user):
    login_as("secretariat")
    coordinator = make_user("coordinator", full_name="Béatrice Mukarugwiza")

    r = post_form(
        client,
        "/phases/new",
        {"name": "SCBI Phase I", "start_date": "2025-01-01", "end_date": "2027-12-31"},
    )
    assert r.status_code == 302
    r = post_form(
        client,
        "/sectors/new",
        {
            "code": "ENE",
            "name": "Energy",
            "expert_target": "12",
            "target_date": "2027-06-30",
            "expert_level": "3",
            "active": "y",
            "coordinators": [str(coordinator.id)],
        },
    )
    sector_id = follow_id(r, r"/sectors/(\d+)")
    r = post_form(
        client,
        "/institutions/new",
        {"name": "Rwanda Energy Group", "acronym": "REG", "sector_id": sector_id},
    )
    institution_id = follow_id(r, r"/institutions/(\d+)")
    r = post_form(
        client,
        "/frameworks/import",
        {"file": (io.BytesIO(FRAMEWORK.encode()), "energy.csv"), "sector_id": sector_id},
        content_type="multipart/form-data",
    )
    assert r.status_code == 200 and "Least-cost planning" in r.text  # the preview
    r = post_form(
        client,
        "/frameworks/import/confirm",
        {
            "content": FRAMEWORK,
            "sector_id": sector_id,
            "core_ids": ["ENE-LCP", "ENE-PPA"],
            "save": "1",
        },
        content_type="multipart/form-data",
    )
    framework_id = follow_id(r, r"/frameworks/(\d+)")
    page = client.get(f"/frameworks/{framework_id}").text
    assert "Least-cost planning" in page and "core" in page

    r = post_form(
        client,
        "/coaches/new",
        {
            "full_name": "Grace Achieng",
            "email": "grace@coach.example.org",
            "nationality": "Kenyan",
            "organisation": "GIZ",
            "technical_expertise": "Grid planning",
            "coaching_experience_years": "9",
            "sector_id": sector_id,
            "host_institution_id": institution_id,
            "contract_start": "2025-01-01",
            "contract_end": "2027-06-30",
            "max_mentees": "4",
        },
    )
    assert r.status_code == 200 and "One-time password" in r.text
    coach_id = int(re.search(r'href="/coaches/(\d+)"', r.text)[1])
    r = post_form(
        client,
        "/mentees/new",
        {
            "full_name": "Aline Uwimana",
            "email": "aline@reg.rw",
            "staff_number": "RW-1",
            "gender": "female",
            "position": "Planning engineer",
            "institution_id": institution_id,
            "sector_id": sector_id,
            "phase_id": "",
            "joined_on": "2025-02-01",
        },
    )
    assert r.status_code == 200
    mentee_id = int(re.search(r'href="/mentees/(\d+)"', r.text)[1])

    form = client.get(f"/pairings/new?mentee_id={mentee_id}").text
    assert 'selected value="' in form or "selected" in form
    phase_id = int(re.search(r'<option selected value="(\d+)">SCBI Phase I', form)[1])
    r = post_form(
        client,
        "/pairings/new",
        {
            "coach_id": coach_id,
            "mentee_id": mentee_id,
            "phase_id": phase_id,
            "sector_id": sector_id,
            "start_date": "2025-03-01",
            "planned_end_date": "2026-08-31",
        },
    )
    pairing_id = follow_id(r, r"/pairings/(\d+)")
    page = client.get(f"/pairings/{pairing_id}").text
    assert "Grace Achieng coaching Aline Uwimana" in page

    overview = client.get("/programme").text
    assert "Béatrice Mukarugwiza" in overview
    with app.app_context():
        assert [u.id for u in db.session.get(Sector, sector_id).coordinators] == [coordinator.id]


def test_refused_forms_keep_the_input_and_say_what_to_fix(app, client, login_as):
    login_as("secretariat")
    r = post_form(
        client,
        "/sectors/new",
        {
            "code": "ENE",
            "name": "Energy",
            "expert_target": "-3",
            "target_date": "2027-06-30",
            "expert_level": "3",
        },
    )
    assert r.status_code == 422
    assert 'value="Energy"' in r.text
    assert "Number must be at least 0." in r.text or "at least 0" in r.text
    r = post_form(
        client,
        "/frameworks/import",
        {"file": (io.BytesIO(b"a,b\r\n,X,Only two columns\r\n"), "bad.csv")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 422
    assert "Row 2:" in r.text and "nothing was stored" in r.text
    assert count_rows(app, Sector) == 0


def test_a_pairing_refusal_is_shown_beside_the_field(app, client, login_as):
    from tests import factories

    world = factories.world(app)
    login_as("secretariat")
    r = post_form(
        client,
        "/pairings/new",
        {
            "coach_id": world.a.coach_id,
            "mentee_id": world.a.mentee_id,
            "phase_id": world.phase_id,
            "sector_id": world.a.sector_id,
            "start_date": "2025-03-01",
            "planned_end_date": "2026-01-31",
        },
    )
    assert r.status_code == 422
    assert "already have an open pairing" in r.text
    assert count_rows(app, Pairing) == 2


def test_people_import_page_shows_the_passwords(app, client, login_as):
    from tests import factories

    world = factories.world(app)
    login_as("secretariat")
    with app.app_context():
        sector = db.session.get(Sector, world.a.sector_id)
        code = sector.code
        from scbi.programme.models import Institution

        acronym = db.session.get(Institution, world.a.institution_id).acronym
    csv_text = (
        "email,full_name,staff_number,gender,position,institution_acronym,sector_code,"
        f"joined_on\nz@x.rw,Zed Person,RW-77,male,Analyst,{acronym},{code},2025-04-01\n"
    )
    r = post_form(
        client,
        "/people/import",
        {"kind": "mentee", "file": (io.BytesIO(csv_text.encode()), "people.csv")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 200
    assert "1 people registered" in r.text and "Zed Person" in r.text


@pytest.mark.parametrize("role", ["secretariat", "coordinator", "coach", "mentee"])
def test_only_the_secretariat_is_offered_the_set_up_actions(app, client, role):
    """The pages pass can_configure: the secretariat sees the buttons and the result's
    update form, everyone else reads the same pages without them."""
    world = factories.world(app)
    person = {
        "secretariat": world.secretariat,
        "coordinator": world.a.coordinator,
        "coach": world.a.coach_user,
        "mentee": world.a.mentee_user,
    }[role]
    login(client, person)
    pages = {
        f"/sectors/{world.a.sector_id}": ("Edit sector", "Import from Moodle"),
        "/frameworks": ("New framework", "Import from Moodle"),
        f"/priority-results/{world.result_id}": ('name="status_note"',),
        "/programme": ("New sector",),
        f"/institutions/{world.a.institution_id}": (">Edit<",),
    }
    for path, offers in pages.items():
        page = client.get(path)
        assert page.status_code == 200, path
        for offer in offers:
            assert (offer in page.text) is (role == "secretariat"), (path, offer)


@pytest.mark.parametrize(
    ("role", "linked"),
    [("mentee", set()), ("coach", {"/mentees"}), ("coordinator", {"/coaches", "/mentees"})],
)
def test_sector_and_institution_pages_link_only_where_their_reader_may_go(
    app, client, role, linked
):
    """The sector's buttons and the institution's counts link to the coach and mentee lists
    only for those who may open them (a coach followed "Coaches" to a 403)."""
    world = factories.world(app)
    login(client, {"mentee": world.a.mentee_user, "coach": world.a.coach_user,
                   "coordinator": world.a.coordinator}[role])  # fmt: skip
    pages = [f"/sectors/{world.a.sector_id}", f"/institutions/{world.a.institution_id}"]
    for path in pages:
        html = client.get(path).get_data(as_text=True)
        found = {lst for lst in ("/coaches", "/mentees") if re.search(f'href="{lst}\\?', html)}
        assert found == linked, path


# --- coordinators from the sector's page (issue 17, item 4) --------------------------------


def _sector_version(app, sector_id: int) -> int:
    with app.app_context():
        return db.session.get(Sector, sector_id).version


def _coordinator_ids(app, sector_id: int) -> list[int]:
    with app.app_context():
        return sorted(u.id for u in db.session.get(Sector, sector_id).coordinators)


def _events(app, action: str) -> list:
    from scbi.audit import AuditEvent

    with app.app_context():
        return list(
            db.session.scalars(
                db.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
            )
        )


def test_the_secretariat_adds_an_existing_coordinator_from_the_sector_page(app, client, make_user):
    world = factories.world(app)
    newcomer = make_user("coordinator", full_name="Jeanne Uwera")
    coach = make_user("coach")  # an account without the coordinator role
    login(client, world.secretariat)
    page = client.get(f"/sectors/{world.a.sector_id}").text
    form = page[page.index('id="coord-h"') :]
    assert f'action="/sectors/{world.a.sector_id}/coordinators"' in form
    assert "Jeanne Uwera" in form and f'value="{world.a.coordinator.id}"' not in form
    assert f'href="/sectors/{world.a.sector_id}/coordinators/new"' in form

    path = f"/sectors/{world.a.sector_id}/coordinators"
    version = _sector_version(app, world.a.sector_id)
    for user_id, message in (
        (coach.id, "Choose an active account that holds the coordinator role."),
        (world.a.coordinator.id, "Coordinator A already coordinates this sector."),
        ("", "This field is required."),
    ):
        refused = post_form(client, path, {"user_id": user_id, "version": version})
        assert refused.status_code == 422
        assert message in refused.text.replace("&#39;", "'")
        assert 'id="user_id-error"' in refused.text  # beside the select
    stale = post_form(client, path, {"user_id": newcomer.id, "version": version - 1})
    assert stale.status_code == 409 and "changed by someone else" in stale.text
    assert _coordinator_ids(app, world.a.sector_id) == [world.a.coordinator.id]

    added = post_form(client, path, {"user_id": newcomer.id, "version": version})
    assert added.status_code == 302
    assert added.headers["Location"] == f"/sectors/{world.a.sector_id}"
    shown = client.get(added.headers["Location"]).text
    assert "Jeanne Uwera now coordinates" in shown
    assert _coordinator_ids(app, world.a.sector_id) == sorted([world.a.coordinator.id, newcomer.id])
    [*_, event] = _events(app, "sector.coordinators")
    assert event.entity_id == world.a.sector_id
    assert newcomer.id in event.after["coordinator_ids"]
    assert newcomer.id not in event.before["coordinator_ids"]
    # the sector form read before is now stale: it cannot undo the addition
    assert _sector_version(app, world.a.sector_id) > version


def test_only_the_secretariat_gives_a_sector_coordinators(app, client, make_user):
    """A coordinator, even of that sector, a coach or a mentee is refused (403), for their
    own sector as for another; the page offers them no such form."""
    world = factories.world(app)
    newcomer = make_user("coordinator")
    for person in (world.a.coordinator, world.a.coach_user, world.a.mentee_user):
        other = app.test_client()
        login(other, person)
        assert 'id="coord-h"' not in other.get(f"/sectors/{world.a.sector_id}").text
        for sector_id in (world.a.sector_id, world.b.sector_id):
            version = _sector_version(app, sector_id)
            add = post_form(
                other,
                f"/sectors/{sector_id}/coordinators",
                {"user_id": newcomer.id, "version": version},
            )
            assert add.status_code == 403
            new = post_form(
                other,
                f"/sectors/{sector_id}/coordinators/new",
                {"full_name": "Intruder", "email": "x@example.org", "version": version},
            )
            assert new.status_code == 403
    assert _coordinator_ids(app, world.a.sector_id) == [world.a.coordinator.id]
    assert _coordinator_ids(app, world.b.sector_id) == [world.b.coordinator.id]
    assert _events(app, "sector.coordinators") == []


def test_a_new_coordinator_account_is_made_for_the_sector_as_on_the_account_page(app, client):
    """Mail off: the one-time password, shown once, then back to the sector."""
    from scbi.auth.models import Role, User

    world = factories.world(app)
    login(client, world.secretariat)
    path = f"/sectors/{world.a.sector_id}/coordinators/new"
    page = client.get(path).text
    assert "A one-time password is generated and shown once" in page
    version = _sector_version(app, world.a.sector_id)
    taken = post_form(
        client,
        path,
        {"full_name": "Ana Uwase", "email": world.a.coordinator.email, "version": version},
    )
    assert taken.status_code == 422 and 'value="Ana Uwase"' in taken.text
    made = post_form(
        client, path, {"full_name": "Ana Uwase", "email": "ana@reg.rw", "version": version}
    )
    assert made.status_code == 200 and "One-time password for Ana Uwase" in made.text
    assert "Ana Uwase now coordinates" in made.text
    assert f'href="/sectors/{world.a.sector_id}"' in made.text  # "Done": back to the sector
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "ana@reg.rw"))
        assert user.roles == {Role.COORDINATOR} and user.must_change_password
        assert [s.id for s in user.sectors] == [world.a.sector_id]
        user_id = user.id
    assert [e.entity_id for e in _events(app, "user.create")][-1] == user_id
    assert user_id in _events(app, "sector.coordinators")[-1].after["coordinator_ids"]


def test_with_mail_on_the_new_coordinator_is_invited(app, client, monkeypatch):
    from scbi.mail import MailMessage

    world = factories.world(app)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "BASE_URL", "https://scbi.example.org")
    login(client, world.secretariat)
    path = f"/sectors/{world.a.sector_id}/coordinators/new"
    assert "mailed an invitation to choose their password" in client.get(path).text
    made = post_form(
        client,
        path,
        {
            "full_name": "Ana Uwase",
            "email": "ana@reg.rw",
            "version": _sector_version(app, world.a.sector_id),
        },
    )
    assert made.status_code == 302
    assert made.headers["Location"] == f"/sectors/{world.a.sector_id}"
    shown = client.get(made.headers["Location"]).text
    assert "An invitation to choose a password was mailed to ana@reg.rw." in shown
    with app.app_context():
        [mail] = db.session.scalars(
            db.select(MailMessage).where(MailMessage.kind == "invitation")
        ).all()
        assert mail.to_address == "ana@reg.rw"
    assert _events(app, "user.invite")
