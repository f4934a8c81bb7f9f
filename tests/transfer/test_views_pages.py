"""What the transfer pages decide from the rules: who may open a form, what a pairing form
starts from, where a log's buttons lead back to."""

from __future__ import annotations

from sqlalchemy import select

from scbi.audit import AuditEvent
from scbi.auth import services as accounts
from scbi.auth.models import Role, User
from scbi.extensions import db
from scbi.programme import services as programme
from tests import factories as f
from tests.helpers import login, post_form


def denials(app) -> list[AuditEvent]:
    with app.app_context():
        rows = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "access.denied").order_by(AuditEvent.id)
        ).all()
        db.session.expunge_all()
        return rows


def coaching_coordinator(app, world):
    """Sector B's coach, made coordinator of sector A too: they see pairing A, whose coach
    they are not."""
    with app.app_context():
        user = db.session.get(User, world.b.coach_user.id)
        accounts.update_user(
            user, by=f.admin(), version=user.version, roles=[Role.COORDINATOR.value]
        )
        programme.set_coordinator_sectors(user, [world.a.sector_id], by=f.admin())
        db.session.commit()
    return world.b.coach_user


def test_only_the_pairings_coach_opens_its_log_and_plan_forms_and_the_refusal_is_audited(
    app, client
):
    world = f.world(app)
    login(client, coaching_coordinator(app, world))
    for path, words in (
        (
            f"/pairings/{world.a.pairing_id}/logs/new",
            "Only the pairing&#39;s coach writes its logs.",
        ),
        (
            f"/pairings/{world.a.pairing_id}/plans/new",
            "Only the pairing&#39;s coach writes its plan.",
        ),
    ):
        refused = client.get(path)
        assert refused.status_code == 403 and words in refused.text, path
    assert [e.after["path"] for e in denials(app)] == [
        f"/pairings/{world.a.pairing_id}/logs/new",
        f"/pairings/{world.a.pairing_id}/plans/new",
    ]


def test_a_new_pairing_starts_from_the_mentees_sector_if_the_user_sees_the_mentee(app, client):
    world = f.world(app)
    login(client, world.a.coordinator)
    own = client.get(f"/pairings/new?mentee_id={world.a.mentee_id}")
    assert own.status_code == 200
    assert f'<option selected value="{world.a.sector_id}">' in own.text

    other = app.test_client()
    login(other, world.b.coordinator)
    hidden = other.get(f"/pairings/new?mentee_id={world.a.mentee_id}")
    assert hidden.status_code == 200  # the mentee is quietly ignored: no 404, no refusal
    assert '<option selected value="">Choose a sector</option>' in hidden.text
    assert denials(app) == []


def test_a_log_action_goes_back_only_to_a_page_of_ones_own(app, client):
    world = f.world(app)
    login(client, world.a.mentee_user)
    with app.app_context():
        from scbi.transfer.models import TransferLog

        version = db.session.get(TransferLog, world.log_id).version
    done = post_form(
        client,
        f"/logs/{world.log_id}",
        {
            "action": "respond",
            "acknowledge": "y",
            "version": version,
            "next": "https://elsewhere.example/my/",
        },
    )
    assert done.status_code == 302 and done.headers["Location"] == f"/logs/{world.log_id}"


def test_a_log_page_post_without_a_known_action_is_refused_in_place(app, client):
    world = f.world(app)
    login(client, world.a.mentee_user)
    for data in ({"action": "sign"}, {"action": "respond", "acknowledge": "y"}):
        refused = post_form(client, f"/logs/{world.log_id}", data)
        assert refused.status_code == 422 and "Choose an action." in refused.text, data
