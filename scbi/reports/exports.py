"""Report downloads: PDF through WeasyPrint (never fetching anything) and XLSX through
openpyxl (one sheet per section, numbers stored as numbers, text formula-safe).

Both render the dict of scbi.reports.metrics, the same the page and the API show."""

from __future__ import annotations

from io import BytesIO

from flask import current_app, render_template
from flask_babel import gettext as _

from scbi.csv_export import neutralise
from scbi.mentees.portfolio import refuse_remote
from scbi.reports.charts import sector_charts

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sector_html(report: dict) -> str:
    return render_template("reports/sector_pdf.html", report=report, charts=sector_charts(report))


def sector_pdf(report: dict) -> bytes:
    return _pdf(sector_html(report))


def programme_pdf(overview: dict) -> bytes:
    return _pdf(render_template("reports/programme_pdf.html", overview=overview))


def render(html: str):
    """The laid-out WeasyPrint document (its pages can be read back in tests)."""
    from weasyprint import HTML

    return HTML(string=html, base_url=current_app.root_path, url_fetcher=refuse_remote).render()


def _pdf(html: str) -> bytes:
    return render(html).write_pdf()


# --- XLSX ----------------------------------------------------------------------------------


def _xlsx_cell(value):
    """Numbers stay numbers; text is formula-safe and loses the control characters a
    workbook cannot hold (a stray one in a note must not break the download)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None or isinstance(value, bool | int | float):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", neutralise(value))


def _sheet(book, title: str, header: list[str], rows) -> None:
    from openpyxl.styles import Font

    sheet = book.create_sheet(title[:31])
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_xlsx_cell(v) for v in row])
    sheet.freeze_panes = "A2"
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))


def _pairs(sheet_title: str, mapping: dict):
    return sheet_title, [_("figure"), _("value")], list(mapping.items())


def _book(sheets) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, header, rows in sheets:
        _sheet(book, title, header, rows)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _headline_rows(headline: dict) -> dict:
    flat = {k: v for k, v in headline.items() if k != "mentees_by_gender"}
    flat.update({f"mentees_{g}": n for g, n in headline["mentees_by_gender"].items()})
    return flat


def sector_xlsx(report: dict) -> bytes:
    mass = report["critical_mass"]
    period = report["period"]
    about = {
        "sector": f"{report['sector']['code']} {report['sector']['name']}",
        "period": period["label"],
        "from": period["start"],
        "to": period["end"],
        "figures_as_of": period["as_of"],
    }
    summary = {k: v for k, v in mass.items() if k not in ("trajectory", "pipeline")}
    summary.update({f"pipeline_{k}": v for k, v in mass["pipeline"].items()})
    plans = report["plans"]
    gains = report["competency_gains"]
    transfer = report["transfer"]
    roles = list(transfer["hours_by_mentee_role"][0]) if transfer["hours_by_mentee_role"] else []
    return _book(
        [
            _pairs(_("Report"), about),
            _pairs(_("1 Headline"), _headline_rows(report["headline"])),
            _pairs(_("2 Critical mass"), summary),
            (
                _("2 Trajectory"),
                [_("month end"), _("experts")],
                [(p["month"], p["experts"]) for p in mass["trajectory"]],
            ),
            _rows(_("3 Plans"), plans["by_competency"]),
            _rows(_("3 Overdue items"), plans["overdue"]),
            _rows(_("4 Competency gains"), gains["by_competency"]),
            _rows(_("4 Largest gaps"), gains["largest_gaps"]),
            _pairs(_("5 Hours by activity"), transfer["hours_by_activity"]),
            (
                _("5 Hours by mentee role"),
                roles,
                [list(m.values()) for m in transfer["hours_by_mentee_role"]],
            ),
            _rows(_("6 Institutions"), report["institutions"]),
            _rows(_("7 Coach follow-up"), report["coaches"]),
            _rows(_("8 Priority results"), report["priority_results"]["results"]),
        ]
    )


def _rows(title: str, rows: list[dict]):
    header = list(rows[0]) if rows else [_("none in this period")]
    return title, header, [list(r.values()) for r in rows]


def programme_xlsx(overview: dict) -> bytes:
    sectors = []
    for row in overview["sectors"]:
        flat = {"code": row["sector"]["code"], "sector": row["sector"]["name"]}
        flat.update(_headline_rows(row["headline"]))
        mass = {k: v for k, v in row["critical_mass"].items() if k != "pipeline"}
        flat.update(mass)
        flat.update({f"pipeline_{k}": v for k, v in row["critical_mass"]["pipeline"].items()})
        sectors.append(flat)
    totals = overview["totals"]
    sheets = [
        _pairs(
            _("Report"),
            {
                "period": overview["period"]["label"],
                "from": overview["period"]["start"],
                "to": overview["period"]["end"],
                "figures_as_of": overview["period"]["as_of"],
            },
        ),
        _rows(_("Sectors"), sectors),
        _pairs(_("Totals"), _headline_rows(totals)),
    ]
    if "cascade" in overview:
        sheets.append(_rows(_("Cascade"), overview["cascade"]["people"]))
    return _book(sheets)
