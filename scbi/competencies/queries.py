"""The read side of competencies: the scoped loaders, the assessment lists, the choices of
the assessment form and the figures of the profile and levels pages.

Who sees which assessment follows who sees its mentee (scbi.mentees.queries); the logs an
assessor may cite, the logs they may read (scbi.transfer.queries.export).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload, undefer
from wtforms.fields.choices import SelectChoice

from scbi.auth.models import User
from scbi.auth.permissions import managed_sector_ids
from scbi.competencies.levels import current_levels
from scbi.competencies.models import Assessment, ReviewStatus
from scbi.competencies.permissions import is_open_review
from scbi.competencies.profile import ProfileRow, competency_profile
from scbi.competencies.standing import (
    COUNTING_STATUSES,
    below_expert,
    core_below_expert,
    levels_by_mentee,
)
from scbi.errors import NotFound, ValidationFailed
from scbi.extensions import db
from scbi.loaders import hidden
from scbi.mentees.models import Mentee
from scbi.mentees.queries import mentee_or_404, scope_mentees
from scbi.programme.models import Competency, CompetencyFramework, Sector
from scbi.programme.queries import sector_competencies
from scbi.transfer.models import (
    COUNTED_LOG_STATUSES,
    LogStatus,
    MenteeRole,
    Pairing,
    TransferLog,
)
from scbi.transfer.queries import visible_logs

HISTORY_LENGTH = 30  # assessments shown on the profile page
CITABLE_LOGS = 50  # logs offered as evidence on the assessment form
NEXT_UP = 3  # plan targets shown under "what to work on next"


# --- loaders -------------------------------------------------------------------------------


def own_mentee_or_404(user: User) -> Mentee:
    """The mentee profile of ``user``; NotFound when they have none."""
    mentee = db.session.scalar(select(Mentee).where(Mentee.user_id == user.id))
    if mentee is None:
        raise NotFound
    return mentee


def assessment_or_404(user: User, assessment_id: int) -> Assessment:
    """The assessment, when ``user`` sees its mentee. A missing one is a 404 naming the
    assessment, one of a mentee out of sight the mentee's 404 (scbi.mentees.queries):
    the audited refusal names the record actually hidden."""
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None:
        raise hidden("assessment", assessment_id)
    mentee_or_404(user, assessment.mentee_id)  # loads the mentee the services read
    return assessment


# --- lists ---------------------------------------------------------------------------------


def mentee_assessments(
    mentee: Mentee, competency_id: int | None = None, *, with_logs: bool = True
) -> Select:
    """The mentee's assessments, newest first, with their cited logs (or, without
    ``with_logs``, only how many: ``cited_logs``); of one competency when
    ``competency_id`` is given."""
    loaded = selectinload(Assessment.logs) if with_logs else undefer(Assessment.cited_logs)
    query = select(Assessment).options(loaded).where(Assessment.mentee_id == mentee.id)
    if competency_id:
        query = query.where(Assessment.competency_id == competency_id)
    return query.order_by(Assessment.assessed_on.desc(), Assessment.id.desc())


def visible_assessments(user: User, args) -> Select:
    """The assessments of the mentees ``user`` sees, filtered by ``mentee_id``,
    ``competency_id`` and ``sector_id`` (ValidationFailed naming each one that is not a
    whole number), newest first."""
    query = select(Assessment).where(
        Assessment.mentee_id.in_(scope_mentees(select(Mentee.id), user))
    )
    fields = {}
    for name, column in (
        ("mentee_id", Assessment.mentee_id),
        ("competency_id", Assessment.competency_id),
    ):
        if raw := args.get(name):
            if not raw.isdecimal():
                fields[name] = [_("Must be a whole number.")]
            else:
                query = query.where(column == int(raw))
    if raw := args.get("sector_id"):
        if not raw.isdecimal():
            fields["sector_id"] = [_("Must be a whole number.")]
        else:
            query = query.where(
                Assessment.mentee_id.in_(select(Mentee.id).where(Mentee.sector_id == int(raw)))
            )
    if fields:
        raise ValidationFailed(fields=fields)
    return query.order_by(Assessment.assessed_on.desc(), Assessment.id.desc())


def review_requests(user: User) -> Select:
    """The self-assessments of the mentees ``user`` sees that ask for a review, oldest
    first: the queue behind "n self-assessments ask for a review" (the same count; one
    picked up for review waits on its mentee's page)."""
    return (
        select(Assessment)
        .where(
            Assessment.mentee_id.in_(scope_mentees(select(Mentee.id), user)),
            Assessment.review_status == ReviewStatus.WAITING,
        )
        .options(
            joinedload(Assessment.mentee).joinedload(Mentee.user), selectinload(Assessment.logs)
        )
        .order_by(Assessment.assessed_on, Assessment.id)
    )


def waiting_reviews(user: User) -> tuple[int, int | None]:
    """How many self-assessments of the mentees ``user`` sees wait for a review, and the
    mentee of one of them (None when none waits). One statement."""
    waiting = (
        Assessment.mentee_id.in_(scope_mentees(select(Mentee.id), user)),
        Assessment.review_status == ReviewStatus.WAITING,
    )
    count = select(func.count()).select_from(select(Assessment.id).where(*waiting).subquery())
    first = select(Assessment.mentee_id).where(*waiting).limit(1)
    return tuple(db.session.execute(select(count.scalar_subquery(), first.scalar_subquery())).one())


def with_cited_logs(query: Select) -> Select:
    """``query``'s assessments with their cited logs loaded (the API's items list them)."""
    return query.options(selectinload(Assessment.logs))


# --- the assessment form -------------------------------------------------------------------


def competency_choices(mentee: Mentee, empty: str) -> list[SelectChoice]:
    """The competencies the mentee can be assessed on, after the ``empty`` choice."""
    competencies = db.session.scalars(
        sector_competencies(mentee.sector_id).order_by(Competency.sort_order)
    )
    return [SelectChoice("", empty)] + [
        SelectChoice(c.id, f"{c.short_name} ({c.idnumber})") for c in competencies
    ]


def citable_log_choices(
    user: User, mentee: Mentee, competency_id: int | None
) -> list[SelectChoice]:
    """The logs ``user`` may cite on an assessment of the mentee on the competency: those
    they may read, of this mentee, that count and address it; the latest first."""
    if not competency_id:
        return []
    logs = db.session.scalars(
        visible_logs(user)
        .join(Pairing, Pairing.id == TransferLog.pairing_id)
        .where(
            Pairing.mentee_id == mentee.id,
            TransferLog.status.in_(COUNTED_LOG_STATUSES),
            TransferLog.competencies.any(Competency.id == competency_id),
        )
        .order_by(TransferLog.activity_date.desc())
        .limit(CITABLE_LOGS)
    ).all()
    return [
        SelectChoice(
            log.id, f"{log.activity_date.isoformat()} · {log.title} · {log.mentee_role.short}"
        )
        for log in logs
    ]


@dataclass(frozen=True)
class UncitedLogs:
    """The logs on a competency the assessment form cannot offer yet, by why: what to say
    when it offers none."""

    waiting: int  # sent, waiting for the mentee's acknowledgement
    disputed: int  # disputed by the mentee, to be corrected and sent again
    drafts: int  # not sent yet (only their author, a coach, sees them)

    @property
    def any(self) -> bool:
        return bool(self.waiting or self.disputed or self.drafts)


def uncited_logs(user: User, mentee: Mentee, competency_id: int | None) -> UncitedLogs:
    """The logs ``user`` may read, of this mentee, on the competency, that cannot be cited
    because they do not count yet (not acknowledged), counted by status."""
    if not competency_id:
        return UncitedLogs(0, 0, 0)
    counts = dict(
        db.session.execute(
            visible_logs(user)
            .with_only_columns(TransferLog.status, func.count())
            .join(Pairing, Pairing.id == TransferLog.pairing_id)
            .where(
                Pairing.mentee_id == mentee.id,
                TransferLog.status.not_in(COUNTED_LOG_STATUSES),
                TransferLog.competencies.any(Competency.id == competency_id),
            )
            .group_by(TransferLog.status)
        ).all()
    )
    return UncitedLogs(
        waiting=counts.get(LogStatus.SUBMITTED, 0),
        disputed=counts.get(LogStatus.DISPUTED, 0),
        drafts=counts.get(LogStatus.DRAFT, 0),
    )


# --- the profile page ----------------------------------------------------------------------


@dataclass(frozen=True)
class ProfilePage:
    """What a mentee's competency page shows, beside the charts."""

    rows: list[ProfileRow]  # baseline, current, target and self level per competency
    history: list[Assessment]  # the latest assessments, newest first
    reviews: list[Assessment]  # of those, the open review requests
    short: list[ProfileRow]  # core competencies below the sector's expert level
    next_up: list[ProfileRow]  # plan targets not reached yet, the soonest first
    has_core: bool


def profile_page(mentee: Mentee, on: date) -> ProfilePage:
    """The mentee's competency profile on ``on``, their latest assessments and where they
    stand against the expert level and their plan. A constant number of statements."""
    rows = competency_profile(mentee, on)
    history = db.session.scalars(
        mentee_assessments(mentee, with_logs=False).limit(HISTORY_LENGTH)
    ).all()
    expert = mentee.sector.expert_level
    return ProfilePage(
        rows=rows,
        history=list(history),
        reviews=[a for a in history if is_open_review(a)],
        short=[r for r in rows if r.competency.core and below_expert(r.current_level, expert)],
        next_up=sorted(
            (r for r in rows if r.target_level is not None and r.current_level < r.target_level),
            key=lambda r: (r.target_date or on, r.competency.sort_order),
        )[:NEXT_UP],
        has_core=any(r.competency.core for r in rows),
    )


# --- levels across a sector ----------------------------------------------------------------


@dataclass(frozen=True)
class SectorLevels:
    """The levels page: the sectors to choose from, the one shown, its competencies as
    choices, the filters in force and one ``(mentee, value)`` row per mentee shown. The
    value is the current level on the chosen competency, or, without one, how many core
    competencies are still below the expert level (0: a national expert)."""

    sectors: list[Sector]
    sector: Sector | None
    competencies: list[SelectChoice]
    competency_id: int | None
    level_min: int | None
    rows: list[tuple[Mentee, int]]


def sector_levels(user: User, args, on: date, *, core_label: str) -> SectorLevels:
    """The mentees of a sector ``user`` manages (``sector_id``, else the first by name)
    whose status counts, of an ``institution_id`` if given, with their levels on ``on``:
    on ``competency_id`` (at least ``level`` when given), or the core competencies below
    the expert level (the choice labelled ``core_label``). Four statements."""
    managed = managed_sector_ids(user)
    sectors = db.session.scalars(
        select(Sector)
        .where(Sector.id.in_(managed) if managed is not None else True)
        .order_by(Sector.name)
    ).all()
    sector_id = args.get("sector_id", type=int)
    sector = next((s for s in sectors if s.id == sector_id), sectors[0] if sectors else None)
    competency_id = args.get("competency_id", type=int)
    level_min = args.get("level", type=int)
    if sector is None:
        return SectorLevels(list(sectors), None, [], competency_id, level_min, [])
    competencies = db.session.scalars(
        select(Competency)
        .join(CompetencyFramework)
        .where(
            (CompetencyFramework.sector_id == sector.id) | CompetencyFramework.sector_id.is_(None)
        )
        .order_by(CompetencyFramework.sector_id.is_(None), Competency.sort_order)
    ).all()
    choices = [SelectChoice("", core_label)] + [
        SelectChoice(c.id, c.short_name) for c in competencies
    ]
    core_ids = [c.id for c in competencies if c.core and c.framework.sector_id == sector.id]
    query = scope_mentees(select(Mentee), user).where(
        Mentee.sector_id == sector.id, Mentee.status.in_(COUNTING_STATUSES)
    )
    if institution_id := args.get("institution_id", type=int):
        query = query.where(Mentee.institution_id == institution_id)
    mentees = db.session.scalars(query).all()
    wanted = [competency_id] if competency_id else core_ids
    levels = levels_by_mentee(current_levels([m.id for m in mentees], on, wanted))
    rows = []
    for mentee in sorted(mentees, key=lambda m: m.user.full_name):
        mine = levels.get(mentee.id, {})
        if competency_id:
            value = mine.get(competency_id, 0)
            if level_min is not None and value < level_min:
                continue
        else:
            value = core_below_expert(mine, core_ids, sector.expert_level)
        rows.append((mentee, value))
    return SectorLevels(list(sectors), sector, choices, competency_id, level_min, rows)


def evidence_logs(mentee: Mentee, competency_id: int):
    """Logs that can back a level ≥ 3: acknowledged, this mentee, this competency, led."""
    return (
        select(TransferLog)
        .join(Pairing, Pairing.id == TransferLog.pairing_id)
        .where(
            Pairing.mentee_id == mentee.id,
            TransferLog.status.in_(list(COUNTED_LOG_STATUSES)),
            TransferLog.mentee_role == MenteeRole.LED,
            TransferLog.competencies.any(Competency.id == competency_id),
        )
        .order_by(TransferLog.activity_date.desc())
    )
