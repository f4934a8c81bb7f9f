"""What a person may do with a pairing, a plan or a log: small pure rules.

The services enforce the same rules (and say why when they refuse); pages use these to
decide which buttons to offer, so that a page never offers what would always be refused.
They read the objects already loaded and run no query. The ``require_*`` ones refuse
(403) with the services' words, for a page that must not even open.
"""

from __future__ import annotations

from flask_babel import gettext as _

from scbi.auth.models import Role, User
from scbi.auth.permissions import can_manage_sector
from scbi.coaches.models import Coach
from scbi.errors import NotAllowed
from scbi.mentees.models import Mentee, MenteeStatus
from scbi.transfer.models import (
    LogStatus,
    Pairing,
    PairingStatus,
    PlanStatus,
    TransferLog,
    TransferPlan,
)


def is_coach_of(user: User, pairing: Pairing) -> bool:
    return user.is_authenticated and pairing.coach.user_id == user.id


def is_mentee_of(user: User, pairing: Pairing) -> bool:
    return user.is_authenticated and pairing.mentee.user_id == user.id


def is_party_to(user: User, pairing: Pairing) -> bool:
    """The pairing's coach or its mentee."""
    return is_coach_of(user, pairing) or is_mentee_of(user, pairing)


def require_log_writer(user: User, pairing: Pairing) -> None:
    """Refuse (403) anyone but the pairing's coach: only they write its logs."""
    if not is_coach_of(user, pairing):
        raise NotAllowed(_("Only the pairing's coach writes its logs."))


def require_plan_writer(user: User, pairing: Pairing) -> None:
    """Refuse (403) anyone but the pairing's coach: only they write its plan."""
    if not is_coach_of(user, pairing):
        raise NotAllowed(_("Only the pairing's coach writes its plan."))


def can_decide(user: User, pairing: Pairing) -> bool:
    """Approve plans and verify logs: the secretariat and the sector's coordinators."""
    return user.has_role(Role.SECRETARIAT, Role.COORDINATOR) and can_manage_sector(
        user, pairing.sector_id
    )


def can_read_log(user: User, log: TransferLog) -> bool:
    """A draft is the coach's own until submitted; after that, whoever sees the pairing."""
    return log.status != LogStatus.DRAFT or log.author_id == user.id


def can_manage_pairing(user: User, pairing: Pairing) -> bool:
    """Pause, resume or end: the secretariat and the sector's coordinators, while open."""
    return (
        pairing.is_open
        and user.has_role(Role.SECRETARIAT, Role.COORDINATOR)
        and can_manage_sector(user, pairing.sector_id)
    )


def can_pause_pairing(user: User, pairing: Pairing) -> bool:
    return can_manage_pairing(user, pairing) and pairing.status == PairingStatus.ACTIVE


def can_resume_pairing(user: User, pairing: Pairing) -> bool:
    return can_manage_pairing(user, pairing) and pairing.status == PairingStatus.PAUSED


def can_write_plan(user: User, pairing: Pairing) -> bool:
    """The pairing's coach writes (or revises) its plan while the pairing is open."""
    return pairing.is_open and is_coach_of(user, pairing)


def can_read_plan(user: User, plan: TransferPlan) -> bool:
    """A draft plan is the coach's own until submitted; after that, whoever sees the
    pairing reads it."""
    return plan.status != PlanStatus.DRAFT or is_coach_of(user, plan.pairing)


def can_edit_plan(user: User, plan: TransferPlan) -> bool:
    """The coach changes (and submits) a draft or returned plan while the pairing is open."""
    return plan.editable and can_write_plan(user, plan.pairing)


def can_revise_plan(user: User, plan: TransferPlan) -> bool:
    """The coach revises the approved plan while the pairing is open (the service also
    refuses a second revision under way: the page asks it only when this holds)."""
    return plan.status == PlanStatus.APPROVED and can_write_plan(user, plan.pairing)


def can_decide_plan(user: User, plan: TransferPlan) -> bool:
    """A submitted plan waits for the decision of the secretariat or the sector's
    coordinators."""
    return plan.status == PlanStatus.SUBMITTED and can_decide(user, plan.pairing)


def can_write_log(user: User, pairing: Pairing) -> bool:
    """The coach logs activity while the pairing is active and the mentee has not left."""
    return (
        pairing.status == PairingStatus.ACTIVE
        and not pairing.mentee.has_left
        and is_coach_of(user, pairing)
    )


def can_edit_log(user: User, log: TransferLog) -> bool:
    """Its author changes (and sends) a draft or a disputed log of an open pairing whose
    mentee has not left."""
    return (
        log.editable
        and log.author_id == user.id
        and log.pairing.is_open
        and not log.pairing.mentee.has_left
    )


def can_add_evidence(user: User, log: TransferLog) -> bool:
    """Its author adds evidence until the mentee acknowledges the log (draft, disputed or
    submitted), while the pairing is open and the mentee has not left."""
    return (
        log.status in (LogStatus.DRAFT, LogStatus.DISPUTED, LogStatus.SUBMITTED)
        and log.author_id == user.id
        and log.pairing.is_open
        and not log.pairing.mentee.has_left
    )


def can_remove_evidence(user: User, log: TransferLog) -> bool:
    """Evidence leaves only a draft (a submitted log's evidence stays on the record)."""
    return log.status == LogStatus.DRAFT and can_edit_log(user, log)


def can_respond_to_log(user: User, log: TransferLog) -> bool:
    """The pairing's mentee acknowledges or disputes a submitted log, until they leave."""
    return (
        log.status == LogStatus.SUBMITTED
        and not log.pairing.mentee.has_left
        and is_mentee_of(user, log.pairing)
    )


def can_verify_log(user: User, log: TransferLog) -> bool:
    return log.status == LogStatus.ACKNOWLEDGED and can_decide(user, log.pairing)


def can_pair(user: User, sector_id: int) -> bool:
    """Set up pairings in a sector: the secretariat and the sector's coordinators."""
    return user.has_role(Role.SECRETARIAT, Role.COORDINATOR) and can_manage_sector(user, sector_id)


def can_pair_mentee(user: User, mentee: Mentee) -> bool:
    """Offer to pair a mentee who is still active, in a sector the user manages."""
    return mentee.status == MenteeStatus.ACTIVE and can_pair(user, mentee.sector_id)


def can_pair_coach(user: User, coach: Coach, active_pairings: int) -> bool:
    """Offer to pair a coach with room for one more mentee, in a sector the user manages."""
    return active_pairings < coach.max_mentees and can_pair(user, coach.sector_id)
