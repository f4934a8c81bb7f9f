"""The forms of peer exchanges, each short enough for a phone: the exchange, a
participant (one form per kind), a follow-up action, a reflection, a plan link."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional

from scbi.exchanges.models import (
    ACTION,
    EXCHANGE,
    PARTICIPANT,
    PLAN_LINK,
    REFLECTION,
    ExchangeKind,
    ParticipantKind,
)
from scbi.forms import BaseForm, MultiCheckboxField, RefField, VersionField, enum_choices
from scbi.mentees.models import Gender


class ExchangeForm(BaseForm):
    kind = SelectField(_l("Kind of exchange"), choices=enum_choices(ExchangeKind))
    title = StringField(_l("Title"), validators=EXCHANGE["title"].validators())
    starts_on = DateField(_l("Starts on"), validators=[InputRequired()])
    ends_on = DateField(
        _l("Ends on"),
        validators=[Optional()],
        description=_l("Empty for a one-day exchange."),
    )
    sector_ids = MultiCheckboxField(_l("Sectors it concerns"), coerce=int)
    host_institution_id = RefField(
        _l("Host institution"),
        validators=[Optional()],
        description=_l("An institution of the programme; for any other host, name it below."),
    )
    host_organisation = StringField(
        _l("Or the host organisation"),
        validators=EXCHANGE["host_organisation"].validators(),
        description=_l("A regulator, a ministry or a utility abroad, for instance."),
    )
    host_country = SelectField(_l("Its country"), validate_choice=False)
    questions = TextAreaField(
        _l("Questions it set out to answer"), validators=EXCHANGE["questions"].validators()
    )
    competency_ids = SelectMultipleField(
        _l("Competencies it addressed"), coerce=int, validate_choice=False
    )
    result_ids = SelectMultipleField(
        _l("Priority results it served"), coerce=int, validate_choice=False
    )
    learnt = TextAreaField(
        _l("What was learnt"),
        validators=EXCHANGE["learnt"].validators(),
        description=_l("Afterwards: the answers found, what works elsewhere and could work here."),
    )
    version = VersionField()


class ParticipantKindForm(BaseForm):
    """Which of the participant forms was sent (its hidden ``kind``)."""

    kind = HiddenField()


class MenteeParticipantForm(BaseForm):
    kind = HiddenField(default=ParticipantKind.MENTEE.value)
    mentee_id = RefField(_l("Mentee"), validators=[InputRequired()])


class CoachParticipantForm(BaseForm):
    kind = HiddenField(default=ParticipantKind.COACH.value)
    coach_id = RefField(_l("Coach"), validators=[InputRequired()])


class ExternalParticipantForm(BaseForm):
    kind = HiddenField(default=ParticipantKind.EXTERNAL.value)
    name = StringField(_l("Name"), validators=PARTICIPANT["name"].validators())
    organisation = StringField(
        _l("Organisation"), validators=PARTICIPANT["organisation"].validators()
    )
    country = SelectField(_l("Country"), validate_choice=False)
    gender = SelectField(
        _l("Gender"),
        choices=[SelectChoice("", _l("Not given")), *enum_choices(Gender)],
        validate_choice=False,  # the service names a gender it does not know
        description=_l("Optional; the reports count participants by gender."),
    )


class ActionForm(BaseForm):
    description = TextAreaField(
        _l("What is to be done"), validators=ACTION["description"].validators()
    )
    owner_id = RefField(_l("Owner"), validators=[Optional()])
    owner_name = StringField(
        _l("Or the owner's name"),
        validators=ACTION["owner_name"].validators(),
        description=_l("Someone from outside the programme: a host's officer, a partner."),
    )
    due_on = DateField(_l("Due on"), validators=[Optional()])
    done_on = DateField(
        _l("Done on"), validators=[Optional()], description=_l("Empty while it is not done.")
    )
    version = VersionField()


class DoneForm(BaseForm):
    version = VersionField()


class ReflectionForm(BaseForm):
    text = TextAreaField(
        _l("Your reflection"),
        validators=REFLECTION["text"].validators(required=False),
        description=_l(
            "What you saw, what surprised you, what you will try in your own work, and "
            "what you still want to find out."
        ),
        render_kw={"rows": 10},
    )
    version = VersionField()


class PlanLinkForm(BaseForm):
    plan_id = RefField(_l("Plan"), validators=[InputRequired()])
    note = TextAreaField(
        _l("How the exchange serves the plan"), validators=PLAN_LINK["note"].validators()
    )
