"""History-proof critical mass: the core set, expert level and target of a date are those
in force on that date, so no later change alters a figure for an earlier date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scbi.competencies.levels import current_levels
from scbi.dates import today
from scbi.errors import ValidationFailed
from scbi.extensions import db
from scbi.programme import frameworks, services
from scbi.programme.models import EARLIEST_DATE, CoreChange
from scbi.reports import metrics, periods
from scbi.reports.critical_mass import critical_mass, experts, trajectory
from tests import factories as f
from tests.helpers import api_token, bearer, login


def competency(framework, name, core, effective_on=EARLIEST_DATE):
    return frameworks.add_competency(
        framework,
        by=f.admin(),
        idnumber=name,
        short_name=name,
        core=core,
        effective_on=effective_on,
    )


@pytest.fixture
def three_experts(app):
    """Core c1 (c2 not core); three mentees reach level 3 on c1 in September 2025."""
    with app.test_request_context():
        s = f.sector(expert_target=5, target_date=date(2027, 6, 30))
        inst = f.institution(s.id)
        fw = frameworks.create_framework(
            by=f.admin(), name="F", idnumber=f"F{s.id}", sector_id=s.id
        )
        c1, c2 = competency(fw, "c1", True), competency(fw, "c2", False)
        for n in range(3):
            m = f.mentee(s.id, inst.id, joined_on=date(2025, 1, 10))
            f.validated(m, c1, 3, date(2025, 9, 10 + n))
        db.session.commit()
        yield s, fw, c1, c2


def test_marking_one_more_competency_core_keeps_the_past_trajectory(app, three_experts):
    s, _fw, _c1, c2 = three_experts
    with app.test_request_context():
        until = date(2025, 12, 31)
        assert [n for _d, n in trajectory(s, until, months=5)] == [0, 3, 3, 3, 3]
        c2 = db.session.get(type(c2), c2.id)
        frameworks.update_competency(
            c2, by=f.admin(), version=c2.version, core=True, effective_on=date(2025, 12, 1)
        )
        db.session.commit()
        # August to November as before; from December nobody has c2
        assert [n for _d, n in trajectory(s, until, months=5)] == [0, 3, 3, 3, 0]
        assert experts(s, date(2025, 11, 30)) == 3
        report = metrics.sector_report(s, periods.fiscal_quarter(2025, 2))  # Oct–Dec 2025
        assert report["critical_mass"]["experts"] == 0
        assert report["critical_mass"]["core_competencies"] == 2
        assert (
            metrics.sector_report(s, periods.fiscal_quarter(2025, 1))["critical_mass"]["experts"]
            == 3
        )  # July–September: still three


def test_a_change_today_leaves_every_past_figure(app, three_experts):
    s, _fw, _c1, c2 = three_experts
    with app.test_request_context():
        before = trajectory(s, date(2026, 6, 30), months=12)
        c2 = db.session.get(type(c2), c2.id)
        frameworks.update_competency(c2, by=f.admin(), version=c2.version, core=True)
        sector = db.session.get(type(s), s.id)
        services.update_sector(sector, by=f.admin(), version=sector.version, expert_level=4)
        db.session.commit()
        assert trajectory(s, date(2026, 6, 30), months=12) == before
        assert (
            db.session.scalars(
                db.select(CoreChange.effective_on).where(CoreChange.competency_id == c2.id)
            ).all()[-1]
            == today()
        )


def test_a_higher_expert_level_counts_from_its_date(app, three_experts):
    s, *_ = three_experts
    with app.test_request_context():
        sector = db.session.get(type(s), s.id)
        services.update_sector(
            sector,
            by=f.admin(),
            version=sector.version,
            expert_level=4,
            expert_target=8,
            target_date=date(2028, 6, 30),
            effective_on=date(2025, 11, 1),
        )
        db.session.commit()
        assert [n for _d, n in trajectory(s, date(2025, 11, 30), months=3)] == [3, 3, 0]
        october = critical_mass(s, date(2025, 10, 31))
        assert (october.target, october.target_date, october.expert_level) == (
            5,
            date(2027, 6, 30),
            3,
        )
        november = critical_mass(s, date(2025, 11, 30))
        assert (november.target, november.target_date, november.expert_level) == (
            8,
            date(2028, 6, 30),
            4,
        )
        assert november.pipeline == {"0": 0, "1": 3, "2": 0, "3+": 0}


def test_moving_a_framework_to_another_sector_is_dated(app, three_experts):
    s, fw, _c1, _c2 = three_experts
    with app.test_request_context():
        other = f.sector()
        framework = db.session.get(type(fw), fw.id)
        frameworks.update_framework(
            framework,
            by=f.admin(),
            version=framework.version,
            sector_id=other.id,
            effective_on=date(2025, 12, 1),
        )
        db.session.commit()
        # no core competency from December: no experts, but the autumn keeps its three
        assert [n for _d, n in trajectory(s, date(2025, 12, 31), months=3)] == [3, 3, 0]


@pytest.mark.parametrize(
    ("effective_on", "message"),
    [
        (date(2099, 1, 1), "cannot be in the future"),
        (date(1989, 12, 31), "1990-01-01"),
        (date(2025, 10, 1), "2025-11-01"),
    ],
)
def test_a_change_cannot_take_effect_in_the_future_or_before_the_latest(
    app, three_experts, effective_on, message
):
    s, _fw, _c1, c2 = three_experts
    with app.test_request_context():
        sector = db.session.get(type(s), s.id)
        services.update_sector(
            sector, by=f.admin(), version=sector.version, expert_level=2, effective_on="2025-11-01"
        )
        c2 = db.session.get(type(c2), c2.id)
        frameworks.update_competency(
            c2, by=f.admin(), version=c2.version, core=True, effective_on=date(2025, 11, 1)
        )
        db.session.commit()
        for change in (
            lambda: services.update_sector(
                sector,
                by=f.admin(),
                version=sector.version,
                expert_level=4,
                effective_on=effective_on,
            ),
            lambda: frameworks.update_competency(
                c2, by=f.admin(), version=c2.version, core=False, effective_on=effective_on
            ),
        ):
            with pytest.raises(ValidationFailed) as refused:
                change()
            assert message in refused.value.fields["effective_on"][0]
            db.session.rollback()


def test_the_api_takes_the_effective_date_and_shows_the_history(app, client, three_experts):
    s, _fw, _c1, c2 = three_experts
    world = f.world(app)
    headers = bearer(api_token(client, world.secretariat))
    version = client.get(f"/api/v1/sectors/{s.id}", headers=headers).json["version"]
    answer = client.patch(
        f"/api/v1/sectors/{s.id}",
        json={"expert_level": 4, "effective_on": "2025-11-01", "version": version},
        headers=headers,
    )
    assert answer.status_code == 200, answer.json
    assert [(r["effective_on"], r["expert_level"]) for r in answer.json["rules"]] == [
        ("2025-11-01", 4),
        (EARLIEST_DATE.isoformat(), 3),
    ]
    refused = client.patch(
        f"/api/v1/sectors/{s.id}",
        json={"expert_level": 2, "effective_on": "2099-01-01", "version": answer.json["version"]},
        headers=headers,
    )
    assert refused.status_code == 422 and "effective_on" in refused.json["error"]["fields"]
    version = client.get(f"/api/v1/frameworks/{_fw.id}", headers=headers).json["competencies"]
    c2_version = next(c for c in version if c["id"] == c2.id)["version"]
    changed = client.patch(
        f"/api/v1/competencies/{c2.id}",
        json={"core": True, "effective_on": "2025-12-01", "version": c2_version},
        headers=headers,
    )
    assert changed.status_code == 200, changed.json
    framework = client.get(f"/api/v1/frameworks/{_fw.id}", headers=headers).json
    assert {
        (c["competency_id"], c["core"], c["effective_on"]) for c in framework["core_changes"]
    } >= {(c2.id, True, "2025-12-01")}
    history = client.get("/api/v1/reports/critical-mass?on=2025-11-30", headers=headers).json
    mine = next(r for r in history if r["sector_id"] == s.id)
    assert (mine["experts"], mine["expert_level"], mine["core_competencies"]) == (0, 4, 1)


def test_the_sector_and_framework_pages_show_the_dated_changes(app, client, three_experts):
    s, fw, _c1, c2 = three_experts
    with app.test_request_context():
        c2 = db.session.get(type(c2), c2.id)
        frameworks.update_competency(
            c2, by=f.admin(), version=c2.version, core=True, effective_on=date(2025, 12, 1)
        )
        sector = db.session.get(type(s), s.id)
        services.update_sector(
            sector, by=f.admin(), version=sector.version, expert_target=9, effective_on="2025-11-01"
        )
        db.session.commit()
    world = f.world(app)
    login(client, world.secretariat)
    page = client.get(f"/sectors/{s.id}").get_data(as_text=True)
    assert "From the start" in page and '<time datetime="2025-11-01">' in page
    assert "<td>9</td>" in page and '<time datetime="2025-12-01">' in page  # c2 became core
    page = client.get(f"/frameworks/{fw.id}").get_data(as_text=True)
    assert '<time datetime="2025-12-01">' in page and "c2 (c2)" in page


# --- a randomised check: sequences of assessments and dated changes ------------------------

DAYS = st.integers(min_value=0, max_value=540)  # from 2025-01-01
START = date(2025, 1, 1)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("assess"), st.integers(0, 2), st.integers(0, 2), st.integers(0, 4), DAYS),
        st.tuples(st.just("core"), st.integers(0, 2), st.booleans(), DAYS),
        st.tuples(st.just("level"), st.integers(1, 4), DAYS),
    ),
    min_size=1,
    max_size=14,
)


@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=operations)
def test_no_change_alters_a_figure_before_its_date(app, ops):
    """Random sequences of assessments, core changes and expert-level changes, applied in
    order: after each, every month-end count before its date is what it was, and every
    count is the one rule (scbi.competencies.levels, the rule in force) mentee by mentee."""
    with app.test_request_context():
        s = f.sector(expert_level=2)
        inst = f.institution(s.id)
        fw = frameworks.create_framework(
            by=f.admin(), name="F", idnumber=f"R{s.id}", sector_id=s.id
        )
        comps = [competency(fw, f"r{i}", i == 0) for i in range(3)]
        mentees = [f.mentee(s.id, inst.id, joined_on=date(2024, 12, 1)) for _ in range(3)]
        until = START + timedelta(days=560)
        core_log = {c.id: [(EARLIEST_DATE, c.core)] for c in comps}
        level_log = [(EARLIEST_DATE, 2)]
        for op in ops:
            before = trajectory(s, until, months=19)
            if op[0] == "assess":
                _kind, m, c, level, day = op
                f.validated(mentees[m], comps[c], level, START + timedelta(days=day))
                effective = None
            else:
                effective = START + timedelta(days=op[-1])
                try:
                    if op[0] == "core":
                        c = db.session.get(type(comps[0]), comps[op[1]].id)
                        frameworks.update_competency(
                            c, by=f.admin(), version=c.version, core=op[2], effective_on=effective
                        )
                        if c.core == op[2] and core_log[c.id][-1][1] != op[2]:
                            core_log[c.id].append((effective, op[2]))
                    else:
                        sector = db.session.get(type(s), s.id)
                        services.update_sector(
                            sector,
                            by=f.admin(),
                            version=sector.version,
                            expert_level=op[1],
                            effective_on=effective,
                        )
                        if level_log[-1][1] != op[1]:
                            level_log.append((effective, op[1]))
                except ValidationFailed:  # earlier than the latest change: history is forwards
                    continue  # (refused before anything changed)
            db.session.flush()
            after = trajectory(s, until, months=19)
            if effective is not None:
                assert [p for p in after if p[0] < effective] == [
                    p for p in before if p[0] < effective
                ]
        for day, count in trajectory(s, until, months=19):
            level = [lv for d, lv in level_log if d <= day][-1]
            core = [c for c, log in core_log.items() if [v for d, v in log if d <= day][-1]]
            levels = current_levels([m.id for m in mentees], day, core)
            expected = sum(
                1
                for m in mentees
                if core
                and all(
                    (levels[(m.id, c)].level if (m.id, c) in levels else 0) >= level for c in core
                )
            )
            assert count == expected, (day, level, core)
        db.session.rollback()
