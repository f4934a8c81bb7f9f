"""Field limits (scbi.limits): each declared once, and the form, the API schema and the
service of the entity all hold to that declaration."""

from __future__ import annotations

from datetime import date

import pytest
from wtforms.validators import DataRequired, Length, NumberRange

from scbi import limits
from scbi.api.assessments import AssessmentIn
from scbi.api.auth import TokenRequest
from scbi.api.frameworks import CompetencyIn, CompetencyPatch, FrameworkIn
from scbi.api.indicators import IndicatorIn, IndicatorPatch, ValueIn
from scbi.api.pairings import PairingEnd, PairingIn
from scbi.api.people import CoachIn, CoachPatch, MenteeIn, MenteePatch
from scbi.api.programme import (
    InstitutionIn,
    PhaseIn,
    ResultIn,
    ResultPatch,
    SectorIn,
    SectorPatch,
)
from scbi.api.published import PublishIn
from scbi.api.reports import PERIOD_QUERY
from scbi.api.transfer import Decision, LinkIn, LogIn, LogPut, PlanItemIn, Response_
from scbi.api.users import UserCreate, UserPatch
from scbi.auth.forms import AccountForm, LoginForm, UserCreateForm, UserEditForm
from scbi.auth.models import ACCOUNT, TOKEN, ApiToken, User
from scbi.coaches.forms import CoachProfileForm
from scbi.coaches.models import COACH, Coach
from scbi.competencies.forms import AssessmentForm
from scbi.competencies.models import ASSESSMENT
from scbi.errors import ValidationFailed
from scbi.extensions import db
from scbi.mentees.forms import MenteeProfileForm, MenteeStatusForm
from scbi.mentees.models import MENTEE, MENTEE_STATUS, Mentee
from scbi.programme.forms import (
    CompetencyForm,
    FrameworkForm,
    IndicatorForm,
    IndicatorValueForm,
    InstitutionForm,
    PhaseForm,
    PriorityResultForm,
    SectorForm,
)
from scbi.programme.models import (
    COMPETENCY,
    FRAMEWORK,
    INDICATOR,
    INDICATOR_VALUE,
    INSTITUTION,
    PHASE,
    PRIORITY_RESULT,
    SECTOR,
    Competency,
    CompetencyFramework,
    Indicator,
    IndicatorValue,
    Institution,
    Phase,
    PriorityResult,
    Sector,
)
from scbi.reports.models import PERIOD, PUBLICATION
from scbi.transfer.forms import (
    DecisionForm,
    EvidenceForm,
    LogForm,
    PairingEndForm,
    PairingForm,
    PlanItemForm,
    ResponseForm,
)
from scbi.transfer.models import (
    EVIDENCE,
    LOG,
    LOG_RESPONSE,
    PAIRING,
    PAIRING_END,
    PLAN_DECISION,
    PLAN_ITEM,
    Evidence,
    TransferLog,
)
from scbi.transfer.services import logs
from scbi.validation import Errors
from tests import factories as f

# --- the kernel's adapters -----------------------------------------------------------------


def test_a_text_limit_gives_each_surface_its_spelling():
    """Text: the form's validators, the API field's and Errors.text's keyword arguments."""
    limit = limits.Text(5, required=True)
    required, length = limit.validators()
    assert isinstance(required, DataRequired) and isinstance(length, Length)
    assert length.max == 5
    assert [type(v) for v in limit.validators(required=False)] == [Length]
    assert limit.api() == {"required": True, "max_length": 5}
    assert limit.api(required=False) == {"required": False, "max_length": 5}
    assert limit.check() == {"max_length": 5, "required": True}
    assert limits.Text(5).check() == {"max_length": 5, "required": False}


def test_a_number_limit_gives_each_surface_its_spelling():
    """Number: NumberRange, a number input's attributes, the API field's and
    Errors.integer's keyword arguments."""
    limit = limits.Number(0.25, 24, step=0.25)
    (number_range,) = limit.validators()
    assert isinstance(number_range, NumberRange)
    assert (number_range.min, number_range.max) == (0.25, 24)
    assert limit.render_kw() == {"step": "0.25", "min": "0.25", "max": "24"}
    assert limits.Number(1, 4).render_kw() == {"min": "1", "max": "4"}
    assert limit.api() == {"min": 0.25, "max": 24}
    assert limits.Number(1, 4).check() == {"min_value": 1, "max_value": 4}


def test_errors_text_refuses_one_character_over_the_limit():
    errors = Errors()
    assert errors.text("a", "x" * 5, **limits.Text(5).check()) == "xxxxx"
    assert not errors
    errors.text("b", "x" * 6, **limits.Text(5).check())
    errors.text("c", " ", **limits.Text(5, required=True).check())
    assert errors.fields == {
        "b": ["Use at most 5 characters."],
        "c": ["This field is required."],
    }


# --- a transfer log, end to end: form, API schema, service --------------------------------

LOG_TEXTS = [name for name, limit in LOG.items() if isinstance(limit, limits.Text)]


@pytest.fixture
def log_pairing(app):
    """An active pairing with an approved plan on one competency, and its coach."""
    with app.app_context():
        sector = f.sector()
        institution = f.institution(sector.id)
        coach = f.coach(sector.id, institution.id)
        pairing = f.pairing(coach, f.mentee(sector.id, institution.id), f.phase())
        (competency,) = f.competencies(sector.id, 1)
        f.approved_plan(pairing, [competency])
        db.session.commit()
        yield pairing, db.session.get(User, coach.user_id), competency.id


def create_log(log_pairing, **changes) -> dict:
    """The fields the service refuses when the coach writes a log with ``changes``."""
    pairing, coach, competency_id = log_pairing
    data = {
        "activity_date": date(2025, 6, 2),
        "activity_type": "on_the_job",
        "hours": 2,
        "title": "Load-flow study",
        "mentee_role": "led",
        "competency_ids": [competency_id],
    } | changes
    try:
        logs.create_log(pairing, by=coach, **data)
    except ValidationFailed as refusal:
        db.session.rollback()
        return refusal.fields
    return {}


def form_errors(app, name: str, value: str) -> list[str]:
    """What the log form's field says of ``value`` (only that field is validated)."""
    with app.test_request_context(method="POST", data={name: value}):
        form = LogForm()
        form[name].validate(form)
        return form[name].errors


def api_errors(schema, name: str, value) -> list[str]:
    errors: list[str] = []
    schema.fields[name].clean(value, errors)
    return errors


@pytest.mark.parametrize("name", LOG_TEXTS)
def test_each_log_text_is_refused_one_character_over_its_limit_everywhere(app, log_pairing, name):
    """The form, the API's create and update schemas and the service accept a log text
    of exactly its declared length, and refuse one character more."""
    limit = LOG[name]
    at_limit, over = "x" * limit.max_length, "x" * (limit.max_length + 1)

    assert form_errors(app, name, at_limit) == []
    assert form_errors(app, name, over) == [
        f"Field cannot be longer than {limit.max_length} characters."
    ]
    for schema in (LogIn, LogPut):
        assert api_errors(schema, name, at_limit) == []
        assert api_errors(schema, name, over) == [f"Use at most {limit.max_length} characters."]
    assert create_log(log_pairing, **{name: at_limit}) == {}
    assert create_log(log_pairing, **{name: over}) == {
        name: [f"Use at most {limit.max_length} characters."]
    }


@pytest.mark.parametrize("name", LOG_TEXTS)
def test_each_log_text_is_required_on_every_surface_or_on_none(app, log_pairing, name):
    """A required log text is refused blank by the form, the API's create schema and the
    service; an optional one by none of them."""
    required = LOG[name].required
    assert bool(form_errors(app, name, "")) is required
    assert LogIn.fields[name].required is required
    assert (name in create_log(log_pairing, **{name: " "})) is required


def test_log_hours_are_refused_one_step_outside_their_limits_everywhere(app, log_pairing):
    """The hours input carries the declared bounds and step (the browser holds to them);
    the API schema and the service accept each bound and refuse one step beyond it."""
    limit = LOG["hours"]
    with app.test_request_context():
        field = LogForm().hours
        assert f'min="{limit.min}"' in field() and f'max="{limit.max}"' in field()
        assert f'step="{limit.step}"' in field()

    low, high = limit.min, limit.max
    for schema in (LogIn, LogPut):
        assert api_errors(schema, "hours", low) == api_errors(schema, "hours", high) == []
        assert api_errors(schema, "hours", low - limit.step) == [f"Must be at least {low}."]
        assert api_errors(schema, "hours", high + limit.step) == [f"Must be at most {high}."]

    out_of_range = {"hours": [f"Between {low} and {high} hours."]}
    assert create_log(log_pairing, hours=low) == create_log(log_pairing, hours=high) == {}
    assert create_log(log_pairing, hours=low - limit.step) == out_of_range
    assert create_log(log_pairing, hours=high + limit.step) == out_of_range
    assert create_log(log_pairing, hours=low + limit.step / 2) == {
        "hours": ["Use quarter hours (0.25, 0.5, 0.75 …)."]
    }


# --- every entity: the forms, the API schemas and the columns hold to the declarations ------

DECLARED_FORMS = [
    (LogForm, LOG),
    (PlanItemForm, PLAN_ITEM),
    (DecisionForm, PLAN_DECISION),
    (ResponseForm, LOG_RESPONSE),
    (EvidenceForm, EVIDENCE),
    (PairingForm, PAIRING),
    (PairingEndForm, PAIRING_END),
    (PhaseForm, PHASE),
    (SectorForm, SECTOR),
    (InstitutionForm, INSTITUTION),
    (PriorityResultForm, PRIORITY_RESULT),
    (FrameworkForm, FRAMEWORK),
    (CompetencyForm, COMPETENCY),
    (CoachProfileForm, COACH),
    (MenteeProfileForm, MENTEE),
    (MenteeStatusForm, MENTEE_STATUS),
    (AssessmentForm, ASSESSMENT),
    (AccountForm, ACCOUNT),
    (LoginForm, ACCOUNT),
    (UserCreateForm, ACCOUNT),
    (UserEditForm, ACCOUNT),
    (IndicatorForm, INDICATOR),
    (IndicatorValueForm, INDICATOR_VALUE),
]


@pytest.mark.parametrize(
    ("form_class", "declared"), DECLARED_FORMS, ids=[c.__name__ for c, _ in DECLARED_FORMS]
)
def test_form_fields_hold_to_the_declared_limits(app, form_class, declared):
    """Each declared text field of the form has its declared Length; a number field's
    NumberRange, each bound it states."""
    with app.test_request_context():
        form = form_class()
    checked = 0
    for name, limit in declared.items():
        if name not in form:
            continue
        validators = form[name].validators
        if isinstance(limit, limits.Text):
            assert [v.max for v in validators if isinstance(v, Length)] == [limit.max_length]
            checked += 1
        for v in validators:
            if isinstance(v, NumberRange):
                assert v.min in (None, limit.min) and v.max in (None, limit.max)
                checked += 1
    assert checked


DECLARED_SCHEMAS = [
    ("LogIn", LogIn.fields, LOG),
    ("LogPut", LogPut.fields, LOG),
    ("PlanItemIn", PlanItemIn.fields, PLAN_ITEM),
    ("Decision", Decision.fields, PLAN_DECISION),
    ("MenteeResponse", Response_.fields, LOG_RESPONSE),
    ("LinkIn", LinkIn.fields, EVIDENCE),
    ("PairingIn", PairingIn.fields, PAIRING),
    ("PairingEnd", PairingEnd.fields, PAIRING_END),
    ("PhaseIn", PhaseIn.fields, PHASE),
    ("SectorIn", SectorIn.fields, SECTOR),
    ("SectorPatch", SectorPatch.fields, SECTOR),
    ("InstitutionIn", InstitutionIn.fields, INSTITUTION),
    ("PriorityResultIn", ResultIn.fields, PRIORITY_RESULT),
    ("PriorityResultPatch", ResultPatch.fields, PRIORITY_RESULT),
    ("FrameworkIn", FrameworkIn.fields, FRAMEWORK),
    ("CompetencyIn", CompetencyIn.fields, COMPETENCY),
    ("CompetencyPatch", CompetencyPatch.fields, COMPETENCY),
    ("CoachIn", CoachIn.fields, COACH | ACCOUNT),
    ("CoachPatch", CoachPatch.fields, COACH),
    ("MenteeIn", MenteeIn.fields, MENTEE | ACCOUNT),
    ("MenteePatch", MenteePatch.fields, MENTEE | MENTEE_STATUS),
    ("AssessmentIn", AssessmentIn.fields, ASSESSMENT),
    ("TokenRequest", TokenRequest.fields, ACCOUNT | TOKEN),
    ("UserCreate", UserCreate.fields, ACCOUNT),
    ("UserPatch", UserPatch.fields, ACCOUNT),
    ("PublishIn", PublishIn.fields, PERIOD | PUBLICATION),
    ("report period query", dict(PERIOD_QUERY), PERIOD),
    ("IndicatorIn", IndicatorIn.fields, INDICATOR),
    ("IndicatorPatch", IndicatorPatch.fields, INDICATOR),
    ("IndicatorValueIn", ValueIn.fields, INDICATOR_VALUE),
]


@pytest.mark.parametrize(
    ("fields", "declared"),
    [(fields, declared) for _, fields, declared in DECLARED_SCHEMAS],
    ids=[name for name, _, _ in DECLARED_SCHEMAS],
)
def test_api_schemas_hold_to_the_declared_limits(fields, declared):
    """Each declared field of the schema has the declared maxLength; a number field, each
    bound it states."""
    checked = 0
    for name, limit in declared.items():
        if name not in fields:
            continue
        field = fields[name]
        if isinstance(limit, limits.Text):
            assert field.max_length == limit.max_length
        else:
            assert field.min in (None, limit.min) and field.max in (None, limit.max)
        checked += 1
    assert checked


DECLARED_TABLES = [
    (TransferLog, LOG),
    (Evidence, EVIDENCE),
    (User, ACCOUNT),
    (ApiToken, TOKEN),
    (Phase, PHASE),
    (Sector, SECTOR),
    (Institution, INSTITUTION),
    (PriorityResult, PRIORITY_RESULT),
    (CompetencyFramework, FRAMEWORK),
    (Competency, COMPETENCY),
    (Coach, COACH),
    (Mentee, MENTEE),
    (Indicator, INDICATOR),
    (IndicatorValue, INDICATOR_VALUE),
]


@pytest.mark.parametrize(
    ("model", "declared"), DECLARED_TABLES, ids=[m.__name__ for m, _ in DECLARED_TABLES]
)
def test_columns_hold_what_the_declared_limits_let_through(model, declared):
    """No declared text limit is longer than its column (PostgreSQL would refuse it)."""
    for name, limit in declared.items():
        column = model.__table__.columns.get(name)
        length = getattr(column.type, "length", None) if column is not None else None
        if isinstance(limit, limits.Text) and length is not None:
            assert limit.max_length <= length
