"""Published sector reports: frozen figures, changes since publication answered by
numbered addenda, immutable rows, who may publish and read, the files.

The hand-built sector of test_sector_report.py, FY 2025 Q3 (January–March 2026). L7, a
one-hour ``on_the_job`` log of m2 (institution I2) dated 31 March in which m2 assisted,
is submitted and not yet acknowledged at publication; acknowledging it late adds an hour
to the quarter's counted figures, and nothing else (its acknowledgement itself falls in
December 2026, outside the quarter).
"""

from __future__ import annotations

import json
from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from scbi.auth.models import User
from scbi.extensions import db
from scbi.programme.models import Sector
from scbi.reports import exports, periods, publishing
from scbi.reports.models import PublishedReport
from scbi.transfer.models import TransferLog
from scbi.transfer.services import logs
from tests import factories as f
from tests.helpers import (
    api_token,
    audit_actions,
    bearer,
    login,
    post_form,
    statement_counts,
)
from tests.reports.test_report_outputs import QUERY, pdf_text, sheet
from tests.reports.test_sector_report import built  # noqa: F401  (fixture)

NARRATIVE = {
    "went_well": "Grid code study led by the mentees.",
    "went_badly": "One log disputed twice.",
    "next_steps": "Tariff study in Q4.",
}
L7_TITLE = "on_the_job on 2026-03-31"


def publish_body(sector_id, **kw) -> dict:
    return {"sector_id": sector_id, "fy": 2025, "quarter": 3, **NARRATIVE} | kw


def acknowledge_l7(app) -> None:
    """m2 acknowledges L7 now, eight months after the quarter ended."""
    with app.test_request_context():
        log = db.session.scalar(select(TransferLog).where(TransferLog.title == L7_TITLE))
        logs.acknowledge_log(log, by=log.pairing.mentee.user)
        db.session.commit()


@pytest.fixture
def staff(app, client, built):  # noqa: F811
    world = f.world(app)
    return world, bearer(api_token(client, world.secretariat))


def stored_text(app, report_id) -> str:
    with app.app_context():
        return db.session.scalar(
            select(PublishedReport.figures_json).where(PublishedReport.id == report_id)
        )


LATE_ACKNOWLEDGEMENT = {
    # path: (label, as published, now)
    "headline.coaching_hours": ("Coaching hours (acknowledged)", 4.5, 5.5),
    "transfer.hours_by_activity.on_the_job": ("Hours by activity: on the job", 2.0, 3.0),
    "transfer.hours_by_mentee_role[2026-03].assisted": (
        "Hours assisted by the mentee in Mar 2026",
        0.0,
        1.0,
    ),
    "transfer.hours_by_mentee_role[2026-03].total": ("Hours in Mar 2026", 1.5, 2.5),
    "institutions[{i2}].hours": ("Institutions › INB › Hours", 1.5, 2.5),
    "coaches[{k1}].hours": ("Coach follow-up › Alice Kamau › Hours", 4.5, 5.5),
    # L7 is m2's (male, INB)
    "by_gender.male.coaching_hours": ("By gender › male › Coaching hours (acknowledged)", 1.5, 2.5),
    "by_institution.{i2}.coaching_hours": (
        "By institution › INB › Coaching hours (acknowledged)",
        1.5,
        2.5,
    ),
}


def test_a_late_acknowledgement_is_answered_by_an_addendum(app, client, built, staff):  # noqa: F811
    _world, headers = staff
    sector_id = built["sector_id"]
    live = client.get(f"/api/v1/reports/sectors/{sector_id}?{QUERY}", headers=headers).json
    made = client.post("/api/v1/reports/published", json=publish_body(sector_id), headers=headers)
    assert made.status_code == 201, made.json
    first = made.json
    assert (first["number"], first["latest_number"], first["quarter"]) == (1, 1, 3)
    assert first["figures"] == live  # the whole report, as it was
    assert first["changed_since_publication"] is False and first["differences"] == []
    assert first["published_by"]["id"] == _world.secretariat.id
    assert first["went_badly"] == NARRATIVE["went_badly"]
    frozen = stored_text(app, first["id"])
    # nothing changed: no addendum
    again = client.post("/api/v1/reports/published", json=publish_body(sector_id), headers=headers)
    assert again.status_code == 409 and again.json["error"]["code"] == "unchanged"

    acknowledge_l7(app)
    read = client.get(f"/api/v1/reports/published/{first['id']}", headers=headers).json
    assert read["figures"] == first["figures"]  # frozen
    assert read["figures"]["headline"]["coaching_hours"] == 4.5
    assert read["changed_since_publication"] is True
    with app.test_request_context():
        coach_id = db.session.scalar(
            select(TransferLog).where(TransferLog.title == L7_TITLE)
        ).pairing.coach_id
    expected = {
        path.format(i2=built["i2"], k1=coach_id): values
        for path, values in LATE_ACKNOWLEDGEMENT.items()
    }
    assert {d["path"]: (d["label"], d["published"], d["now"]) for d in read["differences"]} == (
        expected
    )

    addendum = client.post(
        "/api/v1/reports/published",
        json=publish_body(sector_id, went_well="L7 acknowledged late."),
        headers=headers,
    )
    assert addendum.status_code == 201, addendum.json
    second = addendum.json
    assert second["number"] == 2 and second["figures"]["headline"]["coaching_hours"] == 5.5
    assert second["went_well"] == "L7 acknowledged late."
    # the first is untouched, and now matches nothing less than the latest
    assert stored_text(app, first["id"]) == frozen
    read = client.get(f"/api/v1/reports/published/{first['id']}", headers=headers).json
    assert read["figures"]["headline"]["coaching_hours"] == 4.5
    assert (read["number"], read["latest_number"]) == (1, 2)
    assert read["changed_since_publication"] is False
    again = client.post("/api/v1/reports/published", json=publish_body(sector_id), headers=headers)
    assert again.status_code == 409
    listed = client.get(f"/api/v1/reports/published?sector_id={sector_id}", headers=headers).json
    assert [i["number"] for i in listed["items"]] == [2, 1] and listed["total"] == 2
    assert "figures" not in listed["items"][0]
    assert audit_actions(app).count("report.publish") == 2
    with app.app_context():
        from scbi.audit import AuditEvent

        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "report.publish").order_by(AuditEvent.id)
        ).all()[-1]
        assert (event.entity_type, event.entity_id) == ("published_report", second["id"])
        assert event.after["number"] == 2 and event.after["sector_id"] == sector_id
        assert event.after["period"] == "FY 2025/26 Q3"
        assert event.after["period_start"] == "2026-01-01"


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE published_report SET went_well = 'rewritten'",
        "UPDATE published_report SET figures = '{}'",
        "DELETE FROM published_report",
    ],
)
def test_the_database_refuses_to_change_a_publication(app, built, statement):  # noqa: F811
    with app.test_request_context():
        report = publishing.publish(
            by=f.admin(),
            sector_id=built["sector_id"],
            period=periods.fiscal_quarter(2025, 3),
            **NARRATIVE,
        )
        db.session.commit()
        with pytest.raises(DBAPIError, match="immutable"):
            db.session.execute(text(statement))
        db.session.rollback()
        assert db.session.scalar(select(PublishedReport.went_well)) == NARRATIVE["went_well"]
        assert db.session.get(PublishedReport, report.id).figures["headline"]["logs_submitted"] == 4
        if db.engine.dialect.name == "postgresql":
            with pytest.raises(DBAPIError, match="immutable"):
                db.session.execute(text("TRUNCATE published_report"))
            db.session.rollback()


def test_a_running_period_and_a_date_range_are_refused(app, client, built, staff):  # noqa: F811
    world, headers = staff
    sector_id = built["sector_id"]
    with app.app_context():
        running = periods.current_quarter()
    cases = [
        ({"fy": running.fiscal_year, "quarter": running.quarter}, "quarter", "has not ended"),
        ({"fy": running.fiscal_year, "quarter": None}, "fy", "has not ended"),
        ({"fy": running.fiscal_year + 1, "quarter": None}, "fy", "has not ended"),
        ({"from": "2026-01-01", "to": "2026-01-31"}, "from", "A date range cannot be published"),
    ]
    for body, field, message in cases:
        response = client.post(
            "/api/v1/reports/published", json=publish_body(sector_id, **body), headers=headers
        )
        assert response.status_code == 422, body
        assert message in response.json["error"]["fields"][field][0], body
    login(client, world.secretariat)
    page = post_form(
        client, f"/reports/sectors/{sector_id}/publish?from=2026-01-01&to=2026-01-31", NARRATIVE
    )
    assert page.status_code == 422
    assert "A date range cannot be published" in page.get_data(as_text=True)
    shown = client.get(f"/reports/sectors/{sector_id}?fy={running.fiscal_year}").text
    assert "has not ended yet: it can be published from" in shown
    with app.app_context():
        assert db.session.scalar(select(PublishedReport.id)) is None


def test_each_missing_narrative_part_is_named(app, client, built, staff):  # noqa: F811
    world, headers = staff
    sector_id = built["sector_id"]
    body = publish_body(sector_id, went_well="   ", went_badly="", next_steps="a\x00b")
    response = client.post("/api/v1/reports/published", json=body, headers=headers)
    assert response.status_code == 422
    fields = response.json["error"]["fields"]
    assert set(fields) == {"went_well", "went_badly", "next_steps"}
    assert fields["went_well"] == ["This field is required."]
    login(client, world.secretariat)
    page = post_form(
        client,
        f"/reports/sectors/{sector_id}/publish?{QUERY}",
        {"went_well": "Kept as typed", "went_badly": "", "next_steps": ""},
    )
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert "Kept as typed" in html and html.count("This field is required.") == 2
    with app.app_context():
        assert db.session.scalar(select(PublishedReport.id)) is None


def test_publishing_on_the_web(app, client, built, staff):  # noqa: F811
    world, _headers = staff
    sector_id = built["sector_id"]
    login(client, world.secretariat)
    page = client.get(f"/reports/sectors/{sector_id}?{QUERY}").text
    assert "Publish this report for FY 2025/26 Q3" in page
    assert "Nothing has been published for this sector yet." in page
    done = post_form(client, f"/reports/sectors/{sector_id}/publish?{QUERY}", NARRATIVE)
    assert done.status_code == 302
    report_id = int(done.headers["Location"].rsplit("/", 1)[1])
    shown = client.get(done.headers["Location"]).text
    assert "Published report, version 1" in shown and "Factory Admin" in shown
    assert NARRATIVE["went_badly"] in shown and "1 national experts of a target of 4" in shown
    assert "still match version 1" in shown
    page = client.get(f"/reports/sectors/{sector_id}?{QUERY}").text
    assert "FY 2025/26 Q3 was published: version 1" in page
    assert f"/reports/published/{report_id}" in page
    assert f"/reports/published/{report_id}" in client.get(f"/reports?{QUERY}").text

    acknowledge_l7(app)
    shown = client.get(f"/reports/published/{report_id}").text
    assert "The figures have changed since publication" in shown
    assert "Coaching hours (acknowledged)" in shown and "Publish addendum 2" in shown
    refused = post_form(client, f"/reports/published/{report_id}/addendum", {"went_well": "x"})
    assert refused.status_code == 422 and 'value="x"' not in refused.text
    assert "\nx</textarea>" in refused.text  # the typed text is kept
    done = post_form(client, f"/reports/published/{report_id}/addendum", NARRATIVE)
    assert done.status_code == 302
    second = client.get(done.headers["Location"]).text
    assert "Addendum: version 2 of the published report" in second
    assert "still match version 2" in second
    first = client.get(f"/reports/published/{report_id}").text
    assert "This version was followed by version 2" in first
    unchanged = post_form(client, f"/reports/published/{report_id}/addendum", NARRATIVE)
    assert unchanged.status_code == 409
    assert "have not changed since version 2" in unchanged.text


def test_the_files_of_a_publication_carry_the_stored_numbers(app, client, built, staff):  # noqa: F811
    _world, headers = staff
    sector_id = built["sector_id"]
    made = client.post("/api/v1/reports/published", json=publish_body(sector_id), headers=headers)
    report_id = made.json["id"]
    acknowledge_l7(app)
    path = f"/api/v1/reports/published/{report_id}"
    workbook = client.get(f"{path}?format=xlsx", headers=headers)
    assert workbook.mimetype == exports.XLSX
    assert workbook.headers["Content-Disposition"].rstrip('"').endswith("-v1.xlsx")
    book = load_workbook(BytesIO(workbook.data))
    assert book.sheetnames[0] == "Publication"
    about = sheet(book, "Publication")
    assert about["version"] == 1 and about["what_did_not_go_well"] == NARRATIVE["went_badly"]
    assert about["published_by"] == "Factory Admin"
    figures = sheet(book, "1 Headline")
    assert figures["coaching_hours"] == 4.5  # as published, not the 5.5 of today
    assert sheet(book, "5 Hours by activity")["on_the_job"] == 2.0
    live = load_workbook(
        BytesIO(
            client.get(
                f"/api/v1/reports/sectors/{sector_id}?{QUERY}&format=xlsx", headers=headers
            ).data
        )
    )
    assert sheet(live, "1 Headline")["coaching_hours"] == 5.5
    pdf = client.get(f"{path}?format=pdf", headers=headers)
    assert pdf.data.startswith(b"%PDF") and "attachment" in pdf.headers["Content-Disposition"]
    with app.test_request_context():
        report = db.session.get(PublishedReport, report_id)
        printed = " ".join(
            pdf_text(exports.sector_html(report.figures, publishing.header(report))).split()
        )
    assert "Published report, version 1" in printed and NARRATIVE["next_steps"] in printed
    assert "4.5" in printed and "1 national experts of a target of 4 (25%)" in printed


def test_two_people_publishing_at_once_do_not_both_get_number_one(
    app,
    client,
    built,  # noqa: F811
    staff,
    monkeypatch,
):
    _world, headers = staff
    sector_id = built["sector_id"]
    assert (
        client.post(
            "/api/v1/reports/published", json=publish_body(sector_id), headers=headers
        ).status_code
        == 201
    )
    acknowledge_l7(app)  # a change, so the second would be an addendum …
    # … but it read the period before the first was committed: it also finds no version
    monkeypatch.setattr(
        publishing, "_of_period", lambda *a: select(PublishedReport).where(PublishedReport.id < 0)
    )
    raced = client.post("/api/v1/reports/published", json=publish_body(sector_id), headers=headers)
    assert raced.status_code == 409 and raced.json["error"]["code"] == "duplicate"
    with app.app_context():
        assert db.session.scalars(select(PublishedReport.number)).all() == [1]
    assert audit_actions(app).count("report.publish") == 1


def test_coordinators_publish_and_read_only_their_sectors(app, client, built, staff):  # noqa: F811
    world, headers = staff
    other = built["sector_id"]
    made = client.post("/api/v1/reports/published", json=publish_body(other), headers=headers)
    report_id = made.json["id"]
    outsider = bearer(api_token(client, world.a.coordinator))
    for path in (
        f"/api/v1/reports/published/{report_id}",
        f"/api/v1/reports/published/{report_id}?format=pdf",
        f"/api/v1/reports/published/{report_id}?format=xlsx",
    ):
        assert client.get(path, headers=outsider).status_code == 404, path
    assert client.get("/api/v1/reports/published", headers=outsider).json["total"] == 0
    refused = client.post("/api/v1/reports/published", json=publish_body(other), headers=outsider)
    assert refused.status_code == 404
    mine = client.post(
        "/api/v1/reports/published",
        json=publish_body(world.a.sector_id, fy=2024, quarter=None),
        headers=outsider,
    )
    assert mine.status_code == 201 and mine.json["period"]["label"] == "FY 2024/25"
    listed = client.get("/api/v1/reports/published", headers=outsider).json
    assert [i["id"] for i in listed["items"]] == [mine.json["id"]]
    everything = client.get("/api/v1/reports/published?fy=2025&quarter=3", headers=headers).json
    assert [i["id"] for i in everything["items"]] == [report_id]
    login(client, world.a.coordinator)
    for path in (
        f"/reports/published/{report_id}",
        f"/reports/published/{report_id}?format=pdf",
        f"/reports/published/{report_id}?format=xlsx",
    ):
        assert client.get(path).status_code == 404, path
    assert post_form(client, f"/reports/published/{report_id}/addendum", NARRATIVE).status_code == (
        404
    )
    assert post_form(
        client, f"/reports/sectors/{other}/publish?{QUERY}", NARRATIVE
    ).status_code == (404)
    assert built["name"] not in client.get("/reports?fy=2025").text
    with app.app_context():
        assert len(db.session.scalars(select(PublishedReport.id)).all()) == 2


def test_a_publication_from_an_older_release_still_renders(app, client, built, staff):  # noqa: F811
    """A stored dict without the keys added since (``previous``, a trend) renders on the
    page and in the files, and those missing keys are no change in the figures."""
    world, headers = staff
    with app.test_request_context():
        report = publishing.publish(
            by=f.admin(),
            sector_id=built["sector_id"],
            period=periods.fiscal_quarter(2025, 3),
            **NARRATIVE,
        )
        figures = report.figures
        db.session.rollback()
        del figures["previous"]
        del figures["critical_mass"]["trend_per_month"]
        older = PublishedReport(
            sector_id=built["sector_id"],
            fiscal_year=2025,
            quarter=3,
            period_start=report.period_start,
            period_end=report.period_end,
            number=1,
            figures_json=json.dumps(figures),
            published_by_id=db.session.get(User, world.secretariat.id).id,
            **NARRATIVE,
        )
        db.session.add(older)
        db.session.commit()
        report_id = older.id
    read = client.get(f"/api/v1/reports/published/{report_id}", headers=headers).json
    assert read["changed_since_publication"] is False and "previous" not in read["figures"]
    for kind in ("pdf", "xlsx"):
        response = client.get(
            f"/api/v1/reports/published/{report_id}?format={kind}", headers=headers
        )
        assert response.status_code == 200, kind
    book = load_workbook(BytesIO(client.get(
        f"/api/v1/reports/published/{report_id}?format=xlsx", headers=headers
    ).data))  # fmt: skip
    assert [c.value for c in book["1 Headline"][1]] == ["figure", "value"]
    login(client, world.secretariat)
    page = client.get(f"/reports/published/{report_id}")
    assert page.status_code == 200 and "Compared with the previous period" not in page.text
    assert "1 national experts of a target of 4" in page.text


def test_publication_pages_use_a_constant_number_of_statements(app, client, built, staff):  # noqa: F811
    """A publication's page (its versions, the live report, the differences), and the
    report pages listing publications: the same statements with one publication and many,
    at the hand-built size and with many more logs."""
    world, _headers = staff
    sector_id = built["sector_id"]
    with app.app_context():
        report_id = f.publication(sector_id, 2025, 3).id
        db.session.commit()
    login(client, world.secretariat)
    paths = [
        f"/reports/published/{report_id}",
        f"/reports/sectors/{sector_id}?{QUERY}",
        f"/reports?{QUERY}",
    ]

    def counts():
        return statement_counts(app, client, paths)

    counts()  # the first request after signing in also records the session's use
    before = counts()
    with app.app_context():
        sector = db.session.get(Sector, sector_id)
        institution = f.institution(sector.id)
        coach = f.coach(sector.id, institution.id)
        for _ in range(3):
            pairing = f.pairing(coach, f.mentee(sector.id, institution.id), f.phase())
            for day in range(1, 21):
                db.session.add(
                    TransferLog(
                        pairing_id=pairing.id,
                        author_id=coach.user_id,
                        activity_date=date(2026, 2, day),
                        activity_type="on_the_job",
                        minutes=60,
                        title="Work",
                        mentee_role="led",
                        status="acknowledged",
                    )
                )
        for fy, quarter in ((2025, 1), (2025, 2), (2024, None), (2024, 4)):
            f.publication(sector_id, fy, quarter)
        f.publication(sector_id, 2025, 3)  # the logs above changed Q3: an addendum
        db.session.commit()
    assert counts() == before
    assert max(before) <= 15, before  # QUALITY.md
