"""Competency tracking as people would use it, in the web UI and the API."""

from __future__ import annotations

import re

from scbi.competencies.models import Assessment
from scbi.extensions import db
from tests import factories as f
from tests.helpers import QueryCounter, api_token, bearer, login, post_form


def test_self_assessment_review_evidence_rule_and_level(app, client):
    world = f.world(app)  # mentee A has a review request and a submitted log where they led
    mentee = app.test_client()
    login(mentee, world.a.mentee_user)
    own = post_form(
        mentee,
        f"/mentees/{world.a.mentee_id}/assessments/new",
        {
            "competency_id": world.competency_id,
            "level": "3",
            "assessed_on": "2025-08-01",
            "request_review": "y",
            "note": "I ran the study alone",
        },
    )
    assert own.status_code == 302
    mentee_page = mentee.get("/my/competencies", follow_redirects=True).text
    assert "Review requests" in mentee_page

    coach = app.test_client()
    login(coach, world.a.coach_user)
    # two wait (the world's and this one): the need opens the queue of them all
    assert re.search(r'href="/reviews">2 self-assessments ask for a review', coach.get("/").text)
    queue = coach.get("/reviews").text
    assert queue.count(f'href="/mentees/{world.a.mentee_id}/competencies#reviews-h"') == 2
    other = app.test_client()  # sector B's coach sees none of sector A's requests
    login(other, world.b.coach_user)
    assert "No self-assessment asks for a review." in other.get("/reviews").text
    refused = post_form(
        coach,
        f"/mentees/{world.a.mentee_id}/assessments/new",
        {"competency_id": world.competency_id, "level": "3", "assessed_on": "2025-08-02"},
    )
    assert refused.status_code == 422
    assert "needs evidence of independent performance" in refused.text
    assert "no log is cited" in refused.text
    # the log where the mentee led is only submitted: acknowledging it makes it evidence
    with app.app_context():
        from scbi.auth.models import User
        from scbi.transfer.models import TransferLog
        from scbi.transfer.services import logs

        logs.acknowledge_log(
            db.session.get(TransferLog, world.log_id),
            by=db.session.get(User, world.a.mentee_user.id),
        )
        db.session.commit()
    form = coach.get(
        f"/mentees/{world.a.mentee_id}/assessments/new?competency_id={world.competency_id}"
    ).text
    assert "Load-flow study" in form
    ok = post_form(
        coach,
        f"/mentees/{world.a.mentee_id}/assessments/new",
        {
            "competency_id": world.competency_id,
            "level": "3",
            "assessed_on": "2025-08-02",
            "log_ids": [str(world.log_id)],
            "resolves": str(world.assessment_id),
        },
    )
    assert ok.status_code == 302
    page = mentee.get(f"/mentees/{world.a.mentee_id}/competencies").text
    row = re.search(r"Grid planning.*?</tr>", page, re.S)[0]
    assert re.search(r"fw-semibold\">3", row)
    with app.app_context():
        assert db.session.get(Assessment, world.assessment_id).review_status == "resolved"


def test_api_competencies_and_evidence_required(app, client):
    world = f.world(app)
    coach = bearer(api_token(client, world.a.coach_user))
    refused = client.post(
        f"/api/v1/mentees/{world.a.mentee_id}/assessments",
        headers=coach,
        json={
            "competency_id": world.competency_id,
            "level": 4,
            "assessed_on": "2025-08-02",
            "log_ids": [world.log_id],
        },
    )
    assert refused.status_code == 422
    assert refused.json["error"]["code"] == "evidence_required"
    assert "not acknowledged" in refused.json["error"]["message"]
    profile = client.get(f"/api/v1/mentees/{world.a.mentee_id}/competencies", headers=coach).json
    (row,) = profile
    assert (row["baseline_level"], row["target_level"], row["current_level"]) == (1, 3, 1)
    assert row["self_level"] == 2 and row["evidence_log_count"] == 0
    other = bearer(api_token(client, world.b.coach_user))
    assert (
        client.get(f"/api/v1/mentees/{world.a.mentee_id}/competencies", headers=other).status_code
        == 404
    )
    csv_text = client.get(
        "/api/v1/assessments?format=csv", headers=bearer(api_token(client, world.secretariat))
    ).text
    assert (
        csv_text.lstrip("\ufeff").startswith("assessment_id,")
        and "Grid planning" not in csv_text.splitlines()[0]
    )


def test_profile_page_statements_do_not_grow(app, client):
    world = f.world(app)
    login(client, world.a.coach_user)
    path = f"/mentees/{world.a.mentee_id}/competencies"
    with QueryCounter(app) as before:
        client.get(path)
    with app.app_context():
        from scbi.mentees.models import Mentee

        extra = f.competencies(world.a.sector_id, 5)
        mentee = db.session.get(Mentee, world.a.mentee_id)
        from scbi.auth.models import User
        from scbi.competencies.services import create_assessment
        from scbi.transfer.models import Pairing
        from scbi.transfer.services import logs

        pairing = db.session.get(Pairing, world.a.pairing_id)
        coach = db.session.get(User, world.a.coach_user.id)
        for n in range(20):
            log = logs.create_log(
                pairing,
                by=coach,
                activity_date=f"2025-{n % 9 + 2:02d}-10",
                activity_type="on_the_job",
                hours=1,
                title=f"Log {n}",
                mentee_role="led",
                competency_ids=[world.competency_id],
            )
            logs.submit_log(log, by=coach)
            logs.acknowledge_log(log, by=db.session.get(User, world.a.mentee_user.id))
        for competency in extra:
            create_assessment(
                mentee, by=f.admin(), competency_id=competency.id, level=2, assessed_on="2025-09-01"
            )
        db.session.commit()
    with QueryCounter(app) as after:
        assert client.get(path).status_code == 200
    assert after.count == before.count and after.count <= 15, (before.count, after.count)


def test_portfolio_page_and_pdf(app, client):
    world = f.world(app)
    with app.app_context():
        from scbi.auth.models import User
        from scbi.transfer.models import TransferLog
        from scbi.transfer.services import logs

        log = db.session.get(TransferLog, world.log_id)
        log.title = '<img src="http://attacker.example/x.png"> Load-flow study'
        logs.acknowledge_log(log, by=db.session.get(User, world.a.mentee_user.id))
        db.session.commit()
    login(client, world.a.mentee_user)
    page = client.get(f"/mentees/{world.a.mentee_id}/portfolio").text
    assert "&lt;img" in page and "Load-flow study" in page and "sha256" in page
    pdf = client.get(f"/mentees/{world.a.mentee_id}/portfolio.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF-")
    assert pdf.headers["Content-Disposition"].startswith("attachment")


def test_the_pdf_never_fetches_a_remote_url():
    import pytest

    from scbi.competencies.portfolio import refuse_remote

    with pytest.raises(ValueError, match="does not fetch"):
        refuse_remote("http://example.org/logo.png")


def test_levels_across_a_sector_for_coordinators(app, client):
    world = f.world(app)
    with app.app_context():
        from scbi.competencies.services import create_assessment
        from scbi.mentees.models import Mentee

        create_assessment(
            db.session.get(Mentee, world.a.mentee_id),
            by=f.admin(),
            competency_id=world.competency_id,
            level=2,
            assessed_on="2025-09-01",
        )
        db.session.commit()
    login(client, world.a.coordinator)
    page = client.get("/mentees/levels").text
    assert "Mentee Number" in page and "Core competencies below level 3" in page
    by_level = client.get(f"/mentees/levels?competency_id={world.competency_id}&level=2").text
    assert f"/mentees/{world.a.mentee_id}/competencies" in by_level
    none = client.get(f"/mentees/levels?competency_id={world.competency_id}&level=3").text
    assert "No mentees match." in none
    other = client.get(f"/mentees/levels?sector_id={world.b.sector_id}").text
    assert f"/mentees/{world.b.mentee_id}/" not in other  # not their sector
