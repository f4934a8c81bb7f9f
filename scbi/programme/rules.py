"""Dated critical-mass rules: a sector's core set, expert level and target change from a
date on, and the history is kept (DESIGN.md "Critical mass").

The figures of a date use what was in force on it, so a change never alters a figure for
an earlier date. A change takes effect on the date the secretariat gives (today by
default): never in the future (nothing is known of it yet) and never before the latest
change already recorded (history is written forwards, so a figure that was reported for
a date stays what it was). The current flag or setting on the record itself is the
latest one.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from scbi.auth.models import User
from scbi.database import utcnow
from scbi.dates import today
from scbi.extensions import db
from scbi.programme.models import EARLIEST_DATE, CoreChange, Sector, SectorRule
from scbi.validation import Errors

FIELD = "effective_on"
RULE_FIELDS = ("expert_level", "expert_target", "target_date")


def effective_date(errors: Errors, value, *, since: date | None) -> date | None:
    """The date a change takes effect: ``value`` or today; refused in the future, before
    1990-01-01 or before ``since`` (the latest change already in force)."""
    day = errors.date(FIELD, value, required=False) if value not in (None, "") else today()
    if day is None:
        return None
    if day > today():
        errors.add(
            FIELD,
            _("The day a change takes effect cannot be in the future; give today or earlier."),
        )
    elif day < EARLIEST_DATE:
        errors.add(FIELD, _("Give a date from %(day)s on.", day=EARLIEST_DATE.isoformat()))
    elif since is not None and day < since:
        errors.add(
            FIELD,
            _(
                "The latest change took effect on %(day)s; a new one cannot take effect "
                "earlier, or figures already reported would change.",
                day=since.isoformat(),
            ),
        )
    return day


# --- core sets -----------------------------------------------------------------------------


def latest_core_change(competency_ids) -> date | None:
    ids = list(competency_ids)
    if not ids:
        return None
    return db.session.scalar(
        select(func.max(CoreChange.effective_on)).where(CoreChange.competency_id.in_(ids))
    )


def record_core(competencies, *, by: User | None, effective_on: date) -> None:
    """Write each competency's flag and its framework's sector as in force from
    ``effective_on`` (after the service has set them)."""
    now = utcnow()
    db.session.add_all(
        CoreChange(
            competency_id=c.id,
            sector_id=c.framework.sector_id,
            core=bool(c.core),
            effective_on=effective_on,
            recorded_by_id=by.id if by else None,
            recorded_at=now,
        )
        for c in competencies
    )
    db.session.flush()


def core_effective_date(errors: Errors, competencies, value) -> date | None:
    """``effective_date`` for a change of these competencies' flags."""
    return effective_date(
        errors, value, since=latest_core_change(c.id for c in competencies if c.id is not None)
    )


# --- sector settings -----------------------------------------------------------------------


def latest_sector_rule(sector_id: int) -> date | None:
    return db.session.scalar(
        select(func.max(SectorRule.effective_on)).where(SectorRule.sector_id == sector_id)
    )


def record_sector_rule(sector: Sector, *, by: User | None, effective_on: date) -> SectorRule:
    """The sector's current expert level, target and target date, from ``effective_on``."""
    rule = SectorRule(
        sector_id=sector.id,
        effective_on=effective_on,
        expert_level=sector.expert_level,
        expert_target=sector.expert_target,
        target_date=sector.target_date,
        recorded_by_id=by.id if by else None,
        recorded_at=utcnow(),
    )
    db.session.add(rule)
    db.session.flush()
    return rule


def rule_changed(before: dict, after: dict) -> bool:
    return any(before[k] != after[k] for k in RULE_FIELDS)
