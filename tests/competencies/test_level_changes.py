"""The kept level changes (issue 13): written in the transaction of each assessment and plan
approval, equal to a recomputation from the history, and agreeing with the current level
on every day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select, update

from scbi.auth.models import User
from scbi.competencies import level_changes
from scbi.competencies.levels import current_level
from scbi.competencies.models import Assessment, LevelChange
from scbi.competencies.services import pick_up_review
from scbi.extensions import db
from scbi.transfer.services import plans as transfer_plans
from tests import factories as f
from tests.helpers import QueryCounter


def kept(mentee_id, competency_id) -> list[tuple]:
    return [
        (row.day, row.kind, row.level)
        for row in db.session.scalars(
            select(LevelChange)
            .where(LevelChange.mentee_id == mentee_id, LevelChange.competency_id == competency_id)
            .order_by(LevelChange.day, LevelChange.kind, LevelChange.at, LevelChange.ident)
        )
    ]


def a_pairing():
    phase, sector = f.phase(), f.sector()
    institution = f.institution(sector.id)
    coach, mentee = f.coach(sector.id, institution.id), f.mentee(sector.id, institution.id)
    pairing = f.pairing(coach, mentee, phase)
    return pairing, mentee, f.competencies(sector.id, 2)


def test_each_assessment_and_approval_keeps_the_changes_in_its_transaction(app):
    with app.app_context():
        pairing, mentee, (c1, c2) = a_pairing()
        plan = f.approved_plan(pairing, [c1, c2])  # baselines 1, approved today
        approved = plan.decided_at.astimezone(UTC).date()
        assert kept(mentee.id, c1.id) == [(approved, 0, 1)]
        f.validated(mentee, c1, 1, approved + timedelta(days=1))  # the same level: no change
        f.validated(mentee, c1, 3, approved + timedelta(days=2))
        db.session.commit()
        assert kept(mentee.id, c1.id) == [(approved, 0, 1), (approved + timedelta(days=2), 1, 3)]
        # an assessment before the plan's approval outranks its baseline for good
        f.validated(mentee, c2, 2, approved - timedelta(days=30))
        db.session.commit()
        assert kept(mentee.id, c2.id) == [(approved - timedelta(days=30), 1, 2)]
        # a rolled-back assessment leaves no change behind
        f.validated(mentee, c1, 4, approved + timedelta(days=3))
        db.session.rollback()
        assert kept(mentee.id, c1.id)[-1] == (approved + timedelta(days=2), 1, 3)
        # a plan's decision moved (as the demo backdates it) moves its baseline
        plan.decided_at = datetime(2025, 3, 1, 9, tzinfo=UTC)
        db.session.commit()
        assert kept(mentee.id, c1.id)[0] == (date(2025, 3, 1), 0, 1)
        assert level_changes.drift() == 0


def test_a_drift_is_found_by_the_check_and_rebuilt(app):
    with app.app_context():
        pairing, mentee, (c1, _c2) = a_pairing()
        plan = f.approved_plan(pairing, [c1])
        f.validated(mentee, c1, 3, plan.decided_at.date() + timedelta(days=1))
        db.session.commit()
        db.session.execute(update(LevelChange).where(LevelChange.kind == 1).values(level=4))
        db.session.execute(delete(LevelChange).where(LevelChange.kind == 0))
        db.session.commit()
        assert level_changes.drift() == 3  # one row missing, one wrong (missing and extra)
        runner = app.test_cli_runner()
        checked = runner.invoke(args=["scbi", "derived"])
        assert checked.exit_code == 1 and "recomputation: 3." in checked.output
        rebuilt = runner.invoke(args=["scbi", "derived", "--rebuild"])
        assert rebuilt.exit_code == 0 and "2 level changes" in rebuilt.output
        assert level_changes.drift() == 0
        assert runner.invoke(args=["scbi", "derived"]).exit_code == 0


DAYS = st.integers(min_value=0, max_value=12)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    assessments=st.lists(st.tuples(DAYS, st.integers(0, 4)), max_size=6),
    plans=st.lists(st.tuples(DAYS, st.integers(0, 2)), max_size=3),  # below the target, 3
)
def test_the_last_change_up_to_any_day_is_the_current_level(app, assessments, plans):
    """Whatever the order of assessments and baselines, replaying the kept changes up to a
    day gives scbi.competencies.levels's current level on that day."""
    start = date(2026, 1, 1)
    with app.app_context():
        pairing, mentee, (c1, _c2) = a_pairing()
        coach, plan = db.session.get(User, pairing.coach.user_id), None
        for day, baseline in plans:  # the plan, then its revisions, each decided on ``day``
            if plan is None:
                plan = f.approved_plan(pairing, [c1])
            else:
                plan = transfer_plans.revise_plan(plan, by=coach)
                transfer_plans.submit_plan(plan, by=coach)
                transfer_plans.approve_plan(plan, by=f.admin())
            plan.items[0].baseline_level = baseline
            plan.decided_at = datetime.combine(start + timedelta(days=day), time(9), UTC)
            db.session.flush()
        for day, level in assessments:
            f.validated(mentee, c1, level, start + timedelta(days=day))
        db.session.commit()
        changes = kept(mentee.id, c1.id)
        for offset in range(-1, 14):
            on = start + timedelta(days=offset)
            replayed = next((lv for d, _k, lv in reversed(changes) if d <= on), 0)
            assert replayed == current_level(mentee.id, c1.id, on).level, on
        assert level_changes.drift() == 0


def test_a_write_levels_do_not_read_leaves_them_alone(app):
    """A review picked up changes a self-assessment's state, not a level: no level
    change is computed again (nor is one after a draft plan's target moves)."""
    world = f.world(app)  # mentee A asked for a review of a self-assessment
    with app.app_context():
        own = db.session.get(Assessment, world.assessment_id)
        coach = db.session.get(User, world.a.coach_user.id)
        with QueryCounter(app) as counter:
            pick_up_review(own, by=coach)
            db.session.commit()
        assert own.review_status == "in_review"
        assert not [s for s in counter.statements if "level_change" in s]
