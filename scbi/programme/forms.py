from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice, SelectField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from scbi.auth.models import ACCOUNT
from scbi.dates import today
from scbi.forms import (
    BaseForm,
    DecimalTextField,
    MultiCheckboxField,
    RefField,
    VersionField,
    enum_choices,
    optional_int,
)
from scbi.programme.models import (
    COMPETENCY,
    FRAMEWORK,
    INDICATOR,
    INDICATOR_VALUE,
    INSTITUTION,
    LEVEL_LABELS,
    PHASE,
    PRIORITY_RESULT,
    SECTOR,
    ResultStatus,
)


def effective_on_field(label, description):
    """When a dated change takes effect (scbi.programme.rules): today unless changed."""
    return DateField(label, validators=[Optional()], default=today, description=description)


def level_choices(lowest: int = 0, highest: int = 4) -> list[SelectChoice]:
    """The levels of the 0–4 scale from ``lowest`` to ``highest``, as select choices."""
    return [SelectChoice(str(n), LEVEL_LABELS[n]) for n in range(lowest, highest + 1)]


class PhaseForm(BaseForm):
    name = StringField(
        _l("Name"),
        validators=PHASE["name"].validators(),
        description=_l("For example: SCBI Phase II"),
    )
    start_date = DateField(_l("Starts on"), validators=[InputRequired()])
    end_date = DateField(
        _l("Ends on"),
        validators=[Optional()],
        description=_l("Leave empty while the phase is open-ended."),
    )
    description = TextAreaField(_l("Description"), validators=PHASE["description"].validators())
    version = VersionField()


class SectorForm(BaseForm):
    code = StringField(
        _l("Code"),
        validators=SECTOR["code"].validators(),
        description=_l("Short and stable, e.g. ENE or AGR."),
    )
    name = StringField(_l("Name"), validators=SECTOR["name"].validators())
    expert_target = IntegerField(
        _l("National experts wanted"),
        # the minimum only (the service holds the maximum too, in its own words)
        validators=[InputRequired(), NumberRange(min=SECTOR["expert_target"].min)],
        description=_l("The critical mass the country aims for."),
    )
    target_date = DateField(_l("Target date"), validators=[InputRequired()])
    expert_level = SelectField(
        _l("Expert level"),
        choices=level_choices(1),
        default="3",
        coerce=int,
        description=_l("The level every core competency must reach."),
    )
    effective_on = effective_on_field(
        _l("New settings take effect on"),
        _l(
            "For a new expert level, target or target date. Figures for earlier dates keep "
            "the settings then in force."
        ),
    )
    active = BooleanField(_l("Active"), default=True)
    coordinators = MultiCheckboxField(
        _l("Coordinators"), coerce=int, description=_l("They see and manage only their sectors.")
    )
    version = VersionField()


class InstitutionForm(BaseForm):
    name = StringField(_l("Name"), validators=INSTITUTION["name"].validators())
    acronym = StringField(_l("Acronym"), validators=INSTITUTION["acronym"].validators())
    sector_id = RefField(_l("Sector"), validators=[InputRequired()])
    version = VersionField()


class PriorityResultForm(BaseForm):
    title = StringField(_l("Result"), validators=PRIORITY_RESULT["title"].validators())
    sector_id = RefField(_l("Sector"), validators=[InputRequired()])
    institution_id = RefField(_l("Institution"), validators=[Optional()])
    due_date = DateField(_l("Due"), validators=[InputRequired()])
    status = SelectField(_l("Status"), choices=enum_choices(ResultStatus))
    status_on = DateField(
        _l("Status as of"), validators=[Optional()], description=_l("Defaults to today.")
    )
    status_note = TextAreaField(
        _l("Status note"),
        validators=PRIORITY_RESULT["status_note"].validators(),
        description=_l("What happened; kept in the dated history."),
    )
    version = VersionField()


class IndicatorForm(BaseForm):
    """An indicator of a priority result: values are typed in the reader's language and
    read as exact decimals (scbi.forms.DecimalTextField); the service checks their range."""

    name = StringField(
        _l("Indicator"),
        validators=INDICATOR["name"].validators(),
        description=_l("For example: Households connected to the grid"),
    )
    unit = StringField(
        _l("Unit"),
        validators=INDICATOR["unit"].validators(),
        description=_l("For example: %, MW, USD million, licences"),
    )
    baseline_value = DecimalTextField(_l("Baseline value"), validators=[InputRequired()])
    baseline_date = DateField(_l("Baseline measured on"), validators=[InputRequired()])
    target_value = DecimalTextField(_l("Target value"), validators=[InputRequired()])
    target_date = DateField(
        _l("Target date"),
        validators=[InputRequired()],
        description=_l("Not before the baseline date."),
    )
    version = VersionField()


class IndicatorValueForm(BaseForm):
    """An actual value of a fiscal quarter; with the version of the quarter's value when
    it corrects one."""

    fiscal_year = IntegerField(
        _l("Fiscal year"),
        validators=[InputRequired(), *INDICATOR_VALUE["fiscal_year"].validators()],
        description=_l("Named by the calendar year it starts in."),
    )
    quarter = SelectField(
        _l("Quarter"),
        choices=[SelectChoice(str(n), _l("Q%(quarter)s", quarter=n)) for n in range(1, 5)],
        coerce=int,
    )
    value = DecimalTextField(_l("Actual value"), validators=[InputRequired()])
    source = TextAreaField(
        _l("Source"),
        validators=INDICATOR_VALUE["source"].validators(),
        description=_l(
            "Where the figure comes from: a report, a survey, an administrative record."
        ),
    )
    evidence = FileField(
        _l("Evidence (optional)"),
        description=_l(
            "PDF, Office, image, CSV or text; 10 MB at most. A new file replaces the quarter's."
        ),
    )
    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    # the value the form was opened on (a correction): its quarter may not be changed
    read_id = IntegerField(widget=HiddenInput(), validators=[Optional()])

    def values(self) -> dict:
        data = super().values()
        upload = data.pop("evidence", None)
        if upload and getattr(upload, "filename", ""):
            data["evidence"] = (upload.stream, upload.filename)
        return data


class DeleteForm(BaseForm):
    """The confirmation of a deletion, with the version of the record as it was shown."""

    version = VersionField()


class FrameworkForm(BaseForm):
    name = StringField(_l("Name"), validators=FRAMEWORK["name"].validators())
    idnumber = StringField(
        _l("ID number"),
        validators=FRAMEWORK["idnumber"].validators(),
        description=_l("Unique; Moodle uses it to match frameworks."),
    )
    sector_id = RefField(
        _l("Sector"),
        validators=[Optional()],
        description=_l("Empty for a cross-cutting framework (e.g. leadership)."),
    )
    effective_on = effective_on_field(
        _l("A move to another sector takes effect on"),
        _l(
            "Its core competencies count in the new sector's expert rule from this date; "
            "figures for earlier dates do not change."
        ),
    )
    description = TextAreaField(_l("Description"), validators=FRAMEWORK["description"].validators())
    version = VersionField()


class CompetencyForm(BaseForm):
    short_name = StringField(_l("Name"), validators=COMPETENCY["short_name"].validators())
    idnumber = StringField(_l("ID number"), validators=COMPETENCY["idnumber"].validators())
    parent_id = RefField(_l("Under"), validators=[Optional()])
    description = TextAreaField(
        _l("Description"), validators=COMPETENCY["description"].validators()
    )
    core = BooleanField(
        _l("Core competency"), description=_l("Core competencies define a national expert.")
    )
    effective_on = effective_on_field(
        _l("A change of the core flag takes effect on"),
        _l("Figures for earlier dates keep the core set then in force."),
    )
    version = VersionField()


class FrameworkImportForm(BaseForm):
    file = FileField(
        _l("Moodle framework file (CSV)"),
        validators=[FileRequired()],
        description=_l(
            "Exported from Moodle: Site administration › Competencies "
            "› Export competency framework."
        ),
    )
    sector_id = RefField(
        _l("Sector"),
        validators=[Optional()],
        description=_l("Empty for a cross-cutting framework."),
    )


def _effective_on() -> DateField:
    return effective_on_field(
        _l("The core set takes effect on"),
        _l(
            "National experts are counted with this core set from this date on (not in the "
            "future); figures of earlier dates keep the core set then in force. When the "
            "programme already used it, give the date it started to."
        ),
    )


class CoreSelectionForm(BaseForm):
    """The ticks of a core choice and its bulk selection tools: a ``selection`` button
    re-renders the ticks with the selection applied, without saving."""

    core_ids = MultiCheckboxField(_l("Core"), validate_choice=False)
    search = StringField(_l("Name or ID number contains"), validators=[Length(max=100)])
    depth = SelectField(_l("Depth in the tree"), coerce=optional_int, validate_choice=False)
    selection = StringField()
    effective_on = _effective_on()


class CoreChoiceForm(CoreSelectionForm):
    """The framework page's core choice (checkbox values are competency ids)."""

    version = VersionField()


class ImportPreviewForm(CoreSelectionForm):
    """The preview of an import: the file's text travels back and is checked again on
    confirmation (checkbox values are idnumbers)."""

    content = HiddenField(validators=[DataRequired()])
    sector_id = IntegerField(widget=HiddenInput(), validators=[Optional()])
    update = HiddenField()
    version = IntegerField(widget=HiddenInput(), validators=[Optional()])


__all__ = [
    "CompetencyForm",
    "CoreChoiceForm",
    "FrameworkForm",
    "FrameworkImportForm",
    "ImportPreviewForm",
    "IndicatorForm",
    "IndicatorValueForm",
    "InstitutionForm",
    "PhaseForm",
    "PriorityResultForm",
    "SectorForm",
    "optional_int",
]


class AssignCoordinatorForm(BaseForm):
    """The sector page's "add a coordinator": an existing coordinator account."""

    user_id = RefField(_l("Coordinator to add"), validators=[InputRequired()])
    version = VersionField()


class NewCoordinatorForm(BaseForm):
    """A new coordinator account for one sector (from the sector's page)."""

    full_name = StringField(_l("Full name"), validators=ACCOUNT["full_name"].validators())
    email = EmailField(_l("E-mail"), validators=ACCOUNT["email"].validators())
    version = VersionField()
