"""An assessment cites only logs its assessor may read and that count; a refusal names a
log by its number alone, never by what the assessor could not read."""

from __future__ import annotations

import json
from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from scbi.auth import services as accounts
from scbi.auth.models import Role, User
from scbi.competencies.models import Assessment
from scbi.competencies.services import create_assessment
from scbi.errors import ValidationFailed
from scbi.extensions import db
from scbi.mentees.models import Mentee
from scbi.programme import services as programme
from scbi.transfer.services import logs
from tests import factories as f
from tests.helpers import MISSING_ID, PASSWORD, api_token, bearer, login

SECRET = "Secret draft about the mentee"


@pytest.fixture
def cw(app):
    """A mentee of sector S with two coaches: one in S, one in T (a cross-sector pairing),
    S's coordinator, a draft of the first coach, acknowledged logs of both."""
    with app.app_context():
        phase = f.phase()
        s, t = f.sector(), f.sector()
        inst_s, inst_t = f.institution(s.id), f.institution(t.id)
        mentee = f.mentee(s.id, inst_s.id)
        coach1, coach2 = f.coach(s.id, inst_s.id), f.coach(t.id, inst_t.id)
        pairing1 = f.pairing(coach1, mentee, phase)
        pairing2 = f.pairing(coach2, mentee, phase, sector_id=t.id, cross_sector_reason="Data")
        (competency,) = f.competencies(None, 1)
        coordinator = accounts.create_user(
            by=f.admin(),
            email="coordinator-s@example.org",
            full_name="Coordinator S",
            password=PASSWORD,
            roles=[Role.COORDINATOR.value],
            must_change_password=False,
        )
        programme.set_coordinator_sectors(coordinator, [s.id], by=f.admin())
        users = {
            "coach1": db.session.get(User, coach1.user_id),
            "coach2": db.session.get(User, coach2.user_id),
            "mentee": db.session.get(User, mentee.user_id),
            "coordinator": coordinator,
        }

        def log(pairing, author, title, *, submit=True, acknowledge=True, day=date(2025, 6, 2)):
            entry = logs.create_log(
                pairing,
                by=users[author],
                activity_date=day,
                activity_type="on_the_job",
                hours=2,
                title=title,
                mentee_role="led",
                competency_ids=[competency.id],
                off_plan_reason="Outside the plan",
            )
            if submit:
                logs.submit_log(entry, by=users[author])
            if acknowledge:
                logs.acknowledge_log(entry, by=users["mentee"])
            return entry.id

        ids = {
            "draft": log(pairing1, "coach1", SECRET, submit=False, acknowledge=False),
            "submitted": log(pairing1, "coach1", "Submitted, not acknowledged", acknowledge=False),
            "counted": log(pairing1, "coach1", "Acknowledged study of coach one"),
            "late": log(pairing1, "coach1", "Acknowledged later", day=date(2025, 7, 10)),
            "cross": log(pairing2, "coach2", "Acknowledged study in sector T"),
        }
        db.session.commit()
        return {
            "mentee_id": mentee.id,
            "competency_id": competency.id,
            "ids": ids,
            "emails": {k: u.email for k, u in users.items()},
        }


def cite(cw, who: str, key_or_id, level: int = 1):
    ident = cw["ids"].get(key_or_id, key_or_id)
    user = db.session.scalar(select(User).where(User.email == cw["emails"][who]))
    return create_assessment(
        db.session.get(Mentee, cw["mentee_id"]),
        by=user,
        competency_id=cw["competency_id"],
        level=level,
        assessed_on=date(2025, 7, 1),
        log_ids=[ident],
    )


def refusal(cw, who, key_or_id, level=1) -> str:
    with pytest.raises(ValidationFailed) as caught:
        cite(cw, who, key_or_id, level)
    return " ".join([caught.value.message, *caught.value.fields["log_ids"]])


@pytest.mark.parametrize(
    ("who", "log"),
    [
        ("coach2", "draft"),  # a second coach of the mentee, another's draft
        ("coordinator", "draft"),  # the mentee's coordinator, a coach's draft
        ("coach2", "counted"),  # acknowledged, but of a pairing the coach does not see
        ("coordinator", "cross"),  # acknowledged, in another sector's pairing
        ("mentee", "draft"),  # the mentee, a draft not yet shown to them
        ("coach2", MISSING_ID),  # no such log: the same answer
    ],
)
def test_invisible_logs_cannot_be_cited_and_are_not_quoted(app, cw, who, log):
    ident = cw["ids"].get(log, log)
    with app.app_context():
        message = refusal(cw, who, log)
        assert f"Log {ident} cannot be cited" in message
        for title in (SECRET, "study"):
            assert title not in message
        assert db.session.scalar(select(func.count()).select_from(Assessment)) == 0


def test_only_logs_that_count_and_predate_the_assessment_can_be_cited(app, cw):
    with app.app_context():
        assert "is not acknowledged" in refusal(cw, "coach1", "submitted", level=2)
        assert "on or before the assessment date" in refusal(cw, "coach1", "late", level=2)
        assert cite(cw, "coach1", "counted", level=2).logs[0].id == cw["ids"]["counted"]
        assert cite(cw, "coordinator", "counted", level=3).level == 3
        assert cite(cw, "coach2", "cross", level=3).level == 3


def test_the_api_and_the_form_never_show_an_invisible_logs_title(app, client, cw):
    coach2 = SimpleNamespace(email=cw["emails"]["coach2"], password=PASSWORD)
    headers = bearer(api_token(client, coach2))
    response = client.post(
        f"/api/v1/mentees/{cw['mentee_id']}/assessments",
        headers=headers,
        json={
            "competency_id": cw["competency_id"],
            "level": 4,
            "assessed_on": "2025-07-01",
            "log_ids": [cw["ids"]["draft"], cw["ids"]["counted"]],
        },
    )
    assert response.status_code == 422
    body = json.dumps(response.json, ensure_ascii=False)
    assert f"Log {cw['ids']['draft']} cannot be cited" in body
    assert SECRET not in body and "coach one" not in body
    login(client, coach2)
    form = client.get(
        f"/mentees/{cw['mentee_id']}/assessments/new?competency_id={cw['competency_id']}"
    ).text
    assert "Acknowledged study in sector T" in form
    assert "coach one" not in form and SECRET not in form
