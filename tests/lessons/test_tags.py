"""Tags on the register's entries (docs/lessons.md "Tags"), through the API: a problem
(kept in lower case, single spaces) or a competency; refusals that name the field; the
tag taken off; every change audited; who may tag which entry."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from scbi.audit import AuditEvent
from scbi.extensions import db
from scbi.lessons.models import LessonSource, LessonTag
from tests import factories as f
from tests.helpers import api_token, bearer, count_rows
from tests.lessons.helpers import closed_engagement, learnt_exchange, published, tag

REPORT = LessonSource.REPORT


@pytest.fixture
def world(app):
    return f.world(app)


@pytest.fixture
def report(app, world) -> int:
    with app.app_context():
        return published(world)


def test_a_problem_tag_is_kept_in_lower_case_and_audited(app, client, world, report):
    headers = bearer(api_token(client, world.secretariat))
    added = client.post(
        f"/api/v1/lessons/report/{report}/tags",
        json={"problem": "  Silent   COACHES "},
        headers=headers,
    )
    assert added.status_code == 201, added.json
    assert added.json == {
        "id": added.json["id"],
        "kind": "problem",
        "problem": "silent coaches",
        "competency_id": None,
        "label": "silent coaches",
    }
    entry = client.get("/api/v1/lessons?tag=silent%20coaches", headers=headers).json["items"]
    assert [(e["source"], e["source_id"]) for e in entry] == [("report", report)]
    assert entry[0]["tags"] == [added.json]
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "lesson.tag_add"))
        assert event.entity_type == "lesson_tag" and event.entity_id == added.json["id"]
        assert event.after == {
            "source": "report",
            "source_id": report,
            "problem": "silent coaches",
            "competency_id": None,
        }


def test_a_tag_the_entry_holds_already_is_refused_naming_the_field(app, client, world, report):
    with app.app_context():
        tag(REPORT, report, problem="silent coaches")
        tag(REPORT, report, competency_id=world.competency_id)
    headers = bearer(api_token(client, world.secretariat))
    path = f"/api/v1/lessons/report/{report}/tags"
    again = client.post(path, json={"problem": "Silent Coaches"}, headers=headers)
    assert again.status_code == 422
    assert again.json["error"]["fields"] == {
        "problem": ["The entry is tagged “silent coaches” already."]
    }
    again = client.post(path, json={"competency_id": world.competency_id}, headers=headers)
    assert again.status_code == 422
    assert again.json["error"]["fields"] == {
        "competency_id": ["The entry is tagged “Grid planning” already."]
    }
    assert count_rows(app, LessonTag) == 2


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({}, "problem", "Name the problem in a few words, or choose a competency."),
        ({"problem": "   "}, "problem", "Name the problem in a few words, or choose a competency."),
        (
            {"problem": "late", "competency_id": "own"},
            "problem",
            "A tag is a problem or a competency, not both: add them apart.",
        ),
        ({"problem": "x" * 61}, "problem", None),
        ({"problem": "bad\x07bell"}, "problem", None),
        (
            {"competency_id": "other sector"},
            "competency_id",
            "Choose a competency of the frameworks of the entry's sectors, or a cross-cutting one.",
        ),
    ],
)
def test_a_bad_tag_is_refused_naming_the_field(app, client, world, report, body, field, message):
    with app.app_context():
        other = f.competencies(world.b.sector_id, 1)[0].id
        db.session.commit()
    own = {"own": world.competency_id, "other sector": other}
    if "competency_id" in body:
        body = body | {"competency_id": own[body["competency_id"]]}
    headers = bearer(api_token(client, world.secretariat))
    refused = client.post(f"/api/v1/lessons/report/{report}/tags", json=body, headers=headers)
    assert refused.status_code == 422
    assert set(refused.json["error"]["fields"]) == {field}
    if message:
        assert refused.json["error"]["fields"][field] == [message]
    assert count_rows(app, LessonTag) == 0


def test_a_cross_cutting_competency_tags_an_entry_of_any_sector(app, client, world, report):
    with app.app_context():
        leadership = f.competencies(None, 1)[0].id
        db.session.commit()
    headers = bearer(api_token(client, world.a.coordinator))
    added = client.post(
        f"/api/v1/lessons/report/{report}/tags",
        json={"competency_id": leadership},
        headers=headers,
    )
    assert added.status_code == 201 and added.json["kind"] == "competency"
    listed = client.get(f"/api/v1/lessons?competency_id={leadership}", headers=headers).json
    assert [e["source_id"] for e in listed["items"]] == [report]


def test_a_tag_taken_off_is_gone_and_audited(app, client, world, report):
    with app.app_context():
        made = tag(REPORT, report, problem="late logs")
        ident = made.id
    headers = bearer(api_token(client, world.a.coordinator))
    assert client.delete(f"/api/v1/lesson-tags/{ident}", headers=headers).status_code == 204
    assert count_rows(app, LessonTag) == 0
    assert client.delete(f"/api/v1/lesson-tags/{ident}", headers=headers).status_code == 404
    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "lesson.tag_remove")
        )
        assert event.entity_id == ident and event.actor_id == world.a.coordinator.id
        assert event.before["problem"] == "late logs"


def test_each_tags_their_own_sectors_entries_only(app, client, world):
    """Coordinator A tags sector A's exchange; sector B's is out of their reach (404,
    nothing tagged, nothing taken off); the secretariat tags both."""
    with app.app_context():
        mine = learnt_exchange(world, learnt="x")
        theirs = closed_engagement(world, "b")
        held = tag(LessonSource.ENGAGEMENT, theirs, problem="waiting times").id
    coordinator = bearer(api_token(client, world.a.coordinator))
    body = {"problem": "maintenance"}
    assert (
        client.post(f"/api/v1/lessons/exchange/{mine}/tags", json=body, headers=coordinator)
    ).status_code == 201
    for path in (
        f"/api/v1/lessons/engagement/{theirs}/tags",
        f"/api/v1/lessons/nonsense/{mine}/tags",
    ):
        assert client.post(path, json=body, headers=coordinator).status_code == 404
    assert client.delete(f"/api/v1/lesson-tags/{held}", headers=coordinator).status_code == 404
    secretariat = bearer(api_token(client, world.secretariat))
    assert (
        client.post(f"/api/v1/lessons/engagement/{theirs}/tags", json=body, headers=secretariat)
    ).status_code == 201
    with app.app_context():
        assert sorted(
            db.session.scalars(
                select(LessonTag.source_id).where(LessonTag.problem == "maintenance")
            )
        ) == sorted([mine, theirs])
        assert db.session.get(LessonTag, held) is not None


def test_a_record_that_is_no_entry_cannot_be_tagged(app, client, world):
    """An exchange whose learning is not recorded yet, an engagement not closed: 404."""
    from tests.engagements.helpers import active
    from tests.exchanges.helpers import exchange_of

    with app.app_context():
        exchange = exchange_of(world).id
        engagement = active(world.a).id
        db.session.commit()
    headers = bearer(api_token(client, world.secretariat))
    for path in (
        f"/api/v1/lessons/exchange/{exchange}/tags",
        f"/api/v1/lessons/engagement/{engagement}/tags",
    ):
        assert client.post(path, json={"problem": "x"}, headers=headers).status_code == 404
