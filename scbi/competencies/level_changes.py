"""The days levels change, kept as the table ``level_change`` (issue 13).

The critical mass replays, month by month, the days each mentee's current level changes
(scbi.competencies.levels's rule). Computing them means reading every assessment and
every plan baseline ever written; so they are kept instead, derived and never edited by
hand:

- **in the same transaction** as what changes them: after each flush that adds an
  assessment or approves (or backdates) a plan, the changes of the (mentee, competency)
  pairs it touches are computed again from their history (:func:`refresh`), so a
  rolled-back request leaves nothing behind;
- **checked**: :func:`drift` compares the table with a recomputation of everything (the
  suite runs it after the demo and the report scenarios; ``flask --app wsgi scbi derived``);
- **rebuildable**: :func:`rebuild` writes it again from the history (``scbi derived
  --rebuild``, the migration that made it, and the benchmark's generator, which writes
  history with bulk inserts that no flush sees).

The stream (:func:`changes`): validated assessments and approved plan baselines form one
sequence per mentee and competency, in the order of the rule (by day; on a day, baselines
before assessments; then by decision time and id). A baseline after the first assessment
never counts (an assessment outranks any baseline); of the rest, a row is kept when its
level differs from the one before (0 before the first). Every filter is on a row's own
day, so the changes up to a date are the rows of the table up to that date.
"""

from __future__ import annotations

from sqlalchemy import (
    Integer,
    cast,
    delete,
    event,
    func,
    insert,
    inspect,
    literal,
    null,
    or_,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.orm import Session

from scbi import derived
from scbi.competencies.levels import COUNTING_PLANS
from scbi.competencies.models import Assessment, AssessorRole, LevelChange
from scbi.database import UTCDateTime
from scbi.mentees.models import Mentee
from scbi.sql import utc_day
from scbi.transfer.models import Pairing, PlanItem, TransferPlan

COLUMNS = ("mentee_id", "competency_id", "kind", "ident", "day", "at", "level")


def changes(pairs=None):
    """The level changes as a SELECT of :data:`COLUMNS`, of every pair or of ``pairs``
    (``(mentee_id, competency_id)`` tuples)."""
    assessed = select(
        Assessment.mentee_id.label("mentee_id"),
        Assessment.competency_id.label("competency_id"),
        literal(1).label("kind"),
        Assessment.id.label("ident"),
        Assessment.assessed_on.label("day"),
        cast(null(), UTCDateTime).label("at"),
        Assessment.level.label("level"),
    ).where(Assessment.assessor_role != AssessorRole.SELF)
    baselines = (
        select(
            Pairing.mentee_id.label("mentee_id"),
            PlanItem.competency_id.label("competency_id"),
            literal(0).label("kind"),
            TransferPlan.id.label("ident"),
            utc_day(TransferPlan.decided_at).label("day"),
            TransferPlan.decided_at.label("at"),
            PlanItem.baseline_level.label("level"),
        )
        .join(TransferPlan, TransferPlan.id == PlanItem.plan_id)
        .join(Pairing, Pairing.id == TransferPlan.pairing_id)
        .where(TransferPlan.status.in_(COUNTING_PLANS), TransferPlan.decided_at.is_not(None))
    )
    if pairs is not None:
        assessed = assessed.where(tuple_(Assessment.mentee_id, Assessment.competency_id).in_(pairs))
        baselines = baselines.where(tuple_(Pairing.mentee_id, PlanItem.competency_id).in_(pairs))
    stream = union_all(assessed, baselines).subquery()
    pair = (stream.c.mentee_id, stream.c.competency_id)
    order = (stream.c.day, stream.c.kind, stream.c.at, stream.c.ident)
    seen = select(
        stream,
        func.sum(stream.c.kind)
        .over(partition_by=pair, order_by=order, rows=(None, 0))
        .label("assessed_before"),
    ).subquery()
    counted = (
        select(*(seen.c[name] for name in COLUMNS if name != "level"))
        .add_columns(cast(seen.c.level, Integer).label("level"))
        .where(or_(seen.c.kind == 1, seen.c.assessed_before == 0))
    ).subquery()
    flagged = select(
        counted,
        func.lag(counted.c.level, 1, 0)
        .over(
            partition_by=(counted.c.mentee_id, counted.c.competency_id),
            order_by=(counted.c.day, counted.c.kind, counted.c.at, counted.c.ident),
        )
        .label("before"),
    ).subquery()
    return select(*(flagged.c[name] for name in COLUMNS)).where(flagged.c.level != flagged.c.before)


def level_on(mentee_id, competency_id, day):
    """The current level of a pair on ``day`` as a correlated scalar subquery (NULL before
    any change, i.e. 0): the last kept change up to that day, one probe of
    ``ix_level_change_pair_order``, read from the index alone. ``mentee_id`` and
    ``competency_id`` are columns of the enclosing query."""
    change = LevelChange
    return (
        select(change.level)
        .where(
            change.mentee_id == mentee_id,
            change.competency_id == competency_id,
            change.day <= day,
        )
        .order_by(change.day.desc(), change.kind.desc(), change.at.desc(), change.ident.desc())
        .limit(1)
        .scalar_subquery()
    )


def refresh(connection, pairs) -> None:
    """Compute the changes of ``pairs`` again from their history. On PostgreSQL the
    mentees' rows are locked first, so two transactions writing levels of one mentee at
    once compute in turn, the second seeing the first's assessment (SQLite has one writer
    at a time anyway)."""
    pairs = sorted(set(pairs))
    if connection.dialect.name == "postgresql":
        mentees = sorted({mentee for mentee, _competency in pairs})
        connection.execute(
            select(Mentee.id).where(Mentee.id.in_(mentees)).order_by(Mentee.id).with_for_update()
        )
    for start in range(0, len(pairs), 500):
        chunk = pairs[start : start + 500]
        key = tuple_(LevelChange.mentee_id, LevelChange.competency_id)
        connection.execute(delete(LevelChange).where(key.in_(chunk)))
        connection.execute(
            insert(LevelChange).from_select(list(COLUMNS), changes(chunk)),
        )


def rebuild() -> int:
    """Write the whole table again from the history; the number of changes."""
    return derived.rebuild(LevelChange, COLUMNS, changes())


def drift() -> int:
    """Rows that differ between the table and a recomputation of everything (0 when kept)."""
    return derived.drift(LevelChange, COLUMNS, changes())


# --- kept in the same transaction ----------------------------------------------------------


# What a level depends on: a change to anything else of these rows (a review picked up,
# a draft item's target) leaves the levels as they were.
_LEVEL_FIELDS = {
    Assessment: ("mentee_id", "competency_id", "level", "assessed_on", "assessor_role"),
    PlanItem: ("plan_id", "competency_id", "baseline_level"),
    TransferPlan: ("status", "decided_at"),
}


@event.listens_for(Session, "after_flush")
def _keep_level_changes(session, _context) -> None:
    """After a flush (whose lists still show what it wrote): the pairs of the assessments
    written and of the approved plans whose decision or items changed, computed again."""
    pairs: set[tuple[int, int]] = set()
    plans: set[int] = set()
    added_or_deleted = {*session.new, *session.deleted}
    for obj in (*added_or_deleted, *session.dirty):
        if type(obj) not in _LEVEL_FIELDS or not (obj in added_or_deleted or _read(obj)):
            continue
        if isinstance(obj, Assessment):
            pairs.add((obj.mentee_id, obj.competency_id))
        else:
            plans.add(obj.plan_id if isinstance(obj, PlanItem) else obj.id)
    if not (pairs or plans):
        return
    connection = session.connection()
    if plans:
        pairs.update(
            connection.execute(
                select(Pairing.mentee_id, PlanItem.competency_id)
                .join(TransferPlan, TransferPlan.id == PlanItem.plan_id)
                .join(Pairing, Pairing.id == TransferPlan.pairing_id)
                .where(PlanItem.plan_id.in_(plans), TransferPlan.status.in_(COUNTING_PLANS))
            ).tuples()
        )
    if pairs:
        refresh(connection, pairs)


def _read(obj) -> bool:
    """Whether a changed row had a field that levels read changed."""
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in _LEVEL_FIELDS[type(obj)])
