"""The audit trail's filters: an action's start and part of an actor's e-mail, literally."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from scbi.extensions import db
from scbi.main.queries import audit_events, audit_filters
from tests import factories as f


def test_the_audit_trail_filters_by_action_prefix_and_actor_literally(app):
    f.world(app)
    with app.app_context():

        def actions(**args) -> set[str]:
            return {e.action for e in db.session.scalars(audit_events(MultiDict(args)))}

        everything = actions()
        assert {"log.create", "log.submitted", "plan.approve"} <= everything
        assert actions(action="log.") == {a for a in everything if a.startswith("log.")}
        assert actions(action="log%") == set()  # no wildcard: taken literally
        assert actions(action="log_create") == set()
        assert actions(actor="  FACTORY-ADMIN@ ") == actions(actor="factory-admin@")
        assert actions(actor="nobody@") == set()
        assert audit_filters(MultiDict({"action": " log. ", "actor": " A@B "})) == ("log.", "a@b")
