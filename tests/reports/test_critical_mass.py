"""Critical mass on a hand-built sector, with the answers worked out by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from scbi.extensions import db
from scbi.mentees.models import Assessment
from scbi.mentees.services import change_status
from scbi.programme import frameworks
from scbi.programme.models import EARLIEST_DATE
from scbi.reports.critical_mass import critical_mass, experts, forecast, pipeline, trajectory
from tests import factories as f
from tests.helpers import api_token, bearer


def validated(mentee, competency, level, day):
    """A validated level, written directly: these tests are about counting, not evidence."""
    db.session.add(
        Assessment(
            mentee_id=mentee.id,
            competency_id=competency.id,
            assessor_id=f.admin().id,
            assessor_role="secretariat",
            level=level,
            assessed_on=day,
        )
    )


@pytest.fixture
def sector(app):
    """Expert level 3, two core competencies (and one non-core), target 2.

    m1 reaches 3 on both on 2025-03-15; m2 on 2025-04-10 and 2025-05-20, withdraws
    2025-07-01; m3 reaches 3 on one core competency only; m4 joins 2025-09-01.
    """
    with app.app_context():
        s = f.sector(expert_target=2, target_date=date(2026, 6, 30))
        inst = f.institution(s.id)
        fw = frameworks.create_framework(by=f.admin(), name="Energy", idnumber="E", sector_id=s.id)
        c1, c2, c3 = (
            frameworks.add_competency(
                fw, by=f.admin(), idnumber=i, short_name=i, core=core, effective_on=EARLIEST_DATE
            )
            for i, core in (("c1", True), ("c2", True), ("c3", False))
        )
        m1, m2, m3 = (f.mentee(s.id, inst.id, joined_on=date(2025, 1, 10)) for _ in range(3))
        f.mentee(s.id, inst.id, joined_on=date(2025, 9, 1))
        validated(m1, c1, 3, date(2025, 3, 15))
        validated(m1, c2, 4, date(2025, 3, 15))
        validated(m2, c1, 3, date(2025, 4, 10))
        validated(m2, c2, 3, date(2025, 5, 20))
        validated(m3, c1, 3, date(2025, 2, 1))
        validated(m3, c2, 2, date(2025, 2, 1))
        validated(m3, c3, 1, date(2025, 2, 1))
        change_status(
            m2, by=f.admin(), version=m2.version, status="withdrawn", status_date=date(2025, 7, 1)
        )
        db.session.commit()
        yield s


def test_experts_at_dates(app, sector):
    expected = {
        date(2025, 3, 14): 0,
        date(2025, 3, 15): 1,
        date(2025, 5, 19): 1,
        date(2025, 5, 20): 2,
        date(2025, 6, 30): 2,
        date(2025, 7, 1): 1,
    }
    assert {d: experts(sector, d) for d in expected} == expected


def test_month_end_trajectory_pipeline_and_forecast(app, sector):
    points = trajectory(sector, date(2025, 8, 31), months=6)
    assert points == [
        (date(2025, 3, 31), 1),
        (date(2025, 4, 30), 1),
        (date(2025, 5, 31), 2),
        (date(2025, 6, 30), 2),
        (date(2025, 7, 31), 1),
        (date(2025, 8, 31), 1),
    ]
    assert pipeline(sector, date(2025, 8, 31)) == {"0": 1, "1": 1, "2": 0, "3+": 0}
    # from September m4 counts too, with both core competencies missing
    assert pipeline(sector, date(2025, 9, 30)) == {"0": 1, "1": 1, "2": 1, "3+": 0}
    flat = forecast(points, 2, date(2026, 6, 30))
    assert flat.forecast_date is None and flat.on_track is False  # the trend does not rise
    cm = critical_mass(sector, date(2025, 6, 30))
    assert (cm.experts, cm.target, cm.progress) == (2, 2, 1.0)
    assert cm.forecast.on_track is True


def test_least_squares_forecast():
    start = date(2025, 1, 31)
    points = [(start, 0), (start + timedelta(days=28), 1), (start + timedelta(days=59), 2)]
    result = forecast(points, 4, date(2025, 12, 31))
    assert result.slope_per_month == pytest.approx(1.0)
    assert result.forecast_date == points[-1][0] + timedelta(days=61)  # two months on
    assert result.on_track
    late = forecast(points, 40, date(2025, 12, 31))
    assert late.forecast_date > date(2025, 12, 31) and not late.on_track


def test_the_api_gives_coordinators_their_sectors_only(app, client, sector):
    world = f.world(app)
    sec = client.get(
        "/api/v1/reports/critical-mass?on=2025-06-30",
        headers=bearer(api_token(client, world.secretariat)),
    ).json
    mine = next(r for r in sec if r["sector_id"] == sector.id)
    assert (mine["experts"], mine["target"], mine["on_track"]) == (2, 2, True)
    assert mine["pipeline"] == {"0": 2, "1": 1, "2": 0, "3+": 0}
    assert len(mine["trajectory"]) == 12
    coordinator = client.get(
        "/api/v1/reports/critical-mass", headers=bearer(api_token(client, world.a.coordinator))
    ).json
    assert [r["sector_id"] for r in coordinator] == [world.a.sector_id]
    bad = client.get(
        "/api/v1/reports/critical-mass?on=June",
        headers=bearer(api_token(client, world.secretariat)),
    )
    assert bad.status_code == 422
