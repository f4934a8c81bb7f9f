"""Assessments: who may assess whom, the evidence rule, and the current level."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from scbi.auth.models import User
from scbi.competencies.levels import current_level
from scbi.competencies.services import create_assessment, pick_up_review
from scbi.errors import NotAllowed, ValidationFailed
from scbi.extensions import db
from scbi.mentees.models import Mentee
from scbi.transfer.services import logs, plans
from tests import factories as f
from tests.helpers import login


@pytest.fixture
def ws(app):
    """A pairing with an approved plan (baseline 1) on competency A, and its people."""
    with app.app_context():
        phase = f.phase()
        sector = f.sector()
        inst = f.institution(sector.id)
        coach = f.coach(sector.id, inst.id)
        mentee = f.mentee(sector.id, inst.id)
        pairing = f.pairing(coach, mentee, phase)
        comps = f.competencies(sector.id, 2)
        plan = f.approved_plan(pairing, comps[:1])
        other_sector = f.sector()
        other_coach = f.coach(other_sector.id, f.institution(other_sector.id).id)
        db.session.commit()
        yield {
            "pairing": pairing,
            "mentee": db.session.get(Mentee, mentee.id),
            "comp": comps[0],
            "comp2": comps[1],
            "plan": plan,
            "coach": db.session.get(User, coach.user_id),
            "mentee_user": db.session.get(User, mentee.user_id),
            "other_coach": db.session.get(User, other_coach.user_id),
            "admin": f.admin(),
        }


def log_of(ws, role="led", acknowledge=True, competency=None, day=date(2025, 6, 2)):
    log = logs.create_log(
        ws["pairing"],
        by=ws["coach"],
        activity_date=day,
        activity_type="on_the_job",
        hours=2,
        title=f"Work ({role})",
        mentee_role=role,
        competency_ids=[(competency or ws["comp"]).id],
        off_plan_reason="" if competency is None else "extra",
    )
    logs.submit_log(log, by=ws["coach"])
    if acknowledge:
        logs.acknowledge_log(log, by=ws["mentee_user"])
    return log


def assess(ws, by, level, day=date(2025, 7, 1), **kw):
    return create_assessment(
        ws["mentee"], by=by, competency_id=ws["comp"].id, level=level, assessed_on=day, **kw
    )


def test_level_3_without_evidence_is_refused_with_what_is_missing(ws):
    with pytest.raises(ValidationFailed) as caught:
        assess(ws, ws["coach"], 3)
    assert caught.value.code == "evidence_required"
    assert "no log is cited" in caught.value.message


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("assisted", "the mentee's part was: assisted, not: led"),
        ("unacknowledged", "is not acknowledged"),
        ("other_competency", "does not address"),
    ],
)
def test_each_way_of_failing_the_evidence_rule(ws, kind, text):
    if kind == "assisted":
        log = log_of(ws, role="assisted")
    elif kind == "unacknowledged":
        log = log_of(ws, acknowledge=False)
    else:
        log = log_of(ws, competency=ws["comp2"])
    with pytest.raises(ValidationFailed) as caught:
        assess(ws, ws["coach"], 3, log_ids=[log.id])
    assert caught.value.code == "evidence_required"
    assert text in caught.value.message


def test_a_cited_led_and_acknowledged_log_makes_the_level_count(ws):
    log = log_of(ws)
    assessment = assess(ws, ws["coach"], 3, log_ids=[log.id])
    assert assessment.assessor_role == "coach"
    assert current_level(ws["mentee"].id, ws["comp"].id, date(2025, 7, 1)).level == 3


def test_below_level_3_and_self_assessments_need_no_evidence(ws):
    assert assess(ws, ws["coach"], 2).level == 2
    own = assess(ws, ws["mentee_user"], 4, request_review=True)
    assert own.assessor_role == "self" and own.review_status == "waiting_for_review"


def test_who_may_assess_whom(ws, app):
    with pytest.raises(NotAllowed):
        assess(ws, ws["other_coach"], 1)
    assert assess(ws, ws["admin"], 1).assessor_role == "secretariat"
    # a coach who coached the mentee in an ended pairing still may
    from scbi.transfer.services import end_pairing

    end_pairing(
        ws["pairing"],
        by=ws["admin"],
        version=ws["pairing"].version,
        status="completed",
        end_date=date(2025, 12, 1),
        reason="done",
    )
    assert assess(ws, ws["coach"], 2, day=date(2025, 12, 2)).assessor_role == "coach"


def test_cited_logs_must_be_the_mentees(ws, app):
    world = f.world(app)
    with pytest.raises(ValidationFailed) as caught:
        assess(ws, ws["coach"], 2, log_ids=[world.log_id])
    assert "log_ids" in caught.value.fields


def test_current_level_edge_cases(ws):
    mentee, comp = ws["mentee"].id, ws["comp"].id
    approved_on = ws["plan"].decided_at.date()
    assert current_level(mentee, comp, approved_on - timedelta(days=1)).level == 0
    assert current_level(mentee, comp, approved_on).level == 1  # the plan's baseline
    assess(ws, ws["mentee_user"], 4, day=approved_on)
    assert current_level(mentee, comp, approved_on).level == 1  # self never counts
    day = approved_on
    assess(ws, ws["coach"], 2, day=day)
    assess(ws, ws["admin"], 1, day=day)  # same day, recorded later: wins
    assert current_level(mentee, comp, day).level == 1
    assert current_level(mentee, comp, day).source == "assessment"
    # a revised plan with another baseline changes nothing once an assessment exists,
    # and the latest approved plan's baseline counts before any assessment
    assert current_level(mentee, ws["comp2"].id, day).level == 0


def test_a_superseding_plans_baseline_counts(ws):
    coach, admin = ws["coach"], ws["admin"]
    draft = plans.revise_plan(ws["plan"], by=coach)
    items = f.plan_items([ws["comp"]])
    items[0]["baseline_level"] = 2
    plans.update_plan(draft, by=coach, version=draft.version, items=items)
    plans.submit_plan(draft, by=coach)
    plans.approve_plan(draft, by=admin)
    today = draft.decided_at.date()
    assert ws["plan"].status == "superseded"
    assert current_level(ws["mentee"].id, ws["comp"].id, today).level == 2


def test_review_requests_are_picked_up_and_resolved(ws):
    own = assess(ws, ws["mentee_user"], 2, request_review=True)
    with pytest.raises(NotAllowed):
        pick_up_review(own, by=ws["other_coach"])
    pick_up_review(own, by=ws["coach"])
    assert own.review_status == "in_review"
    validated = assess(ws, ws["coach"], 2, resolves=own.id)
    assert own.review_status == "resolved" and own.resolved_by_id == validated.id


def test_a_withdrawn_mentee_keeps_their_levels(ws):
    """Withdrawal changes who counts as an expert (reports), not the levels reached."""
    from scbi.mentees.services import change_status

    log = log_of(ws)
    assess(ws, ws["coach"], 3, log_ids=[log.id])
    mentee = ws["mentee"]
    change_status(
        mentee,
        by=ws["admin"],
        version=mentee.version,
        status="withdrawn",
        status_date=date(2025, 8, 1),
    )
    assert current_level(mentee.id, ws["comp"].id, date(2025, 9, 1)).level == 3


def test_a_coordinator_of_another_sector_may_not_assess(ws, make_user, app):
    from scbi.programme.services import set_coordinator_sectors

    outsider_id, insider_id = make_user("coordinator").id, make_user("coordinator").id
    outsider, insider = db.session.get(User, outsider_id), db.session.get(User, insider_id)
    set_coordinator_sectors(outsider, [f.sector().id], by=ws["admin"])
    set_coordinator_sectors(insider, [ws["mentee"].sector_id], by=ws["admin"])
    with pytest.raises(NotAllowed):
        assess(ws, outsider, 1)
    assert assess(ws, insider, 1).assessor_role == "coordinator"


def test_the_competency_page_counts_the_logs_each_assessment_cites(app, ws):
    """The page reads how many logs an assessment cites, not the logs themselves."""
    first, second = log_of(ws), log_of(ws, day=date(2025, 6, 3))
    assess(ws, ws["coach"], 3, log_ids=[first.id, second.id])
    assess(ws, ws["coach"], 2)
    db.session.commit()
    client = app.test_client()
    login(client, ws["coach"], f.PASSWORD)
    page = client.get(f"/mentees/{ws['mentee'].id}/competencies").text
    assert page.count("2 logs cited") == 1 and "log cited" not in page.replace("2 logs cited", "")
