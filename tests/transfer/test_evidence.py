"""Evidence: type checked on the content, size limit, random names outside static/,
download as an attachment to readers only, and nothing half-done after a failure."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from scbi.extensions import db
from scbi.transfer.models import Evidence
from tests import factories as f
from tests.helpers import api_token, bearer

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def setup(app, client):
    """A draft log of pairing A, and API headers for its coach, its mentee and outsiders."""
    world = f.world(app)
    with app.app_context():
        log = f.draft_log(world, title="Study", off_plan_reason="Before the plan")
        db.session.commit()
        log_id = log.id
    return (
        world,
        log_id,
        {
            "coach": bearer(api_token(client, world.a.coach_user)),
            "mentee": bearer(api_token(client, world.a.mentee_user)),
            "other_coach": bearer(api_token(client, world.b.coach_user)),
            "other_coordinator": bearer(api_token(client, world.b.coordinator)),
            "secretariat": bearer(api_token(client, world.secretariat)),
        },
    )


def upload(client, log_id, headers, content: bytes, name: str):
    return client.post(
        f"/api/v1/logs/{log_id}/evidence",
        headers=headers,
        data={"file": (io.BytesIO(content), name), "title": "Study report"},
        content_type="multipart/form-data",
    )


def files_in(app) -> list[Path]:
    root = Path(app.config["UPLOAD_DIR"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_allowed_files_are_stored_under_random_names_with_their_hash(app, client, setup):
    _world, log_id, h = setup
    before = set(files_in(app))
    for content, name in (
        (PDF, "report.pdf"),
        (PNG, "grid.png"),
        (docx(), "memo.docx"),
        (b"a,b\n1,2\n", "data.csv"),
    ):
        response = upload(client, log_id, h["coach"], content, name)
        assert response.status_code == 201, response.json
        assert len(response.json["sha256"]) == 64
    new = set(files_in(app)) - before
    assert len(new) == 4
    assert all(len(p.name) == 32 and "static" not in p.parts for p in new)


@pytest.mark.parametrize(
    ("content", "name", "text"),
    [
        (b"MZ\x90\x00 executable", "tool.exe", "Allowed:"),
        (PNG, "report.pdf", "not what its name says"),
        (b"%PDF-1.4 but called", "notes.docx", "not what its name says"),
        (b"", "empty.txt", "empty"),
        (b"\xff\xfe\x00\x00binary", "notes.txt", "not what its name says"),
    ],
)
def test_refused_files_leave_nothing(app, client, setup, content, name, text):
    _world, log_id, h = setup
    before = set(files_in(app))
    with app.app_context():
        records = db.session.scalar(db.select(db.func.count()).select_from(Evidence))
    response = upload(client, log_id, h["coach"], content, name)
    assert response.status_code == 422
    assert text in response.json["error"]["fields"]["file"][0]
    assert set(files_in(app)) == before
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Evidence)) == records


def test_too_large_files_are_refused(app, client, setup, monkeypatch):
    _world, log_id, h = setup
    from scbi import files

    monkeypatch.setattr(files, "MAX_BYTES", 1024)
    response = upload(client, log_id, h["coach"], PDF + b"0" * 2048, "big.pdf")
    assert response.status_code == 413  # API.md's "too large" (issue 11, finding 10)
    assert response.json["error"]["code"] == "too_large"
    assert "10 MB" in response.json["error"]["fields"]["file"][0]


def test_names_cannot_traverse_paths(app, client, setup):
    _world, log_id, h = setup
    response = upload(client, log_id, h["coach"], PDF, "../../etc/passwd.pdf")
    assert response.status_code == 201
    assert response.json["original_name"] == "passwd.pdf"


def test_download_is_an_attachment_for_readers_only(app, client, setup):
    _world, log_id, h = setup
    evidence = upload(client, log_id, h["coach"], PDF, "report.pdf").json
    url = f"/api/v1/evidence/{evidence['id']}/download"
    # A draft's evidence: only its author so far.
    assert client.get(url, headers=h["mentee"]).status_code == 404
    client.post(f"/api/v1/logs/{log_id}/submit", headers=h["coach"], json={})
    for reader in ("coach", "mentee", "secretariat"):
        response = client.get(url, headers=h[reader])
        assert response.status_code == 200, reader
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.data == PDF
    for outsider in ("other_coach", "other_coordinator"):
        assert client.get(url, headers=h[outsider]).status_code == 404, outsider


def test_links_and_removal_from_a_draft_only_evidence_until_acknowledged(app, client, setup):
    _world, log_id, h = setup
    bad = client.post(
        f"/api/v1/logs/{log_id}/evidence",
        headers=h["coach"],
        json={"url": "javascript:alert(1)", "title": "x"},
    )
    assert bad.status_code == 422
    link = client.post(
        f"/api/v1/logs/{log_id}/evidence",
        headers=h["coach"],
        json={"url": "https://reg.rw/report", "title": "Published report"},
    )
    assert link.status_code == 201
    stored = upload(client, log_id, h["coach"], PDF, "report.pdf").json
    before = set(files_in(app))
    assert client.delete(f"/api/v1/evidence/{stored['id']}", headers=h["coach"]).status_code == 204
    assert len(before - set(files_in(app))) == 1  # the file left the disk
    client.post(f"/api/v1/logs/{log_id}/submit", headers=h["coach"], json={})
    assert (
        client.delete(f"/api/v1/evidence/{link.json['id']}", headers=h["coach"]).status_code == 409
    )
    # sent, not yet acknowledged: a photo taken on the day can still follow the log
    assert upload(client, log_id, h["coach"], PDF, "late.pdf").status_code == 201
    assert upload(client, log_id, h["mentee"], PDF, "mine.pdf").status_code == 403
    client.post(f"/api/v1/logs/{log_id}/acknowledge", headers=h["mentee"], json={})
    assert upload(client, log_id, h["coach"], PDF, "too-late.pdf").status_code == 409


def test_a_failure_after_the_file_is_written_leaves_no_file(app, setup, monkeypatch):
    """The record cannot be stored: the file written for it is removed on rollback."""
    world, log_id, _h = setup
    before = set(files_in(app))
    with app.app_context():
        from scbi.auth.models import User
        from scbi.transfer.models import TransferLog
        from scbi.transfer.services import evidence

        log = db.session.get(TransferLog, log_id)
        coach = db.session.get(User, world.a.coach_user.id)

        def broken(*args, **kwargs):
            raise RuntimeError("database went away")

        monkeypatch.setattr(evidence.audit, "record", broken)
        records = db.session.scalar(db.select(db.func.count()).select_from(Evidence))
        with pytest.raises(RuntimeError):
            evidence.add_file(log, by=coach, stream=io.BytesIO(PDF), filename="r.pdf")
        db.session.rollback()
        assert db.session.scalar(db.select(db.func.count()).select_from(Evidence)) == records
    assert set(files_in(app)) == before
