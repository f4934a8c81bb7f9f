"""Request and response schemas: they validate JSON bodies and generate the OpenAPI document.

One declaration serves both, so the document cannot drift from what handlers accept.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field

from flask import request
from flask_babel import gettext as _

from scbi.errors import BadRequest, ValidationFailed
from scbi.validation import CONTROL_CHARACTERS, date_range_error

_JSON_TYPES = {"string": str, "integer": int, "boolean": bool, "number": (int, float)}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")  # OpenAPI's format "date" (RFC 3339 full-date)
_INTEGER = re.compile(r"-?\d{1,10}")
MAX_ID = 2**31 - 1  # the largest value an integer column holds
# scbi.validation.CONTROL_CHARACTERS as a JSON Schema pattern: tabs and line breaks only
TEXT_PATTERN = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*$"


@dataclass(frozen=True)
class F:
    """One field: its JSON type and the checks a request body must pass."""

    type: str  # string, integer, boolean, number, date, datetime, array, object
    required: bool = False
    nullable: bool = False
    items: str | None = None  # element type of an array
    enum: tuple[str, ...] | None = None
    min: int | float | None = None
    max: int | float | None = None
    max_length: int | None = None
    description: str = ""
    ref: str | None = None  # for arrays/objects of a named schema (responses only)
    plain_text: bool = False  # refuse control characters (TEXT_PATTERN)

    def openapi(self) -> dict:
        if self.type == "date":
            spec: dict = {"type": "string", "format": "date"}
        elif self.type == "datetime":
            spec = {"type": "string", "format": "date-time"}
        elif self.type == "array":
            inner = (
                {"$ref": f"#/components/schemas/{self.ref}"}
                if self.ref
                else (F(self.items or "string", enum=self.enum).openapi())
            )
            spec = {"type": "array", "items": inner}
        elif self.ref:
            spec = {"$ref": f"#/components/schemas/{self.ref}"}
        else:
            spec = {"type": self.type}
            if self.enum and self.type == "string":
                spec["enum"] = list(self.enum)
        description = self.description
        if isinstance(self.min, dt.date):  # JSON Schema has no bounds for dates: say them
            bounds = f"From {self.min.isoformat()} to {self.max.isoformat()}."
            description = f"{description} {bounds}".strip()
        else:
            if self.min is not None:
                spec["minimum"] = self.min
            if self.max is not None:
                spec["maximum"] = self.max
        if self.max_length is not None:
            spec["maxLength"] = self.max_length
        if self.plain_text:
            spec["pattern"] = TEXT_PATTERN
        if self.nullable:
            spec = (
                {"anyOf": [spec, {"type": "null"}]}
                if "$ref" in spec
                else {**spec, "type": [spec["type"], "null"]}
            )
        if description:
            spec["description"] = description
        return spec

    def clean(self, value, errors: list[str]):
        if value is None:
            if not self.nullable:
                errors.append(_("Must not be null."))
            return None
        if self.type in ("date", "datetime"):
            return self._clean_date(value, errors)
        if self.type == "array":
            if not isinstance(value, list):
                errors.append(_("Must be a list."))
                return None
            inner = F(self.items or ("object" if self.ref else "string"), enum=self.enum)
            cleaned = [inner.clean(v, errors) for v in value]
            return cleaned
        expected = _JSON_TYPES.get(self.type, dict if self.type == "object" else object)
        if (isinstance(value, bool) and self.type != "boolean") or not isinstance(value, expected):
            errors.append(_("Must be of type %(type)s.", type=self.type))
            return None
        if self.enum and value not in self.enum:
            errors.append(_("Must be one of: %(values)s.", values=", ".join(self.enum)))
        if self.max_length is not None and isinstance(value, str) and len(value) > self.max_length:
            errors.append(_("Use at most %(n)d characters.", n=self.max_length))
        if self.plain_text and isinstance(value, str) and CONTROL_CHARACTERS.search(value):
            errors.append(_("Remove the invisible control characters from this text."))
        if self.min is not None and value < self.min:
            errors.append(_("Must be at least %(n)s.", n=self.min))
        if self.max is not None and value > self.max:
            errors.append(_("Must be at most %(n)s.", n=self.max))
        return value

    def _clean_date(self, value, errors):
        parse = dt.date.fromisoformat if self.type == "date" else dt.datetime.fromisoformat
        try:
            if not isinstance(value, str) or (self.type == "date" and not _DATE.fullmatch(value)):
                raise TypeError
            parsed = parse(value)
        except (TypeError, ValueError):
            errors.append(
                _("Use the format YYYY-MM-DD.")
                if self.type == "date"
                else _("Use an ISO 8601 timestamp.")
            )
            return None
        if message := date_range_error(parsed):  # the services' own range, the same answer
            errors.append(message)
            return None
        return parsed

    def clean_text(self, raw: str, errors: list[str]):
        """A query-string value of this field's type (every value arrives as text)."""
        if self.type == "integer":
            if not (raw.isascii() and _INTEGER.fullmatch(raw)) or abs(int(raw)) > MAX_ID:
                errors.append(_("Must be a whole number."))
                return None
            return self.clean(int(raw), errors)
        if self.type == "boolean":
            if raw not in ("true", "false"):
                errors.append(_("Must be true or false."))
                return None
            return raw == "true"
        return self.clean(raw, errors)


@dataclass(frozen=True)
class Schema:
    name: str
    fields: dict[str, F] = field(default_factory=dict)

    def openapi(self) -> dict:
        spec = {
            "type": "object",
            "properties": {k: f.openapi() for k, f in self.fields.items()},
        }
        required = [k for k, f in self.fields.items() if f.required]
        if required:
            spec["required"] = required
        return spec

    def load(self, data: dict) -> dict:
        """The known fields of ``data``, checked; unknown fields are dropped (no mass
        assignment). Raises ValidationFailed naming every bad field."""
        cleaned, fields = {}, {}
        for name, spec in self.fields.items():
            if name not in data:
                if spec.required:
                    fields[name] = [_("This field is required.")]
                continue
            errors: list[str] = []
            value = spec.clean(data[name], errors)
            if errors:
                fields[name] = errors
            else:
                cleaned[name] = value
        if fields:
            raise ValidationFailed(fields=fields)
        return cleaned


def json_body(schema: Schema | None = None) -> dict:
    """The request's JSON object, checked against ``schema``.

    Every JSON body is read here. Whatever the parser cannot handle (bad syntax, bytes
    that are not UTF-8, nesting deep enough to exhaust its recursion) and a body nested
    more than ``MAX_JSON_DEPTH`` levels are a 400 ``bad_request`` before any validation.
    """
    if not request.is_json:
        if request.content_length:
            raise BadRequest(
                _("Send the body as JSON with Content-Type: application/json."),
                code="json_required",
            )
        data = {}
    elif not (raw := request.get_data(cache=True)):
        data = {}
    else:
        data = parse_json(raw)
    if not isinstance(data, dict):
        raise BadRequest(_("The request body must be a JSON object."))
    return schema.load(data) if schema else data


MAX_JSON_DEPTH = 32


def parse_json(raw: bytes):
    """``raw`` as JSON, or BadRequest (never RecursionError nor a decoding error)."""
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        raise BadRequest(_("The request body is not valid JSON.")) from None
    if json_depth(data, MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
        raise BadRequest(
            _(
                "The request body is nested more than %(n)d levels deep.",
                n=MAX_JSON_DEPTH,
            )
        )
    return data


def json_depth(value, limit: int) -> int:
    """How deeply ``value``'s arrays and objects nest (a scalar is 0, ``{}`` 1), counted
    without recursion and given up as soon as it passes ``limit``."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, level = pending.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if deepest > limit:
            break
        pending.extend((child, level + 1) for child in children)
    return deepest


def uploaded_csv() -> bytes:
    """The CSV of a multipart ``file`` field or of a ``text/csv`` body."""
    if "file" in request.files:
        return request.files["file"].read()
    if request.mimetype in ("text/csv", "text/plain", "application/csv"):
        return request.get_data()
    raise BadRequest(
        _("Send the CSV as a multipart field named file, or as a text/csv body."),
        code="file_required",
    )
