"""Issue 11, finding 8: every refusal of a signed-in caller is audited as ``access.denied``
with the record asked for (the 404s that hide records included, and a hand 403), in a
transaction of its own; request ids are the server's, a client's kept apart."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from scbi import create_app
from scbi.audit import AuditEvent
from scbi.errors import NotAllowed
from scbi.extensions import db
from scbi.programme.models import Phase
from tests import factories
from tests.conftest import engine_options
from tests.helpers import MISSING_ID, api_token, bearer, count_rows, login, post_form


def denials(app) -> list[AuditEvent]:
    with app.app_context():
        rows = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "access.denied").order_by(AuditEvent.id)
        ).all()
        db.session.expunge_all()
        return rows


def test_finding8_a_coach_asking_for_another_coachs_log_is_audited(app, client):
    world = factories.world(app)
    other = world.b.coach_user
    headers = bearer(api_token(client, other))
    assert client.get(f"/api/v1/logs/{world.log_id}", headers=headers).status_code == 404
    login(client, other)
    assert client.get(f"/logs/{world.log_id}").status_code == 404
    api, web = denials(app)
    for event, source in ((api, "api"), (web, "web")):
        assert event.actor_id == other.id
        assert (event.entity_type, event.entity_id) == ("transfer_log", world.log_id)
        assert event.after["hidden"] is True
        assert event.source == source
    assert api.after["path"] == f"/api/v1/logs/{world.log_id}"


def test_finding8_a_mentee_asking_for_another_mentee_is_audited(app, client):
    world = factories.world(app)
    other = world.b.mentee_user
    headers = bearer(api_token(client, other))
    response = client.get(f"/api/v1/mentees/{world.a.mentee_id}", headers=headers)
    assert response.status_code == 404
    (event,) = denials(app)
    assert event.actor_id == other.id
    assert (event.entity_type, event.entity_id) == ("mentee", world.a.mentee_id)
    assert event.after == {
        "path": f"/api/v1/mentees/{world.a.mentee_id}",
        "method": "GET",
        "hidden": True,
    }


def test_finding8_a_missing_record_is_audited_the_same_way_but_not_hidden(app, client):
    world = factories.world(app)
    headers = bearer(api_token(client, world.a.coach_user))
    assert client.get(f"/api/v1/pairings/{MISSING_ID}", headers=headers).status_code == 404
    (event,) = denials(app)
    assert (event.entity_type, event.entity_id) == ("pairing", MISSING_ID)
    assert event.after["hidden"] is False


def test_finding8_another_sectors_report_is_audited(app, client):
    world = factories.world(app)
    headers = bearer(api_token(client, world.a.coordinator))
    response = client.get(f"/api/v1/reports/sectors/{world.b.sector_id}", headers=headers)
    assert response.status_code == 404
    (event,) = denials(app)
    assert (event.entity_type, event.entity_id) == ("sector", world.b.sector_id)


def test_finding8_a_role_refusal_names_the_record_of_the_url(app, client):
    world = factories.world(app)
    headers = bearer(api_token(client, world.a.coach_user))
    response = client.post(
        f"/api/v1/pairings/{world.a.pairing_id}/pause", json={"version": 1}, headers=headers
    )
    assert response.status_code == 403
    (event,) = denials(app)
    assert (event.entity_type, event.entity_id) == ("pairing", world.a.pairing_id)
    assert event.after == {
        "path": f"/api/v1/pairings/{world.a.pairing_id}/pause",
        "method": "POST",
    }


def test_finding8_the_priority_result_form_refusal_is_audited(app, client):
    world = factories.world(app)
    login(client, world.a.coordinator)
    response = post_form(client, f"/priority-results/{world.result_id}", {"title": "Changed"})
    assert response.status_code == 403
    (event,) = denials(app)
    assert event.actor_id == world.a.coordinator.id
    assert (event.entity_type, event.entity_id) == ("priority_result", world.result_id)


def test_finding8_anonymous_404s_are_not_refusals(app, client):
    world = factories.world(app)
    assert client.get(f"/api/v1/logs/{world.log_id}").status_code == 401
    assert denials(app) == []


def test_finding8_a_refusal_is_kept_while_the_requests_changes_are_rolled_back(app):
    """A request that changed something and recorded it, then was refused: the change and
    its event go, the refusal's event stays (on the app's own database)."""
    with app.app_context():
        url = db.engine.url.render_as_string(hide_password=False)
    refusing = create_app(
        {
            "CONFIG": "testing",
            "DATABASE_URL": url,
            "SQLALCHEMY_ENGINE_OPTIONS": engine_options(url),
            "UPLOAD_DIR": app.config["UPLOAD_DIR"],
        }
    )

    @refusing.post("/phases/<int:phase_id>/refused")
    def change_then_refuse(phase_id: int):
        from flask_login import current_user

        from scbi.programme import services

        services.create_phase(by=current_user, name="Half done", start_date=date(2025, 1, 1))
        raise NotAllowed

    with app.app_context():
        admin = factories.admin()
        db.session.commit()
        person = type("Person", (), {"email": admin.email, "password": factories.PASSWORD})
    try:
        client = refusing.test_client()
        login(client, person)
        assert post_form(client, "/phases/7/refused").status_code == 403
    finally:
        with refusing.app_context():
            db.engine.dispose()
    assert count_rows(app, Phase) == 0
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["user.create", "auth.login", "access.denied"]
    (event,) = denials(app)
    assert (event.entity_type, event.entity_id) == ("phase", 7)
    assert app.test_cli_runner().invoke(args=["scbi", "audit-verify"]).exit_code == 0


def test_finding8_the_request_id_is_the_servers_and_a_clients_is_kept_apart(app, client):
    world = factories.world(app)
    headers = bearer(api_token(client, world.b.coach_user))
    sent = {**headers, "X-Request-ID": "client-ref.42_A"}
    response = client.get(f"/api/v1/logs/{world.log_id}", headers=sent)
    (event,) = denials(app)
    assert event.client_request_id == "client-ref.42_A"
    assert event.request_id != "client-ref.42_A"
    assert len(event.request_id) == 16
    assert response.headers["X-Request-ID"] == event.request_id


def test_finding8_a_malformed_client_request_id_is_dropped(app, client):
    world = factories.world(app)
    headers = bearer(api_token(client, world.b.coach_user))
    for bad in ("x" * 65, "with space", "semi;colon", ""):
        client.get(f"/api/v1/logs/{world.log_id}", headers={**headers, "X-Request-ID": bad})
    events = denials(app)
    assert len(events) == 4
    assert {e.client_request_id for e in events} == {None}
    assert all(e.request_id for e in events)
