"""The close-out (docs/engagements.md): an active engagement closes with an outcome for
each objective (achieved, partly, not — refused otherwise, naming the objectives without
one), what the team can now do on its own, and whether a longer pairing should follow (yes
or no; with yes, a note saying what for). The secretariat, the sector's coordinators or
the brokered coach close it. Validated, audited and flushed; the caller commits."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from scbi import audit
from scbi.auth.models import User
from scbi.dates import today
from scbi.engagements.models import (
    ENGAGEMENT,
    OBJECTIVE,
    Engagement,
    EngagementStatus,
    ObjectiveOutcome,
)
from scbi.engagements.queries import last_check_in_day
from scbi.engagements.services import long_day, refuse_unless, require_runner
from scbi.errors import check_version
from scbi.extensions import db
from scbi.validation import Errors


def _outcomes(errors: Errors, engagement: Engagement, outcomes) -> dict[int, tuple[str, str]]:
    """``[{objective_id, outcome, note?}]``, one for each objective of the engagement:
    ``{objective id: (outcome, note)}``; the objectives left without one are named."""
    if not isinstance(outcomes, list):
        errors.add("outcomes", _("Must be a list."))
        outcomes = []
    objectives = {o.id: o for o in engagement.objectives}
    found: dict[int, tuple[str, str]] = {}
    for n, item in enumerate(outcomes):
        key = f"outcomes.{n}."
        if not isinstance(item, dict):
            errors.add(f"outcomes.{n}", _("Must be an object."))
            continue
        ident = item.get("objective_id")
        if ident not in objectives or isinstance(ident, bool):
            errors.add(key + "objective_id", _("Not an objective of this engagement."))
            continue
        if ident in found:
            errors.add(key + "objective_id", _("This objective is given twice."))
            continue
        outcome = errors.choice(key + "outcome", item.get("outcome"), ObjectiveOutcome)
        note = errors.text(key + "note", item.get("note"), **OBJECTIVE["outcome_note"].check())
        if outcome:
            found[ident] = (outcome, note)
    missing = [o for o in engagement.objectives if o.id not in found]
    if missing:
        errors.add(
            "outcomes",
            _(
                "Give the outcome of each objective: none yet for %(objectives)s.",
                objectives="; ".join(f"{o.number}. {o.text}" for o in missing),
            ),
        )
    return found


def _yes_no(errors: Errors, field: str, value) -> bool | None:
    if not isinstance(value, bool):
        errors.add(field, _("Answer yes or no."))
        return None
    return value


def close(
    engagement: Engagement,
    *,
    by: User,
    version,
    outcomes,
    team_can_now,
    longer_pairing,
    longer_pairing_note="",
    closed_on=None,
) -> Engagement:
    """Close the engagement with its close-out (``closed_on``: today when not given, not
    before its start nor its last check-in). Refused without an outcome for each
    objective, naming the objectives missing."""
    require_runner(by, engagement)
    check_version(engagement, version)
    refuse_unless(
        engagement,
        (EngagementStatus.ACTIVE,),
        _("Only an active engagement can be closed (it is: %(status)s)."),
    )
    errors = Errors()
    day = errors.date("closed_on", closed_on or today())
    earliest = max(engagement.start_date, last_check_in_day(engagement.id) or date.min)
    if day is not None and day > today():
        errors.add("closed_on", _("The date must not be in the future."))
    elif day is not None and day < earliest:
        errors.add(
            "closed_on",
            _(
                "The engagement cannot close before %(day)s (its start, or its last check-in).",
                day=long_day(earliest),
            ),
        )
    found = _outcomes(errors, engagement, outcomes)
    can_now = errors.text("team_can_now", team_can_now, **ENGAGEMENT["team_can_now"].check())
    longer = _yes_no(errors, "longer_pairing", longer_pairing)
    note = errors.text(
        "longer_pairing_note", longer_pairing_note, **ENGAGEMENT["longer_pairing_note"].check()
    )
    if longer and not note:
        errors.add(
            "longer_pairing_note",
            _("Say what a longer pairing would build on, and for whom."),
        )
    errors.raise_if_any()
    for objective in engagement.objectives:
        outcome, objective.outcome_note = found[objective.id]
        objective.outcome = ObjectiveOutcome(outcome)
    changes = {
        "status": EngagementStatus.CLOSED,
        "ended_on": day,
        "team_can_now": can_now,
        "longer_pairing": longer,
        "longer_pairing_note": note,
    }
    before = audit.snapshot(engagement, *changes)
    for name, value in changes.items():
        setattr(engagement, name, value)
    db.session.flush()
    audit.record(
        "engagement.close",
        by=by,
        entity=engagement,
        before=before,
        after={
            **changes,
            "outcomes": {str(o.number): o.outcome for o in engagement.objectives},
        },
    )
    return engagement
