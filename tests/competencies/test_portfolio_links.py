"""The portfolio links each evidence file of the mentee's acknowledged logs, but only of
the logs its reader may read (the page shows logs of every pairing of the mentee; a coach
reads only their own pairings'); the PDF links them by their full address."""

from __future__ import annotations

import io
import re
import zlib
from datetime import date
from types import SimpleNamespace

import pytest

from scbi.extensions import db
from tests import factories as f
from tests.helpers import PASSWORD, login
from tests.transfer.test_evidence_inline import PDF, PNG, docx


def acknowledged_log(world, pairing_id: int, coach_user_id: int, files) -> dict:
    """An acknowledged log of the pairing with ``files`` (content, name) and a web address
    as evidence: {name or "link": evidence id}."""
    from scbi.auth.models import User
    from scbi.transfer.models import Pairing
    from scbi.transfer.services import evidence, logs

    coach = db.session.get(User, coach_user_id)
    log = logs.create_log(
        db.session.get(Pairing, pairing_id),
        by=coach,
        activity_date=date(2025, 7, 1),
        activity_type="on_the_job",
        hours=3,
        title=f"Activity of pairing {pairing_id}",
        mentee_role="led",
        competency_ids=[world.competency_id],
        off_plan_reason="Agreed at the start",
    )
    ids = {
        name: evidence.add_file(log, by=coach, stream=io.BytesIO(content), filename=name).id
        for content, name in files
    }
    ids["link"] = evidence.add_link(
        log, by=coach, url=f"https://example.org/{pairing_id}", title=f"Link {pairing_id}"
    ).id
    logs.submit_log(log, by=coach)
    logs.acknowledge_log(log, by=db.session.get(User, world.a.mentee_user.id))
    return ids


@pytest.fixture
def portfolio(app):
    """Mentee A with two pairings, each with an acknowledged log and its evidence: the
    world's coach A, and a second coach of the same sector."""
    world = f.world(app)
    with app.app_context():
        from scbi.auth.models import User
        from scbi.mentees.models import Mentee
        from scbi.programme.models import Phase
        from scbi.transfer.models import TransferLog
        from scbi.transfer.services import logs

        mentee_user = db.session.get(User, world.a.mentee_user.id)
        logs.acknowledge_log(db.session.get(TransferLog, world.log_id), by=mentee_user)
        first = acknowledged_log(
            world, world.a.pairing_id, world.a.coach_user.id, [(PNG, "site.png")]
        )
        second_coach = f.coach(world.a.sector_id, world.a.institution_id)
        pairing = f.pairing(
            second_coach,
            db.session.get(Mentee, world.a.mentee_id),
            db.session.get(Phase, world.phase_id),
        )
        second = acknowledged_log(
            world, pairing.id, second_coach.user_id, [(PDF, "audit.pdf"), (docx(), "memo.docx")]
        )
        other = SimpleNamespace(
            id=second_coach.user_id, email=second_coach.user.email, password=PASSWORD
        )
        db.session.commit()
    first["study.pdf"] = world.evidence_id
    return world, first, second, other


def linked(page: str) -> dict[int, str]:
    """The evidence files the page links: {id: the link's opening tag}."""
    return {int(m[1]): m[0] for m in re.finditer(r'<a href="/evidence/(\d+)/download"[^>]*>', page)}


def test_the_portfolio_links_the_files_of_the_logs_its_reader_reads(app, portfolio):
    world, first, second, second_coach = portfolio
    files_of = {
        "first": {first["site.png"], first["study.pdf"]},
        "second": {second["audit.pdf"], second["memo.docx"]},
    }
    readers = {
        "mentee": (world.a.mentee_user, files_of["first"] | files_of["second"]),
        "coordinator": (world.a.coordinator, files_of["first"] | files_of["second"]),
        "secretariat": (world.secretariat, files_of["first"] | files_of["second"]),
        "coach": (world.a.coach_user, files_of["first"]),
        "second coach": (second_coach, files_of["second"]),
    }
    for role, (person, files) in readers.items():
        client = app.test_client()
        login(client, person)
        page = client.get(f"/mentees/{world.a.mentee_id}/portfolio").text
        assert set(linked(page)) == files, role
        # every evidence is named, linked or not
        assert all(title in page for title in ("site.png", "audit.pdf", "memo.docx")), role
        for evidence_id in files_of["first"] | files_of["second"]:
            opened = client.get(f"/evidence/{evidence_id}/download")
            assert opened.status_code == (200 if evidence_id in files else 404), (role, evidence_id)
            opened.close()
        # a web address is linked for readers of its log only, too
        assert ("https://example.org/" + str(world.a.pairing_id) in page) == (
            first["site.png"] in files
        ), role


def test_portfolio_links_say_how_each_file_opens(app, portfolio):
    world, first, second, _second_coach = portfolio
    client = app.test_client()
    login(client, world.a.mentee_user)
    tags = linked(client.get(f"/mentees/{world.a.mentee_id}/portfolio").text)
    for viewable in (first["site.png"], first["study.pdf"], second["audit.pdf"]):
        assert 'target="_blank" rel="noopener"' in tags[viewable]
    assert tags[second["memo.docx"]] == f'<a href="/evidence/{second["memo.docx"]}/download">'


def uris(pdf: bytes) -> set[str]:
    """The addresses a PDF's links point at (WeasyPrint writes them in compressed streams)."""
    found = set()
    for stream in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            text = zlib.decompress(stream[1])
        except zlib.error:
            text = stream[1]
        found |= {m.decode() for m in re.findall(rb"/URI \(([^)]*)\)", text)}
    return found


def test_the_pdf_links_the_files_its_reader_reads_by_their_full_address(
    app, portfolio, monkeypatch
):
    world, first, second, _second_coach = portfolio
    client = app.test_client()
    login(client, world.a.coach_user)
    pdf = client.get(f"/mentees/{world.a.mentee_id}/portfolio.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.headers["Content-Disposition"].startswith("attachment")
    assert uris(pdf.data) == {
        f"http://localhost/evidence/{first['site.png']}/download",
        f"http://localhost/evidence/{first['study.pdf']}/download",
        f"https://example.org/{world.a.pairing_id}",
    }
    monkeypatch.setitem(app.config, "BASE_URL", "https://scbi.example.org/")
    again = client.get(f"/mentees/{world.a.mentee_id}/portfolio.pdf").data
    assert f"https://scbi.example.org/evidence/{second['audit.pdf']}/download" not in uris(again)
    assert f"https://scbi.example.org/evidence/{first['site.png']}/download" in uris(again)
