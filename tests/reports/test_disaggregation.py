"""The report's figures by gender and by institution (issue 18), on a hand-built sector,
every answer worked out by hand.

The period is FY 2025 Q3: 1 January – 31 March 2026, figures as of 31 March 2026. Two core
competencies c1, c2, expert level 3. Institutions IA and IB. Mentees (all active from
January 2025), with their levels on 31 March (c1, c2) and core competencies below 3:

    mf  female       IA   3, 3   0  expert
    mm  male         IB   3, 3   0  expert
    mo  other        IA   3, 1   1
    mu  undisclosed  IB   4, 4   0  expert
    mu2 undisclosed  IA   0, 0   2

Acknowledged hours in the period (minutes, the mentee's part): mf 120 led + 60 observed;
mm 90 assisted; mo 60 led; mu 30 co-led; mu2 60 led (and 45 led disputed, and a 30-minute
draft of mf's: neither counts).

Plans in force (baseline → level now): mf c1 1 → 3; mm c1 2 → 3; mu c1 1 → 4, c2 1 → 4.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from scbi.extensions import db
from scbi.programme.models import Sector
from scbi.reports import metrics, periods
from scbi.transfer.services import plans
from tests import factories as f
from tests.helpers import api_token, bearer, login, plain_figures
from tests.reports.test_report_outputs import table
from tests.reports.test_sector_report import at, log, validated

PERIOD = {"fy": "2025", "quarter": "3"}
QUERY = "fy=2025&quarter=3"
GENDERS = ["female", "male", "other", "undisclosed"]


def approve(pairing, items):
    """An approved plan of ``(competency, baseline)`` items, in force long before."""
    coach_user = db.session.get(type(f.admin()), pairing.coach.user_id)
    entries = [
        {
            "competency_id": competency.id,
            "baseline_level": baseline,
            "target_level": 4,
            "target_date": f.target_day(),
            "methods": ["on_the_job"],
            "expected_evidence": "A study the mentee wrote",
        }
        for competency, baseline in items
    ]
    plan = plans.create_plan(pairing, by=coach_user, items=entries)
    plans.submit_plan(plan, by=coach_user)
    plans.approve_plan(plan, by=f.admin())
    plan.decided_at = at("2025-03-01T09:00:00")


def acknowledged(pairing, day, minutes, role, status="acknowledged"):
    """A log of ``day`` submitted that morning and, unless a draft, answered at noon."""
    if status == "draft":
        log(pairing, date.fromisoformat(day), "on_the_job", minutes, role, status, [])
        return
    answer = "acknowledged" if status == "acknowledged" else "disputed"
    sent, answered = f"{day}T08:00", f"{day}T12:00"
    steps = [("submitted", sent), (answer, answered)]
    log(
        pairing, date.fromisoformat(day), "on_the_job", minutes, role, status, steps, sent, answered
    )


@pytest.fixture
def built(app):
    with app.app_context():
        s = f.sector(expert_target=5, target_date=date(2027, 6, 30))
        ia, ib = f.institution(s.id, acronym="IA"), f.institution(s.id, acronym="IB")
        c1, c2 = f.competencies(s.id, 2)
        k = f.coach(s.id, ia.id, full_name="Alice Kamau")
        k2 = f.coach(s.id, ib.id, full_name="Bob Mwangi")
        mf = f.mentee(s.id, ia.id, gender="female")
        mm = f.mentee(s.id, ib.id, gender="male")
        mo = f.mentee(s.id, ia.id, gender="other")
        mu = f.mentee(s.id, ib.id, gender="undisclosed")
        mu2 = f.mentee(s.id, ia.id, gender="undisclosed")
        phase = f.phase()
        pf, pm, po = (f.pairing(k, m, phase) for m in (mf, mm, mo))
        pu, pu2 = (f.pairing(k2, m, phase) for m in (mu, mu2))
        approve(pf, [(c1, 1)])
        approve(pm, [(c1, 2)])
        approve(pu, [(c1, 1), (c2, 1)])
        for mentee, (l1, l2) in ((mf, (3, 3)), (mm, (3, 3)), (mo, (3, 1)), (mu, (4, 4))):
            validated(mentee.id, c1.id, l1, date(2026, 1, 15))
            validated(mentee.id, c2.id, l2, date(2026, 1, 15))
        acknowledged(pf, "2026-01-10", 120, "led")
        acknowledged(pf, "2026-02-10", 60, "observed")
        acknowledged(pf, "2026-03-10", 30, "led", status="draft")
        acknowledged(pm, "2026-01-20", 90, "assisted")
        acknowledged(po, "2026-02-20", 60, "led")
        acknowledged(pu, "2026-03-05", 30, "co_led")
        acknowledged(pu2, "2026-03-06", 60, "led")
        acknowledged(pu2, "2026-03-07", 45, "led", status="disputed")
        db.session.commit()
        return {"sector_id": s.id, "ia": ia.id, "ib": ib.id}


def report_of(app, sector_id, locale=None):
    with app.test_request_context("/", query_string=PERIOD):
        from flask import request

        return metrics.sector_report(db.session.get(Sector, sector_id), periods.parse(request.args))


def group(experts, pipeline, hours, led, items, baseline, current, gain):
    return {
        "experts": experts,
        "pipeline": dict(zip(("0", "1", "2", "3+"), pipeline, strict=True)),
        "coaching_hours": hours,
        "led_hours": led,
        "gains": {
            "items": items,
            "mean_baseline": baseline,
            "mean_current": current,
            "mean_gain": gain,
        },
    }


BY_GENDER = {
    "female": group(1, (1, 0, 0, 0), 3.0, 2.0, 1, 1.0, 3.0, 2.0),
    "male": group(1, (1, 0, 0, 0), 1.5, 0.0, 1, 2.0, 3.0, 1.0),
    "other": group(0, (0, 1, 0, 0), 1.0, 1.0, 0, None, None, None),
    # mu and mu2: never merged into other
    "undisclosed": group(1, (1, 0, 1, 0), 1.5, 1.0, 2, 1.0, 4.0, 3.0),
}
BY_INSTITUTION = {
    # mf, mo, mu2
    "IA": group(1, (1, 1, 1, 0), 5.0, 4.0, 1, 1.0, 3.0, 2.0),
    # mm, mu: baselines 2, 1, 1 (4/3); now 3, 4, 4 (11/3); gain 7/3
    "IB": group(2, (2, 0, 0, 0), 2.0, 0.0, 3, 1.33, 3.67, 2.33),
}


def test_the_breakdowns_worked_out_by_hand(app, built):
    report = report_of(app, built["sector_id"])
    assert report["by_gender"] == BY_GENDER
    assert list(report["by_gender"]) == GENDERS  # each on its own, in the enum's order
    institutions = report["by_institution"]
    assert list(institutions) == [built["ia"], built["ib"]]
    assert {r["acronym"]: {k: v for k, v in r.items() if k not in ("acronym", "name")}
            for r in institutions.values()} == BY_INSTITUTION  # fmt: skip
    # the headline counts the four genders apart too
    assert report["headline"]["mentees_by_gender"] == {
        "female": 1,
        "male": 1,
        "other": 1,
        "undisclosed": 2,
    }


def test_each_breakdown_adds_up_to_the_figure(app, built):
    report = report_of(app, built["sector_id"])
    mass, headline = report["critical_mass"], report["headline"]
    led = sum(m["led"] for m in report["transfer"]["hours_by_mentee_role"])
    items = report["plans"]["totals"]["items"]
    gains = report["competency_gains"]["by_competency"]
    gain_total = sum(g["mean_gain"] * g["items"] for g in gains)
    for groups in (report["by_gender"], report["by_institution"]):
        rows = list(groups.values())
        assert sum(r["experts"] for r in rows) == mass["experts"] == 3
        for bucket in ("0", "1", "2", "3+"):
            assert sum(r["pipeline"][bucket] for r in rows) == mass["pipeline"][bucket]
        assert sum(r["coaching_hours"] for r in rows) == headline["coaching_hours"] == 7.0
        assert sum(r["led_hours"] for r in rows) == led == 4.0  # mf 2, mo 1, mu2 1
        assert sum(r["gains"]["items"] for r in rows) == items == 4
        exact = sum((r["gains"]["mean_gain"] or 0) * r["gains"]["items"] for r in rows)
        assert exact == pytest.approx(gain_total, abs=0.02)
    assert mass["pipeline"] == {"0": 3, "1": 1, "2": 1, "3+": 0}


def test_the_overview_carries_them_for_the_programme(app, built):
    f.world(app)  # two more sectors with a mentee each
    with app.test_request_context("/", query_string=PERIOD):
        from flask import request

        sectors = list(db.session.scalars(db.select(Sector).order_by(Sector.id)))
        overview = metrics.programme_overview(
            sectors, periods.parse(request.args), with_cascade=False
        )
    totals = overview["totals"]
    rows = list(overview["by_gender"].values())
    assert list(overview["by_gender"]) == GENDERS
    assert sum(r["experts"] for r in rows) == totals["experts"]
    assert sum(r["coaching_hours"] for r in rows) == totals["coaching_hours"]
    institutions = overview["by_institution"]
    assert sum(r["experts"] for r in institutions.values()) == totals["experts"]
    assert sum(r["coaching_hours"] for r in institutions.values()) == totals["coaching_hours"]
    # this sector's institutions as its report has them (no other sector's mentees there)
    assert institutions[built["ia"]]["gains"] == BY_INSTITUTION["IA"]["gains"]
    assert institutions[built["ib"]]["experts"] == 2
    assert overview["by_gender"]["undisclosed"]["experts"] >= 1


def test_page_xlsx_and_api_carry_the_same_numbers(app, client, built):
    world = f.world(app)
    token = api_token(client, world.secretariat)
    sector_id = built["sector_id"]
    api = client.get(f"/api/v1/reports/sectors/{sector_id}?{QUERY}", headers=bearer(token)).json
    assert api["by_gender"] == BY_GENDER
    ia = api["by_institution"][str(built["ia"])]  # JSON keys are strings
    assert (ia["acronym"], ia["experts"], ia["coaching_hours"]) == ("IA", 1, 5.0)

    response = client.get(
        f"/api/v1/reports/sectors/{sector_id}?{QUERY}&format=xlsx", headers=bearer(token)
    )
    book = load_workbook(BytesIO(response.data))
    genders = {r["gender"]: r for r in table(book, "By gender")}
    assert list(genders) == ["female", "male", "other", "prefers not to say"]
    for key, name in zip(GENDERS, genders, strict=True):
        row, expected = genders[name], BY_GENDER[key]
        assert (row["experts"], row["coaching_hours"], row["led_hours"]) == (
            expected["experts"],
            expected["coaching_hours"],
            expected["led_hours"],
        )
        assert row["pipeline_2"] == expected["pipeline"]["2"]
        assert (row["items"], row["mean_gain"]) == (
            expected["gains"]["items"],
            expected["gains"]["mean_gain"],
        )
    institutions = {r["acronym"]: r for r in table(book, "By institution")}
    assert institutions["IB"]["experts"] == 2 and institutions["IA"]["led_hours"] == 4.0
    assert institutions["IB"]["mean_gain"] == 2.33

    login(client, world.secretariat)
    page = plain_figures(client.get(f"/reports/sectors/{sector_id}?{QUERY}").get_data(as_text=True))
    assert "1 female, 1 male, 1 other, 2 prefers not to say" in page
    start = page.index('class="table table-sm caption-top breakdown-gender"')
    rows = page[start : page.index("</table>", start)]
    assert (
        "<caption>National experts, pipeline, hours and competency gains by gender</caption>"
        in rows
    )
    # undisclosed: 1 expert, 0 / 1 / 0 below, 1.5 h, 1 h led, 2 items, +3.00
    assert (
        '<th scope="row">prefers not to say</th><td class="text-end">1</td>'
        '<td class="text-end">0</td><td class="text-end">1</td><td class="text-end">0</td>'
        '<td class="text-end">1.5</td><td class="text-end">1</td>'
        '<td class="text-end">2</td><td class="text-end">+3.00</td>'
    ) in rows
    assert '<th scope="row">other</th><td class="text-end">0</td>' in rows
    overview = client.get(f"/reports?{QUERY}").get_data(as_text=True)
    assert "breakdown-institution" in overview and "<abbr title=" in overview


def test_a_french_reader_reads_the_labels_in_french(app, client, built):
    world = f.world(app)
    login(client, world.secretariat)
    page = plain_figures(
        client.get(
            f"/reports/sectors/{built['sector_id']}?{QUERY}", headers={"Accept-Language": "fr"}
        ).get_data(as_text=True)
    )
    start = page.index("breakdown-gender")
    rows = page[start : page.index("</table>", start)]
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        from flask_babel import force_locale

        from scbi.mentees.models import Gender

        with force_locale("fr"):
            names = [g.short for g in Gender]
    assert "prefers not to say" not in rows and "female" not in rows
    for name in names:
        assert f'<th scope="row">{name}</th>' in rows


def test_an_older_publication_without_them_still_renders(app, client, built):
    """A publication stores its figures: one made before the breakdowns (and with three
    genders) renders without them, and its workbook has no such sheets."""
    from scbi.reports import exports

    report = report_of(app, built["sector_id"])
    del report["by_gender"], report["by_institution"]
    report["headline"]["mentees_by_gender"] = {"female": 1, "male": 1, "other": 3}
    report["previous"]["headline"]["mentees_by_gender"] = {"female": 0, "male": 0, "other": 0}
    with app.test_request_context("/"):
        html = exports.sector_html(report)
        book = load_workbook(BytesIO(exports.sector_xlsx(report)))
    assert "breakdown-gender" not in html and "1 female, 1 male, 3 other" in html
    assert "By gender" not in book.sheetnames


def test_a_change_in_a_breakdown_is_named_for_readers(app):
    from scbi.reports.differences import label

    with app.test_request_context("/"):
        assert label("by_gender.undisclosed.pipeline.2") == (
            "By gender › prefers not to say › "
            "Pipeline: two core competencies below the expert level"
        )
        assert label("by_gender.other.gains.mean_gain") == "By gender › other › Mean gain"
        names = {"by_institution.7": "IA"}
        assert label("by_institution.7.led_hours", names) == (
            "By institution › IA › Hours led by the mentee"
        )
