"""Template globals and filters every page uses: dates through Babel, field tests."""

from __future__ import annotations

from flask import Flask
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from wtforms.fields.choices import SelectFieldBase

from scbi.enums import label
from scbi.i18n import NAMES, languages


def language_choices() -> list[tuple[str, str, bool]]:
    """The switcher's buttons: each language's code, its own name, and whether it is the
    page's."""
    current = get_locale().language
    return [(code, NAMES.get(code, code), code == current) for code in languages()]


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.tests["select_field"] = lambda f: isinstance(f, SelectFieldBase)
    app.jinja_env.globals.update(
        get_locale=get_locale,
        page_language=lambda: get_locale().language,
        language_choices=language_choices,
    )
    app.jinja_env.filters["label"] = label
    # hours and other measures, with the language's separators (1,5 h in French)
    app.jinja_env.filters["number"] = lambda v: (
        format_decimal(v, "#,##0.##") if v is not None else ""
    )
    app.jinja_env.filters["date"] = lambda d, fmt="medium": format_date(d, fmt) if d else ""
    app.jinja_env.filters["datetime"] = lambda d, fmt="medium": format_datetime(d, fmt) if d else ""
