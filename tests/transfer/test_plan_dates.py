"""A plan's target dates (issue 17, item 4): inside the pairing, and not already past when
written — the service refuses, for the web form, the API and the CLI alike; a date that
is not new (the draft holds it, or the approved plan a revision keeps) never blocks a
save, so an old approved plan stays revisable."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest

from scbi.auth.models import User
from scbi.dates import today
from scbi.errors import ValidationFailed
from scbi.extensions import db
from scbi.programme.models import Competency
from scbi.transfer.models import Pairing, TransferPlan
from scbi.transfer.services import plans
from tests import factories as f
from tests.helpers import api_token, bearer, login, post_form
from tests.transfer.test_views_flow import new_world, plan_form

# the factories' pairings run from START to END
START, END = date(2025, 2, 1), date(2027, 6, 30)
PASSED = "has already passed"
OUTSIDE = "Choose a date inside the pairing (2025-02-01 to 2027-06-30)."
WRONG = ["past", "before the pairing", "after its planned end"]


def _wrong(case: str) -> tuple[date, str]:
    """A wrong target date of world B's pairing, and what its refusal says."""
    return {
        "past": (today() - timedelta(days=1), PASSED),
        "before the pairing": (START - timedelta(days=1), OUTSIDE),
        "after its planned end": (END + timedelta(days=1), OUTSIDE),
    }[case]


@pytest.mark.parametrize("case", WRONG)
def test_the_service_refuses_a_target_date_past_or_outside_the_pairing(app, case):
    world = new_world(app)
    day, message = _wrong(case)
    with app.app_context():
        pairing = db.session.get(Pairing, world.b.pairing_id)
        coach = db.session.get(User, world.b.coach_user.id)
        items = f.plan_items([db.session.get(Competency, world.comp_ids[0])], day)
        with pytest.raises(ValidationFailed) as refused:
            plans.create_plan(pairing, by=coach, items=items)
        db.session.rollback()
    assert set(refused.value.fields) == {"items.0.target_date"}
    assert message in refused.value.fields["items.0.target_date"][0]


@pytest.mark.parametrize("case", WRONG)
def test_the_plan_form_says_why_beside_the_row_and_keeps_the_input(app, client, case):
    world = new_world(app)
    day, message = _wrong(case)
    login(client, world.b.coach_user)
    form = plan_form(world, target_date=day.isoformat())
    refused = post_form(client, f"/pairings/{world.b.pairing_id}/plans/new", form)
    assert refused.status_code == 422
    page = html.unescape(refused.text)
    beside = re.search(r'id="items-0-target_date-error"[^>]*>(.*?)</div>', page, re.S)
    assert beside and message in beside[1]
    field = re.search(r'<input[^>]*id="items-0-target_date"[^>]*>', page)[0]
    assert f'value="{day.isoformat()}"' in field and 'aria-invalid="true"' in field
    assert "items-0-target_date-error" in field  # aria-describedby
    assert "A grid study the mentee leads" in page  # the rest of the row is kept
    assert plans_of(app, world.b.pairing_id) == 0


@pytest.mark.parametrize("case", WRONG)
def test_the_api_refuses_it_naming_the_field(app, client, case):
    world = new_world(app)
    day, message = _wrong(case)
    headers = bearer(api_token(client, world.b.coach_user))
    item = {
        "competency_id": world.comp_ids[0],
        "baseline_level": 1,
        "target_level": 3,
        "target_date": day.isoformat(),
        "methods": ["on_the_job"],
        "expected_evidence": "A grid study the mentee leads",
    }
    answer = client.post(
        f"/api/v1/pairings/{world.b.pairing_id}/plans", headers=headers, json={"items": [item]}
    )
    assert answer.status_code == 422
    error = answer.json["error"]
    assert error["code"] == "validation_failed"
    assert message in error["fields"]["items.0.target_date"][0]
    assert plans_of(app, world.b.pairing_id) == 0


def plans_of(app, pairing_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            db.select(db.func.count()).where(TransferPlan.pairing_id == pairing_id)
        )


def _approved_with_a_passed_target(app, world) -> tuple[int, str]:
    """World A's approved plan, its one target date now past (it lay ahead when approved):
    the plan's id and that date."""
    past = today() - timedelta(days=60)
    with app.app_context():
        plan = db.session.get(TransferPlan, world.plan_id)
        plan.items[0].target_date = past
        db.session.commit()
    return world.plan_id, past.isoformat()


def test_a_revision_keeps_an_approved_date_that_has_passed(app, client):
    """Unchanged, a passed date of the approved plan is saved and submitted again; moved
    to another past day, it is a new date and refused."""
    world = f.world(app)
    plan_id, past = _approved_with_a_passed_target(app, world)
    login(client, world.a.coach_user)
    revised = post_form(client, f"/plans/{plan_id}/revise", {})
    draft_id = int(re.search(r"/plans/(\d+)/edit", revised.headers["Location"])[1])
    edit = client.get(f"/plans/{draft_id}/edit")
    assert f'value="{past}"' in edit.text
    with app.app_context():
        version = db.session.get(TransferPlan, draft_id).version
    row = {
        "items-0-competency_id": world.competency_id,
        "items-0-baseline_level": "1",
        "items-0-target_level": "4",  # the revision raises the target, keeps the date
        "items-0-target_date": past,
        "items-0-methods": ["on_the_job"],
        "items-0-expected_evidence": "A grid study the mentee leads",
        "version": version,
    }
    moved = dict(row, **{"items-0-target_date": (today() - timedelta(days=61)).isoformat()})
    refused = post_form(client, f"/plans/{draft_id}/edit", moved | {"submit_plan": "y"})
    assert refused.status_code == 422 and PASSED in html.unescape(refused.text)
    saved = post_form(client, f"/plans/{draft_id}/edit", row | {"submit_plan": "y"})
    assert saved.status_code == 302, html.unescape(saved.text)[:2000]
    with app.app_context():
        draft = db.session.get(TransferPlan, draft_id)
        assert draft.status == "submitted"
        assert (draft.items[0].target_level, draft.items[0].target_date.isoformat()) == (4, past)


def test_a_draft_date_that_passed_since_it_was_saved_is_kept_until_submission(app, client):
    """Saving the draft again does not lose the coach's work over a date nobody touched;
    submitting it asks for a date from today on."""
    world = new_world(app)
    login(client, world.b.coach_user)
    made = post_form(client, f"/pairings/{world.b.pairing_id}/plans/new", plan_form(world))
    plan_id = int(re.search(r"/plans/(\d+)", made.headers["Location"])[1])
    past = today() - timedelta(days=3)
    with app.app_context():
        plan = db.session.get(TransferPlan, plan_id)
        plan.items[0].target_date = past
        db.session.commit()
        version = plan.version
    form = plan_form(world, target_date=past.isoformat(), expected_evidence="A new study")
    saved = post_form(client, f"/plans/{plan_id}/edit", form | {"version": version})
    assert saved.status_code == 302
    with app.app_context():
        version = db.session.get(TransferPlan, plan_id).version
    submitted = post_form(
        client,
        f"/plans/{plan_id}/edit",
        form | {"version": version, "submit_plan": "y"},
    )
    assert submitted.status_code == 422
    beside = re.search(
        r'id="items-0-target_date-error"[^>]*>(.*?)</div>', html.unescape(submitted.text), re.S
    )
    assert beside and PASSED in beside[1]


def test_the_plan_form_carries_the_guide_in_the_page_language(app, client):
    """The script checks what the service checks, with the service's own messages."""
    world = new_world(app)
    login(client, world.b.coach_user)
    page = client.get(f"/pairings/{world.b.pairing_id}/plans/new").text
    form = re.search(r"<form [^>]*data-date-guide[^>]*>", page, re.S)[0]
    data = dict(re.findall(r'data-([a-z]+)="([^"]*)"', html.unescape(form)))
    assert data["first"] == "2025-02-01" and data["last"] == "2027-06-30"
    assert data["today"] == today().isoformat()
    assert data["outside"] == OUTSIDE
    assert "{day}" in data["passed"] and PASSED in data["passed"]
    assert re.search(r'<script src="/static/js/formguide\.[0-9a-f]{12}\.js" defer>', page)
    client.post("/language", data={"language": "fr", "csrf_token": _token(page)})
    french = client.get(f"/pairings/{world.b.pairing_id}/plans/new").text
    form = re.search(r"<form [^>]*data-date-guide[^>]*>", french, re.S)[0]
    assert "data-outside=" in form and OUTSIDE not in html.unescape(form)


def _token(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)[1]
