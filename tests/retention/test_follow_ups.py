"""Follow-ups after the programme: who answers what and when, the home queue, the list
(docs/retention.md). Dates are counted back from today, so that a follow-up is due,
overdue or missed whatever day the suite runs."""

from __future__ import annotations

import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from scbi.audit import AuditEvent
from scbi.dates import today
from scbi.extensions import db
from scbi.mentees.models import Mentee
from scbi.retention import milestones as ms
from scbi.retention import queries
from scbi.retention.models import FollowUp, FollowUpSource
from scbi.retention.models import FollowUpState as S
from scbi.retention.queries import listing
from tests import factories as f
from tests.helpers import PASSWORD, QueryCounter, api_token, bearer, csrf_token, login
from tests.retention.helpers import answer, end_pairings, graduate

LONG_AGO = date(2020, 1, 1)
# An answer of someone still in public service: every question answered.
IN_POST = {
    "in_public_service": True,
    "same_institution": True,
    "same_sector": True,
    "promoted": False,
    "coaching_others": False,
}


def _person(mentee) -> SimpleNamespace:
    return SimpleNamespace(id=mentee.user_id, email=mentee.user.email, password=PASSWORD)


def leaver(sector_id, institution_id, coach, phase, days_ago, *, graduated=True, **kw):
    """A mentee paired since 2020 who left ``days_ago`` days ago (graduating, or their
    pairing completed while their status stays active)."""
    mentee = f.mentee(sector_id, institution_id, joined_on=date(2020, 1, 15), **kw)
    f.pairing(
        coach,
        mentee,
        phase,
        start_date=date(2020, 2, 1),
        planned_end_date=date(2030, 6, 30),
    )
    day = today() - timedelta(days=days_ago)
    if graduated:
        graduate(mentee, day)
    else:
        end_pairings(mentee, day)
    return mentee


@pytest.fixture
def setup(app):
    """The matrix's world, and in each sector a coach under contract since 2020."""
    world = f.world(app)
    with app.app_context():
        phase = f.phase(start_date=LONG_AGO, end_date=date(2030, 12, 31))
        coaches = {
            key: f.coach(
                getattr(world, key).sector_id,
                getattr(world, key).institution_id,
                contract_start=LONG_AGO,
                contract_end=date(2030, 12, 31),
                max_mentees=30,
            )
            for key in ("a", "b")
        }
        db.session.commit()
        world.phase2_id = phase.id
        world.coaches = {k: c.id for k, c in coaches.items()}
    return world


def make_leaver(app, world, key, days_ago, **kw):
    from scbi.coaches.models import Coach
    from scbi.programme.models import Phase

    with app.app_context():
        side = getattr(world, key)
        coach = db.session.get(Coach, world.coaches[key])
        phase = db.session.get(Phase, world.phase2_id)
        mentee = leaver(side.sector_id, side.institution_id, coach, phase, days_ago, **kw)
        db.session.commit()
        return SimpleNamespace(id=mentee.id, user=_person(mentee), name=mentee.full_name)


def follow_up_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(FollowUp))


# --- the rule, in SQL and in Python alike ---------------------------------------------------


def test_the_list_and_a_mentees_page_follow_one_rule(app, client, setup):
    """Mentees who left 10 days to 30 months ago: each follow-up's state in the list (SQL)
    is the one scbi.retention.milestones gives (Python), on both databases."""
    ago = [10, 185, 200, 215, 240, 370, 380, 400, 500, 731, 745, 800, 900]
    made = [make_leaver(app, setup, "a", n) for n in ago]
    with app.app_context():
        admin = f.admin()
        rows = db.session.execute(
            listing.follow_up_list(admin, listing.list_filters(MultiDict()))
        ).all()
        upcoming = db.session.execute(
            listing.follow_up_list(admin, listing.list_filters(MultiDict({"state": "upcoming"})))
        ).all()
        listed = {(r.mentee_id, r.months): S(r.state) for r in [*rows, *upcoming]}
        for n, person in zip(ago, made, strict=True):
            exit_on = today() - timedelta(days=n)
            mentee = db.session.get(Mentee, person.id)
            found = queries.follow_ups_of(mentee)
            assert found.exit_on == exit_on
            for months in (6, 12, 24):
                expected = ms.state_on(exit_on, months, today(), answered=False)
                assert listed[(person.id, months)] == expected, (n, months)
                assert found.get(months).state == expected


def test_the_exit_date_is_the_later_of_the_last_pairing_end_and_the_graduation(app, setup):
    from scbi.coaches.models import Coach
    from scbi.programme.models import Phase
    from scbi.transfer.models import Pairing

    with app.app_context():
        a = setup.a
        coach = db.session.get(Coach, setup.coaches["a"])
        phase = db.session.get(Phase, setup.phase2_id)
        ended = leaver(a.sector_id, a.institution_id, coach, phase, 300, graduated=False)
        assert queries.exit_of(ended.id) == today() - timedelta(days=300)
        graduate(ended, today() - timedelta(days=100))  # graduates later: the later date
        assert queries.exit_of(ended.id) == today() - timedelta(days=100)
        # a second pairing still open: not left
        twice = leaver(a.sector_id, a.institution_id, coach, phase, 300, graduated=False)
        other = f.coach(
            a.sector_id, a.institution_id, contract_start=LONG_AGO, contract_end=date(2030, 1, 1)
        )
        f.pairing(
            other, twice, phase, start_date=date(2021, 1, 1), planned_end_date=date(2029, 1, 1)
        )
        assert queries.exit_of(twice.id) is None
        assert queries.follow_ups_of(twice).milestones == []
        # the world's mentee, in a pairing: no exit
        assert queries.exit_of(a.mentee_id) is None
        assert db.session.scalar(select(func.count()).select_from(Pairing)) >= 4


# --- the mentee answers from the home queue -------------------------------------------------


def test_a_mentee_answers_their_due_follow_up_from_the_home_queue(app, client, setup):
    person = make_leaver(app, setup, "a", 200)  # the 6-month follow-up fell due ~17 days ago
    login(client, person.user)
    home = client.get("/").text
    assert "Your 6-month follow-up is due" in home
    url = f"/mentees/{person.id}/follow-ups/6"
    assert f'href="{url}"' in home
    page = client.get(url)
    assert page.status_code == 200 and "Still working in the public service?" in page.text
    assert 'name="answered_on"' not in page.text  # the mentee answers today
    token = csrf_token(client, url)
    sent = client.post(
        url,
        data={
            "csrf_token": token,
            "in_public_service": "yes",
            "same_institution": "yes",
            "same_sector": "no",
            "promoted": "yes",
            "position": "Senior grid engineer",
            "coaching_others": "yes",
            "note": "I now coach two junior engineers.",
        },
    )
    assert sent.status_code == 302 and sent.location.endswith("/")
    with app.app_context():
        stored = db.session.scalar(select(FollowUp).where(FollowUp.mentee_id == person.id))
        assert (stored.months, stored.answered_on, stored.recorded_as) == (
            6,
            today(),
            FollowUpSource.MENTEE,
        )
        assert (stored.in_public_service, stored.same_institution, stored.same_sector) == (
            True,
            True,
            False,
        )
        assert stored.promoted and stored.coaching_others and stored.retained
        assert stored.recorded_by_id == person.user.id
        actions = list(db.session.scalars(select(AuditEvent.action)))
    assert "follow_up.create" in actions
    assert "follow-up is due" not in client.get("/").text
    # the mentee's page shows it, answered
    shown = client.get(f"/mentees/{person.id}").text
    assert "Follow-ups after the programme" in shown and "Answer recorded" in shown


def test_an_overdue_follow_up_says_so_in_the_home_queue(app, client, setup):
    person = make_leaver(app, setup, "a", 230)  # due some 48 days ago: past its 30 days
    login(client, person.user)
    assert "Your 6-month follow-up is overdue" in client.get("/").text


def test_a_refused_form_keeps_the_input_and_names_the_field(app, client, setup):
    person = make_leaver(app, setup, "a", 200)
    login(client, person.user)
    url = f"/mentees/{person.id}/follow-ups/6"
    token = csrf_token(client, url)
    sent = client.post(url, data={"csrf_token": token, "position": "Analyst"})
    assert sent.status_code == 422
    text = sent.text
    assert text.count("Answer yes or no.") == 2  # in public service, coaching others
    assert 'id="in_public_service-error"' in text and 'value="Analyst"' in text
    assert follow_up_count(app) == 0


def test_out_of_the_public_service_the_in_service_questions_stay_empty(app, client, setup):
    person = make_leaver(app, setup, "a", 200)
    headers = bearer(api_token(client, person.user))
    body = {
        "in_public_service": False,
        "same_institution": True,
        "promoted": True,
        "coaching_others": True,
        "position": "Consultant, private sector",
    }
    sent = client.put(f"/api/v1/mentees/{person.id}/follow-ups/6", json=body, headers=headers)
    assert sent.status_code == 201, sent.json
    assert sent.json["same_institution"] is None and sent.json["promoted"] is None
    assert sent.json["in_public_service"] is False and sent.json["coaching_others"] is True
    assert sent.json["recorded_as"] == "mentee"


def test_a_mentee_cannot_date_their_answer_into_an_earlier_period(app, client, setup):
    """Reports count answers by their date: only the secretariat dates one."""
    person = make_leaver(app, setup, "a", 200)
    headers = bearer(api_token(client, person.user))
    path = f"/api/v1/mentees/{person.id}/follow-ups/6"
    body = IN_POST | {"answered_on": str(today() - timedelta(days=10))}
    backdated = client.put(path, json=body, headers=headers)
    assert backdated.status_code == 422
    assert list(backdated.json["error"]["fields"]) == ["answered_on"]
    given = client.put(path, json=IN_POST, headers=headers)
    assert given.status_code == 201 and given.json["answered_on"] == str(today())


# --- what is refused -------------------------------------------------------------------------


def test_a_follow_up_not_yet_due_is_refused_with_its_date(app, client, setup):
    person = make_leaver(app, setup, "a", 200)
    headers = bearer(api_token(client, person.user))
    body = {"in_public_service": True, "coaching_others": False}
    sent = client.put(f"/api/v1/mentees/{person.id}/follow-ups/12", json=body, headers=headers)
    assert sent.status_code == 409 and sent.json["error"]["code"] == "not_due"
    due = ms.due_on(today() - timedelta(days=200), 12)
    assert "The 12-month follow-up falls due on" in sent.json["error"]["message"]
    assert str(due.year) in sent.json["error"]["message"]
    login(client, person.user)
    url = f"/mentees/{person.id}/follow-ups/12"
    page = client.get(url)
    assert page.status_code == 200 and "not due yet" in page.text
    assert 'name="in_public_service"' not in page.text
    token = csrf_token(client, "/")
    data = {"csrf_token": token, "in_public_service": "yes", "coaching_others": "no"}
    assert client.post(url, data=data).status_code == 409
    # a mentee still in the programme has no follow-up to answer
    world_mentee = setup.a.mentee_user
    headers = bearer(api_token(client, world_mentee))
    path = f"/api/v1/mentees/{setup.a.mentee_id}/follow-ups/6"
    refused = client.put(path, json=body, headers=headers)
    assert (
        refused.status_code == 409 and "still in the programme" in refused.json["error"]["message"]
    )
    assert client.put(path.replace("/6", "/7"), json=body, headers=headers).status_code == 404
    assert follow_up_count(app) == 0


def test_a_mentee_cannot_reach_another_mentees_follow_ups(app, client, setup):
    """Another mentee's follow-up is a 404 in pages and API, audited, and nothing changes."""
    mine = make_leaver(app, setup, "a", 200)
    theirs = make_leaver(app, setup, "a", 200)
    headers = bearer(api_token(client, mine.user))
    body = {"in_public_service": True, "coaching_others": False}
    api = f"/api/v1/mentees/{theirs.id}/follow-ups"
    assert client.get(api, headers=headers).status_code == 404
    assert client.put(api + "/6", json=body, headers=headers).status_code == 404
    login(client, mine.user)
    page = f"/mentees/{theirs.id}/follow-ups/6"
    assert client.get(page).status_code == 404
    token = csrf_token(client, "/")
    data = {"csrf_token": token, "in_public_service": "yes", "coaching_others": "no"}
    assert client.post(page, data=data).status_code == 404
    assert follow_up_count(app) == 0
    with app.app_context():
        denied = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "access.denied")
        ).all()
    assert any(e.entity_type == "mentee" and e.entity_id == theirs.id for e in denied)


def test_a_stale_version_is_409_and_changes_nothing(app, client, setup):
    person = make_leaver(app, setup, "a", 200)
    headers = bearer(api_token(client, setup.secretariat))
    path = f"/api/v1/mentees/{person.id}/follow-ups/6"
    body = IN_POST | {"answered_on": str(today())}
    first = client.put(path, json=body, headers=headers)
    assert first.status_code == 201 and first.json["version"] == 1
    assert first.json["recorded_as"] == "secretariat"
    # correcting needs the version read
    missing = client.put(path, json=body | {"coaching_others": True}, headers=headers)
    assert missing.status_code == 422 and "version" in missing.json["error"]["fields"]
    changed = client.put(path, json=body | {"coaching_others": True, "version": 1}, headers=headers)
    assert changed.status_code == 200 and changed.json["version"] == 2
    stale = client.put(path, json=body | {"position": "Director", "version": 1}, headers=headers)
    assert stale.status_code == 409 and stale.json["error"]["code"] == "stale_version"
    with app.app_context():
        stored = db.session.scalar(select(FollowUp))
        assert (stored.version, stored.position, stored.coaching_others) == (2, "", True)
    # the same on the page: the form read at version 2, posted after another change
    login(client, setup.secretariat)
    url = f"/mentees/{person.id}/follow-ups/6"
    form = client.get(url).text
    assert 'name="version" type="hidden" value="2"' in form or 'value="2"' in form
    client.put(path, json=body | {"note": "Called on the phone", "version": 2}, headers=headers)
    token = csrf_token(client, url)
    data = {
        "csrf_token": token,
        "version": "2",
        "in_public_service": "yes",
        "same_institution": "yes",
        "same_sector": "yes",
        "promoted": "no",
        "coaching_others": "no",
        "position": "Typed and kept",
    }
    sent = client.post(url, data=data)
    assert sent.status_code == 409 and "changed by someone else" in sent.text
    assert 'value="Typed and kept"' in sent.text


def test_the_mentee_answers_only_their_latest_the_secretariat_any_due(app, client, setup):
    """Left 380 days ago: the 6-month follow-up is missed, the 12-month one due. The
    mentee answers the 12-month one only; the secretariat records the missed one too, but
    not dated before it fell due."""
    person = make_leaver(app, setup, "a", 380)
    mentee = bearer(api_token(client, person.user))
    body = IN_POST
    base = f"/api/v1/mentees/{person.id}/follow-ups"
    listed = client.get(base, headers=mentee).json
    assert [i["state"] for i in listed["items"]] == ["missed", "due", "upcoming"]
    assert [i["current"] for i in listed["items"]] == [False, True, False]
    refused = client.put(base + "/6", json=body, headers=mentee)
    assert refused.status_code == 403
    assert client.put(base + "/12", json=body, headers=mentee).status_code == 201
    secretariat = bearer(api_token(client, setup.secretariat))
    due6 = ms.due_on(today() - timedelta(days=380), 6)
    early = body | {"answered_on": str(due6 - timedelta(days=1))}
    sent = client.put(base + "/6", json=early, headers=secretariat)
    assert sent.status_code == 422 and list(sent.json["error"]["fields"]) == ["answered_on"]
    future = body | {"answered_on": str(today() + timedelta(days=1))}
    assert client.put(base + "/6", json=future, headers=secretariat).status_code == 422
    on_time = body | {"answered_on": str(due6 + timedelta(days=3))}
    assert client.put(base + "/6", json=on_time, headers=secretariat).status_code == 201
    states = [i["state"] for i in client.get(base, headers=mentee).json["items"]]
    assert states == ["answered", "answered", "upcoming"]


def test_coordinators_read_their_sectors_follow_ups_and_coaches_none(app, client, setup):
    mine = make_leaver(app, setup, "a", 200)
    theirs = make_leaver(app, setup, "b", 200)
    coordinator = setup.a.coordinator
    headers = bearer(api_token(client, coordinator))
    assert client.get(f"/api/v1/mentees/{mine.id}/follow-ups", headers=headers).status_code == 200
    assert client.get(f"/api/v1/mentees/{theirs.id}/follow-ups", headers=headers).status_code == 404
    listed = client.get("/api/v1/follow-ups", headers=headers).json
    assert [i["mentee"]["id"] for i in listed["items"]] == [mine.id]
    body = {"in_public_service": True, "coaching_others": False}
    put = f"/api/v1/mentees/{mine.id}/follow-ups/6"
    assert client.put(put, json=body, headers=headers).status_code == 403
    login(client, coordinator)
    assert client.get(f"/mentees/{mine.id}/follow-ups/6").status_code == 200
    assert client.get(f"/mentees/{theirs.id}/follow-ups/6").status_code == 404
    page = client.get("/follow-ups").text
    assert mine.name in page and theirs.name not in page
    token = csrf_token(client, "/")
    data = {"csrf_token": token, "in_public_service": "yes", "coaching_others": "no"}
    assert client.post(f"/mentees/{mine.id}/follow-ups/6", data=data).status_code == 403
    assert "Follow-ups after the programme" in client.get(f"/mentees/{mine.id}").text
    # a coach, even the mentee's own: no access
    coach = client.application.test_client()
    with app.app_context():
        from scbi.coaches.models import Coach

        coach_user = db.session.get(Coach, setup.coaches["a"]).user
        person = SimpleNamespace(id=coach_user.id, email=coach_user.email, password=PASSWORD)
    login(coach, person)
    assert coach.get("/follow-ups").status_code == 403
    assert coach.get(f"/mentees/{mine.id}/follow-ups/6").status_code == 403
    assert "Follow-ups after the programme" not in coach.get(f"/mentees/{mine.id}").text
    coach_headers = bearer(api_token(coach, person))
    assert (
        coach.get(f"/api/v1/mentees/{mine.id}/follow-ups", headers=coach_headers).status_code == 403
    )
    assert follow_up_count(app) == 0


# --- the secretariat's list and queue ---------------------------------------------------------


def test_the_list_puts_overdue_first_and_filters(app, client, setup):
    due = make_leaver(app, setup, "a", 190)  # 6 months: due about a week ago
    late = make_leaver(app, setup, "a", 230)  # 6 months: overdue (past its 30 days)
    later = make_leaver(app, setup, "b", 260)  # 6 months: overdue for longer
    done = make_leaver(app, setup, "a", 210)  # 6 months: answered
    missed = make_leaver(app, setup, "b", 380)  # 6 missed; 12 due about two weeks ago
    with app.app_context():
        answer(db.session.get(Mentee, done.id), 6, today())
        db.session.commit()
    login(client, setup.secretariat)

    def names(query=""):
        text = client.get(f"/follow-ups{query}").text
        rows = re.findall(r'<td><a href="/mentees/(\d+)">', text)
        return [int(r) for r in rows], text

    order, text = names()
    assert order == [later.id, late.id, missed.id, due.id, done.id, missed.id]
    for n in (260, 230):
        days = ms.days_overdue(today() - timedelta(days=n), 6, today())
        assert f"{days} days overdue" in text
    assert names("?state=overdue")[0] == [later.id, late.id]
    assert names("?state=due")[0] == [missed.id, due.id]
    assert names("?state=answered")[0] == [done.id]
    assert names("?state=missed")[0] == [missed.id]
    assert names("?state=open")[0] == [later.id, late.id, missed.id, due.id]
    assert names(f"?sector_id={setup.b.sector_id}")[0] == [later.id, missed.id, missed.id]
    assert names("?months=12")[0] == [missed.id]
    assert names("?state=nonsense&months=7&sector_id=x")[0] == order  # read leniently
    paged = client.get("/follow-ups?per_page=2&page=2").text
    assert re.findall(r'<td><a href="/mentees/(\d+)">', paged) == [str(missed.id), str(due.id)]
    assert "6 in all" in paged
    # the API: the same rows, in the same order
    headers = bearer(api_token(client, setup.secretariat))
    api = client.get("/api/v1/follow-ups?state=overdue", headers=headers).json
    assert api["total"] == 2 and [i["mentee"]["id"] for i in api["items"]] == [later.id, late.id]
    first = api["items"][0]
    left = today() - timedelta(days=260)
    assert first["state"] == "overdue" and first["months"] == 6
    assert first["days_overdue"] == ms.days_overdue(left, 6, today())
    assert first["due_on"] == str(ms.due_on(left, 6))
    assert first["exit_on"] == str(left) and first["answered_on"] is None
    bad = client.get("/api/v1/follow-ups?state=late", headers=headers)
    assert bad.status_code == 422 and "state" in bad.json["error"]["fields"]


def test_the_list_sends_the_same_statements_whatever_the_number_of_mentees(app, client, setup):
    make_leaver(app, setup, "a", 240)
    login(client, setup.secretariat)

    def count():
        with QueryCounter(app) as counter:
            assert client.get("/follow-ups").status_code == 200
        return len(counter.statements)

    count()
    before = count()
    for n in (200, 210, 400, 800, 900):
        make_leaver(app, setup, "b", n)
    assert count() == before <= 15


def test_the_secretariat_is_told_how_many_follow_ups_are_overdue(app, client, setup):
    make_leaver(app, setup, "a", 230)
    make_leaver(app, setup, "b", 260)
    make_leaver(app, setup, "b", 190)  # due, not overdue
    login(client, setup.secretariat)
    home = client.get("/").text
    assert "2 follow-ups overdue" in home and 'href="/follow-ups?state=overdue"' in home
    other = client.application.test_client()
    login(other, setup.a.coordinator)
    assert "follow-ups overdue" not in other.get("/").text
