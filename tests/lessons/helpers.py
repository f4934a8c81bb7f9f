"""Entries of the lessons register built through the services of their sources (inside an
app context; each commits)."""

from __future__ import annotations

from scbi.exchanges import services as exchange_services
from scbi.exchanges.models import Exchange
from scbi.extensions import db
from scbi.lessons import services
from scbi.lessons.queries.tags import entry_or_404
from tests import factories as f
from tests.engagements.helpers import closed
from tests.exchanges.helpers import exchange_of


def learnt_exchange(world, key: str = "a", *, learnt: str, **fields) -> int:
    """A study visit of sector ``key`` (held last week), what it taught recorded."""
    made = exchange_of(world, key, **fields)
    exchange = db.session.get(Exchange, made.id)
    exchange_services.update_exchange(
        exchange, by=f.admin(), version=exchange.version, learnt=learnt
    )
    db.session.commit()
    return made.id


def closed_engagement(world, key: str = "a", **fields) -> int:
    """A closed engagement of sector ``key`` (closed on 18 April 2025)."""
    engagement = closed(getattr(world, key), **fields)
    db.session.commit()
    return engagement.id


def published(world, key: str = "a", **kw) -> int:
    """A published report of sector ``key`` (FY 2025 Q1 unless told)."""
    report = f.publication(getattr(world, key).sector_id, **kw)
    db.session.commit()
    return report.id


def tag(source: str, source_id: int, **values):
    """A tag put by the secretariat."""
    by = f.admin()
    made = services.add_tag(entry_or_404(by, source, source_id), by=by, **values)
    db.session.commit()
    return made
