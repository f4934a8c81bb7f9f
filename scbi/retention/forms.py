"""The follow-up form: a few yes-or-no questions that fit a phone's screen."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import Optional

from scbi.forms import BaseForm, VersionField, YesNoField
from scbi.retention.models import FOLLOW_UP

QUESTIONS = ("in_public_service", "same_institution", "same_sector", "promoted", "coaching_others")


def _yes_no(label, description=None) -> YesNoField:
    return YesNoField(label, description=description)


class FollowUpForm(BaseForm):
    in_public_service = _yes_no(_l("Still working in the public service?"))
    same_institution = _yes_no(
        _l("In the same institution as during the programme?"),
        _l("Only if still in the public service."),
    )
    same_sector = _yes_no(_l("In the same sector?"), _l("Only if still in the public service."))
    promoted = _yes_no(
        _l("Promoted since the programme?"), _l("Only if still in the public service.")
    )
    position = StringField(
        _l("Position now"), validators=FOLLOW_UP["position"].validators(), description=None
    )
    coaching_others = _yes_no(
        _l("Now coaching or mentoring others?"),
        _l("Formally or not: passing on what was learnt is the cascade the programme seeks."),
    )
    note = TextAreaField(_l("Anything to add"), validators=FOLLOW_UP["note"].validators())
    answered_on = DateField(
        _l("Answered on"),
        validators=[Optional()],
        description=_l("The day the mentee gave these answers; empty: today."),
    )
    version = VersionField()

    @classmethod
    def of(cls, follow_up, *, recorder: bool):
        """The form, filled with a stored answer's values (``follow_up`` may be None); only
        the secretariat dates an answer (the mentee answers today)."""
        data = {}
        if follow_up is not None:
            data = {name: getattr(follow_up, name) for name in ("position", "note", "answered_on")}
            data |= {name: getattr(follow_up, name) for name in QUESTIONS}
            data["version"] = follow_up.version
        form = cls(data=data) if data else cls()
        if follow_up is None:
            form.for_new()
        if not recorder:
            del form.answered_on
        return form
