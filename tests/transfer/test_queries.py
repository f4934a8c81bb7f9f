"""The read side of transfer: what each list shows for its arguments."""

from __future__ import annotations

from datetime import date

from werkzeug.datastructures import MultiDict

from scbi.auth.models import User
from scbi.extensions import db
from scbi.transfer import queries, services
from scbi.transfer.models import Pairing
from tests import factories as f


def _ids(query) -> set[int]:
    return {row.id for row in db.session.scalars(query)}


def test_the_pairing_list_shows_open_pairings_unless_asked_otherwise(app):
    world = f.world(app)
    with app.app_context():
        secretariat = db.session.get(User, world.secretariat.id)
        ended = db.session.get(Pairing, world.b.pairing_id)
        services.end_pairing(
            ended,
            by=secretariat,
            version=ended.version,
            status="terminated",
            end_date=date(2025, 3, 1),
            reason="Moved away",
        )
        both = {world.a.pairing_id, world.b.pairing_id}

        def shown(**args):
            return _ids(queries.pairing_list(secretariat, MultiDict(args)))

        assert shown() == {world.a.pairing_id}  # open: active or paused
        assert shown(status="terminated") == {world.b.pairing_id}
        assert shown(status="all") == both
        assert shown(status="anything else") == both
        assert shown(status="all", sector_id=str(world.b.sector_id)) == {world.b.pairing_id}
        assert queries.pairing_list_status(MultiDict()) == "open"
        db.session.rollback()


def test_the_plan_list_never_shows_drafts(app):
    world = f.world(app)
    with app.app_context():
        secretariat = db.session.get(User, world.secretariat.id)

        def shown(**args):
            return _ids(queries.plan_list(secretariat, MultiDict(args)))

        assert shown() == set()  # submitted, by default
        assert shown(status="approved") == {world.plan_id}
        assert shown(status="draft") == set()  # the coach's own: shown as submitted
        assert shown(status="draft") == shown()


def test_a_new_pairing_ignores_a_mentee_the_user_may_not_see(app):
    world = f.world(app)
    with app.app_context():
        own = db.session.get(User, world.a.coordinator.id)
        other = db.session.get(User, world.b.coordinator.id)
        assert queries.mentee_defaults(own, world.a.mentee_id)["sector_id"] == world.a.sector_id
        assert queries.mentee_defaults(other, world.a.mentee_id) == {}
