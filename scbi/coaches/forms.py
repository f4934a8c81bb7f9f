from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice, SelectField
from wtforms.validators import InputRequired

from scbi.auth.forms import AccountForm
from scbi.coaches.models import COACH, CoachStatus
from scbi.forms import BaseForm, RefField, VersionField


class CoachProfileForm(BaseForm):
    nationality = StringField(_l("Nationality"), validators=COACH["nationality"].validators())
    organisation = StringField(
        _l("Deploying organisation"), validators=COACH["organisation"].validators()
    )
    technical_expertise = TextAreaField(
        _l("Technical expertise"), validators=COACH["technical_expertise"].validators()
    )
    coaching_experience_years = IntegerField(
        _l("Years of coaching experience"),
        validators=[InputRequired(), *COACH["coaching_experience_years"].validators()],
    )
    coaching_qualification = StringField(
        _l("Coaching qualification"),
        validators=COACH["coaching_qualification"].validators(),
        description=_l("e.g. ICF ACC, EMCC Practitioner"),
    )
    sector_id = RefField(_l("Sector"), validators=[InputRequired()])
    host_institution_id = RefField(_l("Host institution"), validators=[InputRequired()])
    contract_start = DateField(_l("Contract starts"), validators=[InputRequired()])
    contract_end = DateField(_l("Contract ends"), validators=[InputRequired()])
    max_mentees = IntegerField(
        _l("Most mentees at a time"),
        default=4,
        validators=[InputRequired(), *COACH["max_mentees"].validators()],
    )


class CoachNewForm(AccountForm, CoachProfileForm):
    """Account fields first (declared earlier, in scbi.auth.forms), then the profile."""


class CoachEditForm(CoachProfileForm):
    status = SelectField(
        _l("Status"),
        choices=[
            SelectChoice(CoachStatus.ACTIVE, _l("Active")),
            SelectChoice(CoachStatus.INACTIVE, _l("Inactive")),
        ],
    )
    version = VersionField()
