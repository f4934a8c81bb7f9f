"""Plan and log state machines: every transition allowed and refused, and the rules."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from scbi.auth.models import User
from scbi.errors import Conflict, InvalidTransition, NotAllowed, ValidationFailed
from scbi.extensions import db
from scbi.transfer.models import LogEvent, Pairing
from scbi.transfer.queries import approved_plan
from scbi.transfer.services import logs, plans
from tests import factories as f


@pytest.fixture
def ws(app):
    """A pairing (2025-02-01 → 2027-06-30) with three competencies, and its people."""
    with app.app_context():
        phase = f.phase()
        sector = f.sector()
        inst = f.institution(sector.id)
        coach = f.coach(sector.id, inst.id)
        mentee = f.mentee(sector.id, inst.id)
        pairing = f.pairing(coach, mentee, phase)
        comps = f.competencies(sector.id)
        other = f.competencies(f.sector().id, 1)
        coordinator_other = f.accounts.create_user(
            by=f.admin(),
            email="k-other@example.org",
            full_name="Other Coordinator",
            password=f.PASSWORD,
            roles=["coordinator"],
            must_change_password=False,
        )
        db.session.commit()
        yield {
            "pairing": pairing,
            "comps": comps,
            "other": other,
            "coach": db.session.get(User, coach.user_id),
            "mentee": db.session.get(User, mentee.user_id),
            "admin": f.admin(),
            "outsider": coordinator_other,
        }


def refused(call):
    with pytest.raises(ValidationFailed) as caught:
        call()
    return caught.value.fields


# --- plans ---------------------------------------------------------------------------------


def test_plan_draft_submit_return_fix_approve(ws):
    coach, admin, pairing = ws["coach"], ws["admin"], ws["pairing"]
    plan = plans.create_plan(pairing, by=coach, items=f.plan_items(ws["comps"][:2]))
    assert (plan.status, plan.number, len(plan.items)) == ("draft", 1, 2)
    plans.submit_plan(plan, by=coach)
    assert refused(lambda: plans.return_plan(plan, by=admin, comment=" ")) == {
        "comment": ["This field is required."]
    }
    plans.return_plan(plan, by=admin, comment="Add the PPA competency")
    assert plan.status == "returned" and plan.decision_comment == "Add the PPA competency"
    plans.update_plan(plan, by=coach, version=plan.version, items=f.plan_items(ws["comps"]))
    plans.submit_plan(plan, by=coach)
    plans.approve_plan(plan, by=admin, comment="Good")
    assert plan.status == "approved" and plan.decided_by_id == admin.id
    with pytest.raises(InvalidTransition):
        plans.update_plan(plan, by=coach, version=plan.version, items=f.plan_items(ws["comps"]))


def test_revision_supersedes_the_approved_plan_only_when_approved(ws):
    coach, admin = ws["coach"], ws["admin"]
    first = f.approved_plan(ws["pairing"], ws["comps"][:1])
    draft = plans.revise_plan(first, by=coach)
    assert (draft.number, draft.status, first.status) == (2, "draft", "approved")
    with pytest.raises(InvalidTransition):
        plans.revise_plan(first, by=coach)  # one revision at a time
    plans.update_plan(draft, by=coach, version=draft.version, items=f.plan_items(ws["comps"]))
    plans.submit_plan(draft, by=coach)
    plans.approve_plan(draft, by=admin)
    assert (first.status, draft.status) == ("superseded", "approved")
    assert approved_plan(ws["pairing"].id).id == draft.id


@pytest.mark.parametrize(
    ("change", "field", "text"),
    [
        ({"target_level": 1}, "target_level", "above the baseline"),
        ({"baseline_level": 4, "target_level": 4}, "baseline_level", "at most 3"),
        ({"target_date": date(2024, 12, 1)}, "target_date", "inside the pairing"),
        ({"methods": []}, "methods", "at least one"),
        ({"methods": ["magic"]}, "methods", "Unknown method"),
        ({"expected_evidence": ""}, "expected_evidence", "required"),
    ],
)
def test_plan_item_rules(ws, change, field, text):
    items = f.plan_items(ws["comps"][:1])
    items[0].update(change)
    fields = refused(lambda: plans.create_plan(ws["pairing"], by=ws["coach"], items=items))
    assert text in " ".join(fields[f"items.0.{field}"])


def test_plan_competencies_come_from_the_sector_or_cross_cutting(ws):
    items = f.plan_items(ws["other"])
    fields = refused(lambda: plans.create_plan(ws["pairing"], by=ws["coach"], items=items))
    assert "items.0.competency_id" in fields
    cross = f.competencies(None, 1)
    plan = plans.create_plan(ws["pairing"], by=ws["coach"], items=f.plan_items(cross))
    assert plan.items[0].competency_id == cross[0].id
    duplicate = f.plan_items([ws["comps"][0], ws["comps"][0]])
    fields = refused(
        lambda: plans.update_plan(plan, by=ws["coach"], version=plan.version, items=duplicate)
    )
    assert "already in the plan" in fields["items.1.competency_id"][0]


def test_who_may_act_on_plans(ws):
    coach, mentee, outsider = ws["coach"], ws["mentee"], ws["outsider"]
    with pytest.raises(NotAllowed):
        plans.create_plan(ws["pairing"], by=mentee, items=f.plan_items(ws["comps"]))
    plan = plans.create_plan(ws["pairing"], by=coach, items=f.plan_items(ws["comps"]))
    with pytest.raises(InvalidTransition):
        plans.create_plan(ws["pairing"], by=coach, items=f.plan_items(ws["comps"]))
    with pytest.raises(InvalidTransition):
        plans.approve_plan(plan, by=ws["admin"])  # not submitted yet
    plans.submit_plan(plan, by=coach)
    with pytest.raises(NotAllowed):
        plans.approve_plan(plan, by=outsider)
    with pytest.raises(NotAllowed):
        plans.approve_plan(plan, by=coach)
    with pytest.raises(InvalidTransition):
        plans.submit_plan(plan, by=coach)


def test_a_stale_plan_edit_is_refused(ws):
    plan = plans.create_plan(ws["pairing"], by=ws["coach"], items=f.plan_items(ws["comps"]))
    version = plan.version
    changed = f.plan_items(ws["comps"])
    changed[0]["target_level"] = 4
    plans.update_plan(plan, by=ws["coach"], version=version, items=changed)
    assert plan.version == version + 1  # a change inside an item moves the version on
    with pytest.raises(Conflict):
        plans.update_plan(plan, by=ws["coach"], version=version, items=changed)


# --- logs ----------------------------------------------------------------------------------


def log_data(ws, **kw):
    return {
        "activity_date": date(2025, 6, 2),
        "activity_type": "on_the_job",
        "hours": 2.5,
        "title": "Load-flow study",
        "mentee_role": "assisted",
        "competency_ids": [ws["comps"][0].id],
    } | kw


def test_a_log_without_an_approved_plan_needs_a_reason(ws):
    fields = refused(lambda: logs.create_log(ws["pairing"], by=ws["coach"], **log_data(ws)))
    assert "no approved plan" in fields["off_plan_reason"][0]
    log = logs.create_log(
        ws["pairing"], by=ws["coach"], **log_data(ws, off_plan_reason="Urgent grid study")
    )
    assert log.status == "draft" and log.minutes == 150


@pytest.mark.parametrize(
    ("change", "field", "text"),
    [
        # two days on: the future in the programme time zone whatever the hour in UTC
        ({"activity_date": date.today() + timedelta(days=2)}, "activity_date", "future"),
        ({"activity_date": date(2025, 1, 20)}, "activity_date", "inside the pairing"),
        ({"hours": 0.1}, "hours", "Between 0.25 and 24"),
        ({"hours": 25}, "hours", "Between 0.25 and 24"),
        ({"hours": 1.3}, "hours", "quarter hours"),
        ({"hours": "two"}, "hours", "number of hours"),
        ({"mentee_role": "watched"}, "mentee_role", "Choose one of"),
        ({"activity_type": "meeting"}, "activity_type", "Choose one of"),
        ({"title": ""}, "title", "required"),
        ({"competency_ids": []}, "competency_ids", "Choose the competencies"),
    ],
)
def test_log_rules(ws, change, field, text):
    f.approved_plan(ws["pairing"], ws["comps"])
    fields = refused(
        lambda: logs.create_log(ws["pairing"], by=ws["coach"], **log_data(ws, **change))
    )
    assert text in " ".join(fields[field])


def test_off_plan_competencies_need_a_reason(ws):
    f.approved_plan(ws["pairing"], ws["comps"][:1])
    data = log_data(ws, competency_ids=[ws["comps"][0].id, ws["comps"][1].id])
    fields = refused(lambda: logs.create_log(ws["pairing"], by=ws["coach"], **data))
    assert "1 of the competencies is not in the approved plan" in fields["off_plan_reason"][0]
    foreign = log_data(ws, competency_ids=[ws["other"][0].id], off_plan_reason="why not")
    assert "competency_ids" in refused(
        lambda: logs.create_log(ws["pairing"], by=ws["coach"], **foreign)
    )


def test_log_life_dispute_correct_resubmit_acknowledge_verify(ws):
    coach, mentee, admin = ws["coach"], ws["mentee"], ws["admin"]
    f.approved_plan(ws["pairing"], ws["comps"])
    log = logs.create_log(ws["pairing"], by=coach, **log_data(ws))
    with pytest.raises(InvalidTransition):
        logs.acknowledge_log(log, by=mentee)  # a draft is not the mentee's yet
    logs.submit_log(log, by=coach)
    with pytest.raises(InvalidTransition):
        logs.update_log(log, by=coach, version=log.version, hours=3)
    assert refused(lambda: logs.dispute_log(log, by=mentee, comment=""))["comment"]
    logs.dispute_log(log, by=mentee, comment="It was 1.5 hours and I only observed")
    logs.update_log(log, by=coach, version=log.version, hours=1.5, mentee_role="observed")
    logs.submit_log(log, by=coach)
    logs.acknowledge_log(log, by=mentee, comment="Correct now")
    with pytest.raises(InvalidTransition):
        logs.update_log(log, by=coach, version=log.version, hours=2)
    with pytest.raises(InvalidTransition):
        logs.dispute_log(log, by=mentee, comment="changed my mind")
    logs.verify_log(log, by=admin)
    assert log.status == "verified" and log.verified_by_id == admin.id
    history = [
        (e.action, e.snapshot["hours"] if e.snapshot else None)
        for e in db.session.scalars(
            db.select(LogEvent).where(LogEvent.log_id == log.id).order_by(LogEvent.id)
        )
    ]
    assert history == [
        ("created", None),
        ("submitted", None),
        ("disputed", None),
        ("corrected", 2.5),
        ("submitted", None),
        ("acknowledged", None),
        ("verified", None),
    ]


def test_who_may_act_on_logs(ws):
    coach, mentee, outsider = ws["coach"], ws["mentee"], ws["outsider"]
    f.approved_plan(ws["pairing"], ws["comps"])
    with pytest.raises(NotAllowed):
        logs.create_log(ws["pairing"], by=mentee, **log_data(ws))
    log = logs.create_log(ws["pairing"], by=coach, **log_data(ws))
    logs.submit_log(log, by=coach)
    with pytest.raises(NotAllowed):
        logs.acknowledge_log(log, by=coach)
    logs.acknowledge_log(log, by=mentee)
    with pytest.raises(NotAllowed):
        logs.verify_log(log, by=outsider)
    with pytest.raises(NotAllowed):
        logs.verify_log(log, by=coach)


def test_logs_only_while_the_pairing_is_active(ws):
    f.approved_plan(ws["pairing"], ws["comps"])
    from scbi.transfer.services import pause_pairing

    pairing: Pairing = ws["pairing"]
    pause_pairing(pairing, by=ws["admin"], version=pairing.version)
    with pytest.raises(InvalidTransition):
        logs.create_log(pairing, by=ws["coach"], **log_data(ws))


def test_an_ended_pairings_plans_and_logs_no_longer_change(ws):
    from scbi.transfer.services import end_pairing

    pairing, coach = ws["pairing"], ws["coach"]
    plan = plans.create_plan(pairing, by=coach, items=f.plan_items(ws["comps"][:1]))
    log = logs.create_log(
        pairing, by=coach, **log_data(ws, off_plan_reason="Before the plan was approved")
    )
    end_pairing(
        pairing,
        by=ws["admin"],
        version=pairing.version,
        status="terminated",
        end_date=date(2025, 7, 1),
        reason="The mentee moved to another ministry",
    )
    attempts = [
        lambda: logs.update_log(log, by=coach, version=log.version, title="Changed"),
        lambda: logs.submit_log(log, by=coach),
        lambda: plans.update_plan(
            plan, by=coach, version=plan.version, items=f.plan_items(ws["comps"][:2])
        ),
        lambda: plans.submit_plan(plan, by=coach),
    ]
    for attempt in attempts:
        with pytest.raises(InvalidTransition, match="pairing has ended"):
            attempt()
    assert (log.status, log.title, plan.status) == ("draft", "Load-flow study", "draft")
