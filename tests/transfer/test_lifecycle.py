"""The life cycle of a pairing and a mentee's exit: the loopholes an outside test found,
each pinned through the API (and the services where the API cannot reach)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from scbi.audit import AuditEvent
from scbi.auth.models import User
from scbi.dates import today
from scbi.errors import InvalidTransition, ValidationFailed
from scbi.extensions import db
from scbi.mentees.models import Mentee, MenteeStatusChange
from scbi.mentees.services import change_status
from scbi.transfer.models import Pairing, TransferLog
from scbi.transfer.services import logs, pause_pairing
from tests import factories as f
from tests.helpers import api_token, bearer, login, post_form


@pytest.fixture
def world(app):
    """Pairing A: an approved plan and a log of 2025-06-02 submitted to the mentee."""
    return f.world(app)


def headers(client, world) -> dict:
    return {
        "secretariat": bearer(api_token(client, world.secretariat)),
        "coach": bearer(api_token(client, world.a.coach_user)),
        "mentee": bearer(api_token(client, world.a.mentee_user)),
    }


def log_body(world, **kw) -> dict:
    return {
        "activity_date": "2025-06-20",
        "activity_type": "on_the_job",
        "hours": 2,
        "title": "Tariff model review",
        "mentee_role": "co_led",
        "competency_ids": [world.competency_id],
    } | kw


def exit_mentee(client, h, mentee_id, status, day, note=""):
    url = f"/api/v1/mentees/{mentee_id}"
    version = client.get(url, headers=h["secretariat"]).json["version"]
    body = {"status": status, "status_date": day, "version": version}
    if note:
        body["note"] = note
    return client.patch(url, headers=h["secretariat"], json=body)


def sector_hours(client, h, world) -> float:
    report = client.get(
        f"/api/v1/reports/sectors/{world.a.sector_id}?from=2025-01-01&to={today().isoformat()}",
        headers=h["secretariat"],
    )
    assert report.status_code == 200, report.json
    return report.json["headline"]["coaching_hours"]


def pairing_of(app, pairing_id) -> Pairing:
    with app.app_context():
        pairing = db.session.get(Pairing, pairing_id)
        db.session.expunge(pairing)
        return pairing


# --- finding 1: a mentee who left -----------------------------------------------------------


@pytest.mark.parametrize("status", ["left_public_service", "withdrawn"])
def test_a_mentee_who_left_has_no_open_pairing_and_no_new_hours(app, client, world, status):
    h = headers(client, world)
    hours = sector_hours(client, h, world)
    done = exit_mentee(
        client, h, world.a.mentee_id, status, "2025-06-10", note="Joined a private bank"
    )
    assert done.status_code == 200, done.json
    pairing = pairing_of(app, world.a.pairing_id)
    assert (pairing.status, pairing.end_date) == ("terminated", date(2025, 6, 10))
    label = {"left_public_service": "Left the public service", "withdrawn": "Withdrawn"}[status]
    assert pairing.end_reason == f"Mentee left ({label}): Joined a private bank"
    with app.app_context():
        ends = db.session.scalars(
            db.select(AuditEvent).where(
                AuditEvent.action == "pairing.end", AuditEvent.entity_id == world.a.pairing_id
            )
        ).all()
    assert [e.after["end_reason"] for e in ends] == [pairing.end_reason]
    # the coach can log nothing more, the former mentee acknowledges nothing
    late = client.post(
        f"/api/v1/pairings/{world.a.pairing_id}/logs",
        headers=h["coach"],
        json=log_body(world, activity_date="2025-06-20"),
    )
    assert late.status_code == 409
    acknowledged = client.post(
        f"/api/v1/logs/{world.log_id}/acknowledge", headers=h["mentee"], json={}
    )
    assert acknowledged.status_code == 409
    assert "left the programme on 2025-06-10" in acknowledged.json["error"]["message"]
    disputed = client.post(
        f"/api/v1/logs/{world.log_id}/dispute", headers=h["mentee"], json={"comment": "No"}
    )
    assert disputed.status_code == 409
    assert sector_hours(client, h, world) == hours


def test_a_graduate_completes_every_open_pairing_on_the_graduation_day(app, world):
    with app.app_context():
        mentee = db.session.get(Mentee, world.b.mentee_id)
        second_coach = f.coach(world.b.sector_id, world.b.institution_id)
        paused = f.pairing(second_coach, mentee, db.session.get(Pairing, world.b.pairing_id).phase)
        pause_pairing(paused, by=f.admin(), version=paused.version)
        change_status(
            mentee, by=f.admin(), version=mentee.version, status="graduated",
            status_date=date(2026, 1, 31),
        )  # fmt: skip
        db.session.commit()
        pairings = db.session.scalars(
            db.select(Pairing).where(Pairing.mentee_id == mentee.id).order_by(Pairing.id)
        ).all()
        assert [(p.status, p.end_date, p.end_reason) for p in pairings] == [
            ("completed", date(2026, 1, 31), "Mentee graduated.")
        ] * 2


def test_an_exit_cannot_be_dated_before_the_last_logged_activity(app, client, world):
    h = headers(client, world)
    refused = exit_mentee(client, h, world.a.mentee_id, "withdrawn", "2025-05-31")
    assert refused.status_code == 422
    [message] = refused.json["error"]["fields"]["status_date"]
    assert f"log {world.log_id} of 2025-06-02" in message
    assert "cannot be earlier than the last logged activity" in message
    # nothing changed: neither the status nor the pairing
    with app.app_context():
        assert db.session.get(Mentee, world.a.mentee_id).status == "active"
        assert db.session.get(Pairing, world.a.pairing_id).status == "active"
        assert (
            db.session.scalar(
                db.select(db.func.count())
                .select_from(MenteeStatusChange)
                .where(MenteeStatusChange.mentee_id == world.a.mentee_id)
            )
            == 1
        )
    # a draft dated later does not hold the exit back, but can never be sent afterwards
    draft = client.post(
        f"/api/v1/pairings/{world.a.pairing_id}/logs", headers=h["coach"], json=log_body(world)
    )
    assert draft.status_code == 201
    assert exit_mentee(client, h, world.a.mentee_id, "withdrawn", "2025-06-02").status_code == 200
    sent = client.post(f"/api/v1/logs/{draft.json['id']}/submit", headers=h["coach"], json={})
    assert sent.status_code == 409


def test_the_status_change_and_the_pairing_ends_are_all_or_nothing(app, world, monkeypatch):
    from scbi.transfer import services

    real = services.audit.record

    def failing(action, **kw):
        if action == "pairing.end":
            raise RuntimeError("the database went away")
        return real(action, **kw)

    with app.app_context():
        monkeypatch.setattr(services.audit, "record", failing)
        mentee = db.session.get(Mentee, world.a.mentee_id)
        with pytest.raises(RuntimeError):
            change_status(
                mentee, by=f.admin(), version=mentee.version, status="withdrawn",
                status_date=date(2025, 7, 1),
            )  # fmt: skip
        db.session.rollback()
        assert db.session.get(Mentee, world.a.mentee_id).status == "active"
        assert db.session.get(Pairing, world.a.pairing_id).status == "active"


def test_the_mentee_who_left_keeps_read_access(app, client, world):
    h = headers(client, world)
    done = exit_mentee(client, h, world.a.mentee_id, "left_public_service", "2025-06-10")
    assert done.status_code == 200
    login(client, world.a.mentee_user)
    pages = [
        "/",
        "/my/logs",
        f"/logs/{world.log_id}",
        f"/pairings/{world.a.pairing_id}",
        "/my/competencies",
        f"/mentees/{world.a.mentee_id}/competencies",
        f"/mentees/{world.a.mentee_id}/portfolio",
    ]
    for page in pages:
        assert client.get(page, follow_redirects=True).status_code == 200, page
    mentee = bearer(api_token(client, world.a.mentee_user))
    assert client.get(f"/api/v1/logs/{world.log_id}", headers=mentee).status_code == 200
    assert client.get(f"/api/v1/pairings/{world.a.pairing_id}", headers=mentee).status_code == 200
    assert (
        client.get(f"/api/v1/mentees/{world.a.mentee_id}/competencies", headers=mentee).status_code
        == 200
    )
    # and nothing asks for what would be refused
    assert "wait for your acknowledgement" not in client.get("/").text
    assert "waits for your acknowledgement" not in client.get("/").text
    assert 'name="acknowledge"' not in client.get(f"/logs/{world.log_id}").text
    assert 'name="acknowledge"' not in client.get("/my/logs").text
    refused = post_form(
        client,
        f"/logs/{world.log_id}",
        {"action": "respond", "acknowledge": "y", "version": "1"},
    )
    assert refused.status_code == 409


def test_pages_offer_only_what_the_rules_allow_after_an_exit(app, client, world):
    h = headers(client, world)
    draft = client.post(
        f"/api/v1/pairings/{world.a.pairing_id}/logs",
        headers=h["coach"],
        json=log_body(world, activity_date="2025-06-05"),
    ).json
    login(client, world.a.coach_user)
    assert "Log an activity" in client.get(f"/pairings/{world.a.pairing_id}").text
    assert "Send to the mentee" in client.get(f"/logs/{draft['id']}").text
    assert exit_mentee(client, h, world.a.mentee_id, "withdrawn", "2025-06-10").status_code == 200
    pairing_page = client.get(f"/pairings/{world.a.pairing_id}").text
    assert "Log an activity" not in pairing_page
    log_page = client.get(f"/logs/{draft['id']}").text
    assert "Send to the mentee" not in log_page and "Attach" not in log_page
    quick = client.get(f"/pairings/{world.a.pairing_id}/logs/new")
    assert quick.status_code == 302
    # the coach's queue no longer counts a draft that can never be sent
    assert "draft log not yet sent" not in client.get("/").text
    manager = app.test_client()
    login(manager, world.secretariat)
    assert "End the pairing" not in manager.get(f"/pairings/{world.a.pairing_id}").text


# --- finding 2: a pairing ended before its own logs -----------------------------------------


def end_pairing(client, h, pairing_id, day, status="completed"):
    version = client.get(f"/api/v1/pairings/{pairing_id}", headers=h["secretariat"]).json["version"]
    return client.post(
        f"/api/v1/pairings/{pairing_id}/end",
        headers=h["secretariat"],
        json={"status": status, "end_date": day, "reason": "Plan achieved", "version": version},
    )


def test_a_pairing_cannot_end_before_its_own_logs(app, client, world):
    h = headers(client, world)
    ack = client.post(f"/api/v1/logs/{world.log_id}/acknowledge", headers=h["mentee"], json={})
    assert ack.status_code == 200
    early = end_pairing(client, h, world.a.pairing_id, "2025-05-01")
    assert early.status_code == 422
    [message] = early.json["error"]["fields"]["end_date"]
    assert "last logged activity is on 2025-06-02" in message
    assert pairing_of(app, world.a.pairing_id).status == "active"
    assert end_pairing(client, h, world.a.pairing_id, "2025-06-02").status_code == 200


def test_drafts_dated_after_the_end_are_refused_on_submission(app, client, world):
    h = headers(client, world)
    draft = client.post(
        f"/api/v1/pairings/{world.a.pairing_id}/logs",
        headers=h["coach"],
        json=log_body(world, activity_date="2025-07-01"),
    ).json
    assert end_pairing(client, h, world.a.pairing_id, "2025-06-15").status_code == 200
    sent = client.post(f"/api/v1/logs/{draft['id']}/submit", headers=h["coach"], json={})
    assert sent.status_code == 409
    assert "pairing has ended" in sent.json["error"]["message"]
    with app.app_context():
        assert db.session.get(TransferLog, draft["id"]).status == "draft"


# --- finding 3: a contract shortened under live pairings ------------------------------------


def patch_coach(client, h, coach_id, **changes):
    url = f"/api/v1/coaches/{coach_id}"
    version = client.get(url, headers=h["secretariat"]).json["version"]
    return client.patch(url, headers=h["secretariat"], json={"version": version, **changes})


def test_a_coach_contract_cannot_be_shortened_under_live_pairings(app, client, world):
    h = headers(client, world)
    with app.app_context():
        mentee_name = db.session.get(Mentee, world.a.mentee_id).full_name
    short = patch_coach(client, h, world.a.coach_id, contract_end="2026-12-31")
    assert short.status_code == 422
    [message] = short.json["error"]["fields"]["contract_end"]
    assert f"{mentee_name} (2025-02-01 to 2027-06-30)" in message
    late = patch_coach(client, h, world.a.coach_id, contract_start="2025-03-01")
    assert late.status_code == 422
    assert mentee_name in late.json["error"]["fields"]["contract_start"][0]
    assert patch_coach(client, h, world.a.coach_id, contract_end="2028-06-30").status_code == 200
    # an ended pairing no longer holds the contract: shortening it to the logs is allowed
    assert end_pairing(client, h, world.a.pairing_id, "2025-06-30").status_code == 200
    assert patch_coach(client, h, world.a.coach_id, contract_end="2025-12-31").status_code == 200


def test_the_contract_form_names_the_pairings_it_would_leave_out(app, client, world):
    from scbi.coaches.models import Coach

    with app.app_context():
        coach = db.session.get(Coach, world.a.coach_id)
        form = {
            "nationality": coach.nationality,
            "organisation": coach.organisation,
            "technical_expertise": coach.technical_expertise,
            "coaching_experience_years": coach.coaching_experience_years,
            "coaching_qualification": coach.coaching_qualification,
            "sector_id": coach.sector_id,
            "host_institution_id": coach.host_institution_id,
            "contract_start": coach.contract_start.isoformat(),
            "contract_end": "2026-01-31",
            "max_mentees": coach.max_mentees,
            "status": coach.status,
            "version": coach.version,
        }
    login(client, world.secretariat)
    refused = post_form(client, f"/coaches/{world.a.coach_id}/edit", form)
    assert refused.status_code == 422
    assert "would fall outside it" in refused.text
    assert 'value="2026-01-31"' in refused.text  # the input is kept


def test_a_log_must_lie_inside_the_coachs_contract(app, world):
    """A contract that ended (set before this rule held) stops its open pairings taking
    logs dated after it: at creation, edit and submission."""
    with app.app_context():
        pairing = db.session.get(Pairing, world.a.pairing_id)
        coach = db.session.get(User, world.a.coach_user.id)
        draft = logs.create_log(
            pairing,
            by=coach,
            activity_date=date(2025, 9, 1),
            activity_type="shadowing",
            hours=1,
            title="Grid code drafting",
            mentee_role="observed",
            competency_ids=[world.competency_id],
        )
        pairing.coach.contract_end = date(2025, 8, 31)  # as an older release allowed
        db.session.flush()
        attempts = {
            "create": lambda: logs.create_log(
                pairing,
                by=coach,
                activity_date=date(2025, 9, 2),
                activity_type="shadowing",
                hours=1,
                title="Later",
                mentee_role="observed",
                competency_ids=[world.competency_id],
            ),
            "edit": lambda: logs.update_log(
                draft, by=coach, version=draft.version, activity_date=date(2025, 9, 3)
            ),
            "submit": lambda: logs.submit_log(draft, by=coach),
        }
        for name, attempt in attempts.items():
            with pytest.raises(ValidationFailed) as refused:
                attempt()
            assert "coach's contract (2025-01-01 to 2025-08-31)" in " ".join(
                refused.value.fields["activity_date"]
            ), name
        db.session.rollback()


def test_nothing_is_written_for_a_mentee_who_left(app, world):
    """Whoever tries and whatever the pairing's state, the exit's own message answers."""
    with app.app_context():
        pairing = db.session.get(Pairing, world.a.pairing_id)
        coach = db.session.get(User, world.a.coach_user.id)
        mentee = db.session.get(Mentee, world.a.mentee_id)
        change_status(
            mentee, by=f.admin(), version=mentee.version, status="withdrawn",
            status_date=today() - timedelta(days=1),
        )  # fmt: skip
        log = db.session.get(TransferLog, world.log_id)
        attempts = [
            lambda: logs.create_log(pairing, by=coach, activity_date=date(2025, 6, 3)),
            lambda: logs.acknowledge_log(log, by=mentee.user),
            lambda: logs.dispute_log(log, by=mentee.user, comment="Not like this"),
        ]
        for attempt in attempts:
            with pytest.raises(InvalidTransition, match="left the programme"):
                attempt()
        assert log.status == "submitted"
        db.session.rollback()
