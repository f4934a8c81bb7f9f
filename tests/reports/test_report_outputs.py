"""Page, PDF, XLSX and API show the same numbers; who may see which report; periods."""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import load_workbook

from scbi.auth.models import User
from scbi.errors import ValidationFailed
from scbi.extensions import db
from scbi.mentees.models import Gender, Mentee
from scbi.programme.models import ResultStatus
from scbi.reports import exports, periods
from scbi.transfer.models import ActivityType, MenteeRole
from tests import factories as f
from tests.helpers import (
    MISSING_ID,
    api_token,
    bearer,
    login,
    plain_figures,
    statement_counts,
)
from tests.reports.test_sector_report import PERIOD, built  # noqa: F401  (fixture)

QUERY = "fy=2025&quarter=3"


def pdf_text(html: str) -> str:
    document = exports.render(html)
    words = []
    for page in document.pages:
        for box in page._page_box.descendants():
            if getattr(box, "text", None):
                words.append(box.text)
    return " ".join(words)


def _english_names() -> dict[str, str]:
    """The workbook's English names of its figures and columns → the keys behind them (the
    API's), read from the labels' source strings (no app needed)."""
    from scbi.mentees.models import Gender
    from scbi.reports.labels import COLUMNS
    from scbi.transfer.models import ActivityType, MenteeRole

    names: dict[str, str] = {}
    genders = {f"Active mentees, {g._short._args[0]}": f"mentees_{g.value}" for g in Gender}
    for label, key in [*((c._args[0], k) for k, c in COLUMNS.items()), *genders.items()]:
        names.setdefault(label, key)  # a name two keys share reads as the first
        names.setdefault(f"{label}, previous period", f"previous_{key}")
    for kind in (ActivityType, MenteeRole):
        names.update({member._label._args[0]: member.value for member in kind})
    return names


def keyed(names) -> list:
    """Workbook names (a header, a column of figures) as the API's keys."""
    english = _english_names()
    return [english.get(name, name) for name in names]


def sheet(book, name) -> dict:
    """A figure–value sheet by the API's keys."""
    rows = list(book[name].iter_rows(min_row=2, values_only=True))
    return dict(zip(keyed(r[0] for r in rows), (r[1] for r in rows), strict=True))


def table(book, name) -> list[dict]:
    """A sheet of rows, each a dict by the API's keys."""
    header = keyed(c.value for c in book[name][1])
    return [
        dict(zip(header, r, strict=True)) for r in book[name].iter_rows(min_row=2, values_only=True)
    ]


def test_page_pdf_xlsx_and_api_give_the_same_numbers(app, client, built):  # noqa: F811
    world = f.world(app)
    token = api_token(client, world.secretariat)
    sector_id = built["sector_id"]
    api = client.get(f"/api/v1/reports/sectors/{sector_id}?{QUERY}", headers=bearer(token)).json
    headline = api["headline"]
    assert headline["coaching_hours"] == 4.5 and headline["logs_submitted"] == 4

    workbook = client.get(
        f"/api/v1/reports/sectors/{sector_id}?{QUERY}&format=xlsx", headers=bearer(token)
    )
    assert workbook.mimetype == exports.XLSX
    book = load_workbook(BytesIO(workbook.data))
    figures = sheet(book, "1 Headline")
    for key in ("active_pairings", "active_mentees", "coaching_hours", "logs_submitted"):
        assert figures[key] == headline[key]
        assert isinstance(figures[key], int | float)  # numbers stored as numbers
    assert figures["median_days_to_acknowledge"] == 2.0
    # m4 is undisclosed: counted on its own, never as other
    assert (figures["mentees_other"], figures["mentees_undisclosed"]) == (0, 1)
    mass = sheet(book, "2 Critical mass")
    assert (mass["experts"], mass["target"], mass["forecast_date"]) == (1, 4, "2031-05-09")
    assert mass["pipeline_2"] == 1
    trajectory = [r[1] for r in book["2 Trajectory"].iter_rows(min_row=2, values_only=True)]
    assert trajectory == [p["experts"] for p in api["critical_mass"]["trajectory"]]
    assert sheet(book, "5 Hours by activity")["joint_delivery"] == 1.5

    login(client, world.secretariat)
    page = plain_figures(client.get(f"/reports/sectors/{sector_id}?{QUERY}").get_data(as_text=True))
    with app.test_request_context():
        printed = pdf_text(exports.sector_html(api))
    for text in (page, printed):
        flat = re.sub(r"\s+", " ", text)
        assert "4.5" in flat and "1 national experts of a target of 4 (25%)" in flat
        assert "1 female, 1 male, 0 other, 1 prefers not to say" in flat
        assert "Grid code adopted" in flat and "Alice Kamau" in flat
    pdf = client.get(f"/reports/sectors/{sector_id}?{QUERY}&format=pdf")
    assert pdf.data.startswith(b"%PDF") and pdf.mimetype == "application/pdf"
    assert "attachment" in pdf.headers["Content-Disposition"]


def test_spreadsheet_text_cannot_run_as_a_formula(app, client, built):  # noqa: F811
    with app.app_context():
        mentee = db.session.scalar(db.select(Mentee).order_by(Mentee.id.desc()))
        mentee.user.full_name = "=HYPERLINK(1)"
        db.session.commit()
    world = f.world(app)
    token = api_token(client, world.secretariat)
    # the overdue item is m2's; rename every mentee of the sector to be sure
    with app.app_context():
        for m in db.session.scalars(db.select(Mentee)):
            m.user.full_name = "=HYPERLINK(1)"
        db.session.commit()
    response = client.get(
        f"/api/v1/reports/sectors/{built['sector_id']}?{QUERY}&format=xlsx",
        headers=bearer(token),
    )
    book = load_workbook(BytesIO(response.data))
    [row] = list(book["3 Overdue items"].iter_rows(min_row=2, values_only=True))
    assert row[1] == "'=HYPERLINK(1)"


def test_coordinators_reach_only_their_sectors(app, client, built):  # noqa: F811
    world = f.world(app)
    other = built["sector_id"]
    token = api_token(client, world.a.coordinator)
    for path in (
        f"/api/v1/reports/sectors/{other}",
        f"/api/v1/reports/sectors/{other}?format=pdf",
        f"/api/v1/reports/sectors/{other}?format=xlsx",
        f"/api/v1/reports/sectors/{MISSING_ID}",
    ):
        assert client.get(path, headers=bearer(token)).status_code == 404, path
    mine = client.get(f"/api/v1/reports/sectors/{world.a.sector_id}", headers=bearer(token))
    assert mine.status_code == 200 and mine.json["sector"]["id"] == world.a.sector_id
    overview = client.get("/api/v1/reports/programme", headers=bearer(token))
    # as on the web: the overview of their sectors, without the secretariat's cascade
    assert [row["sector"]["id"] for row in overview.json["sectors"]] == [world.a.sector_id]
    assert "cascade" not in overview.json
    login(client, world.a.coordinator)
    for path in (f"/reports/sectors/{other}", f"/reports/sectors/{other}?format=xlsx"):
        assert client.get(path).status_code == 404
    overview = client.get(f"/reports?{QUERY}").get_data(as_text=True)
    assert f">{built['name']}<" not in overview
    assert "former mentees now coaching" not in overview  # the secretariat's cascade


def test_the_programme_api_and_its_files(app, client, built):  # noqa: F811
    world = f.world(app)
    token = api_token(client, world.secretariat)
    overview = client.get(f"/api/v1/reports/programme?{QUERY}", headers=bearer(token)).json
    row = next(r for r in overview["sectors"] if r["sector"]["id"] == built["sector_id"])
    assert row["headline"]["coaching_hours"] == 4.5
    assert overview["totals"]["coaching_hours"] == sum(
        r["headline"]["coaching_hours"] for r in overview["sectors"]
    )
    assert "cascade" in overview
    book = load_workbook(
        BytesIO(
            client.get(f"/api/v1/reports/programme?{QUERY}&format=xlsx", headers=bearer(token)).data
        )
    )
    rows = table(book, "Sectors")
    mine = next(r for r in rows if r["code"] == built["code"])
    assert (mine["coaching_hours"], mine["experts"], mine["pipeline_0"]) == (4.5, 1, 1)
    pdf = client.get(f"/api/v1/reports/programme?{QUERY}&format=pdf", headers=bearer(token))
    assert pdf.data.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("quarter=2", "fy"),
        ("fy=2025&quarter=5", "quarter"),
        ("fy=twenty", "fy"),
        ("from=2026-02-01&to=2026-01-01", "to"),
        ("from=2026-02-01", "to"),
        ("from=1.1.2026&to=2026-01-31", "from"),
        ("fy=2025&from=2026-01-01&to=2026-01-31", "fy"),
        ("format=docx", "format"),
    ],
)
def test_a_bad_period_is_refused_by_name(app, client, query, field):
    world = f.world(app)
    token = api_token(client, world.secretariat)
    response = client.get(
        f"/api/v1/reports/sectors/{world.a.sector_id}?{query}", headers=bearer(token)
    )
    assert response.status_code == 422
    assert field in response.json["error"]["fields"]


def test_a_refused_period_keeps_the_input_on_the_page(app, client):
    world = f.world(app)
    login(client, world.secretariat)
    response = client.get(f"/reports/sectors/{world.a.sector_id}?from=2026-02-01&to=2026-01-01")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "The end date must not be before the start date." in page
    assert 'value="2026-02-01"' in page and 'value="2026-01-01"' in page


def test_fiscal_periods(app):
    with app.app_context():
        year = periods.fiscal_year(2025)
        assert (year.start, year.end, year.label) == (
            date(2025, 7, 1),
            date(2026, 6, 30),
            "FY 2025/26",
        )
        q4 = periods.fiscal_quarter(2025, 4)
        assert (q4.start, q4.end) == (date(2026, 4, 1), date(2026, 6, 30))
        current = periods.current_quarter(date(2026, 12, 1))
        assert (current.fiscal_year, current.quarter, current.start) == (2026, 2, date(2026, 10, 1))
        assert periods.current_quarter(date(2026, 6, 30)).quarter == 4
        app.config["FISCAL_YEAR_START_MONTH"] = 1
        calendar = periods.fiscal_year(2025)
        assert (calendar.start, calendar.end, calendar.label) == (
            date(2025, 1, 1),
            date(2025, 12, 31),
            "FY 2025",
        )
        assert periods.current_quarter(date(2026, 12, 1)).quarter == 4
        app.config["FISCAL_YEAR_START_MONTH"] = 7
        with pytest.raises(ValidationFailed):
            periods.parse({"from": "2000-01-01", "to": "2026-01-01"})  # over twelve years


def test_report_statements_do_not_grow_with_the_data(app, client, built):  # noqa: F811
    """The same number of statements for the sector report and the overview, at the
    hand-built size and with many more mentees, pairings and logs."""
    world = f.world(app)
    login(client, world.secretariat)
    sector_id = built["sector_id"]
    paths = [f"/reports/sectors/{sector_id}?{QUERY}", f"/reports?{QUERY}"]

    def counts():
        return statement_counts(app, client, paths)

    counts()  # the first request after signing in also records the session's use
    before = counts()
    with app.app_context():
        from scbi.programme.models import Sector
        from scbi.transfer.models import TransferLog

        sector = db.session.get(Sector, sector_id)
        institution = f.institution(sector.id)
        phase = f.phase()
        for n in range(3):
            coach = f.coach(sector.id, institution.id)
            for _ in range(3):
                mentee = f.mentee(sector.id, institution.id, gender=("male", "female")[n % 2])
                pairing = f.pairing(coach, mentee, phase)
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
        db.session.commit()
    assert counts() == before
    assert max(before) <= 15, before  # QUALITY.md: at most 15 statements a page


def test_the_sectors_assessments_download_as_csv(app, client, built):  # noqa: F811
    world = f.world(app)
    sector_id = built["sector_id"]
    with app.test_request_context():
        from scbi.auth.models import User
        from scbi.errors import NotFound
        from scbi.reports import services

        coordinator = db.session.get(User, world.a.coordinator.id)
        with pytest.raises(NotFound):
            services.sector_assessments(coordinator, sector_id, periods.current_quarter())
    login(client, world.secretariat)
    response = client.get(f"/reports/sectors/{sector_id}/assessments.csv?{QUERY}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).strip().splitlines()
    response.close()
    # m1's two and m4's two; m3's are from September, before the quarter
    assert len(lines) == 1 + 4


def test_the_page_and_pdf_show_the_longest_overdue_items_and_the_workbook_all(
    app,
    client,
    built,  # noqa: F811
):
    """Issue 13: at national scale a sector has thousands of overdue items; the page and
    the PDF list the 50 longest overdue and say how many more the workbook holds."""
    world = f.world(app)
    token = api_token(client, world.secretariat)
    report = client.get(
        f"/api/v1/reports/sectors/{built['sector_id']}?{QUERY}", headers=bearer(token)
    ).json
    item = {
        "plan_item_id": 1,
        "current_level": 1,
        "target_level": 3,
        "target_date": "2025-01-01",
        "competency": "Grid planning",
    }
    report["plans"]["overdue"] = [
        {**item, "mentee": f"Mentee {n:02d}", "days_overdue": 500 - n} for n in range(60)
    ]
    with app.test_request_context():
        html = exports.sector_html(report)
        book = load_workbook(BytesIO(exports.sector_xlsx(report)))
    assert "Mentee 49" in html and "Mentee 50" not in html
    assert "10 more overdue items, with every other one, are in the Excel workbook." in html
    listed = [row for sheet_ in book.worksheets if "verdue" in sheet_.title for row in sheet_]
    assert len(listed) == 61  # the header and all 60


# --- words people read (issue 17) -----------------------------------------------------------

LEGEND = re.compile(r'<text [^>]*class="lg"[^>]*>([^<]*)</text>')


def read_in(app, user, language: str) -> None:
    with app.app_context():
        db.session.get(User, user.id).language = language
        db.session.commit()


def names_read(book, figure: str) -> list[str]:
    """Every name a person reads in a workbook: each sheet's header row and, in a sheet of
    figures (headed ``figure``), each figure's name."""
    names = []
    for ws in book.worksheets:
        header = [c.value for c in ws[1]]
        names += header
        if header[0] == figure:
            names += [row[0] for row in ws.iter_rows(min_row=2, values_only=True)]
    return names


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_workbooks_name_their_columns_and_statuses_in_words(app, client, built, language):  # noqa: F811
    """No code name (``hours_by_mentee_role``, ``co_led``, ``at_risk``) in a workbook: its
    columns and figures are named in the reader's language, a mentee's part, an activity
    and a priority result's status by their labels, as the page names them."""
    world = f.world(app)
    read_in(app, world.secretariat, language)
    login(client, world.secretariat)
    with app.test_request_context(), force_locale(language):
        figure, title = _("figure"), _("5 Hours by mentee role")
        parts = [role.label for role in MenteeRole]
        activity = ActivityType.JOINT_DELIVERY.label
        statuses = {s.label for s in (ResultStatus.AT_RISK, ResultStatus.NOT_STARTED)}
        female = _("Active mentees, %(gender)s", gender=Gender.FEMALE.short)
    sector = load_workbook(
        BytesIO(client.get(f"/reports/sectors/{built['sector_id']}?{QUERY}&format=xlsx").data)
    )
    programme = load_workbook(BytesIO(client.get(f"/reports?{QUERY}&format=xlsx").data))
    for book in (sector, programme):
        names = names_read(book, figure)
        assert len(names) > 20 and [n for n in names if "_" in str(n)] == []
    headline, by_activity, by_part, results = (sector.worksheets[i] for i in (1, 8, 9, 12))
    assert by_part.title == title
    assert female in [row[0] for row in headline.iter_rows(values_only=True)]
    assert [c.value for c in by_part[1]][1:5] == parts
    assert activity in [row[0] for row in by_activity.iter_rows(values_only=True)]
    assert statuses <= {row[4] for row in results.iter_rows(min_row=2, values_only=True)}
    assert female in [c.value for c in programme.worksheets[1][1]]
    if language == "fr":
        assert title == "5 Heures par rôle du mentoré" and "À risque" in statuses
        assert parts[2].startswith("A codirigé") and female == "Mentorés actifs, femme"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_mentee_s_part_reads_the_same_in_the_chart_and_its_table(app, client, built, language):  # noqa: F811
    """The legend of the shares by part and the columns of the table beside it name each
    part by its short label ('co-led'; 'a codirigé' in French), never by its code."""
    world = f.world(app)
    read_in(app, world.secretariat, language)
    login(client, world.secretariat)
    page = plain_figures(
        client.get(f"/reports/sectors/{built['sector_id']}?{QUERY}").get_data(as_text=True)
    )
    with app.test_request_context(), force_locale(language):
        shorts = [role.short for role in MenteeRole]
    if language == "fr":
        assert shorts == ["a observé", "a assisté", "a codirigé", "a dirigé"]
    legends = LEGEND.findall(page)
    assert all(short in legends for short in shorts)
    assert "co_led" not in page and ("co-led" not in legends or language == "en")
    for short in shorts:
        assert f'<th scope="col" class="text-end">{short}</th>' in page
