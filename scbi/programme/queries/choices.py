"""Choices for the select fields of forms and filters (one query each)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from scbi.auth.models import Role, User, UserRole
from scbi.extensions import db
from scbi.programme.models import Competency, Institution, Phase, Sector


def _with_empty(choices: list[SelectChoice], empty: str | None) -> list[SelectChoice]:
    return ([SelectChoice("", empty)] if empty is not None else []) + choices


def sectors(empty: str | None = None, ids: set[int] | None = None) -> list[SelectChoice]:
    query = select(Sector.id, Sector.name).order_by(Sector.name)
    if ids is not None:
        query = query.where(Sector.id.in_(ids))
    return _with_empty([SelectChoice(i, n) for i, n in db.session.execute(query)], empty)


def institutions(empty: str | None = None) -> list[SelectChoice]:
    rows = db.session.execute(
        select(Institution.id, Institution.acronym, Institution.name, Sector.name)
        .join(Sector)
        .order_by(Institution.acronym)
    )
    return _with_empty([SelectChoice(i, f"{a} — {n}", optgroup=s) for i, a, n, s in rows], empty)


def phases(empty: str | None = None) -> list[SelectChoice]:
    rows = db.session.execute(select(Phase.id, Phase.name).order_by(Phase.start_date.desc()))
    return _with_empty([SelectChoice(i, n) for i, n in rows], empty)


def coordinators(empty: str | None = None, *, exclude=(), emails: bool = False):
    """Active coordinator accounts by name (with their e-mail when ``emails``: two people
    may share a name), none of ``exclude``."""
    query = (
        select(User.id, User.full_name, User.email)
        .join(UserRole)
        .where(UserRole.role == Role.COORDINATOR, User.active.is_(True))
        .order_by(User.full_name)
    )
    if exclude:
        query = query.where(User.id.not_in(list(exclude)))
    return _with_empty(
        [SelectChoice(i, f"{n} <{e}>" if emails else n) for i, n, e in db.session.execute(query)],
        empty,
    )


def competencies(framework_id: int, exclude: int | None = None) -> list[SelectChoice]:
    rows = db.session.execute(
        select(Competency.id, Competency.idnumber, Competency.short_name)
        .where(Competency.framework_id == framework_id)
        .order_by(Competency.sort_order)
    )
    return _with_empty(
        [SelectChoice(i, f"{n} ({idn})") for i, idn, n in rows if i != exclude], _("— top level —")
    )


def several_sectors(ids: list[int]) -> list[tuple[tuple[str, ...], str]]:
    """A list narrowed to several sectors (a report's total opens it so), as its chip's
    ``(parameters, words)``: the sectors by name. None for one sector or none, which the
    list's own sector filter shows."""
    if len(ids) < 2:
        return []
    names = db.session.scalars(select(Sector.name).where(Sector.id.in_(ids)).order_by(Sector.name))
    return [(("sector_id",), _("Sectors: %(names)s", names=", ".join(names)))]
