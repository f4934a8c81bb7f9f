"""Bulk registration of coaches or mentees from a CSV file: all rows or none.

The columns are named in the header (any order; see ``TEMPLATES``); references use
codes people know (sector code, institution acronym, phase name) rather than ids.
The rows go through the same services as a single registration (which is a batch of
one), so every bad row is reported with its number and reason; if any row is bad nothing
is written.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from scbi.auth.models import User
from scbi.auth.permissions import require_configure
from scbi.auth.profiles import PeopleRefused
from scbi.coaches.services import register_coaches
from scbi.downloads import Download
from scbi.errors import ValidationFailed
from scbi.extensions import db
from scbi.mentees.services import register_mentees
from scbi.programme.models import Institution, Phase, Sector

TEMPLATES = {
    "coach": [
        "email",
        "full_name",
        "nationality",
        "organisation",
        "technical_expertise",
        "coaching_experience_years",
        "coaching_qualification",
        "sector_code",
        "host_institution_acronym",
        "contract_start",
        "contract_end",
        "max_mentees",
    ],
    "mentee": [
        "email",
        "full_name",
        "staff_number",
        "gender",
        "position",
        "institution_acronym",
        "sector_code",
        "phase_name",
        "joined_on",
    ],
}
OPTIONAL = {"coaching_qualification", "max_mentees", "phase_name"}
EXAMPLES = {
    "coach": [
        "expert@example.org",
        "Grace Achieng",
        "Kenyan",
        "GIZ",
        "Power system planning; grid codes",
        "8",
        "ICF ACC",
        "ENE",
        "REG",
        "2026-01-01",
        "2027-12-31",
        "4",
    ],
    "mentee": [
        "engineer@reg.rw",
        "Eric Mugisha",
        "RW-2026-0042",
        "male",
        "Grid planning engineer",
        "REG",
        "ENE",
        "SCBI Phase I",
        "2026-02-01",
    ],
}
MAX_ROWS = 5000


@dataclass
class Registered:
    kind: str
    id: int
    email: str
    full_name: str
    password: str | None
    invited: bool = False


def template_csv(kind: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(TEMPLATES[kind])
    writer.writerow(EXAMPLES[kind])
    return out.getvalue()


def template_file(kind: str) -> Download:
    """The CSV template of an import of ``kind`` ("coach" or "mentee"); raises
    ValidationFailed naming ``kind`` for any other."""
    if kind not in TEMPLATES:
        raise ValidationFailed(fields={"kind": [_("Choose coach or mentee.")]})
    return Download(f"scbi-{kind}s-template.csv", "text/csv", template_csv(kind))


def import_people(data: bytes | str, *, kind: str, by: User) -> list[Registered]:
    """Register every row, or raise ValidationFailed listing every bad row.

    The rows go to the registration services as one batch: each check is one query for
    all of them and each table one multi-row insert. If any row is bad nothing is
    written by the services; the caller rolls the transaction back all the same.
    """
    require_configure(by)
    if kind not in TEMPLATES:
        raise ValidationFailed(fields={"kind": [_("Choose coach or mentee.")]})
    rows = _read(data, kind)
    lookups = _Lookups()
    register = register_coaches if kind == "coach" else register_mentees
    people, row_errors = [], []
    for _number, row in rows:
        fields = {k: (row.get(k) or "").strip() for k in TEMPLATES[kind]}
        values, errors = lookups.resolve(kind, fields)
        people.append(values)
        row_errors.append(errors)
    try:
        registered = register(people, by=by)
    except PeopleRefused as refused:
        for errors, fields in zip(row_errors, refused.problems, strict=True):
            for field, messages in fields.items():
                # an unknown code was named by the lookup; the service's "required" adds nothing
                errors.setdefault(_COLUMN_OF.get(field, field), messages)
        registered = []
    problems = [
        (number, f"{column}: {m}")
        for (number, _row), errors in zip(rows, row_errors, strict=True)
        for column, messages in errors.items()
        for m in messages
    ]
    if problems:
        raise _refusal(problems)
    return [Registered(kind, r.id, r.email, r.full_name, r.password, r.invited) for r in registered]


_COLUMN_OF = {
    "sector_id": "sector_code",
    "host_institution_id": "host_institution_acronym",
    "institution_id": "institution_acronym",
    "phase_id": "phase_name",
}


def _read(data: bytes | str, kind: str) -> list[tuple[int, dict]]:
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise _refusal([(0, _("The file is not UTF-8 text; save it as CSV UTF-8."))]) from None
    reader = csv.DictReader(io.StringIO(data.lstrip("\ufeff"), newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = [c for c in TEMPLATES[kind] if c not in header and c not in OPTIONAL]
    if missing:
        raise _refusal(
            [
                (
                    1,
                    _(
                        "Missing columns: %(columns)s. Download the template to see them all.",
                        columns=", ".join(missing),
                    ),
                )
            ]
        )
    rows = [
        (n, row)
        for n, row in enumerate(reader, start=2)
        if any((v or "").strip() for v in row.values() if isinstance(v, str))
    ]
    if not rows:
        raise _refusal([(0, _("The file has no rows to import."))])
    if len(rows) > MAX_ROWS:
        raise _refusal([(0, _("At most %(n)d rows per file.", n=MAX_ROWS))])
    return rows


class _Lookups:
    """Codes to ids, read once per import (not once per row)."""

    def __init__(self) -> None:
        # The rows themselves, held for the whole import: the session keeps only weak
        # references, and the registration services look each one up again for every row.
        self.held = (
            sectors := db.session.scalars(select(Sector)).all(),
            institutions := db.session.scalars(select(Institution)).all(),
            phases := db.session.scalars(select(Phase)).all(),
        )
        self.sectors = {r.code.upper(): r.id for r in sectors}
        self.institutions = {r.acronym.upper(): r.id for r in institutions}
        self.phases = {r.name.strip().lower(): r.id for r in phases}

    def resolve(self, kind: str, f: dict) -> tuple[dict, dict[str, list[str]]]:
        errors: dict[str, list[str]] = {}

        def look(table: dict, key: str, column: str, what: str, required=True):
            if not f.get(column):
                if required:
                    errors[column] = [_("This field is required.")]
                return None
            found = table.get(f[column].upper() if what != "phase" else f[column].lower())
            if found is None:
                errors[column] = [_("Unknown %(what)s: %(value)s.", what=what, value=f[column])]
            return found

        values = {k: v for k, v in f.items() if k not in _COLUMN_OF.values()}
        values["sector_id"] = look(self.sectors, "sector_id", "sector_code", "sector")
        if kind == "coach":
            values["host_institution_id"] = look(
                self.institutions, "host_institution_id", "host_institution_acronym", "institution"
            )
        else:
            values["institution_id"] = look(
                self.institutions, "institution_id", "institution_acronym", "institution"
            )
            values["phase_id"] = look(
                self.phases, "phase_id", "phase_name", "phase", required=False
            )
        return values, errors


def _refusal(problems: list[tuple[int, str]]) -> ValidationFailed:
    problems = sorted(problems)
    return ValidationFailed(
        _("Nothing was imported. Correct these rows and import the whole file again."),
        code="invalid_file",
        fields={
            "file": [
                _("Row %(row)d: %(message)s", row=r, message=m) if r else m for r, m in problems
            ]
        },
        rows=[{"row": r, "message": m} for r, m in problems],
    )
