"""The publication form: the three parts of a published report's narrative."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField

from scbi.forms import BaseForm


class PublishForm(BaseForm):
    """Publishing a sector report, or an addendum to one; the service checks each part."""

    went_well = TextAreaField(
        _l("What went well"),
        description=_l("The results of the period worth telling a minister or a funder."),
        render_kw={"rows": 4},
    )
    went_badly = TextAreaField(
        _l("What did not go well"),
        description=_l("What fell short, and why."),
        render_kw={"rows": 4},
    )
    next_steps = TextAreaField(
        _l("What comes next"),
        description=_l("What the sector will do about it in the next period."),
        render_kw={"rows": 4},
    )
