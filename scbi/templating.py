"""Template globals and filters every page uses: dates through Babel, field tests."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from flask import Flask, current_app
from flask_babel import format_currency, format_date, format_datetime, get_locale
from flask_login import current_user
from werkzeug.exceptions import HTTPException
from wtforms.fields.choices import SelectFieldBase

from scbi.enums import label
from scbi.i18n import NAMES, languages, number


def _decimal(value, pattern: str) -> str:
    """A number in the reader's language; a stored figure may be text (a publication keeps
    decimals as text): read as a number, or shown as it is when it is none."""
    if value is None or str(value) == "":  # None, or a figure a stored record lacks
        return ""
    try:
        return number(Decimal(str(value)), pattern)
    except InvalidOperation:
        return str(value)


def language_choices() -> list[tuple[str, str, bool]]:
    """The switcher's buttons: each language's code, its own name, and whether it is the
    page's."""
    current = get_locale().language
    return [(code, NAMES.get(code, code), code == current) for code in languages()]


def may_open(target: str) -> bool:
    """Whether the signed-in person's roles let them open a page — ``target`` an endpoint or
    a URL of this site — by the roles its view's ``role_required`` names: a page links only
    where its reader may go."""
    if target.startswith(("/", "http")):
        try:
            target, _args = current_app.url_map.bind("").match(urlsplit(target).path)
        except HTTPException:
            return False
    roles = getattr(current_app.view_functions[target], "roles", None)
    return roles is None or (current_user.is_authenticated and current_user.has_role(*roles))


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.tests["select_field"] = lambda f: isinstance(f, SelectFieldBase)
    app.jinja_env.globals.update(
        get_locale=get_locale,
        page_language=lambda: get_locale().language,
        language_choices=language_choices,
        may_open=may_open,
    )
    app.jinja_env.filters["label"] = label
    # hours and other measures, with the language's separators (1,5 h in French)
    app.jinja_env.filters["number"] = lambda v: _decimal(v, "#,##0.##")
    # two decimals (means of levels), or with their sign (a gain): 1,50 / +1,75 in French
    app.jinja_env.filters["decimal2"] = lambda v: _decimal(v, "#,##0.00")
    # an indicator's value (exact, up to four decimals): 12,5 in French
    app.jinja_env.filters["measure"] = lambda v: _decimal(v, "#,##0.####")
    app.jinja_env.filters["money"] = lambda v, currency: format_currency(Decimal(str(v)), currency)
    app.jinja_env.filters["signed2"] = lambda v: _decimal(v, "+#,##0.00;-#,##0.00")
    app.jinja_env.filters["date"] = lambda d, fmt="medium": format_date(d, fmt) if d else ""
    app.jinja_env.filters["datetime"] = lambda d, fmt="medium": format_datetime(d, fmt) if d else ""
