"""A group session: one quick log for an activity with several of the coach's mentees makes
a log for each pairing (its own part, acknowledgement, dispute), tied as one session whose
page shows who acknowledged; a mentee reads only their own log of it."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from scbi.auth.models import User
from scbi.extensions import db
from scbi.transfer.models import LogSession, LogStatus, Pairing, TransferLog
from tests import factories as f
from tests.api.test_transfer_api import flow  # noqa: F401  (fixture)
from tests.helpers import PASSWORD, csrf_token, login


def _second_pairing(app, world):
    """Another active pairing of pairing A's coach, with a new mentee of the sector."""
    with app.app_context():
        pairing = db.session.get(Pairing, world.a.pairing_id)
        mentee = f.mentee(world.a.sector_id, world.a.institution_id)
        other = f.pairing(pairing.coach, mentee, f.phase())
        db.session.commit()
        return other.id, mentee.user.email


def _form(client, world, **extra):
    path = f"/pairings/{world.a.pairing_id}/logs/new"
    page = client.get(path).text
    key = re.search(r'name="client_key" type="hidden" value="([^"]+)"', page).group(1)
    return (
        path,
        page,
        {
            "csrf_token": csrf_token(client, path),
            "client_key": key,
            "activity_date": "2025-06-02",
            "activity_type": "formal_training",
            "hours": "3",
            "title": "Tariff workshop",
            "mentee_role": "assisted",
            "off_plan_ids": [str(world.competency_id)],
            "off_plan_reason": "The regulator's request",
        }
        | extra,
    )


def test_one_quick_log_makes_a_log_for_each_mentee_of_the_session(app, client, flow):  # noqa: F811
    world, _h = flow
    other_id, other_email = _second_pairing(app, world)
    login(client, world.a.coach_user)
    path, page, form = _form(client, world, session_pairing_ids=[str(other_id)], submit_log="1")
    assert "Also with" in page
    response = client.post(path, data=form)
    assert response.status_code == 302, response.text[:400]
    again = client.post(path, data=form)  # a double tap: the same session, nothing more
    assert again.status_code == 302 and again.headers["Location"] == response.headers["Location"]
    with app.app_context():
        logs = list(
            db.session.scalars(select(TransferLog).where(TransferLog.session_id.is_not(None)))
        )
        assert sorted(log.pairing_id for log in logs) == sorted([world.a.pairing_id, other_id])
        assert {log.status for log in logs} == {LogStatus.SUBMITTED}
        assert len({log.session_id for log in logs}) == 1
        assert db.session.scalar(select(func.count()).select_from(LogSession)) == 1
        session_id = logs[0].session_id
        mine = next(log for log in logs if log.pairing_id == world.a.pairing_id)
    # each mentee answers their own log; the session's page says who did
    with app.app_context():
        from scbi.transfer.services.logs import acknowledge_log

        acknowledge_log(
            db.session.get(TransferLog, mine.id), by=db.session.get(User, world.a.mentee_user.id)
        )
        db.session.commit()
    mentee = app.test_client()
    login(mentee, world.a.mentee_user)
    coach_view = client.get(f"/sessions/{session_id}").text
    assert coach_view.count("<tr>") == 3  # head + two mentees
    assert "acknowledged" in coach_view and "submitted" in coach_view
    # a mentee reads only their own log of the session
    own = mentee.get(f"/sessions/{session_id}").text
    assert own.count("<tr>") == 2
    other = app.test_client()
    login(other, type("P", (), {"email": other_email, "password": PASSWORD}))
    assert other.get(f"/sessions/{session_id}").status_code == 200
    outsider = app.test_client()
    login(outsider, world.b.mentee_user)
    assert outsider.get(f"/sessions/{session_id}").status_code == 404


def test_a_pairing_not_offered_is_refused_and_nothing_written(app, client, flow):  # noqa: F811
    world, _h = flow
    other_id, _email = _second_pairing(app, world)
    with app.app_context():
        db.session.get(Pairing, other_id).status = "paused"
        db.session.commit()
    login(client, world.a.coach_user)
    path, page, form = _form(client, world, session_pairing_ids=[str(other_id)], save="1")
    # a paused pairing is not offered; sent anyway, the form is refused and nothing written
    assert f'value="{other_id}"' not in page
    before = _count(app)
    refused = client.post(path, data=form)
    assert refused.status_code == 422 and 'value="Tariff workshop"' in refused.text
    assert _count(app) == before


def test_a_refusal_for_another_mentee_names_them_and_writes_nothing(app, flow):  # noqa: F811
    import pytest

    from scbi.errors import ValidationFailed
    from scbi.transfer.services import sending

    world, _h = flow
    other_id, _email = _second_pairing(app, world)
    with app.app_context():
        coach = db.session.get(User, world.a.coach_user.id)
        first = db.session.get(Pairing, world.a.pairing_id)
        other = db.session.get(Pairing, other_id)
        before = _count(app)
        with pytest.raises(ValidationFailed) as refused:
            sending.create_session_logs(
                [first, other],
                by=coach,
                activity_date="2025-06-02",
                activity_type="formal_training",
                hours=3,
                title="Tariff workshop",
                mentee_role="assisted",
                competency_ids=[world.competency_id],
                off_plan_reason="",  # pairing A has no plan: a reason is needed for both
            )
        db.session.rollback()
        assert "competency_ids" in refused.value.fields or "off_plan_reason" in str(
            refused.value.fields
        )
        assert _count(app) == before


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(TransferLog))


def test_each_mentee_of_a_session_can_have_their_own_part(app, client, flow):  # noqa: F811
    world, _h = flow
    other_id, _email = _second_pairing(app, world)
    login(client, world.a.coach_user)
    path, page, form = _form(client, world, session_pairing_ids=[str(other_id)], save="1")
    part = re.search(r'name="(session_parts-\d+-mentee_role)"', page).group(1)
    pairing_field = part.replace("mentee_role", "pairing_id")
    assert f'name="{pairing_field}" type="hidden" value="{other_id}"' in page
    form |= {pairing_field: str(other_id), part: "observed"}
    assert client.post(path, data=form).status_code == 302
    with app.app_context():
        parts = dict(
            db.session.execute(
                select(TransferLog.pairing_id, TransferLog.mentee_role).where(
                    TransferLog.session_id.is_not(None)
                )
            ).all()
        )
    assert parts == {world.a.pairing_id: "assisted", other_id: "observed"}


def test_a_photo_sent_with_a_session_goes_on_each_mentee_s_log(app, client, flow):  # noqa: F811
    import io

    from scbi.transfer.models import Evidence
    from tests.transfer.test_quick_log_evidence import PNG

    world, _h = flow
    other_id, _email = _second_pairing(app, world)
    login(client, world.a.coach_user)
    path, _page, form = _form(client, world, session_pairing_ids=[str(other_id)], save="1")
    form["evidence_photo"] = (io.BytesIO(PNG), "site.png")
    response = client.post(path, data=form, content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        rows = db.session.execute(
            select(TransferLog.pairing_id, Evidence.original_name)
            .join(Evidence, Evidence.log_id == TransferLog.id)
            .where(TransferLog.session_id.is_not(None))
        ).all()
    assert sorted(rows) == sorted([(world.a.pairing_id, "site.png"), (other_id, "site.png")])
