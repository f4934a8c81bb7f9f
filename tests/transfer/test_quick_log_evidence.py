"""The quick log takes a photo, files and a link before the log is saved; evidence can be
added until the mentee acknowledges the log."""

from __future__ import annotations

import io
import re

from sqlalchemy import select

from scbi.extensions import db
from scbi.transfer.models import Evidence, LogStatus, TransferLog
from tests.api.test_transfer_api import flow  # noqa: F401  (fixture)
from tests.helpers import csrf_token, login

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _form(client, world, **extra):
    path = f"/pairings/{world.a.pairing_id}/logs/new"
    page = client.get(path).text
    key = re.search(r'name="client_key" type="hidden" value="([^"]+)"', page).group(1)
    return path, {
        "csrf_token": csrf_token(client, path),
        "client_key": key,
        "activity_date": "2025-06-02",
        "activity_type": "on_the_job",
        "hours": "2",
        "title": "Substation visit",
        "mentee_role": "led",
        "off_plan_ids": [str(world.competency_id)],
        "off_plan_reason": "The ministry asked for it first",
    } | extra


def test_a_photo_files_and_a_link_go_with_the_log_sent_from_the_phone(app, client, flow):  # noqa: F811
    world, _h = flow
    login(client, world.a.coach_user)
    page = client.get(f"/pairings/{world.a.pairing_id}/logs/new").text
    assert 'accept="image/*"' in page and 'capture="environment"' in page
    assert 'enctype="multipart/form-data"' in page
    path, form = _form(
        client,
        world,
        submit_log="1",
        evidence_url="https://reg.rw/site-visit",
        evidence_photo=(io.BytesIO(PNG), "IMG_0001.png"),
        evidence_files=[(io.BytesIO(PDF), "minutes.pdf"), (io.BytesIO(PDF), "plan.pdf")],
    )
    response = client.post(path, data=form, content_type="multipart/form-data")
    assert response.status_code == 302, response.text[:400]
    log_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        log = db.session.get(TransferLog, log_id)
        assert log.status == LogStatus.SUBMITTED
        names = sorted(e.original_name or e.url for e in log.evidence)
        assert names == ["IMG_0001.png", "https://reg.rw/site-visit", "minutes.pdf", "plan.pdf"]
    # sent, not yet acknowledged: the log page still takes evidence
    assert f'action="/logs/{log_id}/evidence"' in client.get(f"/logs/{log_id}").text


def test_a_refused_file_keeps_the_log_unsaved_and_the_text_typed(app, client, flow):  # noqa: F811
    world, _h = flow
    login(client, world.a.coach_user)
    path, form = _form(
        client, world, save="1", evidence_files=[(io.BytesIO(b"MZ\x90\x00"), "tool.exe")]
    )
    with app.app_context():
        before = db.session.scalar(select(db.func.count()).select_from(TransferLog))
        evidence = db.session.scalar(select(db.func.count()).select_from(Evidence))
    response = client.post(path, data=form, content_type="multipart/form-data")
    assert response.status_code == 422
    assert 'value="Substation visit"' in response.text
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(TransferLog)) == before
        assert db.session.scalar(select(db.func.count()).select_from(Evidence)) == evidence
