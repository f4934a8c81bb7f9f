"""Holes found in review: each pinned so it stays closed."""

from __future__ import annotations

import pytest

from scbi.errors import NotAllowed, ValidationFailed
from scbi.extensions import db
from tests import factories as f
from tests.helpers import api_token, bearer, login


def test_a_coordinator_cannot_pair_another_sectors_mentee(app, client):
    world = f.world(app)
    headers = bearer(api_token(client, world.a.coordinator))
    response = client.post(
        "/api/v1/pairings",
        headers=headers,
        json={
            "coach_id": world.a.coach_id,
            "mentee_id": world.b.mentee_id,
            "phase_id": world.phase_id,
            "sector_id": world.a.sector_id,
            "start_date": "2025-03-01",
            "planned_end_date": "2026-01-31",
            "cross_sector_reason": "because",
        },
    )
    assert response.status_code == 403


def test_a_mentee_cannot_settle_their_own_review(app):
    world = f.world(app)
    with app.app_context():
        from scbi.auth.models import User
        from scbi.competencies.services import create_assessment
        from scbi.mentees.models import Mentee

        mentee = db.session.get(Mentee, world.a.mentee_id)
        with pytest.raises(NotAllowed):
            create_assessment(
                mentee,
                by=db.session.get(User, world.a.mentee_user.id),
                competency_id=world.competency_id,
                level=3,
                assessed_on="2025-08-01",
                resolves=world.assessment_id,
            )


def test_evidence_must_predate_the_assessment(app):
    world = f.world(app)
    with app.app_context():
        from scbi.competencies.services import create_assessment
        from scbi.mentees.models import Mentee

        mentee = db.session.get(Mentee, world.a.mentee_id)
        with pytest.raises(ValidationFailed) as caught:
            create_assessment(
                mentee,
                by=f.admin(),
                competency_id=world.competency_id,
                level=4,
                assessed_on="2025-01-16",
                log_ids=[world.log_id],
            )
        assert "log_ids" in caught.value.fields


def test_users_api_sets_a_coordinators_sectors(client, app):
    world = f.world(app)
    headers = bearer(api_token(client, world.secretariat))
    created = client.post(
        "/api/v1/users",
        headers=headers,
        json={
            "email": "k.new@ncbs.gov.rw",
            "full_name": "New Coordinator",
            "password": "a long enough passphrase",
            "roles": ["coordinator"],
            "sector_ids": [world.b.sector_id],
        },
    ).json
    assert created["sector_ids"] == [world.b.sector_id]
    patched = client.patch(
        f"/api/v1/users/{created['id']}",
        headers=headers,
        json={"version": created["version"], "sector_ids": [world.a.sector_id]},
    ).json
    assert patched["sector_ids"] == [world.a.sector_id]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/sectors/99999999999999999999999",
        "/api/v1/pairings?sector_id=99999999999999999",
        "/api/v1/users?page=99999999999999999999",
        "/api/v1/logs?sector_id=%C2%B2",
    ],
)
def test_huge_or_odd_numbers_are_never_a_500(app, client, path):
    world = f.world(app)
    response = client.get(path, headers=bearer(api_token(client, world.secretariat)))
    assert response.status_code in (200, 404, 422), path


def test_nan_hours_and_odd_methods_are_refused(app, client):
    world = f.world(app)
    coach = bearer(api_token(client, world.a.coach_user))
    log = client.post(
        f"/api/v1/pairings/{world.a.pairing_id}/logs",
        headers=coach,
        data='{"activity_date": "2025-06-09", "activity_type": "on_the_job", '
        '"hours": NaN, "title": "x", "mentee_role": "led", '
        f'"competency_ids": [{world.competency_id}]}}',
        content_type="application/json",
    )
    assert log.status_code in (400, 422)
    plan = client.post(
        f"/api/v1/pairings/{world.b.pairing_id}/plans",
        headers=bearer(api_token(client, world.b.coach_user)),
        json={
            "items": [
                {
                    "competency_id": 1,
                    "baseline_level": 1,
                    "target_level": 3,
                    "target_date": "2026-01-01",
                    "methods": [["x"]],
                    "expected_evidence": "e",
                }
            ]
        },
    )
    assert plan.status_code == 422


def test_managers_plan_list_never_shows_drafts(app, client):
    world = f.world(app)
    login(client, world.secretariat)
    assert client.get("/plans?status=draft").status_code == 200


def test_parallel_guesses_are_each_counted(app, make_user):
    """Guesses sent at the same moment cannot slip past the failure count."""
    from concurrent.futures import ThreadPoolExecutor

    from scbi.auth.models import LoginThrottle

    user = make_user("coach")

    def guess(_n):
        client = app.test_client()
        return client.post(
            "/api/v1/tokens", json={"email": user.email, "password": "wrong guess, again"}
        ).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(guess, range(12)))
    assert 500 not in statuses
    assert statuses.count(401) <= app.config["LOGIN_SLOW_AFTER"] + 1, statuses
    with app.app_context():
        row = db.session.get(LoginThrottle, user.email)
        assert row.failures == statuses.count(401)


def test_parallel_pairings_never_exceed_a_coachs_capacity(app, client):
    """Two managers pairing the last free place of a coach at the same moment: one wins."""
    from concurrent.futures import ThreadPoolExecutor

    from scbi.transfer.models import Pairing

    world = f.world(app)
    with app.app_context():
        coach = f.coach(world.a.sector_id, world.a.institution_id, max_mentees=2)
        mentees = [f.mentee(world.a.sector_id, world.a.institution_id) for _ in range(6)]
        db.session.commit()
        coach_id, mentee_ids = coach.id, [m.id for m in mentees]
    token = api_token(client, world.secretariat)

    def pair(mentee_id):
        return (
            app.test_client()
            .post(
                "/api/v1/pairings",
                headers=bearer(token),
                json={
                    "coach_id": coach_id,
                    "mentee_id": mentee_id,
                    "phase_id": world.phase_id,
                    "sector_id": world.a.sector_id,
                    "start_date": "2025-03-01",
                    "planned_end_date": "2026-03-01",
                },
            )
            .status_code
        )

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(pair, mentee_ids))
    assert sorted(statuses) == [201, 201, 422, 422, 422, 422], statuses
    with app.app_context():
        count = db.session.scalar(
            db.select(db.func.count()).select_from(Pairing).where(Pairing.coach_id == coach_id)
        )
        assert count == 2


@pytest.mark.parametrize("text", ["Grid\x00study", "Grid\x0bstudy", "Grid\x7f"])
def test_control_characters_are_refused_by_name_never_a_500(app, client, text):
    """PostgreSQL cannot store NUL; a workbook cannot hold most C0 controls."""
    world = f.world(app)
    token = api_token(client, world.secretariat)
    response = client.post(
        "/api/v1/priority-results",
        headers=bearer(token),
        json={"sector_id": world.a.sector_id, "title": text, "due_date": "2027-06-30"},
    )
    assert response.status_code == 422
    assert "control characters" in response.json["error"]["fields"]["title"][0]
    fine = client.post(
        "/api/v1/priority-results",
        headers=bearer(token),
        json={"sector_id": world.a.sector_id, "title": "Grid\tstudy", "due_date": "2027-06-30"},
    )
    assert fine.status_code == 201
