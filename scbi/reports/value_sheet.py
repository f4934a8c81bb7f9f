"""The workbook's value-for-money sheets (scbi.reports.exports): the period's and the
cumulative figures per currency, converted into the reporting currency, by partner and by
sector, then the exchange rates used and those missing. Amounts are numbers with their
currency's format (``#,##0.00 "USD"``, ``#,##0 "RWF"``), never text."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from babel.numbers import get_currency_precision
from flask_babel import gettext as _

from scbi.reports.value import FIGURES

RATE_FORMAT = "0.##########"


@dataclass(frozen=True)
class Formatted:
    """A cell's value with its number format."""

    value: Any
    number_format: str


def currency_format(currency: str) -> str:
    digits = get_currency_precision(currency)
    return "#,##0" + ("." + "0" * digits if digits else "") + f' "{currency}"'


def _money(value, currency: str):
    return None if value is None else Formatted(Decimal(str(value)), currency_format(currency))


def _spans():
    return (("period", _("period")), ("cumulative", _("cumulative")))


def _header() -> list[str]:
    return [
        _("scope"),
        _("name"),
        _("span"),
        _("currency"),
        _("amounts"),
        _("TA cost"),
        _("per expert built"),
        _("per acknowledged hour"),
        _("per hour the mentee led"),
        _("experts"),
        _("acknowledged hours"),
        _("led hours"),
    ]


def _row(scope, name, span, currency, how, figures, counts=(None, None, None)) -> list:
    money = [_money((figures or {}).get(key), currency) for key in FIGURES]
    return [scope, name, span, currency, how, *money, *counts]


def _scope_rows(scope: str, name: str, found: dict, into: str | None) -> list[list]:
    """The rows of the programme, a sector: each currency, then converted."""
    rows = []
    as_paid, converted = _("as paid"), _("converted")
    counts = {
        key: (
            found["experts"][key],
            found["hours"][key]["acknowledged"],
            found["hours"][key]["led"],
        )
        for key, _span in _spans()
    }
    for currency in found["cumulative"]:
        for key, span in _spans():
            figures = found[key].get(currency)
            rows.append(_row(scope, name, span, currency, as_paid, figures, counts[key]))
    conv = found.get("converted")
    if into and conv:
        for key, span in _spans():
            how = converted if conv[key] is not None else _("converted: a rate is missing")
            rows.append(_row(scope, name, span, into, how, conv[key], counts[key]))
    return rows


def _partner_rows(p: dict, into: str | None) -> list[list]:
    rows = []
    ratios = p.get("ratios") or {}
    for currency in p["cumulative"]:
        for key, span in _spans():
            r = (ratios.get(key) or {}).get(currency) or {}
            figures = {"ta_cost": p[key].get(currency), **r}
            counts = (r.get("experts"), r.get("acknowledged_hours"), r.get("led_hours"))
            rows.append(
                _row(_("partner"), p["acronym"], span, currency, _("as paid"), figures, counts)
            )
    converted = p.get("converted")
    if into and converted:
        for key, span in _spans():
            f = converted.get(key)
            how = _("converted") if f is not None else _("converted: a rate is missing")
            counts = (
                (f.get("experts"), f.get("acknowledged_hours"), f.get("led_hours"))
                if f
                else (None, None, None)
            )
            rows.append(_row(_("partner"), p["acronym"], span, into, how, f, counts))
    return rows


def value_sheets(figures: dict, whole: str) -> list:
    """The sheets of ``figures``' value for money (none for a dict from before it);
    ``whole`` names the report's own scope (the sector, the programme)."""
    vfm = figures.get("value_for_money")
    if not vfm:
        return []
    conv = vfm.get("converted")
    into = conv["currency"] if conv else None
    rows = _scope_rows(_("all"), whole, vfm, into)
    for p in vfm.get("by_partner", []):
        rows += _partner_rows(p, into)
    if len(vfm.get("by_sector", [])) > 1:
        for s in vfm["by_sector"]:
            rows += _scope_rows(_("sector"), s["code"], s, into)
    sheets = [(_("Value for money"), _header(), rows)]
    if conv and (conv.get("rates") or conv.get("missing")):
        rates = [
            [
                r["currency"],
                r["fiscal_year"],
                r["quarter"],
                r["label"],
                Formatted(Decimal(r["rate"]), RATE_FORMAT),
                _("used"),
                r["in_period"],
            ]
            for r in conv.get("rates", [])
        ] + [
            [
                m["currency"],
                m["fiscal_year"],
                m["quarter"],
                m["label"],
                None,
                _("missing"),
                m["in_period"],
            ]
            for m in conv.get("missing", [])
        ]
        header = [
            _("currency"),
            _("fiscal year"),
            _("quarter"),
            _("label"),
            _("%(currency)s for one unit", currency=into),
            _("status"),
            _("in the period"),
        ]
        sheets.append((_("Exchange rates"), header, rates))
    return sheets
