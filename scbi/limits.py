"""Field limits, declared once per entity and read by its form, its API schema and its
service, so the three cannot drift apart.

A feature's ``models.py`` declares each entity's limits beside the model, as a dict of
field name (the name the form, the API and the service's errors use) → limit::

    LOG = {
        "hours": limits.Number(0.25, 24, step=0.25),
        "title": limits.Text(200, required=True),
    }

and each surface asks the limit for its own spelling of it:

- a form field: ``validators=LOG["title"].validators()`` (a number input's HTML
  attributes: ``render_kw=LOG["hours"].render_kw()``);
- the API's request schema (scbi.api.schema.F): ``F("string", **LOG["title"].api())``;
- the service (scbi.validation.Errors): ``errors.text("title", v, **LOG["title"].check())``.

Only the limits live here. The messages stay where they are (WTForms', the schema's and
the service's own), and so does what a field means beyond its length or range.
"""

from __future__ import annotations

from dataclasses import dataclass

from wtforms.validators import DataRequired, Length, NumberRange


@dataclass(frozen=True)
class Text:
    """Text of at most ``max_length`` characters; ``required``: blank text is refused.

    ``required`` is the service's rule. A surface that asks for the text elsewhere (a form
    shared by two actions, a link that may be a file instead) says so where it reads the
    limit: ``validators(required=False)``.
    """

    max_length: int
    required: bool = False

    def _required(self, required: bool | None) -> bool:
        return self.required if required is None else required

    def validators(self, *, required: bool | None = None) -> list:
        """The WTForms validators: DataRequired when required, then Length (which also
        gives the input its ``maxlength``)."""
        length = Length(max=self.max_length)
        return [DataRequired(), length] if self._required(required) else [length]

    def api(self, *, required: bool | None = None) -> dict:
        """The keyword arguments of the API schema's field (``F("string", ...)``)."""
        return {"required": self._required(required), "max_length": self.max_length}

    def check(self, *, required: bool | None = None) -> dict:
        """The keyword arguments of the service's ``Errors.text``."""
        return {"max_length": self.max_length, "required": self._required(required)}


@dataclass(frozen=True)
class Number:
    """A number from ``min`` to ``max``, both included; with ``step``, a multiple of it.

    The API's schema and the service's ``Errors.integer`` know no step: a service that
    takes steps (a log's quarter hours) checks them itself, from ``step``.
    """

    min: int | float
    max: int | float
    step: int | float | None = None

    def validators(self) -> list:
        """The WTForms validators: NumberRange (which also gives the input min and max)."""
        return [NumberRange(min=self.min, max=self.max)]

    def render_kw(self) -> dict:
        """The HTML attributes of a number input that WTForms does not check itself."""
        attributes = {"step": str(self.step)} if self.step is not None else {}
        return {**attributes, "min": str(self.min), "max": str(self.max)}

    def api(self) -> dict:
        """The keyword arguments of the API schema's field (``F("integer", ...)``)."""
        return {"min": self.min, "max": self.max}

    def check(self) -> dict:
        """The keyword arguments of the service's ``Errors.integer``."""
        return {"min_value": self.min, "max_value": self.max}
