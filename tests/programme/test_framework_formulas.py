"""The framework export is a Moodle file written exactly; so no text it carries may start
as a spreadsheet formula: refused when typed or imported, neutralised if stored before."""

from __future__ import annotations

import csv
import io

from sqlalchemy import func, select, update

from scbi.extensions import db
from scbi.programme.models import Competency, CompetencyFramework
from scbi.programme.moodle import parse_framework_csv
from tests import factories as f
from tests.helpers import api_token, bearer
from tests.programme.test_moodle import comp, fw, make_csv

DDE = "-cmd|' /C calc'!A0"


def test_framework_csv_export_formulas_are_refused_at_input(app, client):
    world = f.world(app)
    sec = bearer(api_token(client, world.secretariat))
    base = f"/api/v1/frameworks/{world.framework_id}/competencies"
    for field, value in (("short_name", DDE), ("idnumber", "=1+1"), ("description", "@SUM(A1)")):
        body = {"idnumber": "C9", "short_name": "Safe name", "core": True, field: value}
        response = client.post(base, headers=sec, json=body)
        assert response.status_code == 422, field
        assert "formula" in response.json["error"]["fields"][field][0]
    framework = {"name": "+Energy", "idnumber": "FW-NEW", "description": "- first"}
    response = client.post("/api/v1/frameworks", headers=sec, json=framework)
    assert response.status_code == 422
    assert set(response.json["error"]["fields"]) == {"name", "description"}
    # inside the text, the same characters are plain text
    ok = {"idnumber": "C9", "short_name": "Load = flow - studies", "core": True}
    assert client.post(base, headers=sec, json=ok).status_code == 201

    file = make_csv(fw("FW-DDE"), comp("A"), comp("B", short=DDE), comp("C", rule_config="+x"))
    before = count(app, CompetencyFramework)
    response = client.post(
        "/api/v1/frameworks/import", headers=sec, data=file, content_type="text/csv"
    )
    assert response.status_code == 422
    assert response.json["error"]["code"] == "invalid_file"
    rows = response.json["error"]["rows"]
    assert [r["row"] for r in rows] == [4, 5]
    assert "Shortname starts with '-'" in rows[0]["message"]
    assert count(app, CompetencyFramework) == before


def test_a_stored_formula_is_neutralised_and_the_rest_exported_exactly(app, client):
    world = f.world(app)
    with app.app_context():
        db.session.execute(
            update(Competency).where(Competency.id == world.competency_id).values(short_name=DDE)
        )
        db.session.commit()
    mentee = bearer(api_token(client, world.a.mentee_user))  # every role may download it
    response = client.get(f"/api/v1/frameworks/{world.framework_id}/export", headers=mentee)
    assert response.status_code == 200
    records = list(csv.reader(io.StringIO(response.get_data(as_text=True), newline="")))
    assert records[2][1:3] == ["C1", "'" + DDE]
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in records for cell in row)
    parsed = parse_framework_csv(response.data)
    assert parsed.framework.idnumber == f"FW{world.phase_id}"
    assert parsed.framework.short_name == "Energy"


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))
