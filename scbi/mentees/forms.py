from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, StringField, TextAreaField
from wtforms.fields.choices import SelectField
from wtforms.validators import InputRequired, Optional

from scbi.auth.forms import AccountForm
from scbi.forms import BaseForm, RefField, VersionField, enum_choices
from scbi.mentees.models import MENTEE, MENTEE_STATUS, Gender, MenteeStatus


class MenteeProfileForm(BaseForm):
    staff_number = StringField(_l("Staff number"), validators=MENTEE["staff_number"].validators())
    gender = SelectField(_l("Gender"), choices=enum_choices(Gender))
    position = StringField(_l("Position"), validators=MENTEE["position"].validators())
    institution_id = RefField(_l("Institution"), validators=[InputRequired()])
    sector_id = RefField(_l("Sector"), validators=[InputRequired()])
    phase_id = RefField(_l("Cohort (phase)"), validators=[Optional()])
    joined_on = DateField(_l("Joined the programme on"), validators=[InputRequired()])


class MenteeNewForm(AccountForm, MenteeProfileForm):
    """Account fields first (declared earlier, in scbi.auth.forms), then the profile."""


class MenteeEditForm(MenteeProfileForm):
    version = VersionField()


class MenteeStatusForm(BaseForm):
    status = SelectField(
        _l("New status"),
        choices=enum_choices(MenteeStatus),
    )
    status_date = DateField(
        _l("From"), validators=[InputRequired()], description=_l("The day the change took effect.")
    )
    note = TextAreaField(_l("Note"), validators=MENTEE_STATUS["note"].validators())
    version = VersionField()
