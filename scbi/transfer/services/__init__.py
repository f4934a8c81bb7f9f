"""Pairing rules: create, pause, resume and end a coach–mentee pairing.

Secretariat, and coordinators for the pairing's sector. Rules (DESIGN.md): at most one
open pairing per coach–mentee pair; a coach never exceeds ``max_mentees`` active
pairings; the dates lie inside the phase and the coach's contract (also when the
contract changes later); the pairing's sector is the mentee's unless a reason is given;
a pairing never ends before its last log sent to the mentee, and ends by itself when
the mentee leaves or graduates.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from scbi import audit
from scbi.auth.models import User
from scbi.auth.permissions import require_sector
from scbi.coaches import services as coach_services
from scbi.coaches.models import Coach, CoachStatus
from scbi.dates import today
from scbi.errors import InvalidTransition, check_version
from scbi.extensions import db
from scbi.loaders import count_where
from scbi.mentees import services as mentee_services
from scbi.mentees.models import Mentee, MenteeStatus
from scbi.programme.models import Phase, Sector
from scbi.transfer.models import (
    OPEN_STATUSES,
    PAIRING,
    PAIRING_END,
    SENT_LOG_STATUSES,
    Pairing,
    PairingStatus,
    TransferLog,
)
from scbi.validation import Errors

FIELDS = (
    "coach_id",
    "mentee_id",
    "phase_id",
    "sector_id",
    "start_date",
    "planned_end_date",
    "status",
    "cross_sector_reason",
)


def active_pairing_count(coach_id: int, *, excluding: int | None = None) -> int:
    """The coach's active pairings, but for ``excluding`` (one being resumed)."""
    others = [Pairing.id != excluding] if excluding is not None else []
    return count_where(
        Pairing, Pairing.coach_id == coach_id, Pairing.status == PairingStatus.ACTIVE, *others
    )


def _check_capacity(errors: Errors, coach: Coach, excluding: int | None = None) -> None:
    # Two managers pairing the same coach at once must not both see a free place: a no-op
    # update takes the coach's row lock (PostgreSQL) or the write lock (SQLite) before
    # counting, so the second waits for the first to commit and then counts its pairing.
    db.session.execute(
        update(Coach)
        .where(Coach.id == coach.id)
        .values(max_mentees=Coach.max_mentees)
        .execution_options(synchronize_session=False)
    )
    active = active_pairing_count(coach.id, excluding=excluding)
    if active >= coach.max_mentees:
        errors.add(
            "coach_id",
            _(
                "%(name)s already has %(n)d active pairings, the most allowed.",
                name=coach.full_name,
                n=coach.max_mentees,
            ),
        )


def create_pairing(
    *,
    by: User,
    coach_id,
    mentee_id,
    phase_id,
    sector_id=None,
    start_date,
    planned_end_date,
    cross_sector_reason: str = "",
) -> Pairing:
    """Pair a coach and a mentee. A sector left empty is the one coach and mentee share
    (refused, saying both, when they do not share one); a sector other than the mentee's
    needs a reason."""
    errors = Errors()
    coach = errors.ref("coach_id", Coach, coach_id, label=_("coach"))
    mentee = errors.ref("mentee_id", Mentee, mentee_id, label=_("mentee"))
    phase = errors.ref("phase_id", Phase, phase_id, label=_("phase"))
    derived = sector_id in (None, "") and coach is not None and mentee is not None
    if derived and coach.sector_id == mentee.sector_id:
        sector_id = mentee.sector_id
    sector = errors.ref("sector_id", Sector, sector_id, label=_("sector"), required=not derived)
    start = errors.date("start_date", start_date)
    end = errors.date("planned_end_date", planned_end_date)
    reason = errors.text(
        "cross_sector_reason", cross_sector_reason, **PAIRING["cross_sector_reason"].check()
    )
    if sector is not None:
        require_sector(by, sector.id)  # 403 before any detail about other sectors leaks
    # A coordinator pairs only people of their own sectors (the secretariat, anyone).
    for person in (mentee, coach):
        if person is not None:
            require_sector(by, person.sector_id)
    if derived and sector is None:
        errors.add(
            "sector_id",
            _(
                "Choose the pairing's sector: the coach is in %(coach_sector)s and the mentee "
                "in %(mentee_sector)s.",
                coach_sector=coach.sector.name,
                mentee_sector=mentee.sector.name,
            ),
        )
    if start and end and end < start:
        errors.add("planned_end_date", _("The planned end must not be before the start."))
    else:
        errors.span("planned_end_date", start, end)
    if coach is not None:
        if coach.status != CoachStatus.ACTIVE:
            errors.add("coach_id", _("This coach is not active."))
        if start and end and not coach.under_contract(start, end):
            errors.add(
                "planned_end_date" if start >= coach.contract_start else "start_date",
                _(
                    "The pairing must lie inside the coach's contract (%(start)s to %(end)s).",
                    start=coach.contract_start.isoformat(),
                    end=coach.contract_end.isoformat(),
                ),
            )
        _check_capacity(errors, coach)
    if mentee is not None and mentee.status != MenteeStatus.ACTIVE:
        errors.add("mentee_id", _("Only an active mentee can be paired."))
    if phase is not None and start and end and not phase.covers(start, end):
        errors.add(
            "start_date" if start < phase.start_date else "planned_end_date",
            _("The pairing must lie inside %(phase)s.", phase=phase.name),
        )
    if mentee is not None and sector is not None and mentee.sector_id != sector.id and not reason:
        errors.add(
            "cross_sector_reason",
            _(
                "The mentee is in %(sector)s; say why this pairing is in another sector.",
                sector=mentee.sector.name,
            ),
        )
    if coach is not None and mentee is not None and _open_pairing(coach.id, mentee.id):
        errors.add("mentee_id", _("This coach and mentee already have an open pairing."))
    errors.raise_if_any()

    pairing = Pairing(
        coach_id=coach.id,
        mentee_id=mentee.id,
        phase_id=phase.id,
        sector_id=sector.id,
        start_date=start,
        planned_end_date=end,
        status=PairingStatus.ACTIVE,
        cross_sector_reason=reason if mentee.sector_id != sector.id else "",
    )
    return audit.add_created(pairing, *FIELDS, by=by, action="pairing.create")


def _open_pairing(coach_id: int, mentee_id: int) -> Pairing | None:
    return db.session.scalar(
        select(Pairing).where(
            Pairing.coach_id == coach_id,
            Pairing.mentee_id == mentee_id,
            Pairing.status.in_(list(OPEN_STATUSES)),
        )
    )


def _transition(
    pairing: Pairing,
    by: User,
    version,
    allowed_from: set[PairingStatus],
    to: PairingStatus,
    action: str,
    **extra,
) -> Pairing:
    require_sector(by, pairing.sector_id)
    check_version(pairing, version)
    if PairingStatus(pairing.status) not in allowed_from:
        raise InvalidTransition(_REFUSALS[to] % {"status": PairingStatus(pairing.status).label})
    before = {"status": pairing.status}
    pairing.status = to
    for key, value in extra.items():
        setattr(pairing, key, value)
    db.session.flush()
    audit.record(action, by=by, entity=pairing, before=before, after={"status": to.value, **extra})
    return pairing


# Why a step is refused, a whole sentence each (the status as a value, in its own words).
_REFUSALS = {
    PairingStatus.PAUSED: _l("Only an active pairing can be paused (this one is: %(status)s)."),
    PairingStatus.ACTIVE: _l("Only a paused pairing can be resumed (this one is: %(status)s)."),
    PairingStatus.COMPLETED: _l("This pairing has already ended (it is: %(status)s)."),
    PairingStatus.TERMINATED: _l("This pairing has already ended (it is: %(status)s)."),
}


def pause_pairing(pairing: Pairing, *, by: User, version) -> Pairing:
    return _transition(
        pairing, by, version, {PairingStatus.ACTIVE}, PairingStatus.PAUSED, "pairing.pause"
    )


def resume_pairing(pairing: Pairing, *, by: User, version) -> Pairing:
    """Resume a paused pairing, if the coach has room for it again."""
    if pairing.status == PairingStatus.PAUSED:
        errors = Errors()
        _check_capacity(errors, pairing.coach, excluding=pairing.id)
        errors.raise_if_any()
    return _transition(
        pairing, by, version, {PairingStatus.PAUSED}, PairingStatus.ACTIVE, "pairing.resume"
    )


def end_pairing(pairing: Pairing, *, by: User, version, status, end_date, reason) -> Pairing:
    """End an open pairing as ``completed`` or ``terminated``, with a date and a reason."""

    require_sector(by, pairing.sector_id)
    check_version(pairing, version)
    if not pairing.is_open:
        raise InvalidTransition(_("This pairing has already ended."))
    errors = Errors()
    status = errors.choice("status", status, PairingStatus)
    if status in (PairingStatus.ACTIVE, PairingStatus.PAUSED):
        errors.add("status", _("Choose completed or terminated."))
    end = errors.date("end_date", end_date)
    reason = errors.text("reason", reason, **PAIRING_END["reason"].check())
    if end and end < pairing.start_date:
        errors.add(
            "end_date",
            _(
                "The pairing started on %(day)s; it cannot end before.",
                day=pairing.start_date.isoformat(),
            ),
        )
    if end and end > today():
        errors.add("end_date", _("The end date must not be in the future."))
    last = last_sent_log_day(pairing.id)
    if end and last and end < last:
        errors.add(
            "end_date",
            _(
                "The pairing's last logged activity is on %(day)s; it cannot end before. "
                "Choose that day or later.",
                day=last.isoformat(),
            ),
        )
    errors.raise_if_any()
    return _transition(
        pairing,
        by,
        version,
        set(OPEN_STATUSES),
        PairingStatus(status),
        "pairing.end",
        end_date=end,
        end_reason=reason,
    )


def last_sent_log_day(pairing_id: int) -> date | None:
    """The latest activity date of the pairing's logs that went to the mentee."""
    return db.session.scalar(
        select(func.max(TransferLog.activity_date)).where(
            TransferLog.pairing_id == pairing_id,
            TransferLog.status.in_(list(SENT_LOG_STATUSES)),
        )
    )


def end_for_mentee_exit(
    mentee: Mentee, *, by: User, status: PairingStatus, day: date, reason: str
) -> list[Pairing]:
    """End each open pairing of ``mentee`` on ``day`` (a pairing that had not started by
    then, on its start): the mentee has graduated (``completed``) or left
    (``terminated``). Audited as any other end. The caller has checked that no log sent
    in these pairings is dated after ``day``."""
    pairings = db.session.scalars(
        select(Pairing)
        .where(
            Pairing.mentee_id == mentee.id,
            Pairing.status.in_(list(OPEN_STATUSES)),
        )
        .order_by(Pairing.id)
    ).all()
    for pairing in pairings:
        _transition(
            pairing,
            by,
            pairing.version,
            set(OPEN_STATUSES),
            status,
            "pairing.end",
            end_date=max(day, pairing.start_date),
            end_reason=reason,
        )
    return pairings


def check_contract_covers(errors: Errors, coach: Coach, start: date, end: date) -> None:
    """A coach's new contract (``start`` to ``end``) must cover each open pairing of
    theirs: its start, its planned end and every log sent in it. The refusal names the
    pairings (field ``contract_start`` or ``contract_end``)."""
    open_ids = select(Pairing.id).where(
        Pairing.coach_id == coach.id, Pairing.status.in_(list(OPEN_STATUSES))
    )
    logged = (
        select(
            TransferLog.pairing_id,
            func.min(TransferLog.activity_date).label("first"),
            func.max(TransferLog.activity_date).label("last"),
        )
        .where(
            TransferLog.pairing_id.in_(open_ids),
            TransferLog.status.in_(list(SENT_LOG_STATUSES)),
        )
        .group_by(TransferLog.pairing_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Pairing, logged.c.first, logged.c.last)
        .outerjoin(logged, logged.c.pairing_id == Pairing.id)
        .where(Pairing.id.in_(open_ids))
        .order_by(Pairing.start_date, Pairing.id)
    ).all()
    before, after = [], []
    for pairing, first_log, last_log in rows:
        first = min(pairing.start_date, first_log or pairing.start_date)
        last = max(pairing.planned_end_date, last_log or pairing.planned_end_date)
        named = _(
            "%(mentee)s (%(start)s to %(end)s)",
            mentee=pairing.mentee.full_name,
            start=first.isoformat(),
            end=last.isoformat(),
        )
        if first < start:
            before.append(named)
        if last > end:
            after.append(named)
    for field, names in (("contract_start", before), ("contract_end", after)):
        if names:
            errors.add(
                field,
                _(
                    "The contract must cover the coach's open pairings, and these would fall "
                    "outside it: %(pairings)s. End those pairings first, or choose contract "
                    "dates that cover them.",
                    pairings="; ".join(names),
                ),
            )


# --- what the features below ask of pairings --------------------------------------------

LATER_LOGS_NAMED = 5  # a refused exit date names at most this many logs


@mentee_services.exit_checks.answer
def no_log_after_exit(errors: Errors, mentee: Mentee, when: date) -> None:
    """An exit cannot be dated before an activity already sent to the mentee."""
    later = db.session.execute(
        select(TransferLog.id, TransferLog.activity_date)
        .join(Pairing, Pairing.id == TransferLog.pairing_id)
        .where(
            Pairing.mentee_id == mentee.id,
            TransferLog.status.in_(list(SENT_LOG_STATUSES)),
            TransferLog.activity_date > when,
        )
        .order_by(TransferLog.activity_date.desc(), TransferLog.id.desc())
        .limit(LATER_LOGS_NAMED + 1)
    ).all()
    if not later:
        return
    named = ", ".join(
        _("log %(id)d of %(day)s", id=i, day=d.isoformat()) for i, d in later[:LATER_LOGS_NAMED]
    )
    day = later[0][1].isoformat()
    if len(later) > LATER_LOGS_NAMED:
        message = _(
            "The exit date cannot be earlier than the last logged activity, on %(day)s "
            "(%(logs)s, and more). Choose that day or later; a wrong log is disputed by the "
            "mentee while still active, and corrected by the coach.",
            day=day,
            logs=named,
        )
    else:
        message = _(
            "The exit date cannot be earlier than the last logged activity, on %(day)s "
            "(%(logs)s). Choose that day or later; a wrong log is disputed by the mentee "
            "while still active, and corrected by the coach.",
            day=day,
            logs=named,
        )
    errors.add("status_date", message)


@mentee_services.exited.answer
def end_with_exit(mentee: Mentee, *, by: User, status: MenteeStatus, day: date, note: str):
    """A graduate's open pairings complete; those of a mentee who left terminate."""
    end_for_mentee_exit(
        mentee,
        by=by,
        status=PairingStatus.COMPLETED
        if status == MenteeStatus.GRADUATED
        else PairingStatus.TERMINATED,
        day=day,
        reason=mentee_services.exit_reason(status, note),
    )


@coach_services.profile_checks.answer
def contract_covers_pairings(errors: Errors, coach: Coach, values: dict) -> None:
    """A changed contract must still cover the coach's open pairings and their logs."""
    start, end = values["contract_start"], values["contract_end"]
    if (
        start
        and end
        and start <= end
        and (start, end) != (coach.contract_start, coach.contract_end)
    ):
        check_contract_covers(errors, coach, start, end)
