"""The skills-transfer flow in the web UI, as the people would click it."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

from scbi.extensions import db
from scbi.transfer.models import TransferLog, TransferPlan
from tests import factories as f
from tests.helpers import QueryCounter, csrf_token, login, post_form


def new_world(app):
    """World B's pairing has no plan: its coach writes one; its sector has a competency."""
    world = f.world(app)
    with app.app_context():
        comps = f.competencies(world.b.sector_id, 2)
        db.session.commit()
        world.comp_ids = [c.id for c in comps]
    return world


def plan_form(world, submit_plan=None, **row0):
    data = {
        "items-0-competency_id": world.comp_ids[0],
        "items-0-baseline_level": "1",
        "items-0-target_level": "3",
        "items-0-target_date": f.target_day().isoformat(),
        "items-0-methods": ["on_the_job", "joint_delivery"],
        "items-0-expected_evidence": "A grid study the mentee leads",
        "items-1-competency_id": "",
        "items-2-competency_id": "",
    }
    data.update({f"items-0-{k}": v for k, v in row0.items()})
    if submit_plan:
        data["submit_plan"] = submit_plan
    return data


def test_plan_written_returned_fixed_and_approved(app, client):
    world = new_world(app)
    login(client, world.b.coach_user)
    page = client.get(f"/pairings/{world.b.pairing_id}/plans/new")
    assert page.status_code == 200 and "items-2-competency_id" in page.text
    bad = post_form(
        client,
        f"/pairings/{world.b.pairing_id}/plans/new",
        plan_form(world, target_level="1", submit_plan="y"),
    )
    assert bad.status_code == 422
    assert "The target must be above the baseline" in bad.text
    assert "A grid study the mentee leads" in bad.text  # the input is kept
    ok = post_form(
        client, f"/pairings/{world.b.pairing_id}/plans/new", plan_form(world, submit_plan="y")
    )
    plan_id = int(re.search(r"/plans/(\d+)", ok.headers["Location"])[1])

    coordinator = app.test_client()
    login(coordinator, world.b.coordinator)
    assert f"/plans/{plan_id}" in coordinator.get("/plans").text
    # a queue of one opens its record, not a list of one
    assert re.search(f'href="/plans/{plan_id}">1 plan waits', coordinator.get("/").text)
    returned = post_form(
        coordinator,
        f"/plans/{plan_id}",
        {"comment": "Add the PPA competency", "send_back": "y", "version": _version(app, plan_id)},
    )
    assert returned.status_code == 302
    home = client.get("/").text
    assert re.search(f'href="/plans/{plan_id}">1 plan returned to you', home)
    edit = client.get(f"/plans/{plan_id}/edit").text
    assert "Add the PPA competency" in edit
    form = plan_form(world, submit_plan="y")
    form.update(
        {
            "items-1-competency_id": world.comp_ids[1],
            "items-1-baseline_level": "0",
            "items-1-target_level": "2",
            "items-1-target_date": f.target_day().isoformat(),
            "items-1-methods": ["formal_training"],
            "items-1-expected_evidence": "Negotiation brief",
            "version": _version(app, plan_id),
        }
    )
    assert post_form(client, f"/plans/{plan_id}/edit", form).status_code == 302
    approved = post_form(
        coordinator,
        f"/plans/{plan_id}",
        {"comment": "", "approve": "y", "version": _version(app, plan_id)},
    )
    assert approved.status_code == 302
    with app.app_context():
        plan = db.session.get(TransferPlan, plan_id)
        assert plan.status == "approved" and len(plan.items) == 2
    # the plan page: where it stands and the latest decision first, every older step after
    page = client.get(f"/plans/{plan_id}").text
    steps = [m.group(1) for m in re.finditer(r"(Approved|Returned|Submitted|Written) by ", page)]
    assert steps == ["Approved", "Submitted", "Returned", "Submitted", "Written"]
    assert "Add the PPA competency" in page.split('id="steps-h"')[1]  # the return, in history


def _log_version(app, log_id):
    with app.app_context():
        return db.session.get(TransferLog, log_id).version


def _version(app, plan_id):
    with app.app_context():
        return db.session.get(TransferPlan, plan_id).version


def test_a_week_of_logs_acknowledged_disputed_and_corrected(app, client):
    world = f.world(app)  # pairing A has an approved plan with one competency
    login(client, world.a.coach_user)
    quick = client.get(f"/pairings/{world.a.pairing_id}/logs/new").text
    assert 'name="hours"' in quick and 'inputmode="decimal"' in quick
    assert "checked" in quick  # the last log's competency is remembered
    ids = []
    for n in range(5):
        day = (date(2025, 6, 2) + timedelta(days=n)).isoformat()
        response = post_form(
            client,
            f"/pairings/{world.a.pairing_id}/logs/new",
            {
                "activity_date": day,
                "hours": "1.5",
                "activity_type": "on_the_job",
                "mentee_role": "co_led",
                "competency_ids": [str(world.competency_id)],
                "title": f"Day {n + 1}: network model",
                "submit_log": "y",
            },
        )
        assert response.status_code == 302, response.text[:500]
        ids.append(int(re.search(r"/logs/(\d+)", response.headers["Location"])[1]))
    refused = post_form(
        client,
        f"/pairings/{world.a.pairing_id}/logs/new",
        {
            "activity_date": "2099-01-01",
            "hours": "30",
            "activity_type": "on_the_job",
            "mentee_role": "led",
            "competency_ids": [str(world.competency_id)],
            "title": "Later",
        },
    )
    assert refused.status_code == 422
    assert "cannot be in the future" in refused.text and 'value="Later"' in refused.text

    mentee = app.test_client()
    login(mentee, world.a.mentee_user)
    queue = mentee.get("/my/logs").text
    assert queue.count("Acknowledge") >= 5
    token = csrf_token(mentee, "/")
    ack = mentee.post(
        f"/logs/{ids[0]}",
        data={
            "csrf_token": token,
            "action": "respond",
            "acknowledge": "y",
            "version": _log_version(app, ids[0]),
            "next": "/my/logs",
        },
    )
    assert ack.status_code == 302 and ack.headers["Location"] == "/my/logs"
    version = _log_version(app, ids[1])
    no_reason = mentee.post(
        f"/logs/{ids[1]}",
        data={"csrf_token": token, "action": "respond", "dispute": "y", "version": version},
    )
    assert no_reason.status_code == 422 and "Say what is wrong" in no_reason.text
    mentee.post(
        f"/logs/{ids[1]}",
        data={
            "csrf_token": token,
            "action": "respond",
            "dispute": "y",
            "version": version,
            "comment": "It was one hour",
        },
    )
    assert "1 log disputed by a mentee" in client.get("/").text
    edit = client.get(f"/logs/{ids[1]}/edit").text
    assert "It was one hour" in edit
    with app.app_context():
        version = db.session.get(TransferLog, ids[1]).version
    fixed = post_form(
        client,
        f"/logs/{ids[1]}/edit",
        {
            "activity_date": "2025-06-03",
            "hours": "1",
            "activity_type": "on_the_job",
            "mentee_role": "co_led",
            "competency_ids": [str(world.competency_id)],
            "title": "Day 2: network model",
            "version": version,
            "submit_log": "y",
        },
    )
    assert fixed.status_code == 302
    with app.app_context():
        log = db.session.get(TransferLog, ids[1])
        assert (log.status, log.minutes) == ("submitted", 60)
        assert [e.action for e in log.events][-3:] == ["disputed", "corrected", "submitted"]


def test_evidence_upload_and_download_in_the_ui(app, client):
    world = f.world(app)
    login(client, world.a.coach_user)
    response = post_form(
        client,
        f"/pairings/{world.a.pairing_id}/logs/new",
        {
            "activity_date": "2025-06-10",
            "hours": "2",
            "activity_type": "review_feedback",
            "mentee_role": "led",
            "competency_ids": [str(world.competency_id)],
            "title": "Review of the mentee's study",
        },
    )
    log_id = int(re.search(r"/logs/(\d+)", response.headers["Location"])[1])
    post_form(
        client,
        f"/logs/{log_id}/evidence",
        {"file": (io.BytesIO(b"%PDF-1.4 report"), "review.pdf"), "title": "Review notes"},
        content_type="multipart/form-data",
    )
    page = client.get(f"/logs/{log_id}").text
    evidence_id = int(re.search(r"/evidence/(\d+)/download", page)[1])
    assert f'href="/evidence/{evidence_id}/download" target="_blank"' in page
    download = client.get(f"/evidence/{evidence_id}/download")
    assert download.status_code == 200 and download.data == b"%PDF-1.4 report"
    assert download.headers["Content-Disposition"].startswith("inline")  # a PDF opens
    bad = post_form(
        client,
        f"/logs/{log_id}/evidence",
        {"file": (io.BytesIO(b"MZ..."), "tool.exe")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 302
    assert "Allowed:" in client.get(f"/logs/{log_id}").text


def test_workspace_pages_do_not_grow_with_logs(app, client):
    world = f.world(app)
    login(client, world.a.coach_user)
    mentee = app.test_client()
    login(mentee, world.a.mentee_user)
    manager = app.test_client()
    login(manager, world.secretariat)
    pages = [
        (client, "/"),
        (client, f"/pairings/{world.a.pairing_id}"),
        (client, "/my/logs"),
        (mentee, "/"),
        (mentee, "/my/logs"),
        (manager, "/"),
        (manager, "/logs"),
        (manager, "/coaches/follow-up"),
        (manager, "/plans"),
    ]

    def counts():
        result = []
        for who, path in pages:
            with QueryCounter(app) as counter:
                assert who.get(path).status_code == 200, path
            result.append(counter.count)
        return result

    before = counts()
    with app.app_context():
        from scbi.auth.models import User
        from scbi.transfer.models import Pairing
        from scbi.transfer.services import logs

        pairing = db.session.get(Pairing, world.a.pairing_id)
        coach = db.session.get(User, world.a.coach_user.id)
        for n in range(30):
            log = logs.create_log(
                pairing,
                by=coach,
                activity_date=date(2025, 7, 1) + timedelta(days=n),
                activity_type="shadowing",
                hours=1,
                title=f"Log {n}",
                mentee_role="observed",
                competency_ids=[world.competency_id],
            )
            if n % 2:
                logs.submit_log(log, by=coach)
        db.session.commit()
    after = counts()
    assert after == before
    assert max(after) <= 15, after


def test_log_list_offers_a_random_sample(app, client):
    world = f.world(app)
    login(client, world.secretariat)
    page = client.get("/logs?sample=1&status=submitted")
    assert page.status_code == 200 and "Load-flow study" in page.text


def test_a_queue_of_one_opens_its_record_and_a_longer_one_its_list(app, client):
    world = new_world(app)
    login(client, world.a.mentee_user)
    assert re.search(f'href="/logs/{world.log_id}">1 log waits', client.get("/").text)
    coordinator = app.test_client()
    login(coordinator, world.a.coordinator)
    with app.app_context():
        from scbi.transfer.services import logs

        log = db.session.get(TransferLog, world.log_id)
        logs.acknowledge_log(log, by=log.pairing.mentee.user)
        db.session.commit()
    home = coordinator.get("/").text
    assert re.search(f'href="/logs/{world.log_id}">1 acknowledged log to verify', home)


def test_the_verification_queue_shows_evidence_and_verifies_the_ticked_logs(app, client):
    world = new_world(app)  # pairing A: a submitted log with a PDF as evidence
    with app.app_context():
        from scbi.auth.models import User
        from scbi.transfer.services import logs

        coach = db.session.get(User, world.a.coach_user.id)
        mentee = db.session.get(User, world.a.mentee_user.id)
        bare = f.draft_log(world, activity_date=date(2025, 6, 3), title="Tariff talk")
        logs.submit_log(bare, by=coach)
        for log_id in (world.log_id, bare.id):
            logs.acknowledge_log(db.session.get(TransferLog, log_id), by=mentee)
        db.session.commit()
        bare_id = bare.id
    login(client, world.a.coordinator)
    queue = client.get("/logs?status=acknowledged").text
    assert "Logs to verify" in queue and "1 piece of evidence" in queue and "no evidence" in queue
    assert "study.pdf" in queue or "Load-flow study" in queue
    assert 'name="verify"' in client.get("/logs?status=acknowledged&sample=1").text
    # sector B's coordinator cannot verify sector A's logs by naming them
    other = app.test_client()
    login(other, world.b.coordinator)
    stale_not_mine = post_form(other, "/logs/verify", {"verify": [f"{world.log_id}:1"]})
    assert stale_not_mine.status_code == 302
    versions = {i: _log_version(app, i) for i in (world.log_id, bare_id)}
    answer = post_form(
        client,
        "/logs/verify",
        {
            "verify": [
                f"{world.log_id}:{versions[world.log_id]}",
                f"{bare_id}:{versions[bare_id] - 1}",
            ],
            "next": "/logs?status=acknowledged&sample=1",
        },
    )
    assert answer.headers["Location"] == "/logs?status=acknowledged&sample=1"
    page = client.get("/").text
    assert "1 log verified." in page and "“Tariff talk” was not verified" in page
    with app.app_context():
        statuses = {i: db.session.get(TransferLog, i).status for i in (world.log_id, bare_id)}
    assert statuses == {world.log_id: "verified", bare_id: "acknowledged"}
    away = post_form(client, "/logs/verify", {"verify": [f"{bare_id}:1"], "next": "//evil.example"})
    assert away.headers["Location"] == "/logs?status=acknowledged"


def test_verifying_several_leaves_a_log_the_user_may_not_verify_and_does_the_rest(app):
    """A log the user can read but not verify (their own pairing as a coach, when they
    coordinate another sector) is refused with its reason, and the others are verified."""
    world = new_world(app)
    with app.app_context():
        from scbi.auth.models import User
        from scbi.transfer.services import logs

        log = db.session.get(TransferLog, world.log_id)
        logs.acknowledge_log(log, by=db.session.get(User, world.a.mentee_user.id))
        outsider = db.session.get(User, world.b.coordinator.id)
        refused = logs.verify_logs([(log, log.version)], by=outsider)
        assert [(entry.id, bool(reason)) for entry, reason in refused] == [(world.log_id, True)]
        assert log.status == "acknowledged"
        db.session.rollback()
