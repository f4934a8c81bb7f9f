"""What the people of the pairings make of an exchange: a participating mentee's own
reflection (one each, theirs to write once the exchange has begun and to change under
the version read; each version stays in the audit trail), and a coach's links from the
exchange to the plans of the mentees they coach who took part."""

from __future__ import annotations

from flask_babel import format_date
from flask_babel import gettext as _

from scbi import audit
from scbi.auth.models import Role, User
from scbi.dates import today
from scbi.errors import InvalidTransition, NotAllowed, check_version
from scbi.exchanges.models import (
    PLAN_LINK,
    REFLECTION,
    Exchange,
    ExchangePlanLink,
    ExchangeReflection,
)
from scbi.exchanges.permissions import can_manage_exchange, can_unlink, own_participation
from scbi.exchanges.queries.choices import linkable_plans
from scbi.exchanges.queries.detail import own_reflection
from scbi.extensions import db
from scbi.validation import Errors


def save_reflection(exchange: Exchange, *, by: User, version=None, **data) -> ExchangeReflection:
    """Write (or change, under its ``version``) the user's reflection on the exchange.

    Refused: anyone but a mentee who took part (403); before the exchange begins (409
    ``not_started``); an empty text (422 naming ``text``)."""
    participant = own_participation(by, exchange)
    if participant is None:
        raise NotAllowed(_("Only a mentee who took part writes a reflection on the exchange."))
    if today() < exchange.starts_on:
        raise InvalidTransition(
            _(
                "The exchange begins on %(day)s: write your reflection once it has begun.",
                day=format_date(exchange.starts_on, "long"),
            ),
            code="not_started",
        )
    existing = own_reflection(by, exchange)
    if existing is not None:
        check_version(existing, version)
    errors = Errors()
    text = errors.text("text", data.get("text"), **REFLECTION["text"].check())
    errors.raise_if_any()
    if existing is not None:
        return audit.apply_changes(
            existing, {"text": text}, by=by, action="exchange.reflection_update"
        )
    reflection = ExchangeReflection(
        exchange_id=exchange.id, mentee_id=participant.mentee_id, text=text
    )
    return audit.add_created(
        reflection, "exchange_id", "mentee_id", "text", by=by, action="exchange.reflection_create"
    )


def link_plan(exchange: Exchange, *, by: User, plan_id=None, note="") -> ExchangePlanLink:
    """Link the exchange to a plan: the coach of the pairing, whose mentee took part, to
    the plan in force or being written (not linked yet). Refused: another plan (422 naming
    ``plan_id``); anyone but a coach (403)."""
    if not by.is_authenticated or not by.has_role(Role.COACH):
        raise NotAllowed(_("Only the coach of a mentee who took part links it to their plan."))
    plans = linkable_plans(by, exchange)
    errors = Errors()
    plan = next((p for p in plans if str(p.id) == str(plan_id)), None)
    if plan is None:
        errors.add(
            "plan_id",
            _("Choose a plan of a mentee you coach who took part (and not linked yet)."),
        )
    note = errors.text("note", note, **PLAN_LINK["note"].check())
    errors.raise_if_any()
    link = ExchangePlanLink(exchange_id=exchange.id, plan_id=plan.id, note=note, linked_by_id=by.id)
    return audit.add_created(
        link, "exchange_id", "plan_id", "note", by=by, action="exchange.plan_link"
    )


def unlink_plan(link: ExchangePlanLink, *, by: User) -> None:
    """Remove a plan link: the coach of the plan's pairing, or those who manage the
    exchange."""
    if not can_unlink(by, link, can_manage_exchange(by, link.exchange)):
        raise NotAllowed(_("Only the coach of the plan's pairing removes this link."))
    audit.record(
        "exchange.plan_unlink",
        by=by,
        entity=link,
        before=audit.snapshot(link, "exchange_id", "plan_id", "note"),
    )
    db.session.delete(link)
    db.session.flush()
