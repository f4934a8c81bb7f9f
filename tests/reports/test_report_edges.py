"""Edges of the reports: the plan in force on a past date, text that must stay inert in
the PDF and the workbook, and the critical-mass sweep against the level rule itself."""

from __future__ import annotations

import random
from datetime import date, timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook

from scbi.competencies.levels import current_levels
from scbi.competencies.models import Assessment
from scbi.extensions import db
from scbi.mentees.services import change_status
from scbi.programme.models import PriorityResult, PriorityResultStatus, Sector
from scbi.reports import exports, metrics, periods
from scbi.reports.critical_mass import standings
from scbi.transfer.models import Pairing, TransferPlan
from scbi.transfer.services import plans
from tests import factories as f
from tests.helpers import api_token, bearer
from tests.reports.test_report_outputs import QUERY, pdf_text
from tests.reports.test_sector_report import approve, at, built, item  # noqa: F401


def test_a_past_period_reads_the_plan_then_in_force(app, built):  # noqa: F811
    with app.test_request_context():
        pairing = db.session.get(Pairing, built["p1"])
        coach_user = db.session.get(type(f.admin()), built["coach_user"])
        first = db.session.scalar(
            db.select(TransferPlan).where(TransferPlan.pairing_id == pairing.id)
        )
        revision = plans.revise_plan(first, by=coach_user)
        plans.update_plan(
            revision,
            by=coach_user,
            version=revision.version,
            items=[
                item(db.session.get(type(first.items[0].competency), built["c1"]), f.target_day())
            ],
        )
        plans.submit_plan(revision, by=coach_user)
        plans.approve_plan(revision, by=f.admin())
        revision.decided_at = at("2026-05-01T09:00:00")  # after the quarter
        db.session.commit()
        sector = db.session.get(Sector, built["sector_id"])
        q3 = metrics.sector_report(sector, periods.fiscal_quarter(2025, 3))["plans"]["totals"]
        q4 = metrics.sector_report(sector, periods.fiscal_quarter(2025, 4))["plans"]["totals"]
    assert q3["items"] == 3  # the first plan's two items for m1, and m2's one
    assert q4["items"] == 2  # the revision's one item for m1, and m2's one


def test_names_stay_text_in_the_pdf_and_the_workbook(app, client, built):  # noqa: F811
    hostile = 'R&D "Grid" </style><h1>x</h1>'
    with app.app_context():
        sector = db.session.get(Sector, built["sector_id"])
        sector.name = hostile
        result = db.session.scalar(db.select(PriorityResult).order_by(PriorityResult.id))
        db.session.add(
            PriorityResultStatus(
                result_id=result.id,
                status="at_risk",
                status_on=date(2026, 3, 2),
                note="Budget \x0bcut\x01 =SUM(A1)",
                recorded_at=at("2026-03-02T08:00"),
            )
        )
        db.session.commit()
    world = f.world(app)
    token = api_token(client, world.secretariat)
    report = client.get(
        f"/api/v1/reports/sectors/{built['sector_id']}?{QUERY}", headers=bearer(token)
    ).json
    with app.test_request_context():
        html = exports.sector_html(report)
        text = pdf_text(html)
    assert "</style><h1>" not in html.split("<body>")[0]  # the footer's CSS string
    assert hostile in text  # printed as typed: title and running footer
    workbook = client.get(
        f"/api/v1/reports/sectors/{built['sector_id']}?{QUERY}&format=xlsx",
        headers=bearer(token),
    )
    assert workbook.status_code == 200
    notes = [
        row[5]
        for row in load_workbook(BytesIO(workbook.data))["8 Priority results"].iter_rows(
            min_row=2, values_only=True
        )
    ]
    assert "Budget cut =SUM(A1)" in notes  # control characters dropped; not a formula


def test_the_sweep_agrees_with_the_level_rule(app):
    """Random histories of assessments, plan baselines and statuses: the experts the
    sweep counts at each month end are those the one level rule (scbi.competencies.levels)
    gives, mentee by mentee."""
    rng = random.Random(7)
    with app.test_request_context():
        s = f.sector(expert_level=3)
        inst = f.institution(s.id)
        core = f.competencies(s.id, 3)
        phase = f.phase()
        coach = f.coach(s.id, inst.id, max_mentees=20)
        mentees = [f.mentee(s.id, inst.id) for _ in range(12)]
        for mentee in mentees:
            pairing = f.pairing(coach, mentee, phase)
            if rng.random() < 0.7:
                approve(
                    pairing,
                    [
                        {
                            **item(c, date(2026, 3, 1)),
                            "baseline_level": rng.choice([1, 2, 3]),
                            "target_level": 4,
                        }
                        for c in core
                    ],
                )
                plan = db.session.scalar(
                    db.select(TransferPlan).where(TransferPlan.pairing_id == pairing.id)
                )
                month, day, hour = rng.randint(2, 12), rng.randint(1, 28), rng.randint(0, 23)
                plan.decided_at = at(f"2025-{month:02d}-{day:02d}T{hour:02d}:00")
            for _ in range(rng.randint(0, 8)):
                db.session.add(
                    Assessment(
                        mentee_id=mentee.id,
                        competency_id=rng.choice(core).id,
                        assessor_id=f.admin().id,
                        assessor_role=rng.choice(["coach", "secretariat", "self"]),
                        level=rng.randint(0, 4),
                        assessed_on=date(2025, 2, 1) + timedelta(days=rng.randint(0, 420)),
                    )
                )
            if rng.random() < 0.3:
                change_status(
                    mentee,
                    by=f.admin(),
                    version=mentee.version,
                    status=rng.choice(["withdrawn", "graduated", "left_public_service"]),
                    status_date=date(2025, 6, 1) + timedelta(days=rng.randint(0, 300)),
                )
        db.session.commit()
        until = date(2026, 3, 31)
        found = standings([s], until)[s.id]
        for day, count in found.trajectory:
            statuses = {
                m.id: next(
                    (
                        c.status
                        for c in sorted(m.history, key=lambda c: (c.status_on, c.id), reverse=True)
                        if c.status_on <= day
                    ),
                    None,
                )
                for m in mentees
            }
            counting = [m for m, st in statuses.items() if st in ("active", "graduated")]
            levels = current_levels(counting, day, [c.id for c in core])
            expected = sum(
                1
                for m in counting
                if all((levels[(m, c.id)].level if (m, c.id) in levels else 0) >= 3 for c in core)
            )
            assert count == expected, day
        counts = [count for _day, count in found.trajectory]
        assert max(counts) > 0 and len(set(counts)) > 1  # the data exercise the rule


def test_another_sectors_report_is_the_domain_not_found_naming_the_sector(app):
    """sector_or_404 raises scbi.errors.NotFound with entity ("sector", id), so the
    refusal is audited like any scoped loader's (no werkzeug exception in the service)."""
    from scbi.auth.models import User
    from scbi.errors import NotFound
    from scbi.reports import services

    world = f.world(app)
    with app.test_request_context():
        coordinator = db.session.get(User, world.a.coordinator.id)
        with pytest.raises(NotFound) as refused:
            services.sector_or_404(coordinator, world.b.sector_id)
        assert refused.value.entity == ("sector", world.b.sector_id)
        assert services.sector_or_404(coordinator, world.a.sector_id).id == world.a.sector_id
