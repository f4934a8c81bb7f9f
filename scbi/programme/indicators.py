"""The rules of a priority result's indicators and their actual values (the results chain).

An indicator measures a result from a baseline (value, date) to a target (value, date),
the target date not before the baseline date and the target value not the baseline's. Its
actual values are one per fiscal quarter (scbi.dates.fiscal_quarter_dates, the reports'
quarters), each with its source and an optional evidence file, stored and checked as a
log's evidence is (scbi.files); a correction replaces the quarter's value under its
version. A value is deleted under its version; an indicator only once it has no value
left. The secretariat and the coordinators of the result's sector manage them
(scbi.programme.permissions); every change is audited, with before and after.
"""

from __future__ import annotations

from decimal import Decimal
from typing import BinaryIO

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from scbi import audit, files
from scbi.audit import snapshot
from scbi.auth.models import User
from scbi.database import utcnow
from scbi.dates import fiscal_quarter_dates, today
from scbi.downloads import Download
from scbi.errors import Conflict, NotAllowed, NotFound, check_version
from scbi.extensions import db
from scbi.programme.models import (
    INDICATOR,
    INDICATOR_VALUE,
    MAX_INDICATOR_VALUE,
    Indicator,
    IndicatorValue,
    PriorityResult,
)
from scbi.programme.permissions import can_manage_indicators
from scbi.programme.queries.indicators import value_of
from scbi.validation import Errors

INDICATOR_FIELDS = (
    "name",
    "unit",
    "baseline_value",
    "baseline_date",
    "target_value",
    "target_date",
)
VALUE_FIELDS = ("value", "source", "original_name", "sha256")
PLACES = Decimal("0.0001")


def require_manager(user: User, result: PriorityResult) -> None:
    if not can_manage_indicators(user, result):
        raise NotAllowed(
            _("Indicators are managed by the secretariat and the sector's coordinators.")
        )


def number(errors: Errors, field: str, value) -> Decimal | None:
    """An exact decimal (a string such as "12.5", an integer, or a form's Decimal) with at
    most four decimals and eleven digits before the point; never a binary float."""
    unreadable = _("Enter a number, such as 12 or 12.5.")
    if isinstance(value, float):  # a float is no exact decimal
        errors.add(field, unreadable)
        return None
    found = errors.decimal(field, value, unreadable=unreadable)
    if found is None:
        return None
    if abs(found) > MAX_INDICATOR_VALUE:
        errors.add(field, _("This number is too large."))
    elif found != found.quantize(PLACES):
        errors.add(field, _("Use at most four decimals."))
    else:
        return found.quantize(PLACES)
    return None


# --- indicators ----------------------------------------------------------------------------


def _indicator_values(errors: Errors, data: dict, result: PriorityResult, exclude_id=None):
    values = {
        "name": errors.text("name", data.get("name"), **INDICATOR["name"].check()),
        "unit": errors.text("unit", data.get("unit"), **INDICATOR["unit"].check()),
        "baseline_value": number(errors, "baseline_value", data.get("baseline_value")),
        "baseline_date": errors.date("baseline_date", data.get("baseline_date")),
        "target_value": number(errors, "target_value", data.get("target_value")),
        "target_date": errors.date("target_date", data.get("target_date")),
    }
    baseline, target = values["baseline_date"], values["target_date"]
    if baseline and target and target < baseline:
        errors.add("target_date", _("The target date must not be before the baseline date."))
    if values["baseline_value"] is not None and values["target_value"] == values["baseline_value"]:
        errors.add(
            "target_value",
            _("The target must differ from the baseline: progress is measured between them."),
        )
    if values["name"]:
        same = select(Indicator.id).where(
            Indicator.result_id == result.id,
            func.lower(Indicator.name) == values["name"].lower(),
        )
        if exclude_id is not None:
            same = same.where(Indicator.id != exclude_id)
        if db.session.scalar(same) is not None:
            errors.add("name", _("This result already has an indicator with this name."))
    return values


def create_indicator(result: PriorityResult, *, by: User, **data) -> Indicator:
    require_manager(by, result)
    errors = Errors()
    values = _indicator_values(errors, data, result)
    errors.raise_if_any()
    indicator = Indicator(result_id=result.id, values=[], **values)
    return audit.add_created(
        indicator, "result_id", *INDICATOR_FIELDS, by=by, action="indicator.create"
    )


def update_indicator(indicator: Indicator, *, by: User, version, **data) -> Indicator:
    require_manager(by, indicator.result)
    check_version(indicator, version)
    errors = Errors()
    current = snapshot(indicator, *INDICATOR_FIELDS)
    wanted = {k: v for k, v in data.items() if k in INDICATOR_FIELDS}
    values = _indicator_values(errors, {**current, **wanted}, indicator.result, indicator.id)
    errors.raise_if_any()
    return audit.apply_changes(indicator, values, by=by, action="indicator.update")


# --- actual values -------------------------------------------------------------------------


def _period(errors: Errors, indicator: Indicator, fiscal_year, quarter):
    year = errors.integer("fiscal_year", fiscal_year, **INDICATOR_VALUE["fiscal_year"].check())
    quarter_no = errors.integer("quarter", quarter, **INDICATOR_VALUE["quarter"].check())
    if errors.fields.get("fiscal_year") or errors.fields.get("quarter"):
        return None, None, None, None
    start, end = fiscal_quarter_dates(year, quarter_no)
    if start > today():
        errors.add("quarter", _("This quarter has not started yet."))
    elif end < indicator.baseline_date:
        errors.add(
            "quarter",
            _(
                "Choose a quarter that ends on or after the baseline date (%(day)s).",
                day=indicator.baseline_date.isoformat(),
            ),
        )
    return year, quarter_no, start, end


def record_value(
    indicator: Indicator,
    *,
    by: User,
    fiscal_year,
    quarter,
    version=None,
    read_id=None,
    evidence: tuple[BinaryIO, str] | None = None,
    **data,
) -> tuple[IndicatorValue, bool]:
    """Record the indicator's actual value of a fiscal quarter, or correct it: a quarter
    that has a value is changed only with the ``version`` read (else 409, stale, and
    nothing changes; ``read_id``, the value a form was opened on, must be that quarter's:
    a version reads one value, not any quarter's). ``data``: ``value`` and ``source``;
    ``evidence``: an optional file
    ``(stream, filename)``, which replaces the quarter's (the old one leaves the disk when
    the change commits). Returns ``(the value, made now)``."""
    require_manager(by, indicator.result)
    errors = Errors()
    year, quarter_no, start, end = _period(errors, indicator, fiscal_year, quarter)
    existing = value_of(indicator, year, quarter_no) if year else None
    if existing is None and not _held(indicator, share=True):
        raise NotFound  # deleted meanwhile
    if read_id is not None and (existing is None or existing.id != read_id):
        raise Conflict(
            _(
                "The value you opened is of another quarter: open this quarter's value from "
                "the result's page to correct it."
            ),
            code="stale_version",
        )
    if existing is not None:
        if version is None:
            raise Conflict(
                _(
                    "This quarter already has a value: correct it from the result's page "
                    "(or, by the API, with the version you read)."
                ),
                code="already_recorded",
            )
        check_version(existing, version)
    current = snapshot(existing, "value", "source") if existing else {}
    wanted = {k: data[k] for k in ("value", "source") if k in data}
    merged = {**current, **wanted}
    values = {
        "value": number(errors, "value", merged.get("value")),
        "source": errors.text("source", merged.get("source"), **INDICATOR_VALUE["source"].check()),
    }
    errors.raise_if_any()
    stored = None
    if evidence is not None:
        stream, filename = evidence
        stored = files.store_upload(stream, filename, db.session, field="evidence")
    now = utcnow()
    if existing is None:
        made = IndicatorValue(
            indicator_id=indicator.id,
            fiscal_year=year,
            quarter=quarter_no,
            period_start=start,
            period_end=end,
            recorded_by_id=by.id,
            recorded_at=now,
            **values,
            **_file_columns(stored),
        )
        indicator.values.append(made)
        db.session.add(made)
        db.session.flush()
        audit.record(
            "indicator_value.create",
            by=by,
            entity=made,
            after={
                "indicator_id": indicator.id,
                "fiscal_year": year,
                "quarter": quarter_no,
                **snapshot(made, *VALUE_FIELDS),
            },
        )
        return made, True
    before = snapshot(existing, *VALUE_FIELDS)
    changes = dict(values)
    if stored is not None:
        if existing.stored_name:
            files.delete_after_commit(existing.stored_name, db.session)
        changes.update(_file_columns(stored))
    for name, value in changes.items():
        setattr(existing, name, value)
    after = snapshot(existing, *VALUE_FIELDS)
    if after != before:
        existing.recorded_by_id, existing.recorded_at = by.id, now
        db.session.flush()
        audit.record(
            "indicator_value.update",
            by=by,
            entity=existing,
            before={k: v for k, v in before.items() if after[k] != v},
            after={k: v for k, v in after.items() if before[k] != v},
        )
    return existing, False


# --- deleting ------------------------------------------------------------------------------


def _held(indicator: Indicator, *, share: bool) -> bool:
    """Lock the indicator's row until the transaction ends (PostgreSQL; SQLite runs one
    writer at a time): ``share`` while a value is added to it, else for its deletion. A
    deletion waits for a value being added, and then sees it; a value added meanwhile
    waits for the deletion, and then finds no indicator. Whether the row still exists."""
    query = select(Indicator.id).where(Indicator.id == indicator.id)
    query = query.with_for_update(read=True, key_share=True) if share else query.with_for_update()
    return db.session.execute(query).first() is not None


def kept_by_values(indicator: Indicator) -> str | None:
    """Why the indicator cannot be deleted — it has actual values (counted in the
    database, not from what was loaded), which are deleted first — or None."""
    count = db.session.scalar(
        select(func.count()).where(IndicatorValue.indicator_id == indicator.id)
    )
    if not count:
        return None
    return ngettext(
        "This indicator has %(num)d actual value: delete it first, then the indicator.",
        "This indicator has %(num)d actual values: delete them first, then the indicator.",
        count,
    )


def delete_indicator(indicator: Indicator, *, by: User, version) -> None:
    """Delete an indicator under the version read (stale: 409, ``stale_version``); one
    that has actual values is refused (409, ``has_values``, saying how many). Nothing
    changes when refused; the event keeps what the indicator was."""
    require_manager(by, indicator.result)
    check_version(indicator, version)
    _held(indicator, share=False)
    if problem := kept_by_values(indicator):
        raise Conflict(problem, code="has_values")
    audit.record(
        "indicator.delete",
        by=by,
        entity=indicator,
        before=snapshot(indicator, "result_id", *INDICATOR_FIELDS),
    )
    db.session.delete(indicator)
    db.session.flush()


def delete_value(value: IndicatorValue, *, by: User, version) -> None:
    """Delete an actual value under the version read (stale: 409 and nothing changes);
    its evidence file leaves the disk when the deletion commits. The event keeps what the
    value was."""
    require_manager(by, value.indicator.result)
    check_version(value, version)
    if value.stored_name:
        files.delete_after_commit(value.stored_name, db.session)
    audit.record(
        "indicator_value.delete",
        by=by,
        entity=value,
        before={
            "indicator_id": value.indicator_id,
            "fiscal_year": value.fiscal_year,
            "quarter": value.quarter,
            **snapshot(value, *VALUE_FIELDS),
        },
    )
    db.session.delete(value)
    db.session.flush()


def _file_columns(stored) -> dict:
    if stored is None:
        return {}
    name, kept = stored
    return {
        "original_name": name,
        "stored_name": kept.stored_name,
        "content_type": kept.content_type,
        "size": kept.size,
        "sha256": kept.sha256,
    }


def evidence_file(value: IndicatorValue, *, inline: bool = False) -> Download:
    """The value's evidence file under its original name (an image or a PDF opens in the
    browser with ``inline``); NotFound when the value has none."""
    if not value.has_evidence:
        raise NotFound
    return files.stored_download(
        value.stored_name, value.content_type, value.original_name, inline=inline
    )
