from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice, SelectField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from scbi.forms import BaseForm, MultiCheckboxField, RefField, VersionField, enum_choices
from scbi.programme.forms import level_choices
from scbi.transfer.models import ActivityType, MenteeRole


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


ACTIVITY_CHOICES = enum_choices(ActivityType)


class PlanItemForm(Form):
    """One row of a plan (a sub-form: the plan form carries the CSRF token)."""

    competency_id = RefField(_l("Competency"), validators=[Optional()])
    baseline_level = SelectField(_l("Baseline"), choices=level_choices(0, 3), coerce=int, default=1)
    target_level = SelectField(_l("Target"), choices=level_choices(1), coerce=int, default=3)
    target_date = DateField(_l("By"), validators=[Optional()])
    methods = MultiCheckboxField(_l("Transfer methods"), choices=ACTIVITY_CHOICES)
    expected_evidence = TextAreaField(
        _l("Evidence that will show the skill was transferred"), validators=[Length(max=2000)]
    )
    priority_result_id = RefField(_l("Priority result it serves"), validators=[Optional()])


class PlanForm(BaseForm):
    items = FieldList(FormField(PlanItemForm))
    version = VersionField()
    submit_plan = SubmitField(_l("Save and submit for approval"))
    save = SubmitField(_l("Save draft"))

    def item_rows(self) -> tuple[list[dict], list[int]]:
        """The filled rows as service items, and the form row of each."""
        rows, index = [], []
        for n, entry in enumerate(self.items.entries):
            data = entry.form.data
            if not data.get("competency_id"):
                continue
            rows.append({k: v for k, v in data.items() if k != "csrf_token"})
            index.append(n)
        return rows, index


class DecisionForm(BaseForm):
    comment = TextAreaField(
        _l("Comment"),
        validators=[Length(max=2000)],
        description=_l("Required when returning the plan: say what to fix."),
    )
    version = VersionField()
    approve = SubmitField(_l("Approve"))
    send_back = SubmitField(_l("Return to the coach"))


class LogForm(BaseForm):
    activity_date = DateField(_l("Date"), validators=[InputRequired()])
    hours = DecimalField(
        _l("Hours"),
        places=2,
        validators=[InputRequired()],
        render_kw={"step": "0.25", "min": "0.25", "max": "24", "inputmode": "decimal"},
    )
    activity_type = SelectField(_l("Activity"), choices=ACTIVITY_CHOICES)
    mentee_role = RadioField(
        _l("The mentee's part"),
        choices=enum_choices(MenteeRole),
        validators=[InputRequired()],
    )
    competency_ids = MultiCheckboxField(_l("Competencies of the plan"), coerce=int)
    title = StringField(_l("What was done"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Details"), validators=[Length(max=10000)])
    off_plan_ids = SelectMultipleField(
        _l("Other competencies (off-plan)"), coerce=int, validate_choice=False
    )
    off_plan_reason = TextAreaField(_l("Why off-plan"), validators=[Length(max=2000)])
    version = VersionField()
    save = SubmitField(_l("Save draft"))
    submit_log = SubmitField(_l("Save and send to the mentee"))

    def values(self) -> dict:
        data = super().values()
        data["competency_ids"] = sorted(
            set(data.pop("competency_ids") or []) | set(data.pop("off_plan_ids") or [])
        )
        data.pop("save", None)
        data.pop("submit_log", None)
        return data


class ResponseForm(BaseForm):
    comment = TextAreaField(_l("Comment"), validators=[Length(max=2000)])
    version = VersionField()
    acknowledge = SubmitField(_l("Acknowledge"))
    dispute = SubmitField(_l("Dispute"))


class EvidenceForm(BaseForm):
    file = FileField(_l("File"), description=_l("PDF, Office, image, CSV or text; 10 MB at most."))
    url = StringField(_l("…or a link"), validators=[Optional(), Length(max=2000)])
    title = StringField(_l("Title"), validators=[Length(max=200)])
