"""Pairing rules: one open pairing per pair, coach capacity, dates, sector, transitions."""

from __future__ import annotations

from datetime import date

import pytest

from scbi.errors import Conflict, InvalidTransition, NotAllowed, ValidationFailed
from scbi.extensions import db
from scbi.transfer import services
from scbi.transfer.models import Pairing
from tests import factories as f
from tests.helpers import MISSING_ID


@pytest.fixture
def ctx(app):
    """A phase, a sector with an institution, a coach (capacity 2) and three mentees."""
    with app.app_context():
        phase = f.phase()
        sector = f.sector()
        inst = f.institution(sector.id)
        coach = f.coach(sector.id, inst.id, max_mentees=2)
        mentees = [f.mentee(sector.id, inst.id) for _ in range(3)]
        db.session.commit()
        yield phase, sector, inst, coach, mentees


def fields_of(call):
    """The fields a refused call names (services validate before they change anything)."""
    with pytest.raises(ValidationFailed) as caught:
        call()
    return caught.value.fields


def test_a_valid_pairing_is_created_and_audited(app, ctx):
    phase, _s, _i, coach, mentees = ctx
    pairing = f.pairing(coach, mentees[0], phase)
    assert pairing.status == "active"
    from tests.helpers import audit_actions

    db.session.commit()
    assert "pairing.create" in audit_actions(app)


def test_one_open_pairing_per_coach_and_mentee(app, ctx):
    phase, _s, _i, coach, mentees = ctx
    f.pairing(coach, mentees[0], phase)
    fields = fields_of(lambda: f.pairing(coach, mentees[0], phase))
    assert "already have an open pairing" in fields["mentee_id"][0]


def test_the_coach_capacity_is_never_exceeded(app, ctx):
    phase, _s, _i, coach, mentees = ctx
    f.pairing(coach, mentees[0], phase)
    f.pairing(coach, mentees[1], phase)
    fields = fields_of(lambda: f.pairing(coach, mentees[2], phase))
    assert "most allowed" in fields["coach_id"][0]
    assert db.session.scalar(db.select(db.func.count()).select_from(Pairing)) == 2


def test_a_paused_pairing_frees_capacity_until_resumed(app, ctx):
    phase, _s, _i, coach, mentees = ctx
    first = f.pairing(coach, mentees[0], phase)
    f.pairing(coach, mentees[1], phase)
    services.pause_pairing(first, by=f.admin(), version=first.version)
    f.pairing(coach, mentees[2], phase)
    fields = fields_of(lambda: services.resume_pairing(first, by=f.admin(), version=first.version))
    assert "most allowed" in fields["coach_id"][0]


def test_dates_must_lie_inside_the_phase_and_the_contract(app, ctx):
    phase, _s, _i, coach, mentees = ctx
    fields = fields_of(lambda: f.pairing(coach, mentees[0], phase, start_date=date(2024, 12, 1)))
    assert any("inside" in m for m in fields["start_date"])
    fields = fields_of(
        lambda: f.pairing(coach, mentees[0], phase, planned_end_date=date(2027, 9, 1))
    )
    assert "coach's contract" in fields["planned_end_date"][0]
    fields = fields_of(
        lambda: f.pairing(
            coach, mentees[0], phase, start_date=date(2026, 1, 1), planned_end_date=date(2025, 6, 1)
        )
    )
    assert "before the start" in fields["planned_end_date"][0]


def test_another_sector_needs_a_reason(app, ctx):
    phase, _s, _i, coach, mentees = ctx
    other = f.sector()
    fields = fields_of(lambda: f.pairing(coach, mentees[0], phase, sector_id=other.id))
    assert "say why" in fields["cross_sector_reason"][0]
    pairing = f.pairing(
        coach,
        mentees[0],
        phase,
        sector_id=other.id,
        cross_sector_reason="Negotiation skills for the export deal",
    )
    assert pairing.cross_sector_reason.startswith("Negotiation")


def test_unknown_references_are_named(app, ctx):
    fields = fields_of(
        lambda: services.create_pairing(
            by=f.admin(),
            coach_id=MISSING_ID,
            mentee_id=MISSING_ID - 1,
            phase_id=MISSING_ID - 2,
            sector_id=MISSING_ID - 3,
            start_date="2025-02-01",
            planned_end_date="not a date",
        )
    )
    assert set(fields) >= {"coach_id", "mentee_id", "phase_id", "sector_id", "planned_end_date"}


def test_only_active_mentees_and_coaches_are_paired(app, ctx):
    phase, _s, _i, coach, mentees = ctx
    mentees[0].status = "withdrawn"
    coach.status = "inactive"
    db.session.flush()
    fields = fields_of(lambda: f.pairing(coach, mentees[0], phase))
    assert "coach_id" in fields and "mentee_id" in fields


def test_a_coordinator_of_another_sector_is_refused(app, ctx, make_user):
    phase, _s, _i, coach, mentees = ctx
    from scbi.auth.models import User

    outsider = db.session.get(User, make_user("coordinator").id)
    with pytest.raises(NotAllowed):
        services.create_pairing(
            by=outsider,
            coach_id=coach.id,
            mentee_id=mentees[0].id,
            phase_id=phase.id,
            sector_id=mentees[0].sector_id,
            start_date=date(2025, 2, 1),
            planned_end_date=date(2026, 1, 1),
        )


def test_transitions_allowed_and_refused(app, ctx):
    phase, _s, _i, coach, mentees = ctx
    pairing = f.pairing(coach, mentees[0], phase)
    by = f.admin()
    with pytest.raises(InvalidTransition):
        services.resume_pairing(pairing, by=by, version=pairing.version)
    services.pause_pairing(pairing, by=by, version=pairing.version)
    with pytest.raises(InvalidTransition):
        services.pause_pairing(pairing, by=by, version=pairing.version)
    services.resume_pairing(pairing, by=by, version=pairing.version)
    fields = fields_of(
        lambda: services.end_pairing(
            pairing,
            by=by,
            version=pairing.version,
            status="active",
            end_date="2025-03-01",
            reason="",
        )
    )
    assert set(fields) == {"status", "reason"}
    services.end_pairing(
        pairing,
        by=by,
        version=pairing.version,
        status="completed",
        end_date=date(2025, 12, 1),
        reason="Plan achieved",
    )
    assert pairing.status == "completed"
    with pytest.raises(InvalidTransition):
        services.end_pairing(
            pairing,
            by=by,
            version=pairing.version,
            status="terminated",
            end_date=date(2025, 12, 2),
            reason="again",
        )
    # ended: the pair may start a new pairing
    f.pairing(
        coach, mentees[0], phase, start_date=date(2026, 1, 5), planned_end_date=date(2026, 12, 1)
    )


def test_a_stale_version_is_refused(app, ctx):
    phase, _s, _i, coach, mentees = ctx
    pairing = f.pairing(coach, mentees[0], phase)
    with pytest.raises(Conflict):
        services.pause_pairing(pairing, by=f.admin(), version=pairing.version + 1)


def test_the_database_refuses_a_second_open_pairing_too(app, ctx):
    """The partial unique index backs the rule even if a service were bypassed."""
    from sqlalchemy.exc import IntegrityError

    phase, sector, _i, coach, mentees = ctx
    f.pairing(coach, mentees[0], phase)
    db.session.add(
        Pairing(
            coach_id=coach.id,
            mentee_id=mentees[0].id,
            phase_id=phase.id,
            sector_id=sector.id,
            start_date=date(2025, 3, 1),
            planned_end_date=date(2025, 9, 1),
            status="paused",
        )
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_capacity_cannot_drop_below_active_pairings(app, ctx):
    from scbi.coaches.services import update_coach

    phase, _s, _i, coach, mentees = ctx
    f.pairing(coach, mentees[0], phase)
    f.pairing(coach, mentees[1], phase)
    fields = fields_of(
        lambda: update_coach(coach, by=f.admin(), version=coach.version, max_mentees=1)
    )
    assert "2 active pairings" in fields["max_mentees"][0]
