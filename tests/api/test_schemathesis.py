"""Issue 11, finding 10: the API answers what its OpenAPI document says, for every role.

A bounded schemathesis run in process (its pytest integration over the WSGI app): every
operation, a few generated requests each (valid and invalid, from a fixed seed), each sent
as a secretariat officer, a coordinator, a coach and a mentee of a small world of data
(tests/factories.py ``world``), with every check schemathesis has: no 5xx, answers and
headers that match the document, no undocumented status or content type, invalid input
refused, valid input accepted, no authentication ignored.

Two choices, said here once: a request that matches the schema but not the data (an
unknown sector, an end before its start) is refused with 422, API.md's "validation failed",
so 422 counts as accepting well-formed input; and three generated record ids in four are
replaced by ids of the world, so the run reaches real records and not only 404s.
"""

from __future__ import annotations

import itertools

import pytest
import schemathesis

from scbi import create_app
from scbi.api.openapi import build_document
from scbi.extensions import db
from tests.engagements.helpers import closed, matrix_engagements
from tests.exchanges.helpers import exchange_of
from tests.factories import world
from tests.helpers import api_token, bearer

SEED = 20261203
CONFIG = {
    "seed": SEED,
    "suppress-health-check": ["all"],  # the world is one per operation, shared by its cases
    "generation": {
        "mode": "all",
        "max-examples": 4,
        "deterministic": True,
        "database": "none",
        "with-security-parameters": False,  # the bearer token is the test's, per role
    },
    "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    "checks": {
        "positive_data_acceptance": {
            "expected-statuses": ["2xx", "401", "403", "404", "409", "422", "429"]
        },
    },
}


class CurrentApp:
    """The WSGI app schemathesis calls: the suite's app, known only once it is built."""

    target = None

    def __call__(self, environ, start_response):
        return self.target(environ, start_response)


# The document comes from the URL map alone (no database), so it is read at collection and
# each operation is a test of its own (spread over the xdist workers).
schema = schemathesis.openapi.from_dict(
    build_document(create_app({"CONFIG": "testing", "DATABASE_URL": "sqlite://"})),
    config=schemathesis.Config.from_dict(CONFIG),
)
schema.app = CURRENT_APP = CurrentApp()


@pytest.fixture
def small_world(app, client):
    """The world, its record ids by path parameter, and a token per role."""
    CURRENT_APP.target = app
    w = world(app)
    ids = {
        "pairing_id": [w.a.pairing_id, w.b.pairing_id],
        "mentee_id": [w.a.mentee_id, w.b.mentee_id],
        "coach_id": [w.a.coach_id, w.b.coach_id],
        "sector_id": [w.a.sector_id, w.b.sector_id],
        "log_id": [w.log_id],
        "plan_id": [w.plan_id],
        "evidence_id": [w.evidence_id],
        "assessment_id": [w.assessment_id],
        "framework_id": [w.framework_id],
        "competency_id": [w.competency_id],
        "result_id": [w.result_id],
        "user_id": [w.a.coach_user.id, w.b.mentee_user.id, w.a.coordinator.id],
    }
    with app.app_context():  # the peer exchanges and engagements of sector A, and one of B
        a, b = exchange_of(w, "a"), exchange_of(w, "b")
        ids |= {
            "exchange_id": [a.id, b.id],
            "exchange_participant_id": [a.guest_id, b.guest_id],
            "exchange_action_id": [a.action_id, b.action_id],
            "exchange_plan_link_id": [a.link_id],
            "engagement_id": [*matrix_engagements(w), closed(w.b).id],
        }
        db.session.commit()
    people = {
        "secretariat": w.secretariat,
        "coordinator": w.a.coordinator,
        "coach": w.a.coach_user,
        "mentee": w.a.mentee_user,
    }
    tokens = {role: api_token(client, person) for role, person in people.items()}
    return ids, people, tokens, itertools.count()


def _real_records(case, ids, drawn: int) -> None:
    """Three valid record ids in four become the world's, in turn (``drawn`` counts the
    operation's cases, so the run stays the same from one time to the next)."""
    if case.meta is None or not case.meta.generation.mode.is_positive or drawn % 4 == 3:
        return
    for name in list(case.path_parameters or {}):
        if choices := ids.get(name):
            case.path_parameters[name] = choices[drawn % len(choices)]


@schema.parametrize()
def test_finding10_the_api_matches_its_document(case, client, small_world):
    ids, people, tokens, cases = small_world
    _real_records(case, ids, next(cases))
    for role, token in tokens.items():
        if case.operation.method.upper() == "DELETE" and case.operation.path == "/tokens/current":
            token = api_token(client, people[role])  # the role's own token stays valid
        try:
            # in process, nothing undoes a Content-Encoding (tests/test_assets.py has it)
            case.call_and_validate(headers={**bearer(token), "Accept-Encoding": "identity"})
        except BaseException as failure:
            failure.add_note(f"as the {role}")
            raise
