"""The base form (WTForms with session CSRF through Flask-WTF) and the form-page handler."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal

from babel.numbers import NumberFormatError, format_decimal, get_group_symbol, parse_decimal
from flask import flash, redirect, render_template, url_for
from flask_babel import get_locale, get_translations, lazy_ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from scbi.enums import Labelled
from scbi.errors import Conflict, DomainError, InvalidTransition, ValidationFailed
from scbi.transaction import commit, rollback

NOT_DATA = {"csrf_token", "submit"}

# The messages WTForms and Flask-WTF write themselves, read from SCBI's catalogues (WTForms
# has no Kinyarwanda, and one catalogue keeps the words the same everywhere): listed here
# so the extraction finds them.
FIELD_MESSAGES = (
    _l("This field is required."),
    _l("Not a valid integer value."),
    _l("Not a valid decimal value."),
    _l("Not a valid float value."),
    _l("Not a valid date value."),
    _l("Not a valid datetime value."),
    _l("Not a valid choice."),
    _l("Invalid Choice: could not coerce."),
    _l("Invalid choice(s): one or more data inputs could not be coerced."),
    _l("Invalid email address."),
    _l("Number must be at least %(min)s."),
    _l("Number must be at most %(max)s."),
    _l("Number must be between %(min)s and %(max)s."),
    _l("Field must be between %(min)d and %(max)d characters long."),
    _l("The CSRF token is missing."),
    _l("The CSRF token has expired."),
    _l("The CSRF token is invalid."),
    _l("The CSRF tokens do not match."),
    _l("The CSRF session token is missing."),
    _l("File does not have an approved extension."),
    lazy_ngettext(
        "Field must be at least %(min)d character long.",
        "Field must be at least %(min)d characters long.",
        1,
    ),
    lazy_ngettext(
        "Field cannot be longer than %(max)d character.",
        "Field cannot be longer than %(max)d characters.",
        1,
    ),
    lazy_ngettext(
        "'%(value)s' is not a valid choice for this field.",
        "'%(value)s' are not valid choices for this field.",
        1,
    ),
)


class _Catalogue:
    """WTForms' translations object, answered from SCBI's catalogue for the page's language:
    the catalogue's own gettext, which leaves the %-values for WTForms to put in."""

    def gettext(self, string: str) -> str:
        return get_translations().gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ngettext(singular, plural, n)


class BaseForm(FlaskForm):
    """Every web form: CSRF token tied to the session, errors kept per field.

    ``top_errors`` holds messages that belong to no single field (shown above the form).
    """

    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            return _Catalogue()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._top_errors: list[str] = []

    @property
    def top_errors(self) -> list[str]:
        """Messages for no visible field: the form's own, services', hidden fields'."""
        hidden = [
            message
            for field in self
            if getattr(field.widget, "input_type", "") == "hidden" and field.name != "csrf_token"
            for message in field.errors
        ]
        return list(self.form_errors) + self._top_errors + hidden

    def for_new(self):
        """A creation form has no version to send back."""
        if "version" in self._fields:
            del self.version
        return self

    def add_error(self, message: str) -> None:
        self._top_errors.append(message)

    def values(self) -> dict:
        """The submitted data as service keyword arguments."""
        return {k: v for k, v in self.data.items() if k not in NOT_DATA}

    def apply(self, error: DomainError, aliases: Aliases = None) -> None:
        """Show a service's refusal beside the fields it names (the input stays typed);
        ``aliases`` names the form field of a service field called otherwise: a mapping,
        or a function of the service's name."""
        if not callable(aliases):
            aliases = (aliases or {}).get
        for name, messages in error.fields.items():
            field = self._fields.get(aliases(name) or name)
            if field is None or getattr(field.widget, "input_type", "") == "hidden":
                self._top_errors.extend(messages)
            else:
                field.errors = [*field.errors, *messages] if field.errors else list(messages)
        if not error.fields or error.rows:
            self._top_errors.insert(0, error.message)

    def apply_rows(self, error: DomainError, name: str, index: list[int]) -> None:
        """:meth:`apply` for a form with rows (a FieldList ``name``): a refusal of
        ``<name>.<n>.<field>`` goes beside that field of row ``index[n]`` (the service counts
        the rows it was given, the form also holds blank ones), one of ``<name>`` itself
        (the rows as a whole) above the form, and the others where :meth:`apply` puts them."""
        entries = getattr(self, name).entries
        other = {}
        for key, messages in error.fields.items():
            if key == name:
                self._top_errors.extend(messages)
                continue
            parts = key.split(".")
            if len(parts) == 3 and parts[0] == name and parts[1].isdigit():
                n = int(parts[1])
                field = getattr(entries[index[n]].form, parts[2], None) if n < len(index) else None
                if field is not None:
                    field.errors = [*field.errors, *messages] if field.errors else list(messages)
                    continue
            other[key] = messages
        error.fields = other
        self.apply(error)


def enum_choices(enum: type[Labelled], members=None) -> list[SelectChoice]:
    """Select choices of a labelled enum (its members, or those given), in its order."""
    wanted = set(members or enum)
    return [SelectChoice(m.value, label) for m, label in enum.labels().items() if m in wanted]


def status_filter(enum: type[Labelled]) -> list[SelectChoice]:
    """A list's status filter: each state of the enum, then all of them (``all``)."""
    return [*enum_choices(enum), SelectChoice("all", _("All"))]


def optional_int(value):
    if value in (None, "", "None"):
        return None
    return int(value)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RefField(SelectField):
    """A choice of a related record by id; the empty choice means none."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("coerce", optional_int)
        kwargs.setdefault("validate_choice", False)  # the service says if the id is unknown
        super().__init__(label, validators, **kwargs)


class VersionField(IntegerField):
    """The version the form was read at, sent back for optimistic locking."""

    widget = HiddenInput()

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators or [InputRequired()], **kwargs)


# --- numbers typed in the reader's language ------------------------------------------------

# Digits, a sign and separators only: no exponent (1e5), no NaN nor Infinity, which
# Babel's parse_decimal would read as numbers.
NUMBER_TEXT = re.compile(r"[+\-]?[0-9 .,'\u00a0\u202f\u2019]*[0-9][0-9 .,'\u00a0\u202f\u2019]*")
LONGEST_NUMBER = 40  # characters: beyond this, a typing slip


def read_decimal(raw: str) -> Decimal | None:
    """``raw`` read as a number written in the reader's language (Babel's
    ``parse_decimal`` for the page's locale, strict): the locale's decimal separator and
    its grouping — 12.5 and 1,500.5 in English, 12,5 and 1.500,5 in Kinyarwanda; where
    the locale groups with a space, any space does. None when it is no such number:
    letters, an exponent, or a separator that does not fit the locale (12,5 in English is
    neither 125 nor 12.5: it is refused, never guessed)."""
    locale = get_locale()
    text = raw.strip()
    if len(text) > LONGEST_NUMBER:
        return None
    group = get_group_symbol(locale)
    if group.isspace():
        text = re.sub(r"[ \u00a0\u202f]", group, text)
    if not NUMBER_TEXT.fullmatch(text):
        return None
    try:
        number = parse_decimal(text, locale=locale, strict=True)
    except NumberFormatError:
        return None
    return number if number.is_finite() else None


def shown_decimal(value) -> str:
    """An exact decimal (a Decimal, or its text "12.5") as the reader writes it, every
    decimal kept and no grouping: 12.5 in English, 12,5 in Kinyarwanda (what
    :func:`read_decimal` reads back)."""
    return format_decimal(
        Decimal(str(value)), "0.###", locale=get_locale(), decimal_quantization=False
    )


class DecimalTextField(StringField):
    """A number typed in the reader's language (:func:`read_decimal`): the form's data is
    an exact Decimal (None when left empty), for the services, which check its range and
    decimals. Text that reads as no number is refused beside the field with an example in
    the reader's language, and stays as typed; a value is shown as the reader writes it.
    The API keeps JSON's dot: this is for web forms only."""

    def __init__(self, label=None, validators=None, *, example: str = "12.5", **kwargs):
        kwargs["render_kw"] = {"inputmode": "decimal", **(kwargs.get("render_kw") or {})}
        super().__init__(label, validators, **kwargs)
        self.example = example

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        if not valuelist[0].strip():
            self.data = None
            return
        self.data = read_decimal(valuelist[0])
        if self.data is None:
            raise ValueError(
                _("Enter a number, such as %(example)s.", example=shown_decimal(self.example))
            )

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data in (None, "") else shown_decimal(self.data)


def _yes_no(value) -> bool | None:
    return {"yes": True, "no": False, True: True, False: False}.get(value)


class YesNoField(RadioField):
    """A yes-or-no question as two buttons (the ``choice_buttons`` macro); its data is
    True, False or None (unanswered: the service says when an answer is needed, beside the
    field, in one message for every surface)."""

    def __init__(self, label=None, validators=None, **kwargs):
        choices = [SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))]
        super().__init__(
            label, validators, choices=choices, coerce=_yes_no, validate_choice=False, **kwargs
        )


FORM_ERRORS = (ValidationFailed, Conflict, InvalidTransition)


def flash_refusal(error: DomainError) -> None:
    """A refusal of a one-button form (no fields to show it beside), flashed whole: its
    message and what it says of each field."""
    flash(" ".join([error.message, *[m for ms in error.fields.values() for m in ms]]), "danger")


# How a form names the fields a service names otherwise (BaseForm.apply).
Aliases = Mapping[str, str] | Callable[[str], str | None] | None


def form_page(
    form: BaseForm,
    template: str,
    save: Callable[[dict], object],
    done: Callable[[object], object],
    *,
    aliases: Aliases = None,
    **context,
):
    """The usual form page: show, validate, call the service, commit once, or re-render
    with every message beside its field and the input kept (422, or 409 when stale).
    ``aliases`` names the form field of a service field called otherwise."""
    status = 200
    if form.validate_on_submit():
        try:
            result = save(form.values())
        except FORM_ERRORS as error:
            rollback()
            form.apply(error, aliases=aliases)
            status = error.status
        else:
            commit()
            return done(result)
    elif form.is_submitted():
        status = 422
    return render_template(template, form=form, **context), status


def show_one_time_password(endpoint: str, key: str):
    """The ``done`` of a registration form: the new person's one-time password, shown once,
    then on to their page."""

    def done(result):
        person, registration = result
        password = registration.password
        if registration.invited:
            flash(
                _(
                    "%(name)s is registered. An invitation to choose a password was "
                    "mailed to %(email)s.",
                    name=person.user.full_name,
                    email=person.user.email,
                ),
                "success",
            )
            return redirect(url_for(endpoint, **{key: person.id}))
        if password is None:  # an existing account took the new profile (the cascade)
            flash(
                _(
                    "%(name)s already had an account; it now holds this profile too and "
                    "signs in as before.",
                    name=person.user.full_name,
                ),
                "success",
            )
            return redirect(url_for(endpoint, **{key: person.id}))
        return render_template(
            "auth/one_time_password.html",
            user=person.user,
            password=password,
            next_url=url_for(endpoint, **{key: person.id}),
        )

    return done
