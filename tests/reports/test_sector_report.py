"""The sector report on a hand-built sector, every answer worked out by hand.

The period is FY 2025 Q3 (fiscal years start in July): 1 January – 31 March 2026, so the
standing figures are read on 31 March 2026. Logs, their history and the validated levels
are written directly: these tests are about counting, not about the rules that let them in.

People: coaches Alice Kamau (K1, logs), Bob Mwangi (K2, contract ended 2025-12-31) and Zed
Otieno (K3, never logs); mentees m1 (female, I1), m2 (male, I2), m3 (female, I1, withdrew
2025-12-15), m4 (undisclosed, I2, joined 2026-02-01). Pairings K1–m1 and K1–m2 run through
the period; K1–m3 ended 2025-12-15. Two core competencies c1, c2; expert level 3.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from scbi.competencies.models import Assessment
from scbi.extensions import db
from scbi.mentees.services import change_status
from scbi.programme.models import PriorityResult, PriorityResultStatus, Sector
from scbi.reports import metrics, periods
from scbi.transfer.models import LogEvent, TransferLog
from scbi.transfer.services import plans
from tests import factories as f

PERIOD = {"fy": "2025", "quarter": "3"}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def validated(mentee_id, competency_id, level, day):
    db.session.add(
        Assessment(
            mentee_id=mentee_id,
            competency_id=competency_id,
            assessor_id=f.admin().id,
            assessor_role="secretariat",
            level=level,
            assessed_on=day,
        )
    )


def log(pairing, day, kind, minutes, role, status, steps, submitted=None, responded=None):
    entry = TransferLog(
        pairing_id=pairing.id,
        author_id=pairing.coach.user_id,
        activity_date=day,
        activity_type=kind,
        minutes=minutes,
        title=f"{kind} on {day}",
        mentee_role=role,
        status=status,
        submitted_at=submitted and at(submitted),
        responded_at=responded and at(responded),
    )
    db.session.add(entry)
    db.session.flush()
    for action, when in steps:
        db.session.add(LogEvent(log_id=entry.id, action=action, at=at(when)))
    # the times the log services keep beside the history (scbi.transfer.services.derived)
    submitted_steps = [at(when) for action, when in steps if action == "submitted"]
    entry.first_submitted_at = min(submitted_steps, default=None)
    entry.acknowledged_at = next((at(w) for a, w in steps if a == "acknowledged"), None)


def item(competency, target_date):
    return {
        "competency_id": competency.id,
        "baseline_level": 1,
        "target_level": 3,
        "target_date": target_date,
        "methods": ["on_the_job"],
        "expected_evidence": "A study the mentee wrote",
    }


def approve(pairing, items):
    coach_user = db.session.get(type(f.admin()), pairing.coach.user_id)
    # Submitted today, so with target dates ahead; then dated as if approved long before
    # the period, when the targets below still lay ahead.
    ahead = [entry | {"target_date": f.target_day()} for entry in items]
    plan = plans.create_plan(pairing, by=coach_user, items=ahead)
    plans.submit_plan(plan, by=coach_user)
    plans.approve_plan(plan, by=f.admin())
    for plan_item, entry in zip(plan.items, items, strict=True):
        plan_item.target_date = entry["target_date"]
    plan.decided_at = at("2025-03-01T09:00:00")  # approved long before the period


@pytest.fixture
def built(app):
    with app.app_context():
        s = f.sector(expert_target=4, target_date=date(2027, 6, 30))
        i1, i2 = f.institution(s.id, acronym="INA"), f.institution(s.id, acronym="INB")
        c1, c2 = f.competencies(s.id, 2)
        k1 = f.coach(s.id, i1.id, full_name="Alice Kamau")
        f.coach(s.id, i1.id, full_name="Bob Mwangi", contract_end=date(2025, 12, 31))
        f.coach(s.id, i1.id, full_name="Zed Otieno")
        m1 = f.mentee(s.id, i1.id, gender="female")
        m2 = f.mentee(s.id, i2.id, gender="male")
        m3 = f.mentee(s.id, i1.id, gender="female")
        m4 = f.mentee(s.id, i2.id, gender="undisclosed", joined_on=date(2026, 2, 1))
        phase = f.phase()
        p1, p2, p3 = (f.pairing(k1, m, phase) for m in (m1, m2, m3))
        p3.status, p3.end_date = "completed", date(2025, 12, 15)
        change_status(
            m3, by=f.admin(), version=m3.version, status="withdrawn", status_date=date(2025, 12, 15)
        )
        approve(p1, [item(c1, date(2026, 2, 15)), item(c2, date(2026, 6, 30))])
        approve(p2, [item(c1, date(2026, 3, 1))])
        validated(m1.id, c1.id, 3, date(2026, 1, 20))
        validated(m1.id, c2.id, 2, date(2026, 2, 10))
        validated(m3.id, c1.id, 4, date(2025, 9, 5))
        validated(m3.id, c2.id, 4, date(2025, 9, 5))
        validated(m4.id, c1.id, 3, date(2026, 3, 10))
        validated(m4.id, c2.id, 3, date(2026, 3, 10))
        # L1: acknowledged after 2 days
        log(p1, date(2026, 1, 10), "on_the_job", 120, "led", "acknowledged",
            [("submitted", "2026-01-10T10:00"), ("acknowledged", "2026-01-12T10:00")],
            "2026-01-10T10:00", "2026-01-12T10:00")  # fmt: skip
        # L2: acknowledged after 4 days, then verified
        log(p1, date(2026, 2, 5), "shadowing", 60, "observed", "verified",
            [("submitted", "2026-02-05T08:00"), ("acknowledged", "2026-02-09T08:00"),
             ("verified", "2026-02-10T08:00")],
            "2026-02-05T08:00", "2026-02-09T08:00")  # fmt: skip
        # L3: disputed, corrected, acknowledged half a day after the second submission
        log(p2, date(2026, 3, 20), "joint_delivery", 90, "co_led", "acknowledged",
            [("submitted", "2026-03-20T12:00"), ("disputed", "2026-03-21T12:00"),
             ("submitted", "2026-03-22T12:00"), ("acknowledged", "2026-03-23T00:00")],
            "2026-03-22T12:00", "2026-03-23T00:00")  # fmt: skip
        # L4: disputed, never counts
        log(p2, date(2026, 3, 25), "on_the_job", 45, "led", "disputed",
            [("submitted", "2026-03-25T09:00"), ("disputed", "2026-03-26T09:00")],
            "2026-03-25T09:00", "2026-03-26T09:00")  # fmt: skip
        # L5: a draft, never counts
        log(p1, date(2026, 3, 28), "self_study", 30, "led", "draft", [])
        # L6: done in December, acknowledged on 2 January after 13 days
        log(p1, date(2025, 12, 20), "on_the_job", 60, "led", "acknowledged",
            [("submitted", "2025-12-20T10:00"), ("acknowledged", "2026-01-02T10:00")],
            "2025-12-20T10:00", "2026-01-02T10:00")  # fmt: skip
        # L8: submitted in December; disputed, corrected and resubmitted in January (not
        # a new submission), acknowledged a day after the resubmission
        log(p2, date(2025, 12, 10), "on_the_job", 60, "led", "acknowledged",
            [("submitted", "2025-12-10T10:00"), ("disputed", "2026-01-05T10:00"),
             ("submitted", "2026-01-06T10:00"), ("acknowledged", "2026-01-07T10:00")],
            "2026-01-06T10:00", "2026-01-07T10:00")  # fmt: skip
        # L7: submitted at 22:30 UTC on 31 March, which is 1 April in Kigali
        log(p2, date(2026, 3, 31), "on_the_job", 60, "assisted", "submitted",
            [("submitted", "2026-03-31T22:30")], "2026-03-31T22:30")  # fmt: skip
        on_track, at_risk, delivered = "on_track", "at_risk", "delivered"
        results = [
            (
                "Grid code adopted",
                date(2026, 6, 30),
                [(on_track, "2025-10-01"), (at_risk, "2026-02-01")],
            ),
            (
                "Tariff study published",
                date(2026, 3, 1),
                [(on_track, "2025-09-01"), (delivered, "2026-04-15")],
            ),
            ("Off-grid strategy", date(2026, 12, 31), []),
        ]
        for title, due, history in results:
            result = PriorityResult(sector_id=s.id, title=title, due_date=due)
            db.session.add(result)
            db.session.flush()
            for status, on in history:
                db.session.add(
                    PriorityResultStatus(
                        result_id=result.id,
                        status=status,
                        status_on=date.fromisoformat(on),
                        recorded_at=at(on + "T08:00"),
                    )
                )
        db.session.commit()
        ids = {"sector_id": s.id, "code": s.code, "name": s.name, "c1": c1.id, "c2": c2.id}
        ids |= {"p1": p1.id, "coach_user": k1.user_id}
        ids |= {"i1": i1.id, "i2": i2.id}
    # outside the app context: requests in the tests push their own (and their own g)
    return ids


@pytest.fixture
def report(app, built):
    with app.test_request_context("/", query_string=PERIOD):
        from flask import request

        sector = db.session.get(Sector, built["sector_id"])
        return metrics.sector_report(sector, periods.parse(request.args))


def test_the_period(report):
    assert report["period"] == {
        "start": "2026-01-01",
        "end": "2026-03-31",
        "label": "FY 2025/26 Q3",
        "as_of": "2026-03-31",
        "fiscal_year": 2025,
        "quarter": 3,
    }


def test_headline(report):
    assert report["headline"] == {
        "active_pairings": 2,  # K1–m3 ended before the period
        "active_mentees": 3,  # m1, m2 and m4 (joined in February); m3 had withdrawn
        # m4 told no gender: undisclosed, never merged into other
        "mentees_by_gender": {"female": 1, "male": 1, "other": 0, "undisclosed": 1},
        "active_coaches": 2,  # Alice and Zed; Bob's contract ended in December
        "coaching_hours": 4.5,  # L1 2 h + L2 1 h + L3 1.5 h
        "logs_submitted": 4,  # L1-L4 (L6 and L8 in December, L7 on 1 April in Kigali)
        "logs_acknowledged": 5,  # L1, L2, L3, L6 (acknowledged on 2 January) and L8
        "logs_disputed": 3,  # L3, L4 and L8
        "median_days_to_acknowledge": 2.0,  # 0.5, 1, 2, 4, 13
    }


def test_critical_mass(report):
    mass = report["critical_mass"]
    # m3 expert from 5 September to her withdrawal on 15 December; m4 from 10 March
    assert [p["experts"] for p in mass["trajectory"]] == [0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 1]
    assert mass["trajectory"][0]["month"] == "2025-04-30"
    assert mass["trajectory"][-1]["month"] == "2026-03-31"
    assert (mass["experts"], mass["target"], mass["progress"]) == (1, 4, 0.25)
    # slope 7/143 a month; from 1 expert now, (4 - 1) / (7/143) = 61.29 months
    # x 30.4375 = 1865.4 days -> 1865 days after 31 March 2026: 9 May 2031, too late
    assert mass["trend_per_month"] == 0.05
    assert mass["forecast_date"] == "2031-05-09"
    assert mass["on_track"] is False
    # m1: c2 at 2 (1 below); m2: c1 at its baseline 1 and c2 at 0 (2 below); m4 expert
    assert mass["pipeline"] == {"0": 1, "1": 1, "2": 1, "3+": 0}


def test_plans_and_gains(report, built):
    plans_ = report["plans"]
    assert plans_["totals"] == {"items": 3, "achieved": 1, "on_track": 1, "overdue": 1}
    by_competency = {r["competency_id"]: r for r in plans_["by_competency"]}
    assert by_competency[built["c1"]] | {"competency": None} == {
        "competency_id": built["c1"],
        "competency": None,
        "items": 2,
        "achieved": 1,
        "on_track": 0,
        "overdue": 1,
    }
    assert (by_competency[built["c2"]]["on_track"], by_competency[built["c2"]]["overdue"]) == (
        1,
        0,
    )
    [overdue] = plans_["overdue"]
    assert (overdue["current_level"], overdue["target_date"], overdue["days_overdue"]) == (
        1,
        "2026-03-01",
        30,
    )
    gains = {g["competency_id"]: g for g in report["competency_gains"]["by_competency"]}
    # c1: baselines 1 and 1, now 3 and 1; c2: baseline 1, now 2
    assert (gains[built["c1"]]["mean_baseline"], gains[built["c1"]]["mean_current"]) == (1, 2)
    assert gains[built["c1"]]["mean_gain"] == gains[built["c2"]]["mean_gain"] == 1.0
    gaps = report["competency_gains"]["largest_gaps"]
    assert [(g["competency_id"], g["mean_gap"]) for g in gaps] == [
        (built["c1"], 2.0),
        (built["c2"], 1.0),
    ]


def test_transfer(report):
    transfer = report["transfer"]
    assert transfer["hours_by_activity"] == {
        "on_the_job": 2.0,
        "shadowing": 1.0,
        "joint_delivery": 1.5,
        "formal_training": 0.0,
        "review_feedback": 0.0,
        "peer_exchange": 0.0,
        "self_study": 0.0,
    }
    months = {m["month"]: m for m in transfer["hours_by_mentee_role"]}
    assert list(months) == ["2026-01", "2026-02", "2026-03"]
    assert (months["2026-01"]["led"], months["2026-01"]["led_share"]) == (2.0, 1.0)
    assert (months["2026-02"]["observed"], months["2026-02"]["led_share"]) == (1.0, 0.0)
    assert (months["2026-03"]["co_led"], months["2026-03"]["total"]) == (1.5, 1.5)


def test_institutions_coaches_and_results(report, built):
    institutions = {i["institution_id"]: i for i in report["institutions"]}
    first = institutions[built["i1"]]
    assert (first["mentees"], first["hours"], first["experts"]) == (1, 3.0, 0)
    assert (institutions[built["i2"]]["mentees"], institutions[built["i2"]]["hours"]) == (2, 1.5)
    assert institutions[built["i2"]]["experts"] == 1
    assert [
        (c["name"], c["last_log_date"], c["days_since_last_log"], c["hours"], c["silent"])
        for c in report["coaches"]
    ] == [
        ("Alice Kamau", "2026-03-31", 0, 4.5, False),
        ("Zed Otieno", None, None, 0.0, True),
    ]
    results = report["priority_results"]
    assert [(r["title"], r["status"]) for r in results["results"]] == [
        ("Grid code adopted", "at_risk"),
        ("Off-grid strategy", "not_started"),
        ("Tariff study published", "on_track"),  # delivered only in April
    ]
    assert results["by_status"] == {
        "not_started": 1,
        "on_track": 1,
        "at_risk": 1,
        "delivered": 0,
        "dropped": 0,
    }


def test_the_overview_adds_up_the_sectors(app, built, report):
    with app.test_request_context("/", query_string=PERIOD):
        from flask import request

        overview = metrics.programme_overview(
            [db.session.get(Sector, built["sector_id"])],
            periods.parse(request.args),
            with_cascade=True,
        )
    [row] = overview["sectors"]
    assert row["headline"] == report["headline"]
    mass = {k: v for k, v in report["critical_mass"].items() if k != "trajectory"}
    assert row["critical_mass"] == mass
    assert overview["totals"]["coaching_hours"] == 4.5
    assert overview["totals"]["median_days_to_acknowledge"] == 2.0
    assert (overview["totals"]["experts"], overview["totals"]["expert_target"]) == (1, 4)
    assert overview["cascade"] == {"former_mentees_coaching": 0, "people": []}
