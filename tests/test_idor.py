"""IDOR: people of sector A reaching sector B's objects get 404/403 and change nothing.

A coach reaches only their own pairings and mentees, a mentee only their own records, a
coordinator only their sectors, in pages and API alike.
"""

from __future__ import annotations

import pytest

from scbi.extensions import db
from scbi.mentees.models import Mentee
from scbi.transfer.models import Pairing
from tests import factories
from tests.helpers import api_token, bearer, csrf_token, login

OUTSIDERS = ("coach", "mentee", "coordinator")


def outsider(world, role):
    return {
        "coach": world.a.coach_user,
        "mentee": world.a.mentee_user,
        "coordinator": world.a.coordinator,
    }[role]


def b_paths(world):
    b = world.b
    return [
        f"/pairings/{b.pairing_id}",
        f"/mentees/{b.mentee_id}",
        f"/coaches/{b.coach_id}",
        f"/api/v1/pairings/{b.pairing_id}",
        f"/api/v1/mentees/{b.mentee_id}",
        f"/api/v1/coaches/{b.coach_id}",
    ]


@pytest.mark.parametrize("role", OUTSIDERS)
def test_reading_another_sectors_records_is_404(app, client, role):
    world = factories.world(app)
    person = outsider(world, role)
    headers = bearer(api_token(client, person))
    login(client, person)
    for path in b_paths(world):
        kwargs = {"headers": headers} if path.startswith("/api/") else {}
        assert client.get(path, **kwargs).status_code == 404, (role, path)


@pytest.mark.parametrize("role", OUTSIDERS)
def test_changing_another_sectors_records_is_refused_and_changes_nothing(app, client, role):
    world = factories.world(app)
    person = outsider(world, role)
    headers = bearer(api_token(client, person))
    b = world.b
    calls = [
        ("post", f"/api/v1/pairings/{b.pairing_id}/pause", {"version": 1}),
        (
            "post",
            f"/api/v1/pairings/{b.pairing_id}/end",
            {"status": "terminated", "end_date": "2025-06-01", "reason": "x", "version": 1},
        ),
        (
            "patch",
            f"/api/v1/mentees/{b.mentee_id}",
            {"status": "withdrawn", "status_date": "2025-06-01", "version": 1},
        ),
    ]
    for method, path, body in calls:
        status = getattr(client, method)(path, json=body, headers=headers).status_code
        assert status in (403, 404), (role, path, status)
    login(client, person)
    token = csrf_token(client, "/")
    for path in (f"/pairings/{b.pairing_id}/pause", f"/pairings/{b.pairing_id}/end"):
        status = client.post(path, data={"csrf_token": token, "version": "1"}).status_code
        assert status in (403, 404), (role, path, status)
    with app.app_context():
        assert db.session.get(Pairing, b.pairing_id).status == "active"
        assert db.session.get(Mentee, b.mentee_id).status == "active"


def test_a_coordinator_cannot_filter_their_way_into_another_sector(app, client):
    world = factories.world(app)
    login(client, world.a.coordinator)
    page = client.get(f"/mentees?sector_id={world.b.sector_id}").text
    assert "No mentees match." in page
    page = client.get(f"/pairings?sector_id={world.b.sector_id}").text
    assert "No pairings." in page


def test_a_coach_sees_only_their_own_mentees(app, client):
    world = factories.world(app)
    login(client, world.a.coach_user)
    page = client.get("/mentees").text
    assert f"/mentees/{world.a.mentee_id}" in page
    assert f"/mentees/{world.b.mentee_id}" not in page


@pytest.mark.parametrize("role", OUTSIDERS)
def test_another_sectors_plans_logs_and_evidence_are_404(app, client, role):
    """Sector A's plan, log and evidence file, reached by sector B's people."""
    world = factories.world(app)
    person = {
        "coach": world.b.coach_user,
        "mentee": world.b.mentee_user,
        "coordinator": world.b.coordinator,
    }[role]
    login(client, person)
    for path in (
        f"/plans/{world.plan_id}",
        f"/logs/{world.log_id}",
        f"/evidence/{world.evidence_id}/download",
        f"/logs/{world.log_id}/edit",
        f"/mentees/{world.a.mentee_id}/portfolio",
        f"/mentees/{world.a.mentee_id}/portfolio.pdf",
    ):
        response = client.get(path)
        assert response.status_code in (403, 404), (role, path)
        assert "Content-Disposition" not in response.headers, (role, path)
    headers = bearer(api_token(client, person))
    for path in (
        f"/api/v1/plans/{world.plan_id}",
        f"/api/v1/logs/{world.log_id}",
        f"/api/v1/evidence/{world.evidence_id}/download",
        f"/api/v1/pairings/{world.a.pairing_id}/logs",
    ):
        assert client.get(path, headers=headers).status_code == 404, (role, path)
    token = csrf_token(client, "/")
    client.post(
        f"/logs/{world.log_id}",
        data={"csrf_token": token, "action": "respond", "acknowledge": "y", "version": "1"},
    )
    with app.app_context():
        from scbi.transfer.models import TransferLog

        assert db.session.get(TransferLog, world.log_id).status == "submitted"


def test_another_sectors_published_reports_are_404(app, client):
    """Sector A's publication, reached by sector B's coordinator: pages, files and API."""
    from scbi.reports.models import PublishedReport

    world = factories.world(app)
    with app.app_context():
        report_id = factories.publication(world.a.sector_id).id
        db.session.commit()
    person = world.b.coordinator
    headers = bearer(api_token(client, person))
    for path in (
        f"/api/v1/reports/published/{report_id}",
        f"/api/v1/reports/published/{report_id}?format=pdf",
        f"/api/v1/reports/published/{report_id}?format=xlsx",
    ):
        assert client.get(path, headers=headers).status_code == 404, path
    listed = client.get(f"/api/v1/reports/published?sector_id={world.a.sector_id}", headers=headers)
    assert listed.json["total"] == 0
    body = {"sector_id": world.a.sector_id, "fy": 2025, "quarter": 2, "went_well": "x"}
    body |= {"went_badly": "x", "next_steps": "x"}
    assert client.post("/api/v1/reports/published", json=body, headers=headers).status_code == 404
    login(client, person)
    for path in (
        f"/reports/published/{report_id}",
        f"/reports/published/{report_id}?format=pdf",
        f"/reports/published/{report_id}?format=xlsx",
    ):
        assert client.get(path).status_code == 404, path
    token = csrf_token(client, "/")
    narrative = {"csrf_token": token, "went_well": "x", "went_badly": "x", "next_steps": "x"}
    assert (
        client.post(f"/reports/published/{report_id}/addendum", data=narrative).status_code == 404
    )
    publish = f"/reports/sectors/{world.a.sector_id}/publish?fy=2025&quarter=2"
    assert client.post(publish, data=narrative).status_code == 404
    with app.app_context():
        assert db.session.scalars(db.select(PublishedReport.id)).all() == [report_id]


@pytest.mark.parametrize("role", OUTSIDERS)
def test_another_sectors_contract_funding_is_out_of_reach(app, client, role):
    """Sector B's coach's funding: 404 to sector A's people (or 403 by role), pages and
    API alike, and nothing changes."""
    from scbi.coaches.models import Coach
    from scbi.partners.models import ContractFunding

    world = factories.world(app)
    person = outsider(world, role)
    b = world.b
    headers = bearer(api_token(client, person))
    path = f"/api/v1/coaches/{b.coach_id}/funding"
    assert client.get(path, headers=headers).status_code in (403, 404)
    body = {"items": [], "version": 1}
    status = client.put(path, json=body, headers=headers).status_code
    assert status in (403, 404), (role, status)
    login(client, person)
    assert client.get(f"/coaches/{b.coach_id}/funding").status_code in (403, 404)
    token = csrf_token(client, "/")
    data = {"csrf_token": token, "version": "1", "partner_id": "1", "currency": "USD"}
    for path in (f"/coaches/{b.coach_id}/funding", f"/coaches/{b.coach_id}/funding/0/remove"):
        assert client.post(path, data=data).status_code in (403, 404), (role, path)
    with app.app_context():
        assert db.session.query(ContractFunding).count() == 0
        assert db.session.get(Coach, b.coach_id).version == 1


def test_a_coordinator_reads_only_their_sectors_funding(app, client):
    world = factories.world(app)
    headers = bearer(api_token(client, world.a.coordinator))
    for coach_id, status in ((world.a.coach_id, 200), (world.b.coach_id, 404)):
        path = f"/api/v1/coaches/{coach_id}/funding"
        assert client.get(path, headers=headers).status_code == status


@pytest.mark.parametrize("role", OUTSIDERS)
def test_another_sectors_follow_ups_are_out_of_reach(app, client, role):
    """Sector B's mentee, who left the programme: their follow-ups are a 404 to sector A's
    people (or 403 by role: coaches), pages and API alike, and nothing is recorded."""
    from datetime import date

    from scbi.retention.models import FollowUp
    from tests.retention.helpers import end_pairings

    world = factories.world(app)
    with app.app_context():
        end_pairings(db.session.get(Mentee, world.b.mentee_id), date(2025, 3, 1))
        db.session.commit()
    person = outsider(world, role)
    b = world.b.mentee_id
    refused = 403 if role == "coach" else 404  # coaches: no access to follow-ups at all
    headers = bearer(api_token(client, person))
    body = {"in_public_service": False, "coaching_others": False, "version": 1}
    assert client.get(f"/api/v1/mentees/{b}/follow-ups", headers=headers).status_code == refused
    for months in (6, 12):
        path = f"/api/v1/mentees/{b}/follow-ups/{months}"
        status = client.put(path, json=body, headers=headers).status_code
        # a coordinator may never record an answer: refused by role before any lookup
        assert status == (403 if role == "coordinator" else refused), role
    login(client, person)
    token = csrf_token(client, "/")
    data = {"csrf_token": token, "in_public_service": "no", "coaching_others": "no"}
    for months in (6, 12):
        path = f"/mentees/{b}/follow-ups/{months}"
        assert client.get(path).status_code == refused, (role, path)
        assert client.post(path, data=data).status_code == refused, (role, path)
    page = client.get("/follow-ups")
    assert page.status_code == 403 or f'href="/mentees/{b}"' not in page.text
    with app.app_context():
        assert db.session.query(FollowUp).count() == 0


@pytest.mark.parametrize("role", OUTSIDERS)
def test_another_sectors_indicators_cannot_be_changed(app, client, role):
    """Sector A's result's indicator (read by everyone, like the result), changed or
    deleted by sector B's people in pages and API: refused, and nothing changes; nor can
    B's coach name A's result on a log of B."""
    from scbi.programme.models import Indicator, IndicatorValue

    world = factories.world(app)
    with app.app_context():
        made, value = factories.indicator(world.result_id)
        db.session.commit()
        ident, version, value_version = made.id, made.version, value.version
        value_id = value.id
    person = {
        "coach": world.b.coach_user,
        "mentee": world.b.mentee_user,
        "coordinator": world.b.coordinator,
    }[role]
    headers = bearer(api_token(client, person))
    calls = [
        ("post", f"/api/v1/priority-results/{world.result_id}/indicators", {"name": "x"}),
        ("patch", f"/api/v1/indicators/{ident}", {"unit": "MW", "version": version}),
        (
            "put",
            f"/api/v1/indicators/{ident}/values/2025/1",
            {"value": "1", "source": "x", "version": value_version},
        ),
        ("delete", f"/api/v1/indicators/{ident}/values/2025/1?version={value_version}", {}),
        ("delete", f"/api/v1/indicators/{ident}?version={version}", {}),
    ]
    for method, path, body in calls:
        status = getattr(client, method)(path, json=body, headers=headers).status_code
        assert status in (403, 404), (role, path, status)
    login(client, person)
    token = csrf_token(client, "/")
    for path, data in (
        (f"/indicators/{ident}/edit", {"name": "x", "unit": "MW", "version": str(version)}),
        (
            f"/indicators/{ident}/values",
            {"fiscal_year": "2025", "quarter": "1", "value": "1", "source": "x"},
        ),
        (f"/priority-results/{world.result_id}/indicators/new", {"name": "x", "unit": "y"}),
        (f"/indicator-values/{value_id}/delete", {"version": str(value_version)}),
        (f"/indicators/{ident}/delete", {"version": str(version)}),
    ):
        status = client.post(path, data={"csrf_token": token, **data}).status_code
        assert status in (403, 404), (role, path, status)
    with app.app_context():
        assert db.session.get(Indicator, ident).unit == "%"
        assert db.session.scalar(db.select(db.func.count()).select_from(Indicator)) == 1
        assert str(db.session.scalar(db.select(IndicatorValue.value))).startswith("18")
    if role == "coach":
        response = client.post(
            f"/api/v1/pairings/{world.b.pairing_id}/logs",
            json={
                "activity_date": "2025-06-02",
                "activity_type": "on_the_job",
                "hours": 1,
                "title": "x",
                "mentee_role": "led",
                "competency_ids": [world.competency_id],
                "off_plan_reason": "x",
                "priority_result_id": world.result_id,
            },
            headers=headers,
        )
        assert response.status_code == 422
        assert "priority_result_id" in response.json["error"]["fields"]


@pytest.mark.parametrize("role", OUTSIDERS)
def test_the_lists_behind_another_sectors_figures_are_404_or_hold_nothing(app, client, role):
    """Figures you can open: the experts, plan items and costs of sector B's report are a 404 to
    sector A's coordinator (and refused to a coach or a mentee, who read no report); the
    log, mentee, coach and pairing lists a figure opens keep to the reader's scope."""
    world = factories.world(app)
    person = outsider(world, role)
    login(client, person)
    b = world.b.sector_id
    for path in (
        f"/reports/experts?sector_id={b}",
        f"/reports/experts?sector_id={world.a.sector_id}&sector_id={b}&below=0",
        f"/reports/plan-items?sector_id={b}&from=2025-01-01&to=2025-12-31",
        f"/reports/costs?sector_id={b}&span=cumulative&currency=USD",
        f"/reports/priority-results?sector_id={b}&status=not_started",
    ):
        assert client.get(path).status_code in (403, 404), (role, path)
    if role != "coordinator":
        return
    for path in (
        f"/logs?sector_id={b}&dated_by=submitted&from=2020-01-01&to=2030-12-31",
        f"/mentees?sector_id={b}&status=all&active_from=2020-01-01&active_to=2030-12-31",
        f"/coaches?sector_id={b}&status=all&active_from=2020-01-01",
        f"/pairings?sector_id={b}&status=all&active_to=2030-12-31",
    ):
        page = client.get(path).get_data(as_text=True)
        assert 'data-total="0"' in page, path
    headers = bearer(api_token(client, person))
    assert client.get(f"/api/v1/logs?sector_id={b}&counted=1", headers=headers).json["total"] == 0


@pytest.mark.parametrize("role", OUTSIDERS)
def test_another_sectors_engagements_are_404_and_unchanged(app, client, role):
    """Sector B's short engagements (coach B brokered, mentee B in the team): sector A's
    people read none of them (404, audited), change none (403 or 404) and find none in
    their lists, pages and API alike; nor does a coach or a mentee of sector A read one of
    their own sector that is not theirs."""
    from scbi.audit import AuditEvent
    from scbi.engagements.models import Engagement, EngagementCheckIn
    from tests.engagements.helpers import active, brokered, requested

    world = factories.world(app)
    with app.app_context():
        waiting, running = brokered(world.b), active(world.b)
        own_sector = requested(world.a)  # no coach nor team yet: the coordinator's only
        db.session.commit()
        ids = [waiting.id, running.id]
        versions = {e.id: e.version for e in (waiting, running, own_sector)}
        own_sector = own_sector.id
    person = outsider(world, role)
    headers = bearer(api_token(client, person))
    login(client, person)
    hidden = [*ids] if role == "coordinator" else [*ids, own_sector]
    for ident in hidden:
        for path in (f"/engagements/{ident}", f"/api/v1/engagements/{ident}",
                     f"/api/v1/engagements/{ident}/check-ins"):  # fmt: skip
            kwargs = {"headers": headers} if path.startswith("/api/") else {}
            assert client.get(path, **kwargs).status_code == 404, (role, path)
    calls = [
        ("patch", "", {"problem": "x", "version": versions[waiting.id]}, waiting.id),
        ("put", "/team", {"members": [], "version": versions[waiting.id]}, waiting.id),
        ("post", "/broker", {"coach_id": world.a.coach_id, "start_date": "2025-03-03",
                             "weeks": 2, "version": versions[waiting.id]}, waiting.id),
        ("post", "/start", {"version": versions[waiting.id]}, waiting.id),
        ("post", "/decline", {"reason": "x", "version": versions[waiting.id]}, waiting.id),
        ("post", "/withdraw", {"reason": "x", "version": versions[waiting.id]}, waiting.id),
        ("post", "/check-ins", {"note": "x"}, running.id),
        ("post", "/close", {"outcomes": [], "team_can_now": "x", "longer_pairing": False,
                            "version": versions[running.id]}, running.id),
    ]  # fmt: skip
    for method, tail, body, ident in calls:
        path = f"/api/v1/engagements/{ident}{tail}"
        status = getattr(client, method)(path, json=body, headers=headers).status_code
        assert status in (403, 404), (role, path, status)
    token = csrf_token(client, "/")
    for tail, ident in (("/edit", waiting.id), ("/team", waiting.id), ("/broker", waiting.id),
                        ("/start", waiting.id), ("/decline", waiting.id),
                        ("/withdraw", waiting.id), ("/check-ins/new", running.id),
                        ("/close", running.id)):  # fmt: skip
        path = f"/engagements/{ident}{tail}"
        data = {"csrf_token": token, "note": "x", "reason": "x", "version": "1"}
        assert client.post(path, data=data).status_code in (403, 404), (role, path)
    listed = client.get("/engagements?status=all").text
    assert not any(f'href="/engagements/{i}"' in listed for i in hidden)
    assert client.get("/api/v1/engagements?status=all", headers=headers).json["total"] == (
        1 if role == "coordinator" else 0  # sector A's own, brokered to another coach
    )
    with app.app_context():
        assert {e.id: e.version for e in db.session.scalars(db.select(Engagement))} == versions
        assert db.session.query(EngagementCheckIn).count() == 0
        denied = db.session.scalars(
            db.select(AuditEvent.entity_id).where(
                AuditEvent.action == "access.denied", AuditEvent.entity_type == "engagement"
            )
        ).all()
        assert set(hidden) <= set(denied)


@pytest.mark.parametrize("role", OUTSIDERS)
def test_another_sectors_exchange_is_out_of_reach_and_unchanged(app, client, role):
    """Sector A's exchange, its actions, reflections and plan link, reached by sector B's
    people (who took no part in it) on the pages and in the API."""
    from scbi.exchanges.models import Exchange, ExchangeAction, ExchangePlanLink
    from tests.exchanges.helpers import exchange_of_a

    world = factories.world(app)
    with app.app_context():
        made = exchange_of_a(world)
    person = {
        "coach": world.b.coach_user,
        "mentee": world.b.mentee_user,
        "coordinator": world.b.coordinator,
    }[role]
    login(client, person)
    ex = f"/exchanges/{made.id}"
    assert "Grid code peer visit" not in client.get("/exchanges").text
    for path in (ex, f"{ex}/edit", f"{ex}/participants", f"{ex}/reflection", f"{ex}/plan-links"):
        assert client.get(path).status_code in (403, 404), (role, path)
    token = csrf_token(client, "/")
    for path, data in (
        (f"{ex}/edit", {"title": "Taken", "version": "1"}),
        (
            f"{ex}/participants",
            {"kind": "external", "name": "X", "organisation": "Y", "country": "KE"},
        ),
        (f"{ex}/participants/{made.guest_id}/remove", {}),
        (f"{ex}/actions/new", {"description": "x", "owner_name": "x", "due_on": "2026-01-01"}),
        (f"/exchange-actions/{made.action_id}/done", {"version": "1"}),
        (f"{ex}/reflection", {"text": "Mine"}),
        (f"/exchange-plan-links/{made.link_id}/remove", {}),
    ):
        status = client.post(path, data={"csrf_token": token, **data}).status_code
        assert status in (403, 404), (role, path, status)
    headers = bearer(api_token(client, person))
    api = f"/api/v1/exchanges/{made.id}"
    for method, path, body in (
        ("get", api, None),
        ("get", f"{api}/reflections", None),
        ("patch", api, {"title": "Taken", "version": 1}),
        (
            "post",
            f"{api}/participants",
            {"kind": "external", "name": "X", "organisation": "Y", "country": "KE"},
        ),
        ("delete", f"{api}/participants/{made.guest_id}", None),
        ("post", f"{api}/actions", {"description": "x", "owner_name": "x", "due_on": "2026-01-01"}),
        ("patch", f"/api/v1/exchange-actions/{made.action_id}", {"version": 1, "description": "x"}),
        ("post", f"/api/v1/exchange-actions/{made.action_id}/done", {"version": 1}),
        ("put", f"{api}/reflection", {"text": "Mine"}),
        ("post", f"{api}/plan-links", {"plan_id": world.plan_id}),
        ("delete", f"/api/v1/exchange-plan-links/{made.link_id}", None),
    ):
        status = client.open(path, method=method.upper(), json=body, headers=headers).status_code
        assert status in (403, 404), (role, method, path, status)
    with app.app_context():
        assert db.session.get(Exchange, made.id).version == 1
        assert len(db.session.get(Exchange, made.id).participants) == 3
        assert db.session.get(ExchangeAction, made.action_id).done_on is None
        assert db.session.get(ExchangePlanLink, made.link_id) is not None


@pytest.mark.parametrize("role", OUTSIDERS)
def test_another_sectors_lessons_are_out_of_reach_and_unchanged(app, client, role):
    """Sector B's entries of the lessons register (an exchange's learning, a closed
    engagement, a publication with a tag) reached by sector A's people: not listed, their
    tag pages and tags 404 (the coordinator, audited) or 403 (a coach, a mentee: not their
    pages), nothing tagged and nothing taken off, on the pages and in the API."""
    from scbi.audit import AuditEvent
    from scbi.lessons.models import LessonTag
    from tests.lessons.helpers import closed_engagement, learnt_exchange, published, tag

    world = factories.world(app)
    with app.app_context():
        entries = {
            "exchange": learnt_exchange(world, "b", learnt="Tariff calendar"),
            "engagement": closed_engagement(world, "b", hoped_result="A tariff"),
            "report": published(world, "b"),
        }
        held = tag("report", entries["report"], problem="tariff backlog").id
    person = outsider(world, role)
    headers = bearer(api_token(client, person))
    login(client, person)
    token = csrf_token(client, "/")
    expected = (404,) if role == "coordinator" else (403,)
    for source, ident in entries.items():
        page = f"/lessons/{source}/{ident}/tags"
        assert client.get(page).status_code in expected, (role, page)
        posted = client.post(page, data={"csrf_token": token, "problem": "taken"})
        assert posted.status_code in expected, (role, page)
        api = f"/api/v1/lessons/{source}/{ident}/tags"
        assert client.post(api, json={"problem": "taken"}, headers=headers).status_code in (
            expected
        ), (role, api)
    removed = client.post(f"/lesson-tags/{held}/remove", data={"csrf_token": token})
    assert removed.status_code in expected
    assert client.delete(f"/api/v1/lesson-tags/{held}", headers=headers).status_code in expected
    if role == "coordinator":
        assert "Tariff" not in client.get("/lessons?q=tariff").text
        assert 'data-total="0"' in client.get("/lessons").text
        listed = client.get("/api/v1/lessons?q=tariff", headers=headers).json
        assert listed["total"] == 0
    with app.app_context():
        assert [t.id for t in db.session.scalars(db.select(LessonTag))] == [held]
        if role == "coordinator":
            denied = db.session.scalars(
                db.select(AuditEvent.entity_type).where(AuditEvent.action == "access.denied")
            ).all()
            assert {"exchange", "engagement", "published_report", "lesson_tag"} <= set(denied)
