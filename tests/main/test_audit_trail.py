"""The audit trail a reviewer uses: filters by dates, person, action and record; each change
as "field: before → after" with a link to the record; the filtered events as a CSV file."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from scbi import audit
from scbi.audit import AuditEvent
from scbi.errors import ValidationFailed
from scbi.extensions import db
from scbi.main.audit_links import ALIASES, RECORD_TYPES, record_label, record_url
from scbi.main.queries import (
    audit_actions,
    audit_csv,
    audit_entity_types,
    audit_events,
    audit_filters,
    changes,
)
from tests import factories as f
from tests.helpers import QueryCounter, login

KIGALI = ZoneInfo("Africa/Kigali")  # the tests' SCBI_TIMEZONE: dates are days in Kigali


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=KIGALI)


# name: (action, actor's e-mail, record, local time, before, after)
EVENTS = {
    "e1": (
        "log.update",
        "ann@example.org",
        ("transfer_log", 7),
        at(2024, 3, 1, 0, 0, 0),  # the first instant of the range
        {"hours": "1.5", "title": "Visit"},
        {"hours": "2", "title": "Visit"},
    ),
    "e2": (
        "log.create",
        "bob@example.org",
        ("transfer_log", 8),
        at(2024, 3, 31, 23, 59, 59),  # the last second of the range
        None,
        {"title": "Visit", "hours": "1"},
    ),
    "e3": (
        "plan.create",
        "ann@example.org",
        ("transfer_plan", 7),
        at(2024, 2, 29, 23, 59, 59),  # a second before the range
        None,
        {"status": "draft"},
    ),
    "e4": (
        "sector.update",
        "carol@example.org",
        ("sector", 7),
        at(2024, 4, 1, 0, 0, 0),  # the first instant after it
        {"name": "Energy", "code": "EN"},
        {"name": "Energy and water"},
    ),
    "e5": (
        "access.denied",
        "bob@example.org",
        ("transfer_log", 7),
        at(2024, 3, 15, 12, 0, 0),
        None,
        {"path": "/logs/7", "method": "GET", "hidden": True},
    ),
    "e6": (
        "auth.login_failed",
        '=HYPERLINK("http://evil.example")',  # a typed e-mail: never a formula in the CSV
        None,
        at(2024, 3, 20, 9, 30, 0),
        None,
        None,
    ),
}


@pytest.fixture
def trail(app):
    """The events of EVENTS, at their times (and nothing else in the trail)."""
    with app.app_context():
        for action, email, entity, moment, before, after in EVENTS.values():
            event = audit.record(
                action, actor_email=email, entity=entity, before=before, after=after
            )
            event.occurred_at = moment  # chained and written at the commit, with this time
        db.session.commit()
    return {action: name for name, (action, *_rest) in EVENTS.items()}


@pytest.fixture
def secretariat(client, make_user):
    user = make_user("secretariat")
    assert login(client, user).status_code == 302
    return user


def shown(response) -> set[str]:
    """The actions of the events a page lists."""
    return set(re.findall(r"<code>([^<]+)</code>", response.get_data(as_text=True)))


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({}, {"e1", "e2", "e3", "e4", "e5", "e6"}),
        # both ends inclusive, as days in the programme's time zone
        ({"from": "2024-03-01", "to": "2024-03-31"}, {"e1", "e2", "e5", "e6"}),
        ({"from": "2024-03-01", "to": "2024-03-01"}, {"e1"}),
        ({"from": "2024-03-31", "to": "2024-03-31"}, {"e2"}),
        ({"to": "2024-02-29"}, {"e3"}),
        ({"from": "2024-04-01"}, {"e4"}),
        ({"entity_type": "transfer_log"}, {"e1", "e2", "e5"}),
        ({"entity_type": "transfer_log", "entity_id": "7"}, {"e1", "e5"}),
        ({"entity_type": "transfer_plan", "entity_id": "7"}, {"e3"}),
        ({"entity_type": "transfer_plan", "entity_id": "8"}, set()),
        ({"action": "log."}, {"e1", "e2"}),
        ({"action": " log.up "}, {"e1"}),
        ({"action": "log%"}, set()),  # no wildcard: taken literally
        ({"action": "log_update"}, set()),
        ({"actor": "  ANN@ "}, {"e1", "e3"}),
        ({"actor": "bob", "from": "2024-03-20"}, {"e2"}),
        ({"actor": "nobody@"}, set()),
    ],
)
def test_each_filter_narrows_to_exactly_its_events(app, trail, args, expected):
    with app.app_context():
        found = db.session.scalars(audit_events(audit_filters(MultiDict(args)))).all()
        assert {trail[e.action] for e in found} == expected
        newest_first = sorted(found, key=lambda e: (e.occurred_at, e.id), reverse=True)
        assert found == newest_first


def test_the_page_lists_the_filtered_events_and_keeps_the_filters(client, trail, secretariat):
    args = {"from": "2024-03-01", "to": "2024-03-31", "actor": "bob", "per_page": "1"}
    response = client.get("/audit", query_string=args)
    assert response.status_code == 200
    assert shown(response) == {"log.create"}  # the newest of e2 and e5
    html = response.get_data(as_text=True)
    assert "More than" not in html and "2 in all" in html
    pages = re.findall(r'href="(/audit\?[^"]+)"', html)
    assert len(pages) == 1 and "page=2" in pages[0]
    for piece in ("from=2024-03-01", "to=2024-03-31", "actor=bob", "per_page=1"):
        assert piece in pages[0]
    second = client.get(pages[0].replace("&amp;", "&"))
    assert shown(second) == {"access.denied"}
    csv_link = re.search(r'href="(/audit\.csv\?[^"]+)"', html).group(1)
    assert "page=" not in csv_link.replace("per_page=", "")
    for piece in ("from=2024-03-01", "to=2024-03-31", "actor=bob"):
        assert piece in csv_link


def test_the_filters_offer_the_trail_s_actions_and_record_types(app, client, trail, secretariat):
    with app.app_context():
        assert audit_actions() == sorted({a for a, *_rest in EVENTS.values()} | {"auth.login"})
        assert audit_entity_types() == ["sector", "transfer_log", "transfer_plan", "user"]
    args = {"entity_type": "transfer_plan"}
    html = client.get("/audit", query_string=args).get_data(as_text=True)
    datalist = re.search(r'<datalist id="known-actions">(.*?)</datalist>', html).group(1)
    assert re.findall(r'value="([^"]+)"', datalist) == audit_actions_of(app)
    chosen = re.findall(r'<option value="([^"]*)" ?selected>', html)
    assert chosen == ["transfer_plan"]
    options = html.split('id="entity_type"')[1].split("</select>")[0]
    assert re.findall(r'<option value="([^"]*)" ?(?:selected)?>([^<]+)<', options) == [
        ("", "Any"),
        ("user", "Account"),
        ("transfer_log", "Log"),
        ("sector", "Sector"),
        ("transfer_plan", "Transfer plan"),
    ]


def audit_actions_of(app) -> list[str]:
    with app.app_context():
        return audit_actions()


@pytest.mark.parametrize(
    ("args", "field", "kept"),
    [
        ({"from": "2024-13-01"}, "from", 'value="2024-13-01"'),
        ({"to": "yesterday"}, "to", 'value="yesterday"'),
        ({"from": "1900-01-01"}, "from", 'value="1900-01-01"'),  # outside the calendar
        ({"from": "2024-03-02", "to": "2024-03-01"}, "to", 'value="2024-03-02"'),
        ({"entity_type": "sector", "entity_id": "seven"}, "entity_id", 'value="seven"'),
        ({"entity_id": "7"}, "entity_id", 'value="7"'),  # an id needs its record type
    ],
)
def test_a_bad_filter_names_its_field_and_keeps_the_input(
    app, client, trail, secretariat, args, field, kept
):
    with app.app_context(), pytest.raises(ValidationFailed) as refused:
        audit_filters(MultiDict(args))
    assert list(refused.value.fields) == [field]
    for path in ("/audit", "/audit.csv"):
        response = client.get(path, query_string=args)
        assert response.status_code == 422
        assert response.mimetype == "text/html"
        html = response.get_data(as_text=True)
        assert f'id="{field}-error"' in html
        assert f'aria-describedby="{field}-error"' in html
        assert kept in html
        assert shown(response) == set()  # no events for filters that were not understood
        assert 'href="/audit.csv' not in html  # no file of filters not understood


def test_changes_are_the_fields_that_differ():
    before, after = {"a": 1, "b": "x", "c": [1]}, {"a": 2, "b": "x", "d": True}
    assert [str(c) for c in changes(before, after)] == [
        "a: 1 → 2",
        "c: [1] → —",
        "d: — → true",
    ]
    assert changes(None, None) == []
    # an empty value is no value: a new record's empty fields are no change
    assert [str(c) for c in changes(None, {"note": None, "title": "", "hours": 0})] == [
        "hours: — → 0"
    ]
    assert [str(c) for c in changes({"note": "Kept"}, {"note": None})] == ["note: Kept → —"]
    assert [str(c) for c in changes(None, {"note": "Long " * 50})] == ["note: — → " + "Long " * 50]


def test_each_change_is_shown_as_field_before_after(client, trail, secretariat):
    html = client.get("/audit", query_string={"from": "2024-02-01"}).get_data(as_text=True)
    assert '<li class="text-break">hours: 1.5 → 2</li>' in html
    assert "title: Visit → Visit" not in html  # unchanged fields are left out
    assert '<li class="text-break">code: EN → —</li>' in html
    assert '<li class="text-break">name: Energy → Energy and water</li>' in html
    assert '<li class="text-break">status: — → draft</li>' in html
    assert "stack-on-phone" in html


def test_the_record_links_to_its_page(app, client):
    world = f.world(app)
    login(client, world.secretariat)
    args = {"entity_type": "pairing", "entity_id": str(world.a.pairing_id)}
    html = client.get("/audit", query_string=args).get_data(as_text=True)
    links = set(re.findall(r'<a href="([^"]+)">Pairing #', html))
    assert links == {f"/pairings/{world.a.pairing_id}"}
    assert client.get(links.pop()).status_code == 200
    html = client.get("/audit", query_string={"entity_type": "competency_framework"}).text
    assert f'<a href="/frameworks/{world.framework_id}">Framework #' in html


def test_every_named_record_type_is_a_table_and_its_page_takes_its_id(app):
    rules = {rule.endpoint: rule.arguments for rule in app.url_map.iter_rules()}
    for entity_type, known in RECORD_TYPES.items():
        assert entity_type in db.metadata.tables, entity_type
        if known.endpoint:
            assert rules.get(known.endpoint) == {known.argument}, known.endpoint
    assert set(ALIASES.values()) <= set(RECORD_TYPES)


def test_a_refusal_s_record_links_like_the_record(app):
    """A refusal names the record by the URL's argument ("message" for /mail/<message_id>)."""
    with app.test_request_context():
        for alias, entity_type in ALIASES.items():
            named = SimpleNamespace(entity_type=alias, entity_id=5)
            table = SimpleNamespace(entity_type=entity_type, entity_id=5)
            assert record_url(named) == record_url(table) is not None
            assert record_label(alias) == record_label(entity_type) != alias
        assert record_url(SimpleNamespace(entity_type="log_event", entity_id=5)) is None
        assert record_label("log_event") == "log_event"  # an unknown type, as stored


def test_a_record_without_a_page_is_named_not_linked(app, client, secretariat):
    with app.app_context():
        audit.record("token.issue", entity=("api_token", 3))
        db.session.commit()
    html = client.get("/audit", query_string={"entity_type": "api_token"}).get_data(as_text=True)
    assert "API token #3" in html
    assert "API token #3</a>" not in html


def test_the_csv_holds_the_filtered_events_only(client, trail, secretariat):
    response = client.get("/audit.csv", query_string={"from": "2024-03-01", "to": "2024-03-31"})
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "scbi-audit-trail.csv" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    header, *rows = list(csv.reader(io.StringIO(text[1:])))
    assert header == ["When", "Who", "Action", "Record type", "Record id", "From", "IP", "Changes"]
    assert [row[2] for row in rows] == [
        "log.create",
        "auth.login_failed",
        "access.denied",
        "log.update",
    ]
    by_action = {row[2]: row for row in rows}
    assert by_action["log.update"] == [
        "2024-02-29T22:00:00Z",  # midnight in Kigali, in UTC
        "ann@example.org",
        "log.update",
        "transfer_log",
        "7",
        "cli",
        "",
        "hours: 1.5 → 2",
    ]
    assert by_action["log.create"][7] == "hours: — → 1; title: — → Visit"
    assert by_action["access.denied"][7] == "hidden: — → true; method: — → GET; path: — → /logs/7"
    assert by_action["auth.login_failed"][1] == "'" + EVENTS["e6"][1]  # never a formula
    assert by_action["auth.login_failed"][3:5] == ["", ""]


def test_the_csv_is_read_only_as_it_is_sent(app, trail):
    """Like the other exports: a Download whose rows are read as the response sends them."""
    with app.test_request_context():
        filters = audit_filters(MultiDict({"action": "log."}))
        with QueryCounter(app) as counter:
            file = audit_csv(filters)
        assert counter.count == 0
        assert isinstance(file.content, Iterator)
        assert file.mimetype == "text/csv"
        lines = "".join(file.content).splitlines()
        assert len(lines) == 3  # the header and e2, e1


def test_the_csv_headers_follow_the_reader_s_language(client, trail, make_user):
    user = make_user("secretariat", language="fr")
    login(client, user)
    text = client.get("/audit.csv").get_data(as_text=True)
    header = next(csv.reader(io.StringIO(text[1:])))
    assert header[0] != "When" and len(header) == 8


@pytest.mark.parametrize(
    ("role", "status"), [("anonymous", 302), ("mentee", 403), ("coach", 403), ("coordinator", 403)]
)
def test_only_the_secretariat_downloads_the_trail(client, login_as, role, status):
    login_as(role)
    response = client.get("/audit.csv")
    assert response.status_code == status
    if role == "anonymous":
        assert response.headers["Location"].startswith("/login?next=")


def test_the_action_filter_is_literal_on_a_real_programme(app):
    f.world(app)
    with app.app_context():

        def actions(**args) -> set[str]:
            filters = audit_filters(MultiDict(args))
            return {e.action for e in db.session.scalars(audit_events(filters))}

        everything = actions()
        assert {"log.create", "log.submitted", "plan.approve"} <= everything
        assert actions(action="log.") == {a for a in everything if a.startswith("log.")}
        assert actions(actor="  FACTORY-ADMIN@ ") == actions(actor="factory-admin@")
        filters = audit_filters(MultiDict({"action": " log. ", "actor": " A@B "}))
        assert (filters.action, filters.actor) == ("log.", "a@b")


def test_a_refusal_names_its_record_by_its_table(app, client, login_as):
    """A refused /mail/<id>, /sessions/<id> or /reports/published/<id> is audited against
    the record's table, so the trail names and links it like the record itself."""
    login_as("mentee")
    for path, table in (
        ("/mail/5", "mail_message"),
        ("/reports/published/5", "published_report"),
    ):
        assert client.get(path).status_code == 403
        with app.app_context():
            event = db.session.scalars(
                select(AuditEvent)
                .where(AuditEvent.action == "access.denied")
                .order_by(AuditEvent.id.desc())
            ).first()
            assert (event.entity_type, event.entity_id) == (table, 5)
        with app.test_request_context():
            assert record_url(event) is not None and record_label(table) != table
