"""The read side of logs: the managers' list and its filters, a person's own logs, a
pairing's logs, the quick log's defaults and choices, and a log's evidence."""

from __future__ import annotations

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import joinedload, lazyload, selectinload
from wtforms.fields.choices import SelectChoice

from scbi.auth.models import Role, User
from scbi.coaches.models import Coach
from scbi.extensions import db
from scbi.hooks import Hook
from scbi.mentees.models import Mentee
from scbi.pagination import NumberedPage, SeekPage, load_in_order, numbered, sample, seek
from scbi.programme.models import Competency

# The rules of logs decide which competencies a log may name (the plan's, or those the
# pairing may plan): the quick log offers exactly those.
from scbi.transfer.models import Evidence, LogStatus, Pairing, TransferLog, log_competency
from scbi.transfer.queries.log_filters import is_bounded, log_conditions
from scbi.transfer.queries.plans import allowed_competencies, plan_competency_ids
from scbi.transfer.queries.scope import visible_logs

NEWEST_FIRST = (TransferLog.activity_date.desc(), TransferLog.id.desc())


def filtered_logs(user: User, args) -> Select:
    """``visible_logs`` narrowed by the list's filters (scbi.transfer.queries.log_filters:
    those of API.md and those a report's figure opens the list with; 422 on a bad value)."""
    return visible_logs(user).where(*log_conditions(args)).order_by(*NEWEST_FIRST)


# What a list of logs shows and decides with: each log's pairing, its coach and mentee and
# their accounts; not their institutions, the phase or the sector (which every load of a
# pairing would join), nor the competencies.
AS_LISTED = (
    joinedload(TransferLog.pairing).options(
        joinedload(Pairing.coach).options(joinedload(Coach.user), lazyload(Coach.host_institution)),
        joinedload(Pairing.mentee).options(joinedload(Mentee.user), lazyload(Mentee.institution)),
        lazyload(Pairing.phase),
        lazyload(Pairing.sector),
    ),
)


def log_list(user: User, args) -> SeekPage:
    """The managers' list: a page of ``filtered_logs``, newest first and paged by
    (activity date, id), so the last page costs what the first does; ``sample`` asks for
    a random page instead (a sample to verify, new on every visit). The acknowledged ones
    (the verification queue) come with their evidence. A list limited to a period also
    sums its logs' minutes (``summed``), in the statement that counts them."""
    query = filtered_logs(user, args).order_by(None)
    options = AS_LISTED
    if args.get("status") == LogStatus.ACKNOWLEDGED:  # the verification queue shows evidence
        options = (*AS_LISTED, selectinload(TransferLog.evidence))
    if args.get("sample"):
        return sample(query, TransferLog, args, options=options)
    total_of = TransferLog.minutes if is_bounded(args) else None
    return seek(
        query, TransferLog, TransferLog.activity_date, args, options=options, total_of=total_of
    )


def api_log_list(user: User, args) -> NumberedPage:
    """A page by number (or after a cursor) of ``filtered_logs``, with what the API's log
    summary shows; its ``total`` stops at ``scbi.pagination.CAP``."""
    return numbered(
        filtered_logs(user, args).order_by(None),
        TransferLog,
        NEWEST_FIRST,
        default_per_page=50,
        options=(selectinload(TransferLog.competencies), selectinload(TransferLog.evidence)),
        day_column=TransferLog.activity_date,
    )


WAITING_SHOWN = 50  # the logs waiting for a mentee's answer, listed above their history


def _own(user: User):
    """The logs of the pairings ``user`` is in as coach or mentee (each side found through
    its own index, not by joining every pairing to its people)."""
    own = select(Pairing.id).where(
        or_(
            Pairing.coach_id.in_(select(Coach.id).where(Coach.user_id == user.id)),
            Pairing.mentee_id.in_(select(Mentee.id).where(Mentee.user_id == user.id)),
        )
    )
    return visible_logs(user).where(TransferLog.pairing_id.in_(own))


def waiting_logs(user: User) -> list[TransferLog]:
    """The logs sent to ``user`` as a mentee and not yet answered, newest first (at most
    :data:`WAITING_SHOWN`)."""
    if not user.has_role(Role.MENTEE):
        return []
    as_mentee = select(Pairing.id).join(Mentee, Mentee.id == Pairing.mentee_id)
    keys = (  # the keys first, through the pairings' index; then the few logs themselves
        visible_logs(user)
        .with_only_columns(TransferLog.id)
        .where(
            TransferLog.pairing_id.in_(as_mentee.where(Mentee.user_id == user.id)),
            TransferLog.status == LogStatus.SUBMITTED,
        )
        .order_by(*NEWEST_FIRST)
        .limit(WAITING_SHOWN)
    )
    ids = list(db.session.scalars(keys))
    return load_in_order(TransferLog, ids, AS_LISTED)


def own_logs(user: User, args) -> tuple[list[TransferLog], SeekPage]:
    """ "My logs": on the first page of the whole list, the logs waiting for ``user``'s
    answer as a mentee; and a page of the other logs of the pairings they are in (as coach
    or mentee) that they may read — in the ``status`` asked, if any, then waiting ones
    included — newest first and paged by (activity date, id) like the managers' list."""
    status = args.get("status", "")
    first = not any(args.get(key) for key in ("after", "before", "last"))
    waiting = waiting_logs(user) if not status else []
    query = _own(user).order_by(None)
    if status:
        query = query.where(TransferLog.status == status)
    if waiting:  # shown above the list, not again in it, on every page alike
        query = query.where(TransferLog.id.not_in([log.id for log in waiting]))
    page = seek(query, TransferLog, TransferLog.activity_date, args, options=AS_LISTED)
    return (waiting if first else []), page


def pairing_logs(user: User, pairing: Pairing, status: str | None = None) -> Select:
    """The pairing's logs that ``user`` may read (in ``status``, if given), newest first,
    with their competencies and evidence."""
    query = visible_logs(user).where(TransferLog.pairing_id == pairing.id)
    if status:
        query = query.where(TransferLog.status == status)
    return query.options(
        selectinload(TransferLog.competencies), selectinload(TransferLog.evidence)
    ).order_by(*NEWEST_FIRST)


def recent_logs(user: User, pairing: Pairing, limit: int = 10) -> list[TransferLog]:
    """The pairing's latest logs that ``user`` may read, with their competencies."""
    return db.session.scalars(
        visible_logs(user)
        .where(TransferLog.pairing_id == pairing.id)
        .options(selectinload(TransferLog.competencies))
        .order_by(*NEWEST_FIRST)
        .limit(limit)
    ).all()


def last_log_defaults(user: User, pairing: Pairing) -> dict:
    """What the quick log takes from the last log ``user`` wrote in the pairing: its
    activity type, the mentee's role and the competencies (their ids), or nothing. Two
    small reads, not the log with everything it refers to."""
    last = db.session.execute(
        select(TransferLog.id, TransferLog.activity_type, TransferLog.mentee_role)
        .where(TransferLog.pairing_id == pairing.id, TransferLog.author_id == user.id)
        .order_by(TransferLog.id.desc())
        .limit(1)
    ).first()
    if last is None:
        return {}
    competency_ids = db.session.scalars(
        select(log_competency.c.competency_id)
        .join(Competency, Competency.id == log_competency.c.competency_id)
        .where(log_competency.c.log_id == last.id)
        .order_by(Competency.sort_order)
    ).all()
    return {
        "activity_type": last.activity_type,
        "mentee_role": last.mentee_role,
        "competency_ids": competency_ids,
    }


def log_competency_choices(pairing: Pairing) -> tuple[list, list, set[int]]:
    """The quick log's competencies: those of the approved plan, the others the pairing
    may name (off-plan), and the plan's ids."""
    planned = plan_competency_ids(pairing.id)
    allowed = db.session.scalars(
        allowed_competencies(pairing).order_by(Competency.sort_order)
    ).all()
    on_plan = [SelectChoice(c.id, c.short_name) for c in allowed if c.id in planned]
    off_plan = [
        SelectChoice(c.id, f"{c.short_name} ({c.idnumber})") for c in allowed if c.id not in planned
    ]
    return on_plan, off_plan, planned


log_exchanges = Hook(
    "transfer.log_exchanges",
    "(pairing) -> [(id, label)]: the peer exchanges the pairing's mentee took part in, "
    "newest first — what a peer-exchange log of the pairing may point at (exchange_id).",
    required=True,
)


def exchange_choices(pairing: Pairing) -> list[tuple[int, str]]:
    """The exchanges a log of the pairing may point at (the features above answer): the
    log form offers exactly those, and the rules of logs refuse any other."""
    return [choice for answer in log_exchanges.ask(pairing) for choice in answer]


def exchange_label(log: TransferLog) -> str | None:
    """The name of the exchange the log points at, or None."""
    if log.exchange_id is None:
        return None
    return dict(exchange_choices(log.pairing)).get(log.exchange_id)


def log_evidence(log: TransferLog) -> Select:
    """The log's evidence, oldest first."""
    return select(Evidence).where(Evidence.log_id == log.id).order_by(Evidence.id)
