"""Who took part in an exchange: adding a mentee, a coach or someone from outside the
programme, and removing one added by mistake. Those who manage the exchange do both.

Refused, naming the field: a mentee or a coach the user may not see, or who takes part
already; someone from outside without a name, an organisation or a country (ISO 3166
alpha-2), or with a gender that is not one of the programme's. A mentee whose
reflection, plan link or transfer log records the exchange cannot be removed (409,
saying which): their part is on the record.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from scbi import audit
from scbi.auth.models import User
from scbi.coaches.models import Coach
from scbi.errors import InvalidTransition
from scbi.exchanges.countries import checked_country
from scbi.exchanges.models import (
    PARTICIPANT,
    Exchange,
    ExchangeParticipant,
    ExchangePlanLink,
    ExchangeReflection,
    ParticipantKind,
)
from scbi.exchanges.permissions import require_manager
from scbi.exchanges.queries.choices import addable_coaches, addable_mentees
from scbi.extensions import db
from scbi.loaders import count_where
from scbi.mentees.models import Gender, Mentee
from scbi.transfer.models import Pairing, TransferLog, TransferPlan
from scbi.validation import MAX_ID, Errors

FIELDS = ("exchange_id", "mentee_id", "coach_id", "name", "organisation", "country", "gender")
# A member of the programme taking part: the field that names them, whom the user may add,
# and the words of the refusals.
MEMBERS = {
    ParticipantKind.MENTEE: (
        "mentee_id",
        Mentee,
        addable_mentees,
        _l("mentee"),
        _l("This mentee takes part already."),
    ),
    ParticipantKind.COACH: (
        "coach_id",
        Coach,
        addable_coaches,
        _l("coach"),
        _l("This coach takes part already."),
    ),
}


def _member(errors: Errors, kind: ParticipantKind, by: User, exchange: Exchange, ident):
    """The mentee or coach ``ident`` among those the user may see who do not take part
    yet, or None with the reason."""
    field, model, addable, what, already = MEMBERS[kind]
    if ident is None or ident == "":
        errors.add(field, _("This field is required."))
        return None
    text = str(ident)
    number = int(text) if not isinstance(ident, bool) and text.isdecimal() else None
    if number is not None and number in {getattr(p, field) for p in exchange.participants}:
        errors.add(field, str(already))
        return None
    found = None
    if number is not None and number <= MAX_ID:
        found = db.session.scalar(addable(by, exchange).where(model.id == number))
    if found is None:
        errors.add(field, _("Unknown %(what)s: %(id)s.", what=what, id=text))
    return found


def _external(errors: Errors, data: dict) -> dict:
    gender = data.get("gender") or None
    return {
        "name": errors.text("name", data.get("name"), **PARTICIPANT["name"].check()),
        "organisation": errors.text(
            "organisation", data.get("organisation"), **PARTICIPANT["organisation"].check()
        ),
        "country": checked_country(errors, "country", data.get("country")),
        "gender": Gender(gender)
        if errors.choice("gender", gender, Gender, required=False)
        else None,
    }


def add_participant(exchange: Exchange, *, by: User, kind, **data) -> ExchangeParticipant:
    """Add a participant of ``kind``: a mentee (``mentee_id``), a coach (``coach_id``) or
    someone from outside (``name``, ``organisation``, ``country``, ``gender`` optional).
    Only the fields of the kind are read."""
    require_manager(by, exchange)
    errors = Errors()
    kind = errors.choice("kind", kind, ParticipantKind)
    values: dict = {}
    if kind in MEMBERS:
        field = MEMBERS[kind][0]
        member = _member(errors, kind, by, exchange, data.get(field))
        values[field] = member.id if member else None
    elif kind == ParticipantKind.EXTERNAL:
        values = _external(errors, data)
    errors.raise_if_any()
    participant = ExchangeParticipant(exchange_id=exchange.id, **values)
    exchange.participants.append(participant)
    return audit.add_created(participant, *FIELDS, by=by, action="exchange.participant_add")


def _recorded(exchange: Exchange, mentee_id: int) -> list[str]:
    """What on the record names the mentee's part in the exchange, a sentence each."""
    reasons = []
    if count_where(
        ExchangeReflection,
        ExchangeReflection.exchange_id == exchange.id,
        ExchangeReflection.mentee_id == mentee_id,
    ):
        reasons.append(_("They have written their reflection on it."))
    their_plans = (
        select(TransferPlan.id)
        .join(Pairing, Pairing.id == TransferPlan.pairing_id)
        .where(Pairing.mentee_id == mentee_id)
    )
    if count_where(
        ExchangePlanLink,
        ExchangePlanLink.exchange_id == exchange.id,
        ExchangePlanLink.plan_id.in_(their_plans),
    ):
        reasons.append(_("It has a link to their plan."))
    their_pairings = select(Pairing.id).where(Pairing.mentee_id == mentee_id)
    if count_where(
        TransferLog,
        TransferLog.exchange_id == exchange.id,
        TransferLog.pairing_id.in_(their_pairings),
    ):
        reasons.append(_("It is named in a transfer log of theirs."))
    return reasons


def remove_participant(participant: ExchangeParticipant, *, by: User) -> None:
    """Remove a participant added by mistake (not a mentee whose part is recorded)."""
    exchange = participant.exchange
    require_manager(by, exchange)
    if participant.mentee_id is not None and (
        reasons := _recorded(exchange, participant.mentee_id)
    ):
        raise InvalidTransition(
            " ".join(
                [
                    _(
                        "%(name)s took part in this exchange, so they stay among its participants.",
                        name=participant.full_name,
                    ),
                    *reasons,
                ]
            ),
            code="participant_recorded",
        )
    audit.record(
        "exchange.participant_remove",
        by=by,
        entity=participant,
        before=audit.snapshot(participant, *FIELDS),
    )
    db.session.delete(participant)
    db.session.flush()
    db.session.expire(exchange, ["participants"])
