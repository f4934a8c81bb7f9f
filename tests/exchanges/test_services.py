"""The rules of peer exchanges (scbi.exchanges.services): each refusal names its field
and stores nothing; every change is audited; stale versions are refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from scbi.audit import AuditEvent
from scbi.auth.models import User
from scbi.dates import today
from scbi.errors import Conflict, InvalidTransition, NotAllowed, ValidationFailed
from scbi.exchanges import services
from scbi.exchanges.models import Exchange, ExchangeParticipant
from scbi.exchanges.services import actions, participants, reflections
from scbi.extensions import db
from scbi.mentees.models import Mentee
from tests import factories
from tests.exchanges.helpers import exchange_of_a


@pytest.fixture
def world(app):
    return factories.world(app)


def user(person) -> User:
    return db.session.get(User, person.id)


def fields_of(caught) -> set[str]:
    return set(caught.value.fields)


def valid(world, **fields) -> dict:
    return {
        "kind": "peer_review",
        "title": "Peer review of the grid code",
        "starts_on": today() - timedelta(days=3),
        "sector_ids": [world.a.sector_id],
        "host_institution_id": world.a.institution_id,
    } | fields


def test_a_one_day_exchange_ends_the_day_it_starts_and_its_creation_is_audited(app, world):
    with app.app_context():
        exchange = services.create_exchange(by=factories.admin(), **valid(world))
        assert exchange.ends_on == exchange.starts_on
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "exchange.create"))
        assert event is None  # written at commit
        db.session.commit()
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "exchange.create"))
        assert event.after["sector_ids"] == [world.a.sector_id]
        assert event.entity_type == "exchange" and event.entity_id == exchange.id


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"sector_ids": []}, "sector_ids"),
        ({"title": "  "}, "title"),
        ({"kind": "holiday"}, "kind"),
        ({"ends_on": today() - timedelta(days=4)}, "ends_on"),
        ({"ends_on": today() + timedelta(days=60)}, "ends_on"),
        ({"host_institution_id": None}, "host_institution_id"),
        ({"host_organisation": "EPRA"}, "host_organisation"),
        ({"host_country": "KE"}, "host_country"),
        ({"host_institution_id": None, "host_organisation": "EPRA"}, "host_country"),
        (
            {"host_institution_id": None, "host_organisation": "EPRA", "host_country": "XK"},
            "host_country",
        ),
        ({"learnt": "Much", "starts_on": today() + timedelta(days=3)}, "learnt"),
        ({"competency_ids": [2_000_000_000]}, "competency_ids"),
        ({"result_ids": ["x"]}, "result_ids"),
    ],
)
def test_a_bad_exchange_is_refused_naming_the_field_and_nothing_is_stored(
    app, world, changes, field
):
    with app.app_context():
        with pytest.raises(ValidationFailed) as caught:
            services.create_exchange(by=factories.admin(), **valid(world, **changes))
        assert fields_of(caught) == {field}
        db.session.rollback()
        assert db.session.scalar(select(Exchange.id)) is None


def test_an_exchange_abroad_names_its_host_and_country(app, world):
    with app.app_context():
        exchange = services.create_exchange(
            by=factories.admin(),
            **valid(
                world,
                host_institution_id=None,
                host_organisation="Energy and Petroleum Regulatory Authority",
                host_country="ke",
                ends_on=today() - timedelta(days=1),
            ),
        )
        assert (exchange.host_country, exchange.host_institution_id) == ("KE", None)
        assert (exchange.ends_on - exchange.starts_on).days == 2


def test_the_competencies_of_another_sector_are_refused(app, world):
    with app.app_context():
        other = factories.competencies(world.b.sector_id, 1)[0]
        with pytest.raises(ValidationFailed) as caught:
            services.create_exchange(
                by=factories.admin(), **valid(world, competency_ids=[other.id])
            )
        assert fields_of(caught) == {"competency_ids"}
        cross_cutting = factories.competencies(None, 1)[0]
        made = services.create_exchange(
            by=factories.admin(),
            **valid(world, competency_ids=[cross_cutting.id, world.competency_id]),
        )
        assert made.competency_ids == sorted([cross_cutting.id, world.competency_id])


def test_a_coordinator_records_exchanges_of_their_sectors_only(app, world):
    with app.app_context():
        coordinator = user(world.a.coordinator)
        with pytest.raises(ValidationFailed) as caught:
            services.create_exchange(
                by=coordinator, **valid(world, sector_ids=[world.a.sector_id, world.b.sector_id])
            )
        assert "coordinate" in caught.value.fields["sector_ids"][0]
        with pytest.raises(NotAllowed):
            services.create_exchange(by=user(world.a.coach_user), **valid(world))
        made = services.create_exchange(by=coordinator, **valid(world))
        assert made.sector_ids == [world.a.sector_id]


def test_a_coordinator_keeps_the_other_sectors_of_a_joint_exchange(app, world):
    with app.app_context():
        both = [world.a.sector_id, world.b.sector_id]
        exchange = services.create_exchange(by=factories.admin(), **valid(world, sector_ids=both))
        db.session.commit()
        coordinator = user(world.a.coordinator)
        with pytest.raises(ValidationFailed) as caught:
            services.update_exchange(
                exchange, by=coordinator, version=exchange.version, sector_ids=[world.a.sector_id]
            )
        assert "remove these sectors" in caught.value.fields["sector_ids"][0]
        db.session.rollback()
        exchange = db.session.get(Exchange, exchange.id)
        with pytest.raises(ValidationFailed) as caught:
            services.update_exchange(
                exchange, by=coordinator, version=exchange.version, sector_ids=[world.b.sector_id]
            )
        assert "Keep at least one sector you coordinate" in caught.value.fields["sector_ids"][0]
        # the coordinator of B alone cannot edit an exchange of A only
        only_a = services.create_exchange(by=factories.admin(), **valid(world))
        with pytest.raises(NotAllowed):
            services.update_exchange(
                only_a, by=user(world.b.coordinator), version=only_a.version, title="Mine"
            )


def test_a_stale_edit_is_refused_and_an_edit_is_audited_field_by_field(app, world):
    with app.app_context():
        exchange = services.create_exchange(by=factories.admin(), **valid(world))
        read = exchange.version
        services.update_exchange(
            exchange, by=factories.admin(), version=read, learnt="Their schedule works"
        )
        assert exchange.version == read + 1
        with pytest.raises(Conflict):
            services.update_exchange(exchange, by=factories.admin(), version=read, title="Late")
        db.session.commit()
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "exchange.update"))
        assert event.before == {"learnt": ""} and event.after == {"learnt": "Their schedule works"}


def test_participants_of_each_kind_and_their_refusals(app, world):
    with app.app_context():
        admin = factories.admin()
        exchange = services.create_exchange(by=admin, **valid(world))
        participants.add_participant(exchange, by=admin, kind="mentee", mentee_id=world.a.mentee_id)
        with pytest.raises(ValidationFailed) as caught:
            participants.add_participant(
                exchange, by=admin, kind="mentee", mentee_id=world.a.mentee_id
            )
        assert "takes part already" in caught.value.fields["mentee_id"][0]
        # a coordinator adds only mentees they may see: another sector's is unknown to them
        with pytest.raises(ValidationFailed) as caught:
            participants.add_participant(
                exchange, by=user(world.a.coordinator), kind="mentee", mentee_id=world.b.mentee_id
            )
        assert fields_of(caught) == {"mentee_id"}
        with pytest.raises(ValidationFailed) as caught:
            participants.add_participant(
                exchange, by=admin, kind="external", name="Ann", organisation="", country="ZZ"
            )
        assert fields_of(caught) == {"organisation", "country"}
        with pytest.raises(ValidationFailed) as caught:
            participants.add_participant(
                exchange,
                by=admin,
                kind="external",
                name="Ann",
                organisation="ERA",
                country="UG",
                gender="robot",
            )
        assert fields_of(caught) == {"gender"}
        guest = participants.add_participant(
            exchange, by=admin, kind="external", name="Ann", organisation="ERA", country="UG"
        )
        assert guest.gender is None and guest.kind.value == "external"
        with pytest.raises(NotAllowed):
            participants.add_participant(
                exchange, by=user(world.a.mentee_user), kind="coach", coach_id=world.a.coach_id
            )


def test_a_member_taking_part_already_is_refused_in_a_whole_sentence(app, world):
    with app.app_context():
        made = exchange_of_a(world)
        exchange = db.session.get(Exchange, made.id)
        admin = factories.admin()
        with pytest.raises(ValidationFailed) as caught:
            participants.add_participant(
                exchange, by=admin, kind="coach", coach_id=world.a.coach_id
            )
        assert caught.value.fields == {"coach_id": ["This coach takes part already."]}
        with pytest.raises(ValidationFailed) as caught:
            participants.add_participant(exchange, by=admin, kind="coach", coach_id=10**12)
        assert caught.value.fields == {"coach_id": [f"Unknown coach: {10**12}."]}


def test_a_mentee_whose_part_is_recorded_stays_a_participant(app, world):
    with app.app_context():
        made = exchange_of_a(world)
        admin = factories.admin()
        mentee = db.session.scalar(
            select(ExchangeParticipant).where(
                ExchangeParticipant.exchange_id == made.id,
                ExchangeParticipant.mentee_id == world.a.mentee_id,
            )
        )
        with pytest.raises(InvalidTransition) as caught:
            participants.remove_participant(mentee, by=admin)
        assert "a link to their plan" in caught.value.message
        guest = db.session.get(ExchangeParticipant, made.guest_id)
        participants.remove_participant(guest, by=admin)
        db.session.commit()
        assert db.session.get(ExchangeParticipant, made.guest_id) is None
        removed = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "exchange.participant_remove")
        )
        assert removed.before["name"] == "Wanjiru Kamau"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"owner_name": "", "owner_id": None}, "owner_id"),
        ({"due_on": None}, "due_on"),
        ({"description": ""}, "description"),
        ({"owner_name": "A. Person"}, "owner_name"),  # and an account: not both
        ({"done_on": today() + timedelta(days=1)}, "done_on"),
    ],
)
def test_an_action_needs_a_description_one_owner_and_a_due_date(app, world, data, field):
    with app.app_context():
        exchange = services.create_exchange(by=factories.admin(), **valid(world))
        sent = {
            "description": "Write the note",
            "owner_id": world.a.coordinator.id,
            "due_on": today(),
        } | data
        with pytest.raises(ValidationFailed) as caught:
            actions.add_action(exchange, by=factories.admin(), **sent)
        assert fields_of(caught) == {field}
        assert "due date" in caught.value.fields[field][0] if field == "due_on" else True


def test_an_owner_is_someone_of_the_exchange_or_a_person_named(app, world):
    with app.app_context():
        exchange = services.create_exchange(by=factories.admin(), **valid(world))
        with pytest.raises(ValidationFailed) as caught:
            actions.add_action(
                exchange,
                by=factories.admin(),
                description="x",
                owner_id=world.b.coordinator.id,  # another sector's coordinator
                due_on=today(),
            )
        assert fields_of(caught) == {"owner_id"}
        named = actions.add_action(
            exchange, by=factories.admin(), description="x", owner_name="RURA", due_on=today()
        )
        assert named.owner_label == "RURA"


def test_the_owner_marks_an_action_done_once(app, world):
    with app.app_context():
        made = exchange_of_a(world)
        from scbi.exchanges.models import ExchangeAction

        action = db.session.get(ExchangeAction, made.action_id)
        assert action.overdue_on(today())
        with pytest.raises(NotAllowed):
            actions.mark_done(action, by=user(world.a.coach_user))
        with pytest.raises(ValidationFailed):
            actions.mark_done(
                action, by=user(world.a.mentee_user), done_on=today() + timedelta(days=2)
            )
        db.session.rollback()
        action = db.session.get(ExchangeAction, made.action_id)
        actions.mark_done(action, by=user(world.a.mentee_user), version=action.version)
        assert action.done_on == today() and not action.overdue_on(today())
        with pytest.raises(InvalidTransition):
            actions.mark_done(action, by=factories.admin())


def test_a_reflection_is_the_participating_mentee_s_own_and_versioned(app, world):
    with app.app_context():
        made = exchange_of_a(world)
        exchange = db.session.get(Exchange, made.id)
        mentee = user(world.a.mentee_user)
        with pytest.raises(NotAllowed):
            reflections.save_reflection(exchange, by=user(world.b.mentee_user), text="x")
        with pytest.raises(ValidationFailed) as caught:
            reflections.save_reflection(exchange, by=mentee, text=" ")
        assert fields_of(caught) == {"text"}
        first = reflections.save_reflection(exchange, by=mentee, text="First thoughts")
        with pytest.raises(ValidationFailed) as caught:  # a change says which version it read
            reflections.save_reflection(exchange, by=mentee, text="Later", version=None)
        assert fields_of(caught) == {"version"}
        version = first.version
        reflections.save_reflection(exchange, by=mentee, text="Second thoughts", version=version)
        with pytest.raises(Conflict):
            reflections.save_reflection(exchange, by=mentee, text="Stale", version=version)
        db.session.commit()
        history = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.entity_type == "exchange_reflection")
        ).all()
        assert history == ["exchange.reflection_create", "exchange.reflection_update"]


def test_no_reflection_before_the_exchange_begins(app, world):
    with app.app_context():
        made = exchange_of_a(world)
        exchange = db.session.get(Exchange, made.id)
        services.update_exchange(
            exchange,
            by=factories.admin(),
            version=exchange.version,
            starts_on=today() + timedelta(days=5),
            ends_on=today() + timedelta(days=6),
        )
        with pytest.raises(InvalidTransition) as caught:
            reflections.save_reflection(exchange, by=user(world.a.mentee_user), text="Soon")
        assert caught.value.code == "not_started"


def test_a_coach_links_the_exchange_to_the_plan_of_a_mentee_they_coach_who_took_part(app, world):
    with app.app_context():
        admin = factories.admin()
        exchange = services.create_exchange(by=admin, **valid(world))
        coach = user(world.a.coach_user)
        with pytest.raises(ValidationFailed) as caught:  # mentee A has not taken part yet
            reflections.link_plan(exchange, by=coach, plan_id=world.plan_id)
        assert fields_of(caught) == {"plan_id"}
        participants.add_participant(exchange, by=admin, kind="mentee", mentee_id=world.a.mentee_id)
        with pytest.raises(NotAllowed):
            reflections.link_plan(exchange, by=user(world.a.mentee_user), plan_id=world.plan_id)
        with pytest.raises(ValidationFailed):  # coach B does not coach mentee A
            reflections.link_plan(exchange, by=user(world.b.coach_user), plan_id=world.plan_id)
        link = reflections.link_plan(exchange, by=coach, plan_id=world.plan_id, note="Item 1")
        assert link.plan_id == world.plan_id
        with pytest.raises(ValidationFailed):  # linked already
            reflections.link_plan(exchange, by=coach, plan_id=world.plan_id)
        with pytest.raises(NotAllowed):
            reflections.unlink_plan(link, by=user(world.b.coach_user))
        reflections.unlink_plan(link, by=coach)


def test_a_mentee_of_another_sector_is_refused_to_a_coordinator_but_not_to_the_secretariat(
    app, world
):
    with app.app_context():
        exchange = services.create_exchange(by=factories.admin(), **valid(world))
        added = participants.add_participant(
            exchange, by=factories.admin(), kind="mentee", mentee_id=world.b.mentee_id
        )
        assert db.session.get(Mentee, added.mentee_id).sector_id == world.b.sector_id
