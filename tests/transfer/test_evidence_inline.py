"""Evidence people can open (issue 17, item 5): on the web an image or a PDF opens in the
browser, by the type stored once its content matched it; any other file downloads; both
sandboxed and never sniffed, to readers of the log only. The API always attaches."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from werkzeug.http import parse_options_header

from scbi.downloads import UNTRUSTED_CSP
from scbi.extensions import db
from tests import factories as f
from tests.helpers import api_token, bearer, login

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
GIF = b"GIF89a" + b"\x00" * 32
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>'
HTML = b"<!doctype html><script>alert(document.cookie)</script>"


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# (content, name, stored type, how the web sends it)
FILES = [
    (PNG, "site photo.png", "image/png", "inline"),
    (PDF, "Étude.pdf", "application/pdf", "inline"),
    (JPEG, "photo.jpeg", "image/jpeg", "inline"),
    (GIF, "chart.gif", "image/gif", "inline"),
    (WEBP, "plan.webp", "image/webp", "inline"),
    (docx(), "memo.docx", DOCX, "attachment"),
    (b"Notes from the site visit\n", "notes.txt", "text/plain", "attachment"),
    (b"a,b\n1,2\n", "data.csv", "text/csv", "attachment"),
    # markup a browser would run, were it shown: stored as the text its name says
    (SVG, "drawing.txt", "text/plain", "attachment"),
    (HTML, "page.txt", "text/plain", "attachment"),
]  # fmt: skip


@pytest.fixture
def draft(app, client):
    """A draft log of pairing A, and API headers for its coach and its mentee."""
    world = f.world(app)
    with app.app_context():
        log = f.draft_log(world, off_plan_reason="Before the plan")
        db.session.commit()
        log_id = log.id
    headers = {
        "coach": bearer(api_token(client, world.a.coach_user)),
        "mentee": bearer(api_token(client, world.a.mentee_user)),
        "outsider": bearer(api_token(client, world.b.coach_user)),
    }
    return world, log_id, headers


def upload(client, log_id, headers, content: bytes, name: str):
    return client.post(
        f"/api/v1/logs/{log_id}/evidence",
        headers=headers,
        data={"file": (io.BytesIO(content), name), "title": name},
        content_type="multipart/form-data",
    )


def submitted_with(client, draft, files) -> list[int]:
    """Upload ``files`` (content, name) to the draft, send it; their evidence ids."""
    _world, log_id, h = draft
    ids = []
    for content, name in files:
        response = upload(client, log_id, h["coach"], content, name)
        assert response.status_code == 201, response.json
        ids.append(response.json["id"])
    assert (
        client.post(f"/api/v1/logs/{log_id}/submit", headers=h["coach"], json={}).status_code == 200
    )
    return ids


def disposition(response) -> tuple[str, str]:
    """How the browser takes ``response`` (inline or attachment) and the name it shows."""
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    kind, options = parse_options_header(response.headers["Content-Disposition"])
    return kind, options["filename"]


@pytest.mark.parametrize(("content", "name", "stored", "web"), FILES)
def test_images_and_pdfs_open_in_the_browser_other_files_download(
    app, client, draft, content, name, stored, web
):
    """The web sends an image or a PDF inline and anything else as an attachment; the API
    attaches every file; both with the stored type, nosniff and the sandboxing CSP."""
    world, _log_id, h = draft
    (evidence_id,) = submitted_with(client, draft, [(content, name)])
    login(client, world.a.mentee_user)
    on_web = client.get(f"/evidence/{evidence_id}/download")
    through_api = client.get(f"/api/v1/evidence/{evidence_id}/download", headers=h["mentee"])
    assert disposition(on_web) == (web, name)
    assert disposition(through_api) == ("attachment", name)
    for response in (on_web, through_api):
        assert response.mimetype == stored
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Content-Security-Policy"] == UNTRUSTED_CSP
        assert "sandbox" in response.headers["Content-Security-Policy"].split("; ")
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.data == content
        response.close()


@pytest.mark.parametrize(
    ("content", "name"),
    [(SVG, "drawing.svg"), (SVG, "drawing.png"), (HTML, "page.html"), (HTML, "report.pdf")],
)
def test_markup_never_passes_for_an_image_or_a_pdf(client, draft, content, name):
    """SVG and HTML are no allowed type, and a name that claims an image or a PDF must
    match the content: nothing that could run script is ever stored as viewable."""
    _world, log_id, h = draft
    assert upload(client, log_id, h["coach"], content, name).status_code == 422


def test_only_readers_of_the_log_open_its_evidence(app, client, draft):
    """A draft's image opens for its author only; once sent, for the pairing's people, and
    never for another sector's coach (404 as for a missing file, with no file name)."""
    world, log_id, h = draft
    png = upload(client, log_id, h["coach"], PNG, "site.png").json["id"]
    path = f"/evidence/{png}/download"
    mentee, outsider, coach = app.test_client(), app.test_client(), app.test_client()
    login(mentee, world.a.mentee_user)
    login(outsider, world.b.coach_user)
    login(coach, world.a.coach_user)
    assert mentee.get(path).status_code == 404
    assert disposition(coach.get(path))[0] == "inline"
    client.post(f"/api/v1/logs/{log_id}/submit", headers=h["coach"], json={})
    assert disposition(mentee.get(path))[0] == "inline"
    refused = outsider.get(path)
    assert refused.status_code == 404 and "Content-Disposition" not in refused.headers
    assert client.get(f"/api/v1/evidence/{png}/download", headers=h["outsider"]).status_code == 404
    assert app.test_client().get(path).status_code in (302, 401)  # signed out: sign in first


def test_the_log_page_links_each_file_saying_how_it_opens(app, client, draft):
    """An image or a PDF opens in a new tab (rel=noopener), said to screen readers; any
    other file says it downloads; a web address opens in a new tab without a referrer."""
    world, log_id, _h = draft
    png, docx_id = submitted_with(client, draft, [(PNG, "site.png"), (docx(), "memo.docx")])
    with app.app_context():
        from scbi.auth.models import User
        from scbi.transfer.models import TransferLog
        from scbi.transfer.services import evidence

        log = db.session.get(TransferLog, log_id)
        coach = db.session.get(User, world.a.coach_user.id)
        evidence.add_link(log, by=coach, url="https://reg.rw/report", title="Published report")
        db.session.commit()
    login(client, world.a.mentee_user)
    page = client.get(f"/logs/{log_id}").text
    links = dict(re.findall(r'(<a href="[^"]*"[^>]*>)(.*?)</a>', page))
    tags = {tag: text for tag, text in links.items() if "/evidence/" in tag or "reg.rw" in tag}
    assert tags == {
        f'<a href="/evidence/{png}/download" target="_blank" rel="noopener">': (
            'site.png<span class="visually-hidden"> (opens in a new tab)</span>'
        ),
        f'<a href="/evidence/{docx_id}/download">': (
            'memo.docx <span class="small">(download)</span>'
        ),
        '<a href="https://reg.rw/report" target="_blank" rel="noopener noreferrer nofollow">': (
            'Published report<span class="visually-hidden"> (opens in a new tab)</span>'
        ),
    }


def test_inline_is_granted_by_the_stored_type_only(app):
    """A Download asking to be shown opens inline only for an image or a PDF; SVG, HTML,
    XML and text stay attachments whoever asks."""
    from scbi.downloads import Download, content_disposition, send_download

    with app.test_request_context():
        for mimetype, expected in (
            ("application/pdf", "inline"),
            ("image/png", "inline"),
            ("IMAGE/JPEG", "inline"),
            ("image/svg+xml", "attachment"),
            ("text/html", "attachment"),
            ("application/xml", "attachment"),
            ("text/plain", "attachment"),
            ("application/octet-stream", "attachment"),
        ):
            response = send_download(Download("Łódź.bin", mimetype, b"x", inline=True))
            assert response.headers["Content-Disposition"] == content_disposition(
                "Łódź.bin", expected
            ), mimetype
            not_asked = send_download(Download("Łódź.bin", mimetype, b"x"))
            assert not_asked.headers["Content-Disposition"] == content_disposition("Łódź.bin")
