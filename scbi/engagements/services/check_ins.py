"""The rule of a check-in (docs/engagements.md): while the engagement is active, the
secretariat, the sector's coordinators or the brokered coach record a dated note, and
optionally a word on the progress of some objectives. Validated, audited (against the
engagement) and flushed; the caller commits. A check-in is kept as written."""

from __future__ import annotations

from flask_babel import gettext as _

from scbi import audit
from scbi.auth.models import User
from scbi.dates import today
from scbi.engagements.models import (
    CHECK_IN,
    CheckInProgress,
    CheckInProgressFlag,
    Engagement,
    EngagementCheckIn,
    EngagementStatus,
)
from scbi.engagements.services import long_day, refuse_unless, require_runner
from scbi.extensions import db
from scbi.validation import Errors


def _progress(errors: Errors, engagement: Engagement, progress) -> list[tuple[int, str]]:
    """``[{objective_id, progress}]``: a word on some of the engagement's objectives."""
    if progress is None:
        return []
    if not isinstance(progress, list):
        errors.add("progress", _("Must be a list."))
        return []
    ids = {o.id for o in engagement.objectives}
    found, seen = [], set()
    for n, item in enumerate(progress):
        key = f"progress.{n}."
        if not isinstance(item, dict):
            errors.add(f"progress.{n}", _("Must be an object."))
            continue
        ident = item.get("objective_id")
        if ident not in ids or isinstance(ident, bool):
            errors.add(key + "objective_id", _("Not an objective of this engagement."))
        elif ident in seen:
            errors.add(key + "objective_id", _("This objective is given twice."))
        word = errors.choice(key + "progress", item.get("progress"), CheckInProgress)
        if ident in ids and ident not in seen and word:
            found.append((ident, word))
        seen.add(ident)
    return found


def record_check_in(
    engagement: Engagement, *, by: User, note, held_on=None, progress=None
) -> EngagementCheckIn:
    """Record a check-in (``held_on``: today when not given) while the engagement is
    active: dated inside its span so far, with a note and optionally a word on the
    progress of some objectives."""
    require_runner(by, engagement)
    refuse_unless(
        engagement,
        (EngagementStatus.ACTIVE,),
        _("Check-ins are recorded while the engagement is active (it is: %(status)s)."),
    )
    errors = Errors()
    day = errors.date("held_on", held_on or today())
    if day is not None and day > today():
        errors.add("held_on", _("The date must not be in the future."))
    elif day is not None and day < engagement.start_date:
        errors.add(
            "held_on",
            _(
                "The engagement started on %(day)s; a check-in cannot be dated before.",
                day=long_day(engagement.start_date),
            ),
        )
    text = errors.text("note", note, **CHECK_IN["note"].check())
    words = _progress(errors, engagement, progress)
    errors.raise_if_any()
    check_in = EngagementCheckIn(
        engagement_id=engagement.id,
        held_on=day,
        note=text,
        recorded_by_id=by.id,
        progress=[
            CheckInProgressFlag(objective_id=i, progress=CheckInProgress(w)) for i, w in words
        ],
    )
    db.session.add(check_in)
    db.session.flush()
    audit.record(
        "engagement.check_in",
        by=by,
        entity=engagement,
        after={
            "check_in_id": check_in.id,
            "held_on": day,
            "note": text,
            "progress": {str(i): w for i, w in words},
        },
    )
    return check_in
