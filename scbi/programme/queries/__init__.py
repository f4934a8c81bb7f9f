"""The read side of the programme: the dated critical-mass rules (scbi.programme.rules
writes them), the loaders and lists of the set-up and framework pages and of the API.
The choices of select fields are in ``queries/choices.py``.

Programme records are read by everyone signed in, so their loaders are unscoped
(``scbi.loaders.load_or_404``): a missing record is a plain 404."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import (
    Date,
    Integer,
    Select,
    case,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import selectinload

from scbi.extensions import db
from scbi.loaders import count_by, load_or_404
from scbi.programme.models import (
    Competency,
    CompetencyFramework,
    CoreChange,
    Institution,
    Phase,
    PriorityResult,
    Sector,
    SectorRule,
)


class Rule(NamedTuple):
    """A sector's settings in force from ``effective_on``."""

    effective_on: date
    expert_level: int
    expert_target: int
    target_date: date


def rule_on(rules: list[Rule], day: date) -> Rule | None:
    """The settings in force on ``day``: the latest that took effect on or before it."""
    found = None
    for rule in rules:
        if rule.effective_on > day:
            break
        found = rule
    return found or (rules[0] if rules else None)


class CoreStep(NamedTuple):
    """From ``effective_on``, the sector whose expert rule counts the competency (None:
    none — not core, or in a cross-cutting framework)."""

    competency_id: int
    effective_on: date
    ident: int
    sector_id: int | None


def rule_history(sector_ids) -> tuple[dict[int, list[Rule]], list[CoreStep]]:
    """In one statement: each sector's settings in the order they took effect (the first
    from the start), and the dated core memberships of every competency that has ever been
    core in one of these sectors, in the order they took effect."""
    ids = list(sector_ids)
    rules: dict[int, list[Rule]] = {}
    steps: list[CoreStep] = []
    if not ids:
        return rules, steps
    ever = (
        select(CoreChange.competency_id)
        .where(CoreChange.core.is_(True), CoreChange.sector_id.in_(ids))
        .distinct()
    )
    settings = select(
        literal(0).label("kind"),
        SectorRule.sector_id.label("owner"),
        SectorRule.effective_on,
        SectorRule.id,
        SectorRule.expert_level.label("a"),
        SectorRule.expert_target.label("b"),
        SectorRule.target_date.label("day"),
    ).where(SectorRule.sector_id.in_(ids))
    memberships = select(
        literal(1),
        CoreChange.competency_id,
        CoreChange.effective_on,
        CoreChange.id,
        cast(CoreChange.core, Integer),
        CoreChange.sector_id,
        cast(null(), Date),
    ).where(CoreChange.competency_id.in_(ever))
    history = union_all(settings, memberships).subquery()
    for kind, owner, effective_on, ident, a, b, day in db.session.execute(
        select(history).order_by(history.c.kind, history.c.effective_on, history.c.id)
    ):
        if kind == 0:
            rules.setdefault(owner, []).append(Rule(_day(effective_on), a, b, _day(day)))
        else:
            steps.append(CoreStep(owner, _day(effective_on), ident, b if a else None))
    return rules, steps


def _day(value) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def sector_rule_history(sector_id: int) -> list[SectorRule]:
    """The sector's settings, newest first, for its page."""
    return list(
        db.session.scalars(
            select(SectorRule)
            .where(SectorRule.sector_id == sector_id)
            .order_by(SectorRule.effective_on.desc(), SectorRule.id.desc())
        )
    )


def core_changes(*, framework_id: int | None = None, sector_id: int | None = None):
    """Dated core flags, newest first: of one framework's competencies, or of those that
    count or counted in one sector's expert rule."""
    query = select(CoreChange).join(Competency, Competency.id == CoreChange.competency_id)
    if framework_id is not None:
        query = query.where(Competency.framework_id == framework_id)
    if sector_id is not None:
        counted = select(CoreChange.competency_id).where(CoreChange.sector_id == sector_id)
        query = query.where(CoreChange.competency_id.in_(counted))
    return list(
        db.session.scalars(query.order_by(CoreChange.effective_on.desc(), CoreChange.id.desc()))
    )


@dataclass
class CoreUpdate:
    """One recorded change of a core set: what became core and what no longer is."""

    effective_on: date
    recorded_at: datetime
    recorded_by: str | None
    joined: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)


def core_timeline(*, framework_id: int | None = None, sector_id: int | None = None):
    """The core-set changes of a framework (or of a sector's frameworks) as people read
    them, newest first: each recorded change with the competencies that became core and
    those that no longer are (a competency recorded as not core from its creation is no
    change). For a sector, a competency is core when it counts in that sector's rule."""
    updates: dict[tuple, CoreUpdate] = {}
    was: dict[int, bool] = {}
    for change in reversed(core_changes(framework_id=framework_id, sector_id=sector_id)):
        counts = change.core and (sector_id is None or change.sector_id == sector_id)
        before = was.get(change.competency_id, False)
        was[change.competency_id] = counts
        if counts == before:
            continue
        by = change.recorded_by.full_name if change.recorded_by else None
        # one update: the same date and person, recorded within the same minute
        key = (change.effective_on, change.recorded_at.replace(second=0, microsecond=0), by)
        update = updates.setdefault(key, CoreUpdate(*key))
        name = f"{change.competency.short_name} ({change.competency.idnumber})"
        (update.joined if counts else update.left).append(name)
    return sorted(updates.values(), key=lambda u: (u.effective_on, u.recorded_at), reverse=True)


# --- phases, sectors, institutions, priority results -----------------------------------


def phase_list() -> Select:
    """Every phase, the latest first."""
    return select(Phase).order_by(Phase.start_date.desc(), Phase.id)


def phases() -> list[Phase]:
    return db.session.scalars(phase_list()).all()


def sector_list() -> Select:
    """Every sector by name, with its coordinators."""
    return select(Sector).options(selectinload(Sector.coordinators)).order_by(Sector.name)


def sectors_with_coordinators() -> list[Sector]:
    return db.session.scalars(sector_list()).all()


def sector_by_code(code: str) -> Sector | None:
    """The sector whose code is ``code``, in any case (codes are kept upper-case)."""
    return db.session.scalar(select(Sector).where(Sector.code == code.strip().upper()))


def institutions_per_sector() -> dict[int, int]:
    return count_by(Institution.sector_id)


def institution_list(*, sector_id: int | None = None) -> Select:
    """The institutions by acronym; of one sector when ``sector_id`` is given."""
    query = select(Institution).order_by(Institution.acronym)
    if sector_id is not None:
        query = query.where(Institution.sector_id == sector_id)
    return query


def institution_by_acronym(acronym: str) -> Institution | None:
    """The institution whose acronym is ``acronym``, in any case (kept upper-case)."""
    return db.session.scalar(
        select(Institution).where(Institution.acronym == acronym.strip().upper())
    )


def institutions_of_sector(sector_id: int) -> list[Institution]:
    return db.session.scalars(institution_list(sector_id=sector_id)).all()


def priority_result_list(*, sector_id: int | None = None, status: str | None = None) -> Select:
    """The priority results by due date, with their dated statuses; of one sector, or
    with one status, when those are given."""
    query = (
        select(PriorityResult)
        .options(selectinload(PriorityResult.history))
        .order_by(PriorityResult.due_date, PriorityResult.id)
    )
    if sector_id is not None:
        query = query.where(PriorityResult.sector_id == sector_id)
    if status:
        query = query.where(PriorityResult.status == status)
    return query


def results_of_sector(sector_id: int) -> list[PriorityResult]:
    return db.session.scalars(
        select(PriorityResult)
        .where(PriorityResult.sector_id == sector_id)
        .order_by(PriorityResult.due_date)
    ).all()


def results_of_institution(institution_id: int) -> list[PriorityResult]:
    return db.session.scalars(
        select(PriorityResult)
        .where(PriorityResult.institution_id == institution_id)
        .order_by(PriorityResult.due_date)
    ).all()


def priority_result_page(result_id: int) -> PriorityResult:
    """The priority result with its dated statuses, for its page (NotFound if missing)."""
    return load_or_404(PriorityResult, result_id, options=[selectinload(PriorityResult.history)])


# --- frameworks ----------------------------------------------------------------------------


def framework_list(*, sector_id: int | None = None) -> Select:
    """The frameworks by name, with their competencies; of one sector when given."""
    query = (
        select(CompetencyFramework)
        .options(selectinload(CompetencyFramework.competencies))
        .order_by(CompetencyFramework.name)
    )
    if sector_id is not None:
        query = query.where(CompetencyFramework.sector_id == sector_id)
    return query


def frameworks_with_counts() -> list[tuple[CompetencyFramework, int, int]]:
    """Every framework by name, with its number of competencies and of core ones."""
    items = db.session.scalars(select(CompetencyFramework).order_by(CompetencyFramework.name)).all()
    counts = {
        fid: (total, core or 0)
        for fid, total, core in db.session.execute(
            select(
                Competency.framework_id,
                func.count(),
                func.sum(case((Competency.core.is_(True), 1), else_=0)),
            ).group_by(Competency.framework_id)
        )
    }
    return [(f, *counts.get(f.id, (0, 0))) for f in items]


def frameworks_of_sector(sector_id: int) -> list[CompetencyFramework]:
    """The frameworks a sector's people use: its own, then the cross-cutting ones."""
    return db.session.scalars(
        select(CompetencyFramework)
        .where(
            (CompetencyFramework.sector_id == sector_id) | CompetencyFramework.sector_id.is_(None)
        )
        .order_by(CompetencyFramework.sector_id.is_(None), CompetencyFramework.name)
    ).all()


def core_counts() -> dict[int, int]:
    """The number of core competencies of each framework (by id; none: missing)."""
    return dict(
        db.session.execute(
            select(Competency.framework_id, func.count())
            .where(Competency.core.is_(True))
            .group_by(Competency.framework_id)
        ).all()
    )


def framework_page(framework_id: int) -> CompetencyFramework:
    """The framework with its competencies, for its page and its core choice (NotFound if
    missing)."""
    return load_or_404(
        CompetencyFramework,
        framework_id,
        options=[selectinload(CompetencyFramework.competencies)],
    )


def sector_competencies(sector_id: int) -> Select:
    """The competencies of a sector's frameworks and of the cross-cutting ones: what its
    plans, logs and assessments may name."""
    return (
        select(Competency)
        .join(CompetencyFramework)
        .where(
            or_(
                CompetencyFramework.sector_id == sector_id,
                CompetencyFramework.sector_id.is_(None),
            )
        )
    )
