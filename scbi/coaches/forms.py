from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice, SelectField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from scbi.coaches.models import CoachStatus
from scbi.forms import AccountForm, BaseForm, RefField, VersionField


class CoachProfileForm(BaseForm):
    nationality = StringField(_l("Nationality"), validators=[DataRequired(), Length(max=80)])
    organisation = StringField(
        _l("Deploying organisation"), validators=[DataRequired(), Length(max=200)]
    )
    technical_expertise = TextAreaField(
        _l("Technical expertise"), validators=[DataRequired(), Length(max=5000)]
    )
    coaching_experience_years = IntegerField(
        _l("Years of coaching experience"), validators=[InputRequired(), NumberRange(0, 70)]
    )
    coaching_qualification = StringField(
        _l("Coaching qualification"),
        validators=[Length(max=200)],
        description=_l("e.g. ICF ACC, EMCC Practitioner"),
    )
    sector_id = RefField(_l("Sector"), validators=[InputRequired()])
    host_institution_id = RefField(_l("Host institution"), validators=[InputRequired()])
    contract_start = DateField(_l("Contract starts"), validators=[InputRequired()])
    contract_end = DateField(_l("Contract ends"), validators=[InputRequired()])
    max_mentees = IntegerField(
        _l("Most mentees at a time"), default=4, validators=[InputRequired(), NumberRange(1, 50)]
    )


class CoachNewForm(AccountForm, CoachProfileForm):
    """Account fields first (declared earlier in scbi.forms), then the profile."""


class CoachEditForm(CoachProfileForm):
    status = SelectField(
        _l("Status"),
        choices=[
            SelectChoice(CoachStatus.ACTIVE.value, _l("Active")),
            SelectChoice(CoachStatus.INACTIVE.value, _l("Inactive")),
        ],
    )
    version = VersionField()
