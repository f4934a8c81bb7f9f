from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, TextAreaField
from wtforms.fields.choices import SelectChoice, SelectField
from wtforms.validators import InputRequired, Length

from scbi.forms import BaseForm, RefField, VersionField


class PairingForm(BaseForm):
    coach_id = RefField(_l("Coach"), validators=[InputRequired()])
    mentee_id = RefField(_l("Mentee"), validators=[InputRequired()])
    phase_id = RefField(_l("Phase"), validators=[InputRequired()])
    sector_id = RefField(
        _l("Sector"), validators=[InputRequired()], description=_l("Normally the mentee's sector.")
    )
    start_date = DateField(_l("Starts on"), validators=[InputRequired()])
    planned_end_date = DateField(
        _l("Planned to end on"),
        validators=[InputRequired()],
        description=_l("Inside the phase and the coach's contract."),
    )
    cross_sector_reason = TextAreaField(
        _l("Why another sector than the mentee's?"),
        validators=[Length(max=2000)],
        description=_l("Only when the pairing's sector is not the mentee's."),
    )


class PairingEndForm(BaseForm):
    status = SelectField(
        _l("Outcome"),
        choices=[
            SelectChoice("completed", _l("Completed — the plan ran its course")),
            SelectChoice("terminated", _l("Terminated — ended early")),
        ],
    )
    end_date = DateField(_l("Ended on"), validators=[InputRequired()])
    reason = TextAreaField(_l("Reason"), validators=[InputRequired(), Length(max=2000)])
    version = VersionField()


class PairingActionForm(BaseForm):
    version = VersionField()
