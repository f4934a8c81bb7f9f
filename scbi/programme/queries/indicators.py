"""The read side of a priority result's indicators and their actual values.

They are read by whoever reads the result — everyone in the programme, like the result
itself — so their loaders are unscoped: a missing record is a plain 404."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from scbi.errors import NotFound
from scbi.extensions import db
from scbi.loaders import load_or_404
from scbi.programme.models import Indicator, IndicatorValue, PriorityResult


def indicator_list(result_id: int) -> Select:
    """The result's indicators in the order they were added, each with its values (the
    latest period first)."""
    return (
        select(Indicator)
        .where(Indicator.result_id == result_id)
        .options(selectinload(Indicator.values))
        .order_by(Indicator.id)
    )


def indicators_of(result: PriorityResult) -> list[Indicator]:
    return list(db.session.scalars(indicator_list(result.id)))


def indicator_or_404(indicator_id: int) -> Indicator:
    """The indicator with its values and its result (NotFound if missing)."""
    return load_or_404(Indicator, indicator_id, options=[selectinload(Indicator.values)])


def value_of(indicator: Indicator, fiscal_year: int, quarter: int) -> IndicatorValue | None:
    """The indicator's value of a fiscal quarter, if one is recorded (read from the
    values loaded with the indicator)."""
    for value in indicator.values:
        if (value.fiscal_year, value.quarter) == (fiscal_year, quarter):
            return value
    return None


def value_or_404(indicator: Indicator, fiscal_year: int, quarter: int) -> IndicatorValue:
    value = value_of(indicator, fiscal_year, quarter)
    if value is None:
        raise NotFound
    return value


def indicator_value_or_404(value_id: int) -> IndicatorValue:
    return load_or_404(IndicatorValue, value_id)
