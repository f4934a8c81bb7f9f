"""Every download names its file through scbi.downloads: any script, never a 500."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from werkzeug.http import parse_options_header

from scbi.downloads import content_disposition
from scbi.extensions import db
from tests import factories as f
from tests.helpers import api_token, bearer, login


def saved_as(response, disposition: str = "attachment") -> str:
    """The file name a browser saves (or, ``inline``, shows) ``response`` under
    (``filename*`` when given)."""
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    header = response.headers["Content-Disposition"]
    header.encode("latin-1")  # what the server itself could send
    kind, options = parse_options_header(header)
    assert kind == disposition
    return options["filename"]


@pytest.mark.parametrize(
    ("name", "header"),
    [
        ("report.csv", "attachment; filename=report.csv"),
        (
            "portfolio-Łukasz-Nowak.pdf",
            "attachment; filename=portfolio-Lukasz-Nowak.pdf; "
            "filename*=UTF-8''portfolio-%C5%81ukasz-Nowak.pdf",
        ),
        (
            "sector İNV.pdf",
            "attachment; filename=\"sector INV.pdf\"; filename*=UTF-8''sector%20%C4%B0NV.pdf",
        ),
        ('a"b\\c\r\nd/e.csv', "attachment; filename=a_b_cd_e.csv"),
        ("计划.csv", "attachment; filename=__.csv; filename*=UTF-8''%E8%AE%A1%E5%88%92.csv"),
        ("\r\n", "attachment; filename=download"),
    ],
)
def test_content_disposition_has_an_ascii_name_and_the_exact_one(name, header):
    assert content_disposition(name) == header
    # a file shown in the browser is named the same way
    assert content_disposition(name, "inline") == header.replace("attachment", "inline", 1)


def test_downloads_of_names_outside_latin1_are_attachments_not_500s(app, client):
    """Portfolio PDF, report PDF and XLSX, framework exports, evidence, CSV exports and
    templates, on the web and through the API."""
    world = f.world(app)
    with app.app_context():
        from scbi.auth.models import User
        from scbi.mentees.models import Mentee
        from scbi.programme.models import CompetencyFramework, Sector
        from scbi.transfer.models import Evidence

        mentee = db.session.get(Mentee, world.a.mentee_id)
        db.session.get(User, mentee.user_id).full_name = "Łukasz Nowak"
        db.session.get(Sector, world.a.sector_id).code = "İNV"
        db.session.get(CompetencyFramework, world.framework_id).idnumber = "ŁÓDŹ-Ωμέγα"
        db.session.get(Evidence, world.evidence_id).original_name = "Étude — Łódź.pdf"
        db.session.commit()
    api = bearer(api_token(client, world.secretariat))
    login(client, world.secretariat)
    sector, framework = world.a.sector_id, world.framework_id

    assert saved_as(client.get(f"/mentees/{world.a.mentee_id}/portfolio.pdf")) == (
        "portfolio-Łukasz-Nowak.pdf"
    )
    pdf = saved_as(client.get(f"/reports/sectors/{sector}?fy=2025&format=pdf"))
    xlsx = saved_as(
        client.get(f"/api/v1/reports/sectors/{sector}?fy=2025&format=xlsx", headers=api)
    )
    assert pdf.startswith("sector-report-i̇nv-") and pdf.endswith(".pdf")
    assert xlsx == pdf.removesuffix("pdf") + "xlsx"
    for path, headers in (
        (f"/frameworks/{framework}/export", {}),
        (f"/api/v1/frameworks/{framework}/export", api),
    ):
        assert saved_as(client.get(path, headers=headers)) == "ŁÓDŹ-Ωμέγα.csv"
    for path, headers, disposition in (
        (f"/evidence/{world.evidence_id}/download", {}, "inline"),  # a PDF opens on the web
        (f"/api/v1/evidence/{world.evidence_id}/download", api, "attachment"),
    ):
        response = client.get(path, headers=headers)
        assert saved_as(response, disposition) == "Étude — Łódź.pdf"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    # ASCII names keep the plain form, through the same helper
    for path, headers, name in (
        ("/logs/export.csv", {}, "scbi-transfer-logs.csv"),
        ("/people/import/template-mentee.csv", {}, "scbi-mentees-template.csv"),
        ("/api/v1/people/import/template?kind=coach", api, "scbi-coachs-template.csv"),
    ):
        response = client.get(path, headers=headers)
        assert saved_as(response) == name
        assert response.headers["Content-Disposition"] == content_disposition(name)
    assert (
        quote("Ł") in client.get(f"/frameworks/{framework}/export").headers["Content-Disposition"]
    )


def test_exports_hand_back_a_download_whose_rows_are_read_only_as_sent(app):
    """The CSV exports return a Download (file name, media type, an iterator of lines),
    not a Response, and their SELECT runs only once the rows are asked for."""
    from collections.abc import Iterator

    from flask import Response
    from sqlalchemy import event

    from scbi.auth.models import User
    from scbi.competencies.export import assessments_csv, visible_assessments
    from scbi.downloads import Download
    from scbi.transfer.queries import visible_logs
    from scbi.transfer.queries.export import logs_csv

    world = f.world(app)
    with app.test_request_context():
        secretariat = db.session.get(User, world.secretariat.id)
        queries = visible_logs(secretariat), visible_assessments(secretariat, {})
        statements = []

        def count(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            files = logs_csv(queries[0]), assessments_csv(queries[1])
            assert statements == []
            for file, name, first in zip(
                files,
                ("scbi-transfer-logs.csv", "scbi-assessments.csv"),
                ("Log id,", "Assessment id,"),  # the pages' files, for people
                strict=True,
            ):
                assert isinstance(file, Download) and not isinstance(file, Response)
                assert (file.name, file.mimetype, file.untrusted) == (name, "text/csv", False)
                assert isinstance(file.content, Iterator)
                assert next(file.content) == "\ufeff"
                assert statements == []  # nothing read yet
                assert "".join(file.content).startswith(first)
                assert statements  # the rows were read as they were asked for
                statements.clear()
        finally:
            event.remove(db.engine, "before_cursor_execute", count)


def test_send_download_streams_an_iterator_and_sends_bytes_whole(app):
    """send_download: an iterator is streamed, bytes are sent whole; both as attachments
    named through content_disposition."""
    from scbi.downloads import Download, send_download

    with app.test_request_context():
        streamed = send_download(Download("Łódź.csv", "text/csv", iter(["a,b\r\n", "1,2\r\n"])))
        whole = send_download(Download("report.pdf", "application/pdf", b"%PDF-1.4"))
        assert streamed.is_streamed and not whole.is_streamed
        assert streamed.mimetype == "text/csv" and whole.mimetype == "application/pdf"
        assert streamed.headers["Content-Disposition"] == content_disposition("Łódź.csv")
        assert whole.headers["Content-Disposition"] == content_disposition("report.pdf")
        assert streamed.get_data() == b"a,b\r\n1,2\r\n"
        assert whole.get_data() == b"%PDF-1.4"
        assert "Content-Security-Policy" not in whole.headers


def test_report_and_evidence_files_are_downloads_not_responses(app):
    """The report service and the evidence service return a Download: the report's bytes,
    the evidence's stored path marked as someone's upload, sent sandboxed (saved, or with
    ``inline`` shown in the browser, as a PDF is)."""
    from pathlib import Path

    from scbi.auth.models import User
    from scbi.downloads import Download, send_download
    from scbi.reports import exports, periods, services
    from scbi.transfer.models import Evidence
    from scbi.transfer.services.evidence import evidence_file

    world = f.world(app)
    with app.test_request_context():
        secretariat = db.session.get(User, world.secretariat.id)
        report = services.sector_file(
            secretariat, world.a.sector_id, periods.fiscal_year(2025), "xlsx"
        )
        assert isinstance(report, Download)
        assert report.name.startswith("sector-report-") and report.name.endswith(".xlsx")
        assert report.mimetype == exports.XLSX and report.content.startswith(b"PK")
        evidence = evidence_file(db.session.get(Evidence, world.evidence_id))
        assert isinstance(evidence, Download) and isinstance(evidence.content, Path)
        assert evidence.untrusted and evidence.content.exists()
        assert not evidence.inline
        response = send_download(evidence)
        assert response.headers["Content-Security-Policy"] == (
            "default-src 'none'; frame-ancestors 'none'; sandbox"
        )
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Content-Disposition"] == content_disposition(evidence.name)
        response.close()
        shown = evidence_file(db.session.get(Evidence, world.evidence_id), inline=True)
        assert shown.inline and shown.mimetype == "application/pdf"
        response = send_download(shown)
        assert response.headers["Content-Disposition"] == content_disposition(
            evidence.name, "inline"
        )
        assert response.headers["Content-Security-Policy"] == (
            "default-src 'none'; frame-ancestors 'none'; sandbox"
        )
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        response.close()
