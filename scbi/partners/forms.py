"""The partner form and the form adding a funding to a coach's contract."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from scbi.forms import (
    BaseForm,
    DecimalTextField,
    RefField,
    VersionField,
    enum_choices,
    read_decimal,
)
from scbi.partners.models import EXCHANGE_RATE, PARTNER, FundingBasis


class PartnerForm(BaseForm):
    name = StringField(_l("Name"), validators=PARTNER["name"].validators())
    acronym = StringField(_l("Acronym"), validators=PARTNER["acronym"].validators())
    active = BooleanField(_l("Active"), default=True)
    version = VersionField()


class FundingForm(BaseForm):
    partner_id = RefField(_l("Partner"), validators=[InputRequired()])
    currency = StringField(
        _l("Currency"),
        validators=[InputRequired(), Length(max=3)],
        description=_l("Its ISO 4217 code: USD, EUR, RWF…"),
    )
    basis = SelectField(_l("Basis"), choices=enum_choices(FundingBasis))
    amount = DecimalTextField(
        _l("Amount for the whole contract"),
        example="1500.50",
        description=_l("With a total: spread evenly over the contract's days."),
    )
    months = TextAreaField(
        _l("Monthly amounts"),
        validators=[Length(max=5000)],
        description=_l("With monthly amounts: one month a line, such as 2026-01 1500."),
    )
    version = VersionField()

    def item(self) -> dict:
        """The funding as the service reads it: each month's amount written in the
        reader's language (scbi.forms.read_decimal); a line that does not read as a month
        and an amount is passed on as it is, and refused beside the field."""
        basis = self.basis.data
        item = {
            "partner_id": self.partner_id.data,
            "currency": self.currency.data,
            "basis": basis,
        }
        if basis == FundingBasis.TOTAL:
            item["amount"] = self.amount.data
        else:
            item["months"] = []
            for line in (self.months.data or "").splitlines():
                if line.strip():
                    month, _sep, amount = line.strip().partition(" ")
                    number = read_decimal(amount)
                    item["months"].append(
                        {"month": month, "amount": amount.strip() if number is None else number}
                    )
        return item


class RateForm(BaseForm):
    """A new exchange rate: a fiscal quarter, a currency and what one unit of it is worth
    in the reporting currency."""

    fiscal_year = IntegerField(
        _l("Fiscal year"),
        validators=[InputRequired(), *EXCHANGE_RATE["fiscal_year"].validators()],
        description=_l("The calendar year it starts in: 2025 for FY 2025/26."),
    )
    quarter = SelectField(
        _l("Quarter"),
        choices=[SelectChoice(n, _l("Q%(quarter)s", quarter=n)) for n in range(1, 5)],
        coerce=int,
    )
    currency = StringField(
        _l("Currency"),
        validators=[InputRequired(), Length(max=3)],
        description=_l("Its ISO 4217 code: EUR, RWF…"),
    )
    rate = DecimalTextField(_l("Rate"), validators=[InputRequired()], example="1.0825")


class RateChangeForm(BaseForm):
    rate = DecimalTextField(_l("Rate"), validators=[InputRequired()], example="1.0825")
    version = VersionField()
