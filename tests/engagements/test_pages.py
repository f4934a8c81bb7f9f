"""Short engagements on the web, as a secretariat officer, a coordinator, the brokered coach
and a counterpart mentee use them: forms that say which field is wrong and keep what was
typed, the list and its filters, and each page's buttons."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from scbi.engagements.models import Engagement, EngagementStatus
from scbi.extensions import db
from tests import factories as f
from tests.engagements.helpers import active, brokered, closed, requested
from tests.helpers import csrf_token, login


@pytest.fixture
def world(app):
    return f.world(app)


def post(client, path: str, data: dict, **kwargs):
    return client.post(path, data={"csrf_token": csrf_token(client, "/"), **data}, **kwargs)


def error_beside(html: str, field_id: str) -> str:
    """The message shown beside a field (its ``<id>-error`` element)."""
    found = re.search(rf'id="{re.escape(field_id)}-error"[^>]*>(.*?)</div>', html, re.S)
    assert found, f"no error beside {field_id}"
    return re.sub(r"<[^>]+>", " ", found.group(1))


def the_engagement(app) -> Engagement:
    with app.app_context():
        return db.session.scalar(select(Engagement).order_by(Engagement.id.desc()))


def test_the_secretariat_runs_an_engagement_from_request_to_close_out(app, client, world):
    login(client, world.secretariat)
    request = {
        "institution_id": str(world.a.institution_id),
        "received_on": "2025-03-01",
        "requested_by_name": "Jeanne Uwase",
        "requested_by_role": "Director of customer service",
        "problem": "",
        "hoped_result": "Connections in four weeks.",
        "objectives": "Map the connection process\n\n  Cut the steps that add no value  \n",
    }
    refused = post(client, "/engagements/new", request)
    assert refused.status_code == 422
    assert "This field is required." in error_beside(refused.text, "problem")
    assert 'value="Jeanne Uwase"' in refused.text and "Cut the steps" in refused.text
    saved = post(client, "/engagements/new", request | {"problem": "Connections take months."})
    assert saved.status_code == 302
    e = the_engagement(app)
    assert saved.headers["Location"].endswith(f"/engagements/{e.id}")
    assert [o.text for o in e.objectives] == [
        "Map the connection process",
        "Cut the steps that add no value",
    ]
    page = client.get(f"/engagements/{e.id}").text
    assert "Broker a practitioner" in page and "Connections take months." in page

    expert = {"kind": "expert", "expert_name": "Ann Lee", "start_date": "2025-03-03", "weeks": "6"}
    refused = post(client, f"/engagements/{e.id}/broker", expert | {"version": str(e.version)})
    assert refused.status_code == 422
    assert "required" in error_beside(refused.text, "expert_country")
    assert 'value="Ann Lee"' in refused.text
    chosen = {"kind": "coach", "coach_id": str(world.a.coach_id), "expert_name": "Ann Lee"}
    broker = chosen | {"start_date": "2025-03-03", "weeks": "6", "version": str(e.version)}
    assert post(client, f"/engagements/{e.id}/broker", broker).status_code == 302
    e = the_engagement(app)
    assert e.coach_id == world.a.coach_id and e.expert_name == ""  # the expert's typing left

    team = {
        "members-0-name": "Eric Habimana",
        "members-0-position": "",
        "members-1-mentee_id": str(world.a.mentee_id),
        "version": str(e.version),
    }
    refused = post(client, f"/engagements/{e.id}/team", team)
    assert refused.status_code == 422
    assert "required" in error_beside(refused.text, "members-0-position")
    team["members-0-position"] = "Head of connections"
    assert post(client, f"/engagements/{e.id}/team", team).status_code == 302
    e = the_engagement(app)
    assert [m.mentee_id for m in e.members] == [None, world.a.mentee_id]

    started = post(client, f"/engagements/{e.id}/start", {"version": str(e.version)})
    assert started.status_code == 302  # on the planned start
    e = the_engagement(app)
    first, second = (o.id for o in e.objectives)
    check_in = {
        "held_on": "2025-03-10",
        "note": "Mapped the process with the team.",
        "progress-0-objective_id": str(first),
        "progress-0-progress": "on_track",
        "progress-1-objective_id": str(second),
        "progress-1-progress": "",
    }
    assert post(client, f"/engagements/{e.id}/check-ins/new", check_in).status_code == 302
    page = client.get(f"/engagements/{e.id}").text
    assert "Mapped the process with the team." in page and "Close out" in page

    close = {
        "outcomes-0-objective_id": str(first),
        "outcomes-0-outcome": "achieved",
        "outcomes-1-objective_id": str(second),
        "team_can_now": "Map a process alone.",
        "longer_pairing": "no",
        "closed_on": "2025-04-18",
        "version": str(e.version),
    }
    refused = post(client, f"/engagements/{e.id}/close", close)
    assert refused.status_code == 422
    assert "none yet for 2. Cut the steps that add no value" in refused.text
    assert "required" in error_beside(refused.text, "outcomes-1-outcome")
    assert re.search(r'value="achieved"[^>]*checked|checked[^>]*value="achieved"', refused.text)
    close["outcomes-1-outcome"] = "not"
    assert post(client, f"/engagements/{e.id}/close", close).status_code == 302
    e = the_engagement(app)
    assert e.status == EngagementStatus.CLOSED and e.ended_on == date(2025, 4, 18)
    page = client.get(f"/engagements/{e.id}").text
    assert "Achieved" in page and "Not achieved" in page and "Map a process alone." in page
    assert "Close out" not in page and "Record a check-in" not in page


def test_the_list_filters_by_status_sector_and_institution(app, client, world):
    with app.app_context():
        waiting = requested(world.a).id
        done = closed(world.a).id
        other = requested(world.b).id
        db.session.commit()
    login(client, world.secretariat)

    def listed(query: str) -> set[int]:
        html = client.get(f"/engagements?{query}").text
        return {int(n) for n in re.findall(r'href="/engagements/(\d+)"', html)}

    assert listed("") == {waiting, other}  # open ones by default
    assert listed("status=closed") == {done}
    assert listed("status=all") == {waiting, done, other}
    assert listed(f"status=all&sector_id={world.b.sector_id}") == {other}
    assert listed(f"institution_id={world.a.institution_id}") == {waiting}
    assert listed("status=nonsense") == {waiting, other}
    post(client, "/logout", {})
    login(client, world.a.coordinator)
    assert listed("status=all") == {waiting, done}


def test_the_coach_and_the_mentee_see_theirs_with_the_buttons_they_may_use(app, client, world):
    with app.app_context():
        mine = active(world.a).id
        waiting = brokered(world.a).id
        db.session.commit()
    login(client, world.a.coach_user)
    page = client.get(f"/engagements/{mine}").text
    assert "Record a check-in" in page and "Close out" in page
    assert "Edit the team" not in page and "Decline" not in page
    assert "Start the engagement" in client.get(f"/engagements/{waiting}").text
    assert client.get(f"/engagements/{mine}/team").status_code == 403
    post(client, "/logout", {})
    login(client, world.a.mentee_user)
    page = client.get(f"/engagements/{mine}").text
    assert "Map the connection process" in page
    assert "Record a check-in" not in page and "Close out" not in page
    assert client.get(f"/engagements/{mine}/check-ins/new").status_code == 403


def test_a_step_the_state_does_not_allow_is_refused_saying_the_state(app, client, world):
    with app.app_context():
        e = active(world.a)
        ident, version = e.id, e.version
        db.session.commit()
    login(client, world.secretariat)
    page = client.get(f"/engagements/{ident}/broker")
    assert page.status_code == 409 and "while the engagement is active" in page.text
    refused = post(client, f"/engagements/{ident}/decline", {"reason": "x", "version": version})
    assert refused.status_code == 409
    assert "Only a request not yet started can be declined (it is: active)." in refused.text


def test_a_stale_form_keeps_the_input_and_says_so(app, client, world):
    with app.app_context():
        e = requested(world.a)
        ident, version = e.id, e.version
        db.session.commit()
    login(client, world.secretariat)
    data = {
        "institution_id": str(world.a.institution_id),
        "received_on": "2025-03-01",
        "requested_by_name": "Someone else",
        "problem": "A new problem statement.",
        "hoped_result": "x",
        "version": str(version - 1),
    }
    refused = post(client, f"/engagements/{ident}/edit", data)
    assert refused.status_code == 409
    assert "changed by someone else" in refused.text and "A new problem statement." in refused.text


def test_the_institution_page_links_to_its_engagements(app, client, world):
    with app.app_context():
        requested(world.a)
        db.session.commit()
    login(client, world.secretariat)
    page = client.get(f"/institutions/{world.a.institution_id}").text
    assert "1 short engagement<" in page  # one, not "1 short engagements"
    assert f"/engagements?institution_id={world.a.institution_id}&amp;status=all" in page
