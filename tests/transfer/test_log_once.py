"""A log sent again with its client's key (a retry, a double tap, an offline entry sent
twice) is the same log: one row, the first sending's answer."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from scbi.auth.models import User
from scbi.extensions import db
from scbi.transfer.models import Pairing, TransferLog
from scbi.transfer.services import sending
from tests.api.test_transfer_api import flow, log_body  # noqa: F401  (fixture)
from tests.helpers import csrf_token, login

KEY = "phone-7f3c9a1e-0001"


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(TransferLog))


def _post(client, world, h, key, **kw):
    body = log_body(world, off_plan_reason="The ministry asked for it first") | kw
    return client.post(
        f"/api/v1/pairings/{world.a.pairing_id}/logs",
        headers=h["coach"] | ({"Idempotency-Key": key} if key else {}),
        json=body,
    )


def test_the_same_key_twice_makes_one_log(app, client, flow):  # noqa: F811
    world, h = flow
    before = _count(app)
    first = _post(client, world, h, KEY)
    again = _post(client, world, h, KEY)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json["id"] == first.json["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _count(app) == before + 1
    other = _post(client, world, h, KEY[:-1] + "2")  # another entry, another log
    assert other.status_code == 201 and _count(app) == before + 2


def test_without_a_key_each_sending_is_a_log(app, client, flow):  # noqa: F811
    world, h = flow
    before = _count(app)
    assert _post(client, world, h, None).status_code == 201
    assert _post(client, world, h, None).status_code == 201
    assert _count(app) == before + 2


def test_a_bad_key_is_refused_by_its_name(app, client, flow):  # noqa: F811
    world, h = flow
    before = _count(app)
    for key in ("short", "x" * 65, "has space in it"):
        response = _post(client, world, h, key)
        assert response.status_code == 422
        assert "client_key" in response.json["error"]["fields"]
    assert _count(app) == before


def test_a_key_another_pairing_used_is_a_conflict(app, client, flow):  # noqa: F811
    world, h = flow
    assert _post(client, world, h, KEY).status_code == 201
    with app.app_context():
        from tests import factories as f

        coach = db.session.get(User, world.a.coach_user.id).id
        profile = db.session.scalar(select(Pairing).where(Pairing.id == world.a.pairing_id)).coach
        mentee = f.mentee(world.a.sector_id, world.a.institution_id)
        second = f.pairing(profile, mentee, f.phase())
        db.session.commit()
        assert profile.user_id == coach
        second_id = second.id
    response = client.post(
        f"/api/v1/pairings/{second_id}/logs",
        headers=h["coach"] | {"Idempotency-Key": KEY},
        json=log_body(world, off_plan_reason="why"),
    )
    assert response.status_code == 409
    assert response.json["error"]["code"] == "client_key_reused"


def test_a_parallel_sending_that_won_the_race_is_given_back(app, client, flow, monkeypatch):  # noqa: F811
    """Both read "no log with this key"; the second one's insert meets the unique index and
    returns the first one's log, in a transaction still usable."""
    world, h = flow
    first = _post(client, world, h, KEY).json["id"]
    real = sending._logged_with
    calls = []

    def not_yet(author, key):
        calls.append(key)
        return None if len(calls) == 1 else real(author, key)

    monkeypatch.setattr(sending, "_logged_with", not_yet)
    before = _count(app)
    with app.app_context():
        pairing = db.session.get(Pairing, world.a.pairing_id)
        coach = db.session.get(User, world.a.coach_user.id)
        body = log_body(world, off_plan_reason="The ministry asked for it first")
        log, made = sending.create_log_once(pairing, by=coach, key=KEY, **body)
        assert (log.id, made) == (first, False)
        db.session.commit()  # the transaction survived the refused insert
    assert _count(app) == before


def test_the_quick_log_sent_twice_makes_one_log(app, client, flow):  # noqa: F811
    world, _h = flow
    login(client, world.a.coach_user)
    page = client.get(f"/pairings/{world.a.pairing_id}/logs/new").text
    key = re.search(r'name="client_key" type="hidden" value="([^"]+)"', page)
    key = key or re.search(r'id="client_key" name="client_key" type="hidden" value="([^"]+)"', page)
    assert key, "the form carries a key"
    form = {
        "csrf_token": csrf_token(client, f"/pairings/{world.a.pairing_id}/logs/new"),
        "client_key": key.group(1),
        "activity_date": "2025-06-02",
        "activity_type": "joint_delivery",
        "hours": "3",
        "title": "Site visit",
        "mentee_role": "co_led",
        "off_plan_ids": [str(world.competency_id)],
        "off_plan_reason": "The ministry asked for it first",
        "save": "1",
    }
    before = _count(app)
    first = client.post(f"/pairings/{world.a.pairing_id}/logs/new", data=form)
    again = client.post(f"/pairings/{world.a.pairing_id}/logs/new", data=form)
    assert first.status_code == again.status_code == 302, first.text[:500]
    assert first.headers["Location"] == again.headers["Location"]
    assert _count(app) == before + 1
