"""Short engagements' rules: the states and their guards, the span, the practitioner, the
close-out's outcome for each objective, who may do what, audit and versions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from scbi.audit import AuditEvent
from scbi.auth.models import User
from scbi.dates import today
from scbi.engagements import services
from scbi.engagements.models import Engagement, EngagementStatus, ObjectiveOutcome
from scbi.engagements.services import check_ins, close_out, running
from scbi.errors import Conflict, InvalidTransition, NotAllowed, ValidationFailed
from scbi.extensions import db
from tests import factories as f
from tests.engagements.helpers import START, active, brokered, closed, outcomes, requested


@pytest.fixture
def world(app):
    world = f.world(app)
    with app.app_context():
        yield world


def user(ident: int) -> User:
    return db.session.get(User, ident)


def refused(error, *fields: str) -> dict:
    """The fields a ValidationFailed names (asserting it names ``fields``)."""
    assert set(fields) <= set(error.value.fields), error.value.fields
    return error.value.fields


def actions(engagement_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.entity_type == "engagement", AuditEvent.entity_id == engagement_id)
            .order_by(AuditEvent.id)
        )
    )


def test_an_engagement_runs_from_request_to_close_out_and_every_step_is_audited(world):
    e = closed(world.a)
    db.session.commit()
    assert e.status == EngagementStatus.CLOSED
    assert [o.outcome for o in e.objectives] == [ObjectiveOutcome.ACHIEVED, ObjectiveOutcome.PARTLY]
    assert e.start_date == START and e.weeks == 6
    assert e.end_date == date(2025, 4, 13)  # six weeks from a Monday end on the sixth Sunday
    assert e.sector_id == world.a.sector_id  # the institution's, when none is given
    assert actions(e.id) == [
        "engagement.request",
        "engagement.team",
        "engagement.broker",
        "engagement.start",
        "engagement.close",
    ]


def test_the_span_is_one_to_twenty_six_weeks(world):
    e = requested(world.a)
    for weeks in (0, 27, -3):
        with pytest.raises(ValidationFailed) as error:
            running.broker(
                e, by=f.admin(), version=e.version, coach_id=world.a.coach_id,
                start_date=START, weeks=weeks,
            )  # fmt: skip
        assert "from 1 to 26 weeks" in refused(error, "weeks")["weeks"][0]
    running.broker(
        e, by=f.admin(), version=e.version, coach_id=world.a.coach_id, start_date=START, weeks=26
    )
    assert e.end_date == START + timedelta(days=26 * 7 - 1)


def test_a_coach_is_brokered_only_inside_their_contract_and_while_active(world):
    e = requested(world.a)
    with pytest.raises(ValidationFailed) as error:
        running.broker(
            e, by=f.admin(), version=e.version, coach_id=world.a.coach_id,
            start_date=date(2027, 6, 1), weeks=8,
        )  # fmt: skip
    assert "inside the coach's contract" in refused(error, "weeks")["weeks"][0]


def test_the_practitioner_is_a_coach_or_an_external_expert_with_every_detail(world):
    e = requested(world.a)
    with pytest.raises(ValidationFailed) as error:
        running.broker(e, by=f.admin(), version=e.version, start_date=START, weeks=4)
    assert "external expert" in refused(error, "coach_id")["coach_id"][0]
    with pytest.raises(ValidationFailed) as error:
        running.broker(
            e, by=f.admin(), version=e.version, start_date=START, weeks=4,
            coach_id=world.a.coach_id, expert_name="Ann Lee",
        )  # fmt: skip
    assert "not both" in refused(error, "coach_id")["coach_id"][0]
    with pytest.raises(ValidationFailed) as error:
        running.broker(
            e, by=f.admin(), version=e.version, start_date=START, weeks=4,
            expert_name="Ann Lee", expert_email="not an address",
        )  # fmt: skip
    refused(error, "expert_organisation", "expert_country", "expert_email")
    running.broker(
        e, by=f.admin(), version=e.version, start_date=START, weeks=4,
        expert_name="Ann Lee", expert_organisation="Kenya Power",
        expert_country="Kenya", expert_email="Ann.Lee@Example.org",
    )  # fmt: skip
    assert e.coach_id is None and e.expert_email == "ann.lee@example.org"
    assert e.practitioner_name == "Ann Lee"


def test_brokering_needs_an_objective_and_a_start_after_the_request(world):
    e = requested(world.a, objectives=[])
    with pytest.raises(ValidationFailed) as error:
        running.broker(
            e, by=f.admin(), version=e.version, coach_id=world.a.coach_id,
            start_date=date(2025, 2, 1), weeks=4,
        )  # fmt: skip
    refused(error, "objectives", "start_date")


def test_an_engagement_cannot_close_without_an_outcome_for_each_objective(world):
    e = active(world.a)
    first = e.objectives[0]
    with pytest.raises(ValidationFailed) as error:
        close_out.close(
            e, by=f.admin(), version=e.version, outcomes=outcomes(e, "achieved"),
            team_can_now="", longer_pairing=None,
        )  # fmt: skip
    fields = refused(error, "outcomes", "team_can_now", "longer_pairing")
    assert fields["outcomes"] == [
        "Give the outcome of each objective: none yet for 2. Cut the steps that add no value."
    ]
    assert first.outcome is None and e.status == EngagementStatus.ACTIVE
    sent = [{"objective_id": first.id, "outcome": "done"}, {"objective_id": 10**6}]
    with pytest.raises(ValidationFailed) as error:
        close_out.close(
            e, by=f.admin(), version=e.version, outcomes=sent, team_can_now="x",
            longer_pairing=True,
        )  # fmt: skip
    fields = refused(error, "outcomes.0.outcome", "outcomes.1.objective_id", "longer_pairing_note")
    assert "1. Map the connection process" in fields["outcomes"][0]


def test_states_guard_every_step(world):
    e = active(world.a)
    for step in (
        lambda: running.broker(
            e, by=f.admin(), version=e.version, coach_id=world.a.coach_id,
            start_date=START, weeks=4,
        ),
        lambda: running.start(e, by=f.admin(), version=e.version),
        lambda: services.decline(e, by=f.admin(), version=e.version, reason="x"),
        lambda: services.withdraw(e, by=f.admin(), version=e.version, reason="x"),
        lambda: services.update_request(e, by=f.admin(), version=e.version, problem="x"),
    ):  # fmt: skip
        with pytest.raises(InvalidTransition, match=r"\(it is: active\)"):
            step()
    waiting = requested(world.a)
    with pytest.raises(InvalidTransition, match="Only a brokered engagement can start"):
        running.start(waiting, by=f.admin(), version=waiting.version)
    with pytest.raises(InvalidTransition, match="while the engagement is active"):
        check_ins.record_check_in(waiting, by=f.admin(), note="x")
    with pytest.raises(InvalidTransition, match="Only an active engagement can be closed"):
        close_out.close(
            waiting, by=f.admin(), version=waiting.version, outcomes=[], team_can_now="x",
            longer_pairing=False,
        )  # fmt: skip
    services.decline(waiting, by=f.admin(), version=waiting.version, reason="Out of scope.")
    assert waiting.status == EngagementStatus.DECLINED and waiting.ended_on == today()
    with pytest.raises(InvalidTransition):
        services.set_team(waiting, by=f.admin(), version=waiting.version, members=[])


def test_a_request_not_taken_up_says_why(world):
    e = brokered(world.a)
    with pytest.raises(ValidationFailed) as error:
        services.withdraw(e, by=f.admin(), version=e.version, reason=" ")
    refused(error, "reason")
    services.withdraw(e, by=f.admin(), version=e.version, reason="A new director.")
    assert e.status == EngagementStatus.WITHDRAWN and e.end_reason == "A new director."


def test_the_objectives_are_fixed_once_it_starts_and_numbered_in_refusals(world):
    e = requested(world.a)
    with pytest.raises(ValidationFailed) as error:
        services.update_request(e, by=f.admin(), version=e.version, objectives=["ok", "x" * 501])
    assert refused(error, "objectives.1")["objectives.1"][0].startswith("Objective 2:")
    version = e.version
    services.update_request(e, by=f.admin(), version=e.version, objectives=["One", "Two", "3"])
    assert [o.number for o in e.objectives] == [1, 2, 3] and e.version == version + 1
    db.session.commit()  # the events are written as the transaction commits
    assert actions(e.id)[-1] == "engagement.objectives"


def test_a_stale_version_changes_nothing(world):
    e = requested(world.a)
    with pytest.raises(Conflict):
        services.update_request(e, by=f.admin(), version=e.version - 1, problem="Other")
    assert e.problem != "Other"


def test_check_ins_are_dated_inside_the_span_so_far_with_words_on_objectives(world):
    e = active(world.a)
    with pytest.raises(ValidationFailed) as error:
        check_ins.record_check_in(
            e, by=f.admin(), held_on=START - timedelta(days=1), note="",
            progress=[{"objective_id": e.objectives[0].id, "progress": "fine"}],
        )  # fmt: skip
    refused(error, "held_on", "note", "progress.0.progress")
    with pytest.raises(ValidationFailed) as error:
        check_ins.record_check_in(e, by=f.admin(), held_on=today() + timedelta(days=1), note="x")
    refused(error, "held_on")
    coach = user(world.a.coach_user.id)
    made = check_ins.record_check_in(
        e, by=coach, held_on=START + timedelta(days=7), note="Mapped the process.",
        progress=[{"objective_id": e.objectives[1].id, "progress": "at_risk"}],
    )  # fmt: skip
    assert [(p.objective_id, p.progress.value) for p in made.progress] == [
        (e.objectives[1].id, "at_risk")
    ]
    with pytest.raises(ValidationFailed) as error:  # not before its last check-in
        close_out.close(
            e, by=coach, version=e.version, outcomes=outcomes(e, "not", "not"),
            team_can_now="x", longer_pairing=False, closed_on=START + timedelta(days=3),
        )  # fmt: skip
    refused(error, "closed_on")


def test_who_may_do_what(world):
    e = active(world.b)
    for person in (world.a.coordinator, world.a.coach_user, world.a.mentee_user):
        with pytest.raises(NotAllowed):
            check_ins.record_check_in(e, by=user(person.id), note="x")
    with pytest.raises(NotAllowed):  # the counterpart mentee reads only
        check_ins.record_check_in(e, by=user(world.b.mentee_user.id), note="x")
    check_ins.record_check_in(e, by=user(world.b.coordinator.id), note="By the coordinator.")
    check_ins.record_check_in(e, by=user(world.b.coach_user.id), note="By the coach.")
    with pytest.raises(NotAllowed):  # the coach never brokers nor declines
        services.decline(e, by=user(world.b.coach_user.id), version=e.version, reason="x")
    with pytest.raises(NotAllowed):
        requested(world.a, by=user(world.a.coach_user.id))


def test_a_coordinator_records_and_brokers_in_their_own_sectors_only(world):
    coordinator = user(world.a.coordinator.id)
    with pytest.raises(ValidationFailed) as error:
        requested(world.b, by=coordinator)
    assert "your own sectors" in refused(error, "sector_id")["sector_id"][0]
    e = requested(world.b, by=coordinator, sector_id=world.a.sector_id)  # B's institution
    with pytest.raises(ValidationFailed) as error:
        running.broker(
            e, by=coordinator, version=e.version, coach_id=world.b.coach_id,
            start_date=START, weeks=4,
        )  # fmt: skip
    assert refused(error, "coach_id")["coach_id"] == ["Choose a coach of your sectors."]


def test_the_team_names_mentees_once_and_takes_their_name_and_position(world):
    e = requested(world.a)
    with pytest.raises(ValidationFailed) as error:
        services.set_team(
            e, by=f.admin(), version=e.version,
            members=[{"mentee_id": world.a.mentee_id}, {"mentee_id": world.a.mentee_id},
                     {"name": "No position"}],
        )  # fmt: skip
    refused(error, "members.1.mentee_id", "members.2.position")
    services.set_team(
        e, by=f.admin(), version=e.version,
        members=[{"mentee_id": world.a.mentee_id}, {"name": "Eric", "position": "Head"}],
    )  # fmt: skip
    first = e.members[0]
    assert first.name.startswith("Mentee Number") and first.position == "Engineer"


def test_the_close_out_is_what_the_lessons_and_reports_read(world):
    from scbi.engagements.queries import close_out

    e = closed(world.a)
    found = close_out(e)
    assert found.closed_on == date(2025, 4, 18) and found.longer_pairing
    assert found.count(ObjectiveOutcome.ACHIEVED) == 1 and found.count(ObjectiveOutcome.NOT) == 0
    assert close_out(requested(world.a)) is None
    assert db.session.get(Engagement, e.id).team_can_now.startswith("Map a process")
