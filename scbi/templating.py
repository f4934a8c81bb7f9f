"""Template globals and filters every page uses: dates through Babel, field tests."""

from __future__ import annotations

from flask import Flask
from flask_babel import format_date, format_datetime, get_locale
from wtforms.fields.choices import SelectFieldBase

from scbi.enums import label


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.tests["select_field"] = lambda f: isinstance(f, SelectFieldBase)
    app.jinja_env.globals.update(get_locale=get_locale)
    app.jinja_env.filters["label"] = label
    app.jinja_env.filters["date"] = lambda d, fmt="medium": format_date(d, fmt) if d else ""
    app.jinja_env.filters["datetime"] = lambda d, fmt="medium": format_datetime(d, fmt) if d else ""
