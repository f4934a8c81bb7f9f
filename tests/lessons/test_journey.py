"""Issue 19's "done when", tried as a new user would, through the web: the secretariat
records an incoming request, brokers a practitioner, runs the engagement to its close-out,
and finds its lesson in the register from a search on the problem's words — and the next
request with the same problem shows it as learnt before."""

from __future__ import annotations

import re

from sqlalchemy import select

from scbi.engagements.models import Engagement
from scbi.extensions import db
from tests import factories as f
from tests.helpers import csrf_token, login

PROBLEM = "Solar mini-grid permits wait eight months at the district offices."


def post(client, path: str, data: dict):
    response = client.post(path, data={"csrf_token": csrf_token(client, "/")} | data)
    assert response.status_code == 302, response.text[:2000]
    return response


def latest(app) -> Engagement:
    with app.app_context():
        return db.session.scalar(select(Engagement).order_by(Engagement.id.desc()))


def test_a_closed_engagement_is_found_by_the_words_of_its_problem(app, client):
    world = f.world(app)
    login(client, world.secretariat)
    request = {
        "institution_id": str(world.a.institution_id),
        "received_on": "2025-03-01",
        "requested_by_name": "Jeanne Uwase",
        "problem": PROBLEM,
        "hoped_result": "A permit decided within six weeks.",
        "objectives": "Map the permit steps\nAgree one checklist with the districts",
    }
    post(client, "/engagements/new", request)
    e = latest(app)
    page = client.get(f"/engagements/{e.id}").text
    assert "Learnt before" in page
    assert "Nothing learnt before in this sector matches the words of this problem yet." in page

    broker = {"kind": "coach", "coach_id": str(world.a.coach_id), "start_date": "2025-03-03"}
    post(client, f"/engagements/{e.id}/broker", broker | {"weeks": "6", "version": e.version})
    post(client, f"/engagements/{e.id}/start", {"version": str(latest(app).version)})
    e = latest(app)
    first, second = (o.id for o in e.objectives)
    close = {
        "outcomes-0-objective_id": str(first),
        "outcomes-0-outcome": "achieved",
        "outcomes-0-note": "Eleven steps, four of them repeated.",
        "outcomes-1-objective_id": str(second),
        "outcomes-1-outcome": "partly",
        "team_can_now": "Check a permit file against one checklist and track its days.",
        "longer_pairing": "no",
        "closed_on": "2025-04-18",
        "version": str(e.version),
    }
    post(client, f"/engagements/{e.id}/close", close)

    found = client.get("/lessons", query_string={"q": "mini-grid permits district"}).text
    heading = re.search(r'<h2 class="h5 mb-1"[^>]*><a href="([^"]+)">(.*?)</a>', found)
    assert heading.group(1) == f"/engagements/{e.id}"
    assert "Short engagement with" in heading.group(2)
    assert "matches 4 words" in found  # mini, grid, permits, district
    assert "Solar <mark>mini</mark>-<mark>grid</mark> <mark>permits</mark>" in found
    assert "Check a permit file against one checklist and track its days." in found
    assert "Objective 1: achieved" in found and "Eleven steps, four of them repeated." in found

    request["problem"] = "District offices keep permits for solar mini-grids waiting."
    post(client, "/engagements/new", request)
    page = client.get(f"/engagements/{latest(app).id}").text
    panel = page[page.index("Learnt before") :]
    assert f'href="/engagements/{e.id}"' in panel
