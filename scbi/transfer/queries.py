"""Reads about pairings, aggregated in SQL (one query whatever the page size)."""

from __future__ import annotations

from sqlalchemy import func, select

from scbi.extensions import db
from scbi.transfer.models import Pairing, PairingStatus


def active_pairing_counts(coach_ids: list[int]) -> dict[int, int]:
    """Active pairings per coach, for the given coaches."""
    if not coach_ids:
        return {}
    rows = db.session.execute(
        select(Pairing.coach_id, func.count())
        .where(Pairing.coach_id.in_(coach_ids), Pairing.status == PairingStatus.ACTIVE.value)
        .group_by(Pairing.coach_id)
    )
    return dict(rows.all())
