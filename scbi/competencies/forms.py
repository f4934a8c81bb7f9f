"""The assessment form (a validator's or the mentee's own)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, HiddenField, TextAreaField
from wtforms.fields.choices import SelectChoice, SelectField
from wtforms.validators import InputRequired

from scbi.competencies.models import ASSESSMENT
from scbi.forms import BaseForm, MultiCheckboxField, RefField

LEVELS = [
    SelectChoice(str(n), label)
    for n, label in (
        (0, _l("0 — Not yet")),
        (1, _l("1 — Aware")),
        (2, _l("2 — Assisted")),
        (3, _l("3 — Independent")),
        (4, _l("4 — Expert")),
    )
]


class AssessmentForm(BaseForm):
    competency_id = RefField(_l("Competency"), validators=[InputRequired()])
    level = SelectField(_l("Level"), choices=LEVELS, coerce=int)
    assessed_on = DateField(_l("Assessed on"), validators=[InputRequired()])
    log_ids = MultiCheckboxField(
        _l("Evidence: logs where the mentee performed"),
        coerce=int,
        validate_choice=False,
        description=_l(
            "Level 3 or 4 needs at least one acknowledged log on "
            "this competency in which the mentee led."
        ),
    )
    note = TextAreaField(_l("Note"), validators=ASSESSMENT["note"].validators())
    request_review = BooleanField(_l("Ask my coach to review this self-assessment"))
    resolves = HiddenField()
