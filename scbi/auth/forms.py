from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired

from scbi.auth.models import ACCOUNT, Role
from scbi.auth.passwords import MAX_LENGTH, MIN_LENGTH
from scbi.forms import BaseForm, MultiCheckboxField, VersionField, enum_choices, optional_int


class LoginForm(BaseForm):
    email = EmailField(
        _l("E-mail"),
        validators=ACCOUNT["email"].validators(),
        render_kw={"autocomplete": "username", "autofocus": True},
    )
    password = PasswordField(
        _l("Password"),
        validators=ACCOUNT["password"].validators(),
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()
    submit = SubmitField(_l("Sign in"))


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired()],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired()],
        description=_l(
            "%(min)d to %(max)d characters. A few unrelated words make a strong password.",
            min=MIN_LENGTH,
            max=MAX_LENGTH,
        ),
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Change password"))


NEW_PASSWORD_HELP = _l(
    "%(min)d to %(max)d characters. A few unrelated words make a strong password.",
    min=MIN_LENGTH,
    max=MAX_LENGTH,
)


class ChoosePasswordForm(BaseForm):
    """A first password (an invitation) or a new one (a reset link)."""

    password = PasswordField(
        _l("New password"),
        validators=[DataRequired()],
        description=NEW_PASSWORD_HELP,
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Save password and sign in"))


class LanguageForm(BaseForm):
    """The language switcher on every page: one button per language, no JavaScript."""

    language = HiddenField()
    next = HiddenField()


class ForgotPasswordForm(BaseForm):
    email = EmailField(
        _l("E-mail"),
        validators=ACCOUNT["email"].validators(),
        render_kw={"autocomplete": "email"},
    )
    submit = SubmitField(_l("Send me a link"))


class MailPreferencesForm(BaseForm):
    mail_events = BooleanField(
        _l("Mail me when something needs me"),
        description=_l("A log to acknowledge, a plan to decide, a dispute to answer."),
    )
    mail_reminders = BooleanField(
        _l("Reminders"),
        description=_l("A pairing without a log for two weeks; a log waiting for a week."),
    )
    mail_digest = BooleanField(
        _l("Weekly digest"),
        description=_l("Once a week, what needs you now (nothing is sent when nothing does)."),
    )
    submit = SubmitField(_l("Save"))


STAFF_ROLE_CHOICES = enum_choices(Role, [Role.SECRETARIAT, Role.COORDINATOR, Role.PARTNER])


class AccountForm(BaseForm):
    """The account part of a coach's or a mentee's registration: an invitation is mailed
    (mail on), or a one-time password shown after saving."""

    full_name = StringField(_l("Full name"), validators=ACCOUNT["full_name"].validators())
    email = EmailField(
        _l("E-mail"),
        validators=ACCOUNT["email"].validators(),
        description=_l(
            "Used to sign in. When mail is on, the person is mailed an invitation to choose "
            "a password; otherwise a one-time password is shown once after saving, to be "
            "changed at first sign-in."
        ),
    )


class StaffAccountForm(BaseForm):
    """What an account created or edited on the accounts page is given: its roles, and
    what the roles read (a coordinator's sectors, a partner account's partner)."""

    full_name = StringField(_l("Full name"), validators=ACCOUNT["full_name"].validators())
    roles = MultiCheckboxField(_l("Roles"), choices=STAFF_ROLE_CHOICES)
    sectors = MultiCheckboxField(
        _l("Sectors (coordinators)"),
        coerce=int,
        description=_l("A coordinator sees and manages only these."),
    )
    partner_id = SelectField(
        _l("Development partner (partner accounts)"),
        coerce=optional_int,
        validate_choice=False,
        description=_l(
            "A development partner's account reads the reports of the sectors whose coaches "
            "this partner funds: figures only, no person's records."
        ),
    )


class UserCreateForm(StaffAccountForm):
    email = EmailField(_l("E-mail"), validators=ACCOUNT["email"].validators())
    submit = SubmitField(_l("Create account"))


class UserEditForm(StaffAccountForm):
    active = BooleanField(
        _l("Account active"), description=_l("An inactive account cannot sign in or use the API.")
    )
    version = VersionField()
    submit = SubmitField(_l("Save"))


class ConfirmForm(BaseForm):
    """A bare POST (button) form: only the CSRF token."""

    submit = SubmitField(_l("Confirm"))
