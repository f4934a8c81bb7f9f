"""Evidence in a real browser (issue 17, item 5): from the log page (accessible with its
links), an image and a PDF open in a new tab and display — under the same sandboxing CSP
and nosniff as every upload — while a Word file downloads.

What Chromium does, checked here rather than assumed: a sandboxed *iframe* cannot load its
PDF viewer, but a top-level document whose own response carries ``CSP: sandbox`` shows
the PDF in the viewer (the extension frame below), so evidence keeps the strict policy."""

from __future__ import annotations

import io
import zlib

from scbi.downloads import UNTRUSTED_CSP
from scbi.extensions import db
from tests import factories
from tests.browser.driver import DESKTOP, assert_accessible, signed_in, until
from tests.transfer.test_evidence_inline import docx

# Chromium's built-in PDF viewer (extension_misc::kPdfExtensionId)
PDF_VIEWER = "chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/"


def png(width: int = 40, height: int = 20) -> bytes:
    """A red PNG the browser can decode."""
    import struct

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def pdf(text: str = "Site inspection report") -> bytes:
    """A one-page PDF with a line of text, its cross-reference table exact."""
    content = f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def _evidence(app, world) -> dict[str, int]:
    """A PNG, a PDF and a Word file on the world's sent log: {name: evidence id}."""
    with app.app_context():
        from scbi.auth.models import User
        from scbi.transfer.models import TransferLog
        from scbi.transfer.services import evidence

        log = db.session.get(TransferLog, world.log_id)
        coach = db.session.get(User, world.a.coach_user.id)
        ids = {
            name: evidence.add_file(log, by=coach, stream=io.BytesIO(content), filename=name).id
            for content, name in ((png(), "site.png"), (pdf(), "report.pdf"), (docx(), "memo.docx"))
        }
        db.session.commit()
    return ids


def test_an_image_and_a_pdf_open_in_a_new_tab_and_a_word_file_downloads(app, live_server):
    world = factories.world(app)
    ids = _evidence(app, world)
    with signed_in(live_server, world.a.mentee_user, DESKTOP) as (context, page):
        answers = {}
        context.on("response", lambda r: answers.__setitem__(r.url, r))
        downloads = []
        context.on("page", lambda tab: tab.on("download", lambda d: downloads.append(d)))
        page.on("download", lambda d: downloads.append(d))
        page.goto(f"{live_server}/logs/{world.log_id}")
        assert_accessible(page, "the log page with its evidence links")

        def open_in_tab(name: str):
            link = page.locator(f'a[href="/evidence/{ids[name]}/download"]')
            assert link.get_attribute("target") == "_blank"
            assert link.get_attribute("rel") == "noopener"
            assert "(opens in a new tab)" in link.inner_text()
            with context.expect_page() as opened:
                link.click()
            tab = opened.value
            tab.wait_for_load_state()
            answer = answers[f"{live_server}/evidence/{ids[name]}/download"]
            headers = answer.all_headers()
            assert headers["content-disposition"].startswith("inline;"), name
            assert headers["content-security-policy"] == UNTRUSTED_CSP
            assert headers["x-content-type-options"] == "nosniff"
            return tab

        image = open_in_tab("site.png")
        assert image.evaluate("document.contentType") == "image/png"
        until(image, "document.images.length === 1 && document.images[0].complete")
        assert image.evaluate(
            "[document.images[0].naturalWidth, document.images[0].naturalHeight]"
        ) == [40, 20]

        viewer = open_in_tab("report.pdf")
        assert viewer.evaluate("document.contentType") == "application/pdf"
        for _attempt in range(100):  # the viewer loads as a frame of the tab
            if any(frame.url.startswith(PDF_VIEWER) for frame in viewer.frames):
                break
            viewer.wait_for_timeout(100)
        assert any(frame.url.startswith(PDF_VIEWER) for frame in viewer.frames), [
            frame.url for frame in viewer.frames
        ]
        assert downloads == []  # neither was saved

        word = page.locator(f'a[href="/evidence/{ids["memo.docx"]}/download"]')
        assert word.get_attribute("target") is None and "(download)" in word.inner_text()
        with page.expect_download() as saved:
            word.click()
        assert saved.value.suggested_filename == "memo.docx"
