"""The assessment form (a validator's or the mentee's own)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, HiddenField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectField
from wtforms.validators import InputRequired

from scbi.competencies.models import ASSESSMENT
from scbi.forms import BaseForm, MultiCheckboxField, RefField
from scbi.programme.forms import level_choices


class AssessmentForm(BaseForm):
    competency_id = RefField(_l("Competency"), validators=[InputRequired()])
    level = SelectField(_l("Level"), choices=level_choices(), coerce=int)
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
    # the logs offered depend on the competency: this shows the form again with those of
    # the competency chosen, recording nothing
    show_logs = SubmitField(_l("Show the logs on this competency"))

    def values(self) -> dict:
        """The service's arguments; ``resolves`` is the id of the review request this
        settles, or None (an empty or mangled hidden value settles nothing)."""
        values = super().values()
        values.pop("show_logs", None)
        raw = values.get("resolves") or ""
        values["resolves"] = int(raw) if raw.isdecimal() and len(raw) < 10 else None
        return values
