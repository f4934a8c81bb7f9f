"""The follow-up actions of an exchange: added and changed by those who manage it, marked
done by its owner or by them, tracked to done (an open action past its due date is
overdue: the owner's home page counts it).

Refused, naming the field: an action without a description; without an owner (an
account of the programme — one of the exchange's mentees or coaches, a coordinator of
its sectors, the secretariat — or a person named), or with both; without a due date; a
done date in the future. Marking done an action already done is a 409.
"""

from __future__ import annotations

from flask_babel import gettext as _

from scbi import audit
from scbi.auth.models import User
from scbi.dates import today
from scbi.errors import InvalidTransition, NotAllowed, check_version
from scbi.exchanges.models import ACTION, Exchange, ExchangeAction
from scbi.exchanges.permissions import can_manage_exchange, require_manager
from scbi.exchanges.queries.choices import owners
from scbi.validation import Errors

FIELDS = ("description", "owner_id", "owner_name", "due_on", "done_on")


def content(action: ExchangeAction) -> dict:
    return audit.snapshot(action, *FIELDS)


def _done_on(errors: Errors, value):
    done = errors.date("done_on", value, required=False)
    if done and done > today():
        errors.add("done_on", _("An action cannot be done on a day still to come."))
        return None
    return done


def _values(exchange: Exchange, data: dict, keep_owner: int | None = None) -> dict:
    errors = Errors()
    owner_id, owner_name = (
        data.get("owner_id"),
        errors.text("owner_name", data.get("owner_name"), **ACTION["owner_name"].check()),
    )
    if owner_id in (None, ""):
        owner_id = None
        if not owner_name and "owner_name" not in errors.fields:
            errors.add(
                "owner_id",
                _("Give the action an owner: someone of the programme, or a person named."),
            )
    elif owner_name:
        errors.add(
            "owner_name",
            _("The owner is someone of the programme or a person named, not both."),
        )
    elif (
        isinstance(owner_id, bool)
        or not str(owner_id).isdecimal()
        or (int(owner_id) != keep_owner and int(owner_id) not in owners(exchange))
    ):
        errors.add(
            "owner_id",
            _(
                "Choose the owner among the exchange's mentees and coaches, its sectors' "
                "coordinators and the secretariat, or name a person."
            ),
        )
    else:
        owner_id = int(owner_id)
    due_on = errors.date("due_on", data.get("due_on"), required=False)
    if due_on is None and "due_on" not in errors.fields:
        errors.add("due_on", _("Give the action a due date."))
    values = {
        "description": errors.text(
            "description", data.get("description"), **ACTION["description"].check()
        ),
        "owner_id": owner_id,
        "owner_name": owner_name or None,
        "due_on": due_on,
        "done_on": _done_on(errors, data.get("done_on")),
    }
    errors.raise_if_any()
    return values


def add_action(exchange: Exchange, *, by: User, **data) -> ExchangeAction:
    """A new follow-up action of the exchange."""
    require_manager(by, exchange)
    action = ExchangeAction(exchange_id=exchange.id, **_values(exchange, data))
    exchange.actions.append(action)
    return audit.add_created(action, "exchange_id", *FIELDS, by=by, action="exchange.action_add")


def update_action(action: ExchangeAction, *, by: User, version, **data) -> ExchangeAction:
    """Change the action under the ``version`` read (fields not sent keep their values;
    an empty done date opens it again). Its owner stays offered even if no longer one."""
    require_manager(by, action.exchange)
    check_version(action, version)
    values = _values(action.exchange, {**content(action), **data}, keep_owner=action.owner_id)
    return audit.apply_changes(action, values, by=by, action="exchange.action_update")


def mark_done(action: ExchangeAction, *, by: User, version=None, done_on=None) -> ExchangeAction:
    """The owner, or those who manage the exchange, say the action is done (``done_on``,
    default today)."""
    if action.owner_id != by.id and not can_manage_exchange(by, action.exchange):
        raise NotAllowed(_("Only the action's owner or the exchange's managers mark it done."))
    if version is not None:
        check_version(action, version)
    if action.done_on is not None:
        raise InvalidTransition(_("This action is done already."), code="already_done")
    errors = Errors()
    day = _done_on(errors, done_on) or today()
    errors.raise_if_any()
    return audit.apply_changes(action, {"done_on": day}, by=by, action="exchange.action_done")
