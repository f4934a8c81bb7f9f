"""The form that tags an entry of the register."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField

from scbi.forms import BaseForm, RefField
from scbi.lessons.models import TAG


class TagForm(BaseForm):
    """A tag: a problem in a few words (the tags already in use are suggested), or a
    competency; the service says which is missing or held already."""

    problem = StringField(
        _l("A problem, in a few words"),
        validators=TAG["problem"].validators(required=False),
        description=_l(
            "The words someone facing the same problem would search for, such as “late "
            "payments” or “duplicate inspections”."
        ),
        render_kw={"list": "problem-tags", "autocomplete": "off"},
    )
    competency_id = RefField(_l("Or a competency"))
