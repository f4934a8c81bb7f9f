"""The forms of short engagements, one a screen, each short enough for a phone: the
request, the team, brokering, the start, a check-in, the close-out, and a request not
taken up. The service checks every rule and names the field; the forms only read."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional
from wtforms.widgets import HiddenInput

from scbi.engagements.models import (
    CHECK_IN,
    ENGAGEMENT,
    MAX_OBJECTIVES,
    MEMBER,
    OBJECTIVE,
    CheckInProgress,
    ObjectiveOutcome,
    PractitionerKind,
)
from scbi.forms import BaseForm, RefField, VersionField, YesNoField, enum_choices

# Only the lengths are checked here: the service says what is missing, every field of it
# at once, beside each (a form that stopped at its own first refusals would hide the rest).


def _text(name: str, label, description=None) -> TextAreaField:
    return TextAreaField(
        label, validators=ENGAGEMENT[name].validators(required=False), description=description
    )


class RequestForm(BaseForm):
    institution_id = RefField(_l("Institution"))
    sector_id = RefField(
        _l("Sector"),
        description=_l("Empty: the institution's. The sector's coordinators see the engagement."),
    )
    received_on = DateField(_l("Received on"), validators=[Optional()])
    requested_by_name = StringField(
        _l("Requested by"),
        validators=ENGAGEMENT["requested_by_name"].validators(required=False),
        description=_l("The person at the institution who asked."),
    )
    requested_by_role = StringField(
        _l("Their role"), validators=ENGAGEMENT["requested_by_role"].validators()
    )
    problem = _text(
        "problem",
        _l("The problem"),
        _l("The service-delivery problem the institution states, in its words."),
    )
    hoped_result = _text("hoped_result", _l("The result it hopes for"))
    objectives = TextAreaField(
        _l("Objectives"),
        validators=[Length(max=MAX_OBJECTIVES * (OBJECTIVE["text"].max_length + 2))],
        description=_l(
            "One a line, as agreed with the institution: at least one before a practitioner "
            "is brokered. The engagement is judged against them."
        ),
    )
    version = VersionField()

    @classmethod
    def of(cls, engagement) -> RequestForm:
        """The form filled with the request as it stands, its objectives one a line."""
        names = ("institution_id", "sector_id", "received_on", "requested_by_name")
        names += ("requested_by_role", "problem", "hoped_result", "version")
        data = {name: getattr(engagement, name) for name in names}
        data["objectives"] = "\n".join(o.text for o in engagement.objectives)
        return cls(data=data)

    def values(self) -> dict:
        values = super().values()
        lines = (values.get("objectives") or "").splitlines()
        values["objectives"] = [line.strip() for line in lines if line.strip()]
        return values


class MemberForm(Form):
    """One person of the counterpart team (a sub-form: the team form carries the CSRF
    token)."""

    name = StringField(_l("Name"), validators=MEMBER["name"].validators(required=False))
    position = StringField(_l("Position"), validators=MEMBER["position"].validators(required=False))
    mentee_id = RefField(_l("Mentee of the programme"))


class TeamForm(BaseForm):
    members = FieldList(FormField(MemberForm))
    version = VersionField()

    def row_index(self) -> list[int]:
        """The form row of each member sent to the service (the rows filled in)."""
        return [
            n
            for n, entry in enumerate(self.members.entries)
            if any(entry.form.data[k] for k in ("name", "position", "mentee_id"))
        ]

    def values(self) -> dict:
        rows = [self.members.entries[n].form.data for n in self.row_index()]
        return {"members": rows, "version": self.version.data}


class BrokerForm(BaseForm):
    kind = RadioField(
        _l("Practitioner"), choices=enum_choices(PractitionerKind), validate_choice=False
    )
    coach_id = RefField(_l("Coach"))
    expert_name = StringField(
        _l("Expert's name"), validators=ENGAGEMENT["expert_name"].validators(required=False)
    )
    expert_organisation = StringField(
        _l("Organisation"),
        validators=ENGAGEMENT["expert_organisation"].validators(required=False),
    )
    expert_country = StringField(
        _l("Country"), validators=ENGAGEMENT["expert_country"].validators(required=False)
    )
    expert_email = StringField(
        _l("E-mail"), validators=ENGAGEMENT["expert_email"].validators(required=False)
    )
    start_date = DateField(_l("Starts on"), validators=[Optional()])
    weeks = IntegerField(
        _l("Weeks"),
        validators=[Optional()],
        render_kw=ENGAGEMENT["weeks"].render_kw(),
        description=_l("From 1 to 26: a short engagement lasts weeks, not years."),
    )
    version = VersionField()

    def values(self) -> dict:
        """The practitioner chosen: the coach, or the expert's details (the other's
        fields are left out, whatever was typed in them)."""
        values = super().values()
        kind = values.pop("kind", None)
        if kind == PractitionerKind.COACH:
            for name in ("expert_name", "expert_organisation", "expert_country", "expert_email"):
                values.pop(name)
        elif kind == PractitionerKind.EXPERT:
            values["coach_id"] = None
        return values


class StartForm(BaseForm):
    start_date = DateField(
        _l("Started on"),
        validators=[Optional()],
        description=_l("The span keeps its weeks from this day."),
    )
    version = VersionField()


class ProgressForm(Form):
    """A check-in's word on one objective (its label is the objective)."""

    objective_id = IntegerField(widget=HiddenInput(), validators=[Optional()])
    progress = SelectField(
        choices=[SelectChoice("", _l("No word")), *enum_choices(CheckInProgress)],
        validate_choice=False,
    )


class CheckInForm(BaseForm):
    held_on = DateField(_l("Held on"), validators=[Optional()], description=_l("Empty: today."))
    note = TextAreaField(
        _l("What happened"),
        validators=CHECK_IN["note"].validators(required=False),
        description=_l("What the team and the practitioner did, and what comes next."),
    )
    progress = FieldList(FormField(ProgressForm))

    def row_index(self) -> list[int]:
        """The form row of each word sent to the service (the objectives given one)."""
        return [n for n, entry in enumerate(self.progress.entries) if entry.form.progress.data]

    def values(self) -> dict:
        values = super().values()
        values["progress"] = [
            {
                "objective_id": self.progress.entries[n].form.objective_id.data,
                "progress": self.progress.entries[n].form.progress.data,
            }
            for n in self.row_index()
        ]
        return values


class OutcomeForm(Form):
    """The close-out of one objective (its legend is the objective)."""

    objective_id = IntegerField(widget=HiddenInput(), validators=[Optional()])
    outcome = RadioField(
        _l("Outcome"), choices=enum_choices(ObjectiveOutcome), validate_choice=False
    )
    note = TextAreaField(_l("What shows it"), validators=OBJECTIVE["outcome_note"].validators())


class CloseForm(BaseForm):
    outcomes = FieldList(FormField(OutcomeForm))
    team_can_now = _text(
        "team_can_now",
        _l("What the team can now do on its own"),
        _l("What the team does without the practitioner now, that it could not before."),
    )
    longer_pairing = YesNoField(_l("Should a longer pairing follow?"))
    longer_pairing_note = _text(
        "longer_pairing_note",
        _l("About the longer pairing"),
        _l("With yes: what it would build on, and for whom."),
    )
    closed_on = DateField(_l("Closed on"), validators=[Optional()], description=_l("Empty: today."))
    version = VersionField()

    def row_index(self) -> list[int]:
        """Every objective's row is sent, in order."""
        return list(range(len(self.outcomes.entries)))

    def values(self) -> dict:
        values = super().values()
        values["outcomes"] = [
            {"objective_id": row["objective_id"], "outcome": row["outcome"], "note": row["note"]}
            for row in values["outcomes"]
        ]
        return values


class EndForm(BaseForm):
    """Decline a request, or record its withdrawal: why."""

    reason = _text("end_reason", _l("Why"))
    version = VersionField()

    def values(self) -> dict:
        return {"reason": self.reason.data, "version": self.version.data}
