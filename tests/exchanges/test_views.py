"""The pages of peer exchanges: who sees which, the list's filters and pages, the forms
(refusals beside the field, input kept, stale edits), the home page's needs, and SQL
statements that do not grow with the data."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from scbi.audit import AuditEvent
from scbi.auth.models import User
from scbi.dates import today
from scbi.exchanges import services
from scbi.exchanges.models import Exchange, ExchangeAction, ExchangeParticipant
from scbi.exchanges.services import participants
from scbi.extensions import db
from tests import factories
from tests.exchanges.helpers import exchange_of_a
from tests.helpers import QueryCounter, csrf_token, login, post_form


@pytest.fixture
def world(app):
    return factories.world(app)


def exchange_of_b(world, **fields) -> int:
    """A one-day community-of-practice meeting of sector B with mentee B (app context)."""
    admin = factories.admin()
    exchange = services.create_exchange(
        by=admin,
        **{
            "kind": "community_of_practice",
            "title": "Seed systems practitioners' meeting",
            "starts_on": today() - timedelta(days=30),
            "sector_ids": [world.b.sector_id],
            "host_institution_id": world.b.institution_id,
        }
        | fields,
    )
    participants.add_participant(exchange, by=admin, kind="mentee", mentee_id=world.b.mentee_id)
    db.session.commit()
    return exchange.id


def titles(html: str) -> set[str]:
    return set(re.findall(r'href="/exchanges/\d+">([^<]+)</a>', html))


A_TITLE, B_TITLE = "Grid code peer visit", "Seed systems practitioners&#39; meeting"


@pytest.mark.parametrize(
    ("role", "seen"),
    [
        ("secretariat", {A_TITLE, B_TITLE}),
        ("coordinator", {A_TITLE}),
        ("coach", {A_TITLE}),
        ("mentee", {A_TITLE}),
    ],
)
def test_each_role_lists_the_exchanges_it_may_read(app, client, world, role, seen):
    with app.app_context():
        exchange_of_a(world)
        exchange_of_b(world)
    login(client, factories.people_of_sector_a(world)[role])
    assert titles(client.get("/exchanges").text) == seen


def test_a_coach_reads_an_exchange_a_mentee_they_coach_took_part_in(app, client, world):
    with app.app_context():
        made = exchange_of_b(world)
    login(client, world.b.coach_user)
    assert client.get(f"/exchanges/{made}").status_code == 200
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, world.a.coach_user)
    assert client.get(f"/exchanges/{made}").status_code == 404


def test_an_exchange_out_of_reach_is_a_404_and_the_refusal_is_audited(app, client, world):
    with app.app_context():
        made = exchange_of_a(world)
    login(client, world.b.coordinator)
    assert client.get(f"/exchanges/{made.id}").status_code == 404
    assert client.get(f"/exchanges/{made.id}/edit").status_code == 404
    with app.app_context():
        denied = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "access.denied")
        ).all()
    assert {(e.entity_type, e.entity_id) for e in denied} == {("exchange", made.id)}
    assert all(e.after["hidden"] for e in denied)


def test_the_list_filters_by_kind_state_sector_dates_and_actions(app, client, world):
    with app.app_context():
        exchange_of_a(world)  # held last week, an overdue action of mentee A's
        exchange_of_b(world, starts_on=today() - timedelta(days=60))
    login(client, world.secretariat)
    assert titles(client.get("/exchanges?kind=study_visit").text) == {A_TITLE}
    assert titles(client.get(f"/exchanges?sector_id={world.b.sector_id}").text) == {B_TITLE}
    start = (today() - timedelta(days=20)).isoformat()
    page = client.get(f"/exchanges?from={start}").text
    assert titles(page) == {A_TITLE}
    assert "Held on or after" in page  # the filter's chip
    assert titles(client.get("/exchanges?actions=overdue").text) == {A_TITLE}
    assert titles(client.get("/exchanges?actions=open").text) == {A_TITLE}
    assert titles(client.get("/exchanges?actions=mine").text) == set()
    assert titles(client.get("/exchanges?state=held").text) == {A_TITLE, B_TITLE}
    assert titles(client.get("/exchanges?state=planned").text) == set()
    assert titles(client.get("/exchanges?kind=nonsense&from=yesterday").text) == {A_TITLE, B_TITLE}


def test_the_list_is_paginated(app, client, world):
    with app.app_context():
        for n in range(27):
            services.create_exchange(
                by=factories.admin(),
                kind="exchange_workshop",
                title=f"Workshop {n:02d}",
                starts_on=today() - timedelta(days=n),
                sector_ids=[world.a.sector_id],
                host_institution_id=world.a.institution_id,
            )
        db.session.commit()
    login(client, world.secretariat)
    first, second = client.get("/exchanges").text, client.get("/exchanges?page=2").text
    assert len(titles(first)) == 25 and titles(second) == {"Workshop 25", "Workshop 26"}
    assert "27 in all" in first


def test_a_refused_exchange_form_keeps_the_input_and_names_the_field(app, client, world):
    login(client, world.a.coordinator)
    form = {
        "kind": "study_visit",
        "title": "Visit to the regulator",
        "starts_on": today().isoformat(),
        "host_organisation": "EPRA",
        "host_country": "",
    }
    refused = post_form(client, "/exchanges/new", form)
    assert refused.status_code == 422
    assert "Choose at least one sector." in refused.text
    assert "Choose the country." in refused.text
    assert 'value="Visit to the regulator"' in refused.text
    done = post_form(
        client, "/exchanges/new", form | {"host_country": "KE", "sector_ids": world.a.sector_id}
    )
    assert done.status_code == 302
    page = client.get(done.headers["Location"]).text
    assert "EPRA, Kenya" in page


def test_a_stale_edit_is_refused_with_the_input_kept(app, client, world):
    with app.app_context():
        made = exchange_of_a(world)
    login(client, world.a.coordinator)
    client.get(f"/exchanges/{made.id}/edit")
    with app.app_context():
        exchange = db.session.get(Exchange, made.id)
        services.update_exchange(
            exchange, by=factories.admin(), version=exchange.version, title="Renamed"
        )
        db.session.commit()
    sent = {
        "kind": "study_visit",
        "title": "My title",
        "starts_on": (today() - timedelta(days=9)).isoformat(),
        "sector_ids": world.a.sector_id,
        "host_institution_id": world.a.institution_id,
        "learnt": "Maintenance windows are planned a year ahead",
        "version": 1,
    }
    response = post_form(client, f"/exchanges/{made.id}/edit", sent)
    assert response.status_code == 409
    assert "changed by someone else" in response.text
    assert "Maintenance windows are planned a year ahead" in response.text


def test_participants_are_added_and_removed_on_their_page(app, client, world):
    with app.app_context():
        made = exchange_of_a(world)
    login(client, world.a.coordinator)
    path = f"/exchanges/{made.id}/participants"
    assert "Wanjiru Kamau" in client.get(path).text
    refused = post_form(
        client, path, {"kind": "external", "name": "Okello James", "organisation": "ERA"}
    )
    assert refused.status_code == 422
    assert "Choose the country." in refused.text and 'value="Okello James"' in refused.text
    added = post_form(
        client,
        path,
        {"kind": "external", "name": "Okello James", "organisation": "ERA", "country": "UG"},
    )
    assert added.status_code == 302
    assert "Okello James" in client.get(f"/exchanges/{made.id}").text
    with app.app_context():
        mentee_part = db.session.scalar(
            select(ExchangeParticipant.id).where(
                ExchangeParticipant.exchange_id == made.id,
                ExchangeParticipant.mentee_id == world.a.mentee_id,
            )
        )
    kept = post_form(client, f"{path}/{mentee_part}/remove", follow_redirects=True)
    assert "stay among its participants" in kept.text
    removed = post_form(client, f"{path}/{made.guest_id}/remove", follow_redirects=True)
    assert "Wanjiru Kamau removed from the participants." in removed.text
    assert "Wanjiru Kamau" not in client.get(path).text
    assert post_form(client, path, {"kind": "nobody"}).status_code == 422


def test_follow_up_actions_are_added_and_marked_done_by_their_owner(app, client, world):
    with app.app_context():
        made = exchange_of_a(world)
    login(client, world.a.coordinator)
    refused = post_form(client, f"/exchanges/{made.id}/actions/new", {"description": "Call EPRA"})
    assert refused.status_code == 422
    assert (
        "Give the action an owner" in refused.text and "Give the action a due date." in refused.text
    )
    assert "Call EPRA" in refused.text
    page = client.get(f"/exchanges/{made.id}").text
    assert "Overdue" in page and "Mark done" in page  # a manager may mark it done
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, world.a.mentee_user)
    page = client.get(f"/exchanges/{made.id}").text
    assert "Mark done" in page
    done = post_form(client, f"/exchange-actions/{made.action_id}/done", {"version": 1})
    assert done.status_code == 302
    with app.app_context():
        assert db.session.get(ExchangeAction, made.action_id).done_on == today()
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, world.a.coach_user)  # neither owner nor manager: no button, and a refusal
    assert "Mark done" not in client.get(f"/exchanges/{made.id}").text


def test_a_mentee_writes_a_reflection_that_their_coach_reads(app, client, world):
    with app.app_context():
        made = exchange_of_a(world)
        other = exchange_of_b(world)
    login(client, world.a.mentee_user)
    assert "1 exchange waiting for your reflection" in client.get("/").text
    form_page = client.get(f"/exchanges/{made.id}/reflection")
    assert form_page.status_code == 200
    assert post_form(client, f"/exchanges/{made.id}/reflection", {"text": ""}).status_code == 422
    saved = post_form(
        client, f"/exchanges/{made.id}/reflection", {"text": "Their outage plans are public"}
    )
    assert saved.status_code == 302
    assert "waiting for your reflection" not in client.get("/").text
    assert client.get(f"/exchanges/{other}/reflection").status_code == 404
    for reader, sees in ((world.a.coach_user, True), (world.a.coordinator, True)):
        client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
        login(client, reader)
        assert ("Their outage plans are public" in client.get(f"/exchanges/{made.id}").text) is sees


def test_the_list_marks_the_ended_exchanges_waiting_for_the_mentee_s_reflection(app, client, world):
    with app.app_context():
        held = exchange_of_a(world)
        under_way = exchange_of_a(
            world,
            title="Under way",
            starts_on=today() - timedelta(days=1),
            ends_on=today() + timedelta(days=1),
        )
    login(client, world.a.mentee_user)
    listed = client.get("/exchanges").text
    assert listed.count("Your reflection is missing") == 1
    assert f"/exchanges/{held.id}/reflection" in listed
    assert f"/exchanges/{under_way.id}/reflection" not in listed
    saved = post_form(
        client, f"/exchanges/{held.id}/reflection", {"text": "Their plans are public"}
    )
    assert saved.status_code == 302
    assert "Your reflection is missing" not in client.get("/exchanges").text


def test_the_owner_of_an_overdue_action_is_told_on_their_home_page(app, client, world):
    with app.app_context():
        made = exchange_of_a(world)
    login(client, world.a.mentee_user)
    home = client.get("/").text
    assert "1 follow-up action of yours is overdue" in home
    assert f'href="/exchanges/{made.id}#actions"' in home


def test_a_coach_links_the_exchange_to_their_mentee_s_plan(app, client, world):
    with app.app_context():
        made = exchange_of_a(world)
        from scbi.exchanges.models import ExchangePlanLink
        from scbi.exchanges.services import reflections

        link = db.session.get(ExchangePlanLink, made.link_id)
        reflections.unlink_plan(link, by=db.session.get(User, world.a.coach_user.id))
        db.session.commit()
    login(client, world.a.coach_user)
    assert "Link to my mentee's plan" in client.get(f"/exchanges/{made.id}").text
    assert post_form(client, f"/exchanges/{made.id}/plan-links", {"plan_id": ""}).status_code == 422
    linked = post_form(client, f"/exchanges/{made.id}/plan-links", {"plan_id": world.plan_id})
    assert linked.status_code == 302
    assert "Plan #1 of" in client.get(f"/exchanges/{made.id}").text


def test_every_signed_in_role_finds_exchanges_in_the_menu(app, client, world):
    for person in factories.people_of_sector_a(world).values():
        login(client, person)
        assert 'href="/exchanges"' in client.get("/").text
        client.post("/logout", data={"csrf_token": csrf_token(client, "/")})


def _grow(world, n: int) -> None:
    admin = factories.admin()
    for k in range(n):
        exchange = services.create_exchange(
            by=admin,
            kind="peer_review",
            title=f"Review {k}",
            starts_on=today() - timedelta(days=k + 1),
            sector_ids=[world.a.sector_id, world.b.sector_id],
            host_organisation="ERA",
            host_country="UG",
        )
        for mentee_id in (world.a.mentee_id, world.b.mentee_id):
            participants.add_participant(exchange, by=admin, kind="mentee", mentee_id=mentee_id)
        participants.add_participant(
            exchange, by=admin, kind="external", name=f"Guest {k}", organisation="ERA", country="UG"
        )
    db.session.commit()


def test_the_list_and_an_exchange_s_page_send_a_constant_number_of_statements(app, client, world):
    with app.app_context():
        made = exchange_of_a(world)
        _grow(world, 2)
    paths = ["/exchanges", f"/exchanges/{made.id}", "/"]
    counts = {}
    for person in (world.secretariat, world.a.mentee_user):
        login(client, person)
        counts[person.email] = {}
        for path in paths:
            with QueryCounter(app) as counter:
                assert client.get(path).status_code == 200
            counts[person.email][path] = counter.count
        client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    with app.app_context():
        _grow(world, 8)
    for person in (world.secretariat, world.a.mentee_user):
        login(client, person)
        for path in paths:
            with QueryCounter(app) as counter:
                client.get(path)
            assert counter.count == counts[person.email][path], (person.email, path)
            assert counter.count <= 15, (person.email, path, counter.count)
        client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
