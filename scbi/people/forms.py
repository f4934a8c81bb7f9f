"""The people-import form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms.fields.choices import SelectChoice, SelectField

from scbi.forms import BaseForm


class PeopleImportForm(BaseForm):
    kind = SelectField(
        _l("Who is in the file"),
        choices=[SelectChoice("mentee", _l("Mentees")), SelectChoice("coach", _l("Coaches"))],
    )
    file = FileField(
        _l("CSV file"),
        validators=[FileRequired()],
        description=_l("UTF-8 CSV with the template's columns, one person a row."),
    )
