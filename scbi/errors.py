"""Domain exceptions, raised by services, and their rendering as HTML pages or API JSON.

Services raise these; views and API handlers do not translate them by hand:
:func:`register_error_handlers` maps each one to a status, once.
"""

from __future__ import annotations

import logging
import re

from flask import Flask, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy import literal, select
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from scbi import audit
from scbi.actor import acting_user
from scbi.extensions import db

log = logging.getLogger(__name__)


class DomainError(Exception):
    """Base of the errors a service may raise; ``status`` and ``code`` are its API answer."""

    status = 400
    code = "bad_request"

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        fields: dict[str, list[str]] | None = None,
        rows: list[dict] | None = None,
        entity: tuple[str, int] | None = None,
    ):
        self.fields = fields or {}
        # The record asked for, (table, id), when a refusal names one (NotAllowed, NotFound)
        self.entity = entity
        self.rows = rows or []  # for files: [{"row": n, "message": "..."}], row 0 = whole file
        if code:
            self.code = code
        self.message = message or self.default_message()
        super().__init__(self.message)

    def default_message(self) -> str:
        return _("The request could not be completed.")


class BadRequest(DomainError):
    """The request itself is unreadable (malformed JSON, a body that is not an object)."""

    status = 400
    code = "bad_request"


class NotAuthenticated(DomainError):
    status = 401
    code = "unauthenticated"

    def default_message(self) -> str:
        return _("Sign in to continue.")


class NotAllowed(DomainError):
    status = 403
    code = "forbidden"

    def default_message(self) -> str:
        return _("Your role does not allow this.")


class PasswordChangeRequired(NotAllowed):
    """The account must choose a new password (a one-time one was given) before it uses
    the API: that is done on the web, where the password is checked and changed."""

    code = "password_change_required"

    def default_message(self) -> str:
        return _(
            "This account must choose a new password before it can use the API. Sign in on "
            "the web, choose a new password, then ask for a token again."
        )


class NotFound(DomainError):
    """Missing, or not visible to the caller. The scoped loaders give the record asked for
    (``entity=(table, id)``): such a 404 is a refusal, audited as ``access.denied``."""

    status = 404
    code = "not_found"

    def default_message(self) -> str:
        return _("Not found, or not visible to you.")


class OutOfScope(NotFound):
    """A route outside a role's reach answered as a 404 rather than a 403 (a development
    partner's account: what is not theirs does not exist); audited like a 403."""


class Conflict(DomainError):
    """The record changed since the caller read it, or would duplicate another."""

    status = 409
    code = "conflict"

    def default_message(self) -> str:
        return _("This record was changed by someone else. Reload it and apply your change again.")


class InvalidTransition(DomainError):
    status = 409
    code = "invalid_transition"

    def default_message(self) -> str:
        return _("This action is not allowed in the record's current state.")


class ValidationFailed(DomainError):
    status = 422
    code = "validation_failed"

    def default_message(self) -> str:
        if self.fields:
            return _("Some fields need correcting.")
        return _("The data given is not valid.")


class TooLarge(ValidationFailed):
    """A file over its size limit: 413 (API.md), with ``fields`` naming it; a form shows
    the message beside the field like any refusal."""

    status = 413
    code = "too_large"


class Throttled(DomainError):
    status = 429
    code = "throttled"

    def __init__(self, message: str | None = None, *, retry_after: int = 60, **kwargs):
        self.retry_after = max(1, int(retry_after))
        super().__init__(message, **kwargs)

    def default_message(self) -> str:
        return _("Too many attempts. Try again in %(seconds)d seconds.", seconds=self.retry_after)


def check_version(obj, version) -> None:
    """Raise :class:`Conflict` (``stale_version``) unless ``version`` is the object's own."""
    if version is None or isinstance(version, bool) or not isinstance(version, int):
        raise ValidationFailed(fields={"version": [_("Send the version you read.")]})
    if obj.version != version:
        raise Conflict(code="stale_version")


# --- rendering -----------------------------------------------------------------------------

HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "throttled",
    500: "internal_error",
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def json_error(
    status: int, code: str, message: str, fields: dict | None = None, headers=None, rows=None
):
    body = {"error": {"code": code, "message": message}}
    if fields:
        body["error"]["fields"] = fields
    if rows:
        body["error"]["rows"] = rows
    response = jsonify(body)
    response.status_code = status
    if headers:
        response.headers.update(headers)
    return response


def _page(status: int, message: str, headers=None, fields=None):
    """The error page; a refusal that names its fields (a list's filters in the address,
    which have no form to show them beside) lists each with what is wrong."""
    html = render_template("errors/error.html", status=status, message=message, fields=fields)
    return html, status, headers or {}


def _render(status: int, code: str, message: str, fields=None, headers=None, rows=None):

    db.session.rollback()  # a failed request never leaves half its changes behind
    if wants_json():
        return json_error(status, code, message, fields, headers, rows)
    return _page(status, message, headers, fields)


def http_message(status: int) -> str:
    messages = {
        400: _("The request was not understood."),
        401: _("Sign in to continue."),
        403: _("Your role does not allow this."),
        404: _("Not found, or not visible to you."),
        405: _("This address does not accept that method."),
        409: _("This record was changed by someone else."),
        413: _("The upload is too large (the limit is 10 MB for a file)."),
        415: _("Send the body as application/json."),
        422: _("The data given is not valid."),
        429: _("Too many requests. Wait a moment and try again."),
    }
    return messages.get(status, _("The request could not be completed."))


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        headers = {}
        if isinstance(error, Throttled):
            headers["Retry-After"] = str(error.retry_after)
        if isinstance(error, NotAllowed | OutOfScope) or (
            isinstance(error, NotFound) and error.entity is not None
        ):
            _record_denied(error.status, error.entity)
        return _render(error.status, error.code, error.message, error.fields, headers, error.rows)

    @app.errorhandler(StaleDataError)
    def stale(error):
        conflict = Conflict(code="stale_version")
        return _render(409, conflict.code, conflict.message)

    @app.errorhandler(IntegrityError)
    def integrity(error: IntegrityError):
        # The services check every rule first; a unique index only fires when two requests
        # race past that check at the same moment (two registrations of one e-mail): a
        # conflict to retry. Any other refusal is a fault in our code: logged, 500.
        field = duplicate_field(error)
        if field is None:
            return unexpected(error)
        message = _("Another record was saved with this value at the same moment.")
        return _render(409, "duplicate", message, {field: [message]})

    @app.errorhandler(OverflowError)
    @app.errorhandler(DataError)
    def out_of_range(error):
        # An id or number the database cannot hold (e.g. /sectors/99999999999999999999)
        return _render(404, "not_found", http_message(404))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        message = _(
            "The form had expired or did not come from this site, so nothing was saved. "
            "Reload the page and try again."
        )
        return _render(400, "csrf_failed", message)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        status = error.code or 500
        message = http_message(status)
        if status == 400 and wants_json():
            message = _("The request body is not valid JSON.")
        if status == 403:  # a hand abort(403) is a refusal like any other
            _record_denied(403)
        elif status == 404 and getattr(error, "entity", None):  # a loader's, as werkzeug's
            _record_denied(404, error.entity)
        headers = dict(error.get_headers()) if status == 405 else None
        if headers:
            headers.pop("Content-Type", None)
        return _render(status, HTTP_CODES.get(status, "error"), message, headers=headers)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        log.exception(
            "unhandled error, request id %s (client's %s)",
            g.get("request_id"),
            g.get("client_request_id"),
        )
        if g.get("client_request_id"):
            message = _(
                "Something went wrong on our side. Quote request id %(id)s (your reference "
                "%(client)s) if you report it.",
                id=g.get("request_id", "-"),
                client=g.client_request_id,
            )
        else:
            message = _(
                "Something went wrong on our side. Quote request id %(id)s if you report it.",
                id=g.get("request_id", "-"),
            )
        return _render(500, "internal_error", message)


_UNIQUE_SQLITE = re.compile(r"UNIQUE constraint failed: (?:(\w+)\.(\w+)|index '(\w+)')")


def duplicate_field(error: IntegrityError) -> str | None:
    """The column a unique constraint refused, or None for any other refusal. Unique
    constraints are named ``uq_<table>_<column>`` (``_lower`` for the case-blind ones)."""
    diag = getattr(error.orig, "diag", None)
    if diag is not None:  # PostgreSQL
        if getattr(error.orig, "sqlstate", None) != "23505":
            return None
        name, table = diag.constraint_name or "", diag.table_name or ""
    else:
        match = _UNIQUE_SQLITE.search(str(error.orig))
        if match is None:
            return None
        if match.group(2):  # SQLite names the column of a plain constraint
            return match.group(2)
        name, table = match.group(3), _table_of_index(match.group(3))
    if not table or not name.startswith(f"uq_{table}_"):
        return None
    return name.removeprefix(f"uq_{table}_").removesuffix("_lower")


def _table_of_index(name: str) -> str | None:

    for table in db.metadata.tables.values():
        if any(index.name == name for index in table.indexes):
            return table.name
    return None


# URL arguments whose record's table is not simply the argument without ``_id``
_TABLE_OF_ARGUMENT = {
    "log_id": "transfer_log",
    "plan_id": "transfer_plan",
    "framework_id": "competency_framework",
    "result_id": "priority_result",
    "message_id": "mail_message",
    "session_id": "log_session",
    "report_id": "published_report",
}


def requested_entity() -> tuple[str, int] | None:
    """The record the URL names (its last ``<int:…_id>`` argument), as (table, id)."""
    for name, value in reversed(list((request.view_args or {}).items())):
        if name.endswith("_id") and isinstance(value, int) and not isinstance(value, bool):
            return _TABLE_OF_ARGUMENT.get(name, name.removesuffix("_id")), value
    return None


def _record_denied(status: int, entity: tuple[str, int] | None = None) -> None:
    """Audit a refused access (``access.denied``, naming the record asked for) in a
    transaction of its own: the request's own changes are rolled back first, then the
    refusal is written and committed alone, so it stays while they do not.

    A 404 is recorded only when a scoped loader gave the record; ``hidden`` says whether it
    exists (a refusal) or not (a probe) — both cost the same, so timing tells nothing."""

    try:
        db.session.rollback()
        user = acting_user()
        if status == 404 and not user.is_authenticated:
            return
        entity = entity or requested_entity()
        after = {"path": request.path, "method": request.method}
        if status == 404:
            after["hidden"] = _exists(entity)
        audit.record("access.denied", by=user, entity=entity, after=after)
        db.session.commit()
    except Exception:  # auditing a refusal must never turn it into a 500
        db.session.rollback()
        log.exception("could not audit a denied access")


def _exists(entity: tuple[str, int] | None) -> bool | None:

    table = db.metadata.tables.get(entity[0]) if entity else None
    if table is None or "id" not in table.c:
        return None
    found = db.session.scalar(select(literal(1)).select_from(table).where(table.c.id == entity[1]))
    return found is not None
