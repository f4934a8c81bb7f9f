"""The rules of brokering and starting an engagement (docs/engagements.md). Validated,
audited and flushed; the caller commits.

- **Broker** (requested or brokered → brokered; the secretariat and the sector's
  coordinators): a coach of the programme (active, of a sector the coordinator manages,
  under contract for the whole span) or an external expert (name, organisation, country
  and e-mail), a start date (not before the request came) and 1 to 26 weeks. The span's
  last day is start + 7 × weeks − 1. Needs at least one objective.
- **Start** (brokered → active; they, or the brokered coach): on a day that has come
  (default: the planned start); the span keeps its weeks from that day.

Check-ins are in :mod:`~scbi.engagements.services.check_ins`, the close-out in
:mod:`~scbi.engagements.services.close_out`.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _

from scbi import audit
from scbi.auth.models import User
from scbi.auth.permissions import can_manage_sector
from scbi.auth.services import EMAIL_RE, normalise_email
from scbi.coaches.models import Coach, CoachStatus
from scbi.dates import today
from scbi.engagements.models import ENGAGEMENT, NOT_STARTED, Engagement, EngagementStatus
from scbi.engagements.services import long_day, refuse_unless, require_manager, require_runner
from scbi.errors import check_version
from scbi.extensions import db
from scbi.validation import Errors

BROKER_FIELDS = (
    "coach_id",
    "expert_name",
    "expert_organisation",
    "expert_country",
    "expert_email",
    "start_date",
    "weeks",
    "end_date",
)
EXPERT_FIELDS = ("expert_name", "expert_organisation", "expert_country", "expert_email")


def span_end(start: date, weeks: int) -> date:
    """The last day of a span of ``weeks`` weeks from ``start``."""
    return start + timedelta(days=7 * weeks - 1)


def _weeks(errors: Errors, value) -> int | None:
    weeks = errors.integer("weeks", value)
    low, high = ENGAGEMENT["weeks"].min, ENGAGEMENT["weeks"].max
    if weeks is not None and not low <= weeks <= high:
        errors.add(
            "weeks",
            _(
                "A short engagement lasts from %(low)d to %(high)d weeks; a longer need is a "
                "pairing.",
                low=low,
                high=high,
            ),
        )
        return None
    return weeks


def _inside_contract(errors: Errors, coach: Coach, start: date, end: date) -> None:
    if not coach.under_contract(start, end):
        errors.add(
            "start_date" if start < coach.contract_start else "weeks",
            _(
                "The engagement (%(start)s to %(end)s) must lie inside the coach's contract "
                "(%(first)s to %(last)s).",
                start=long_day(start),
                end=long_day(end),
                first=long_day(coach.contract_start),
                last=long_day(coach.contract_end),
            ),
        )


def _practitioner(errors: Errors, by: User, coach_id, expert: dict) -> dict:
    """A coach of the programme, or an external expert: one of the two."""
    given = {name: str(expert.get(name) or "").strip() for name in EXPERT_FIELDS}
    if coach_id not in (None, ""):
        if any(given.values()):
            errors.add(
                "coach_id",
                _("Broker a coach of the programme or an external expert, not both."),
            )
        coach = errors.ref("coach_id", Coach, coach_id, label=_("coach"))
        if coach is not None and coach.status != CoachStatus.ACTIVE:
            errors.add("coach_id", _("This coach is not active."))
        elif coach is not None and not can_manage_sector(by, coach.sector_id):
            errors.add("coach_id", _("Choose a coach of your sectors."))
        return {"coach": coach, **dict.fromkeys(EXPERT_FIELDS, "")}
    if not any(given.values()):
        errors.add(
            "coach_id",
            _("Choose a coach of the programme, or record an external expert below."),
        )
        return {"coach": None, **given}
    values = {name: errors.text(name, given[name], **ENGAGEMENT[name].check()) for name in given}
    values["expert_email"] = normalise_email(values["expert_email"])
    if values["expert_email"] and not EMAIL_RE.match(values["expert_email"]):
        errors.add("expert_email", _("Enter a valid e-mail address."))
    return {"coach": None, **values}


def broker(
    engagement: Engagement,
    *,
    by: User,
    version,
    start_date,
    weeks,
    coach_id=None,
    **expert,
) -> Engagement:
    """Broker a practitioner for a span of weeks (again, before the start, to change
    them): a coach (``coach_id``) or an external expert (``expert_name``,
    ``expert_organisation``, ``expert_country``, ``expert_email``)."""
    require_manager(by, engagement)
    check_version(engagement, version)
    refuse_unless(
        engagement,
        NOT_STARTED,
        _("Only a request not yet started can be brokered (it is: %(status)s)."),
    )
    errors = Errors()
    if not engagement.objectives:
        errors.add(
            "objectives",
            _("Agree at least one objective with the institution first: edit the request."),
        )
    found = _practitioner(errors, by, coach_id, expert)
    start = errors.date("start_date", start_date)
    span = _weeks(errors, weeks)
    if start is not None and start < engagement.received_on:
        errors.add(
            "start_date",
            _(
                "The request came on %(day)s; the engagement cannot start before.",
                day=long_day(engagement.received_on),
            ),
        )
    elif start is not None and span is not None and found["coach"] is not None:
        _inside_contract(errors, found["coach"], start, span_end(start, span))
    errors.raise_if_any()
    values = {
        **found,  # the coach itself (so its relationship reads right away), or None
        "start_date": start,
        "weeks": span,
        "end_date": span_end(start, span),
        "status": EngagementStatus.BROKERED,
    }
    before = audit.snapshot(engagement, "status", *BROKER_FIELDS)
    for name, value in values.items():
        setattr(engagement, name, value)
    db.session.flush()
    audit.record(
        "engagement.broker",
        by=by,
        entity=engagement,
        before=before,
        after=audit.snapshot(engagement, "status", *BROKER_FIELDS),
    )
    return engagement


def start(engagement: Engagement, *, by: User, version, start_date=None) -> Engagement:
    """The engagement starts (``start_date``: the planned start when not given), on a day
    that has come; its span keeps its weeks from that day."""
    require_runner(by, engagement)
    check_version(engagement, version)
    refuse_unless(
        engagement,
        (EngagementStatus.BROKERED,),
        _("Only a brokered engagement can start (it is: %(status)s)."),
    )
    errors = Errors()
    day = errors.date("start_date", start_date or engagement.start_date)
    if day is not None and day > today():
        errors.add(
            "start_date",
            _("An engagement starts on a day that has come: choose today or an earlier day."),
        )
    elif day is not None and day < engagement.received_on:
        errors.add(
            "start_date",
            _(
                "The request came on %(day)s; the engagement cannot start before.",
                day=long_day(engagement.received_on),
            ),
        )
    elif day is not None and engagement.coach is not None:
        _inside_contract(errors, engagement.coach, day, span_end(day, engagement.weeks))
    errors.raise_if_any()
    changes = {
        "status": EngagementStatus.ACTIVE,
        "start_date": day,
        "end_date": span_end(day, engagement.weeks),
    }
    return audit.apply_changes(engagement, changes, by=by, action="engagement.start")
