"""The CSV downloads' cells, made in SQL: the same text on both databases, formula-safe,
ISO dates and UTC times, hours without trailing zeros, and any text round-trips."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date

from flask_babel import force_locale
from sqlalchemy import update

from scbi.auth.models import User
from scbi.competencies import export as assessment_export
from scbi.competencies.models import Assessment
from scbi.extensions import db
from scbi.programme.models import Competency
from scbi.transfer.models import Pairing, TransferLog
from scbi.transfer.queries import export as log_export
from scbi.transfer.services import logs
from tests import factories as f
from tests.helpers import api_token, bearer, login

UTC_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
AWKWARD = 'Said "no", then yes;\nline two, with a comma\tand a tab'


def download(client, path, user) -> list[dict]:
    response = client.get(path, headers=bearer(api_token(client, user)))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def utc_text(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_log_cells(app, client):
    world = f.world(app)
    with app.app_context():
        pairing = db.session.get(Pairing, world.a.pairing_id)
        coach = db.session.get(User, world.a.coach_user.id)
        mentee = db.session.get(User, world.a.mentee_user.id)
        log = logs.create_log(
            pairing,
            by=coach,
            activity_date=date(2025, 6, 9),
            activity_type="joint_delivery",
            hours="1.25",
            title='=HYPERLINK("http://evil.example","click")',
            description=AWKWARD,
            mentee_role="co_led",
            competency_ids=[world.competency_id],
        )
        logs.submit_log(log, by=coach)
        logs.acknowledge_log(log, by=mentee, comment="+1, it went well")
        logs.verify_log(log, by=f.admin())
        # text that came in another way (a Moodle import, an old record) is neutralised too
        db.session.execute(
            update(Competency).where(Competency.id == world.competency_id).values(idnumber="-C1")
        )
        db.session.execute(
            update(User).where(User.id == world.a.mentee_user.id).values(full_name="@Mentee")
        )
        db.session.commit()
        new_id, submitted, verified = log.id, log.submitted_at, log.verified_at
        first = db.session.get(TransferLog, world.log_id)
        first_submitted = first.submitted_at

    rows = {
        int(r["log_id"]): r for r in download(client, "/api/v1/logs?format=csv", world.secretariat)
    }
    assert set(rows) == {world.log_id, new_id}
    row = rows[new_id]
    assert row == {
        "log_id": str(new_id),
        "pairing_id": str(world.a.pairing_id),
        "sector": row["sector"],
        "coach": row["coach"],
        "mentee": "'@Mentee",
        "activity_date": "2025-06-09",
        "activity_type": "joint_delivery",
        "hours": "1.25",
        "mentee_role": "co_led",
        "title": '\'=HYPERLINK("http://evil.example","click")',
        "description": AWKWARD,
        "competencies": "'-C1",
        "off_plan_reason": "",
        "status": "verified",
        "submitted_at": utc_text(submitted),
        "mentee_comment": "'+1, it went well",
        "verified_at": utc_text(verified),
        "evidence_items": "0",
    }
    assert UTC_TIME.match(row["submitted_at"]) and UTC_TIME.match(row["verified_at"])
    older = rows[world.log_id]
    assert older["hours"] == "2" and older["evidence_items"] == "1"
    assert older["submitted_at"] == utc_text(first_submitted) and older["verified_at"] == ""
    assert older["title"] == "Load-flow study" and older["activity_date"] == "2025-06-02"
    with app.app_context():  # minutes the forms refuse (not quarter hours) still agree
        db.session.execute(
            update(TransferLog).where(TransferLog.id == world.log_id).values(minutes=20)
        )
        db.session.commit()
    again = download(client, "/api/v1/logs?format=csv", world.secretariat)
    assert [r["hours"] for r in again if r["log_id"] == str(world.log_id)] == ["0.33"]


def test_assessment_cells(app, client):
    world = f.world(app)
    with app.app_context():
        db.session.execute(
            update(Assessment)
            .where(Assessment.id == world.assessment_id)
            .values(note="=1+1 is how I see it")
        )
        db.session.commit()
    rows = download(client, "/api/v1/assessments?format=csv", world.secretariat)
    (row,) = [r for r in rows if r["assessment_id"] == str(world.assessment_id)]
    assert row["assessed_on"] == "2025-07-01"
    assert row["core"] == "True" and row["validated"] == "False"  # a self-assessment
    assert row["assessor_role"] == "self" and row["level"] == "2"
    assert row["note"] == "'=1+1 is how I see it"
    assert row["competency"] == "C1" and row["cited_logs"] == "0"


def page_download(client, path) -> list[list[str]]:
    """A page's CSV file (the signed-in person's), as rows; the header first."""
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    response.close()
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def in_french(app, user) -> list[list[str]]:
    """The user now reads French; the French names of both files' columns."""
    with app.app_context():
        db.session.get(User, user.id).language = "fr"
        db.session.commit()
    with app.test_request_context(), force_locale("fr"):
        return [log_export.people_header(), assessment_export.people_header()]


def test_the_log_list_s_file_is_in_the_reader_s_words(app, client):
    """Issue 17: the log list's *Download CSV* names its columns, and a log's activity,
    part and status, as the log's page does; the API's file keeps keys and codes."""
    world = f.world(app)
    login(client, world.secretariat)
    header, *rows = page_download(client, "/logs/export.csv")
    assert header == [
        "Log id",
        "Pairing id",
        "Sector",
        "Coach",
        "Mentee",
        "Date",
        "Activity",
        "Hours",
        "Mentee's part",
        "Title",
        "Details",
        "Competencies",
        "Off-plan because",
        "Status",
        "Submitted (UTC)",
        "Mentee's comment",
        "Verified (UTC)",
        "Evidence items",
    ]
    assert len(header) == len(log_export.HEADER)
    row = dict(
        zip(log_export.HEADER, next(r for r in rows if r[0] == str(world.log_id)), strict=True)
    )
    assert (row["activity_type"], row["mentee_role"], row["status"]) == (
        "On the job",
        "Led — you do",
        "submitted",
    )
    assert row["submitted_at"].endswith("Z") and row["evidence_items"] == "1"

    french, _assessments = in_french(app, world.secretariat)
    header, *rows = page_download(client, "/logs/export.csv")
    assert header == french and not any("_" in name for name in header)
    assert {"Secteur", "Activité", "Heures", "Statut"} <= set(header)
    row = dict(
        zip(log_export.HEADER, next(r for r in rows if r[0] == str(world.log_id)), strict=True)
    )
    assert (row["activity_type"], row["mentee_role"], row["status"]) == (
        "En situation de travail",
        "A dirigé — tu fais",
        "soumise",
    )

    api = download(client, "/api/v1/logs?format=csv", world.secretariat)
    assert list(api[0]) == log_export.HEADER
    assert {r["activity_type"] for r in api} == {"on_the_job"}  # codes, for programs


def test_the_report_s_assessments_file_is_in_the_reader_s_words(app, client):
    world = f.world(app)
    _logs, french = in_french(app, world.secretariat)
    login(client, world.secretariat)
    header, *rows = page_download(
        client, f"/reports/sectors/{world.a.sector_id}/assessments.csv?fy=2025&quarter=1"
    )
    assert header == french and not any("_" in name for name in header)
    assert {"Mentoré·e", "Secteur", "Compétence", "Niveau"} <= set(header)
    (row,) = rows  # the mentee's self-assessment of 1 July 2025
    cells = dict(zip(assessment_export.HEADER, row, strict=True))
    assert (cells["core"], cells["validated"]) == ("oui", "non")
    assert cells["assessor_role"] == "auto-évaluation"
    assert cells["review_status"] == "en attente de révision"
    api = download(client, "/api/v1/assessments?format=csv", world.secretariat)
    assert list(api[0]) == assessment_export.HEADER and api[0]["core"] == "True"
