"""Report downloads: PDF through WeasyPrint (never fetching anything) and XLSX through
openpyxl (one sheet per section, numbers stored as numbers, text formula-safe).

Both render the dict of scbi.reports.metrics, the same the page and the API show."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

from flask import current_app, render_template
from flask_babel import gettext as _

from scbi.competencies.portfolio import refuse_remote
from scbi.csv_export import neutralise
from scbi.reports import labels, peer_learning
from scbi.reports.charts import sector_charts
from scbi.reports.disaggregation import sheet_rows
from scbi.reports.retention import workbook_sheets
from scbi.reports.value_sheet import Formatted, value_sheets

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sector_html(report: dict, publication: dict | None = None) -> str:
    """The PDF's HTML; ``publication`` (scbi.reports.publishing.header) adds the version,
    who published it and when, and the narrative, before the frozen figures."""
    return render_template(
        "reports/sector_pdf.html",
        report=report,
        charts=sector_charts(report),
        publication=publication,
    )


def sector_pdf(report: dict, publication: dict | None = None) -> bytes:
    return _pdf(sector_html(report, publication))


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

    if isinstance(value, Formatted):
        value = value.value
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", neutralise(value))


def _sheet(book, title: str, header: list[str], rows) -> None:
    from openpyxl.styles import Font

    sheet = book.create_sheet(title[:31])
    sheet.append([labels.column(h) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_xlsx_cell(v) for v in row])
        for cell, value in zip(sheet[sheet.max_row], row, strict=False):
            if isinstance(value, Formatted):  # an amount in its currency's format
                cell.number_format = value.number_format
    sheet.freeze_panes = "A2"
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))


def _pairs(sheet_title: str, mapping: dict):
    return (
        sheet_title,
        [_("figure"), _("value")],
        [(labels.column(k), v) for k, v in mapping.items()],
    )


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
    flat = {
        k: v
        for k, v in headline.items()
        if k not in ("mentees_by_gender", "previous") and not isinstance(v, dict | list)
    }
    flat.update({f"mentees_{g}": n for g, n in headline.get("mentees_by_gender", {}).items()})
    return flat


def _headline_sheet(title: str, headline: dict, experts, previous: dict | None):
    """The headline figures (and the experts) beside the previous period's, with the
    change; only the figures when the dict has no ``previous`` (an older publication)."""
    now = _headline_rows(headline)
    experts_key = "experts" if "experts" in now else "national_experts"
    now[experts_key] = experts
    if not previous:
        return title, [_("figure"), _("value")], [(labels.column(k), v) for k, v in now.items()]
    before = _headline_rows(previous.get("headline") or {})
    before[experts_key] = previous.get("experts")
    header = [_("figure"), _("value"), _("previous period"), _("change")]
    rows = [
        (labels.column(k), v, before.get(k), labels.change(v, before.get(k)))
        for k, v in now.items()
    ]
    return title, header, rows


def _publication_sheet(publication: dict):
    return _pairs(
        _("Publication"),
        {
            "version": publication["number"],
            "published_at": publication["published_at"],
            "published_by": publication["published_by"],
            "what_went_well": publication["went_well"],
            "what_did_not_go_well": publication["went_badly"],
            "what_comes_next": publication["next_steps"],
        },
    )


def sector_xlsx(report: dict, publication: dict | None = None) -> bytes:
    """The workbook; ``publication`` adds a first sheet with the version, who published it
    and when, and the narrative."""
    mass = report["critical_mass"]
    period = report["period"]
    about = {
        "sector": f"{report['sector']['code']} {report['sector']['name']}",
        "period": period["label"],
        "from": period["start"],
        "to": period["end"],
        "figures_as_of": period["as_of"],
    }
    previous = report.get("previous")
    if previous:
        about["previous_period"] = previous["period"]["label"]
        about["previous_from"] = previous["period"]["start"]
        about["previous_to"] = previous["period"]["end"]
    summary = {k: v for k, v in mass.items() if k not in ("trajectory", "pipeline")}
    summary.update({f"pipeline_{k}": v for k, v in mass["pipeline"].items()})
    plans = report["plans"]
    gains = report["competency_gains"]
    transfer = report["transfer"]
    roles = list(transfer["hours_by_mentee_role"][0]) if transfer["hours_by_mentee_role"] else []
    return _book(
        ([_publication_sheet(publication)] if publication else [])
        + [
            _pairs(_("Report"), about),
            _headline_sheet(_("1 Headline"), report["headline"], mass["experts"], previous),
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
            *_result_sheets(report["priority_results"]["results"]),
        ]
        + breakdown_sheets(report)
        + value_sheets(report, f"{report['sector']['code']} {report['sector']['name']}")
        + retention_sheets(report)
        + peer_learning_sheets(report)
    )


def _result_sheets(results: list[dict]) -> list:
    """The priority results (hours, logs and plan items served after the status), and
    their indicators against target on a sheet of their own: values as numbers (none for a
    publication made before the results chain)."""
    sheets = [
        _rows(
            _("8 Priority results"),
            [{k: v for k, v in r.items() if k != "indicators"} for r in results],
        )
    ]
    if results and "indicators" in results[0]:
        rows = [
            {"result_id": r["id"], "result": r["title"], **_numbers(i)}
            for r in results
            for i in r["indicators"]
        ]
        sheets.append(_rows(_("8 Result indicators"), rows))
    return sheets


def _numbers(indicator: dict) -> dict:
    """An indicator's row with its values as numbers (a workbook's figures are numbers;
    at most 15 significant digits, what the column holds)."""
    keys = ("baseline_value", "target_value", "latest_value")
    return {k: float(v) if k in keys and v is not None else v for k, v in indicator.items()}


def _rows(title: str, rows: list[dict]):
    """A sheet of ``rows``: a column per key, named for people, and a status by its label
    (the API keeps the keys and the stored values)."""
    header = list(rows[0]) if rows else [_("none in this period")]
    return title, header, [[labels.cell(k, v) for k, v in r.items()] for r in rows]


def programme_xlsx(overview: dict) -> bytes:
    sectors = []
    for row in overview["sectors"]:
        flat = {"code": row["sector"]["code"], "sector": row["sector"]["name"]}
        flat.update(_headline_rows(row["headline"]))
        mass = {k: v for k, v in row["critical_mass"].items() if k != "pipeline"}
        flat.update(mass)
        flat.update({f"pipeline_{k}": v for k, v in row["critical_mass"]["pipeline"].items()})
        if previous := row.get("previous"):
            earlier = _headline_rows(previous["headline"])
            flat.update({f"previous_{k}": v for k, v in earlier.items()})
            flat["previous_experts"] = previous["experts"]
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
                **(
                    {"previous_period": totals["previous"]["period"]["label"]}
                    if "previous" in totals
                    else {}
                ),
            },
        ),
        _rows(_("Sectors"), sectors),
        _headline_sheet(_("Totals"), totals, totals.get("experts"), totals.get("previous")),
    ]
    sheets += breakdown_sheets(overview)
    sheets += value_sheets(overview, _("programme"))
    sheets += retention_sheets(overview)
    sheets += peer_learning_sheets(overview)
    if "cascade" in overview:
        sheets.append(_rows(_("Cascade"), overview["cascade"]["people"]))
    return _book(sheets)


def breakdown_sheets(figures: dict) -> list:
    """The sheets by gender and by institution (none for a dict from before them)."""
    if "by_gender" not in figures:
        return []
    return [
        _rows(_("By gender"), sheet_rows(figures["by_gender"], "gender")),
        _rows(_("By institution"), sheet_rows(figures["by_institution"], "institution_id")),
    ]


def retention_sheets(figures: dict) -> list:
    """The sheets of retention after the programme (none for a dict from before them)."""
    block = figures.get("retention")
    if not block:
        return []
    return [_rows(title, rows) for title, rows in workbook_sheets(block)]


def peer_learning_sheets(figures: dict) -> list:
    """The sheets of peer exchanges and short engagements (none for a dict from before
    them)."""
    block = figures.get("peer_learning")
    return peer_learning.workbook_sheets(block) if block else []
