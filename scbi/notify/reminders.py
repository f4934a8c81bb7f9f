"""Reminders, run once a day (``flask --app wsgi scbi remind``, from a timer):

- an active pairing with no log submitted for 14 days (counted from its last submission,
  its start, or its last resumption after a pause): its coach; for 28 days: its coach
  and the sector's coordinators;
- a log waiting for the mentee's acknowledgement for 7 days: the mentee.

Each occurrence is mailed once (``mail_reminder`` keeps its key: the pairing and the day
its silence began, the log and its submission), so a daily run mails only what became due
since the last one, and a cause that went away (a log submitted, the log acknowledged)
makes no key any more. A person gets one mail listing what is new for them, in their
language (the texts are lazy), unless they turned reminders off. A log that had already
waited more than a week longer when the reminders began is left to the digest (no flood
of old items on the first run).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _
from flask_babel import lazy_ngettext as ngettext
from sqlalchemy import func, select

from scbi.audit import AuditEvent
from scbi.auth.models import User
from scbi.coaches.models import Coach
from scbi.database import insert_rows, utcnow
from scbi.dates import local_day, today
from scbi.extensions import db
from scbi.mail import MailReminder
from scbi.mail.outbox import Mail, link, long_date, queue
from scbi.mentees.models import Mentee
from scbi.notify.people import coordinators, wanting
from scbi.sql import batches
from scbi.transfer.models import LogStatus, Pairing, PairingStatus, TransferLog

SILENT_DAYS = (14, 28)
WAITING_DAYS = 7
PREFERENCE = "mail_reminders"


@dataclass(frozen=True)
class Item:
    key: str
    title: str
    url: str
    hint: str = ""


def _silent_pairings(day) -> list[tuple]:
    """Active pairings silent for 14 days or more: (pairing id, sector id, coach's user,
    mentee's name, the day the silence began)."""
    # each active pairing's last submission, from the index on (pairing, first submission)
    last = (
        select(func.max(TransferLog.first_submitted_at))
        .where(TransferLog.pairing_id == Pairing.id)
        .correlate(Pairing)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(
            Pairing.id,
            Pairing.sector_id,
            Pairing.start_date,
            last,
            Coach.user_id,
            Mentee.user_id,
        )
        .join(Coach, Coach.id == Pairing.coach_id)
        .join(Mentee, Mentee.id == Pairing.mentee_id)
        .where(
            Pairing.status == PairingStatus.ACTIVE,
            Pairing.start_date <= day - timedelta(days=SILENT_DAYS[0]),
        )
    ).all()
    resumed = _resumed([row[0] for row in rows])
    silent = []
    for pairing_id, sector_id, start, last_at, coach_user, mentee_user in rows:
        since = max(
            start,
            local_day(last_at) if last_at is not None else start,
            local_day(resumed[pairing_id]) if pairing_id in resumed else start,
        )
        if (day - since).days >= SILENT_DAYS[0]:
            silent.append((pairing_id, sector_id, coach_user, mentee_user, since))
    return silent


def _resumed(pairing_ids: list[int]) -> dict[int, datetime]:
    """When each pairing last resumed after a pause (a pause is no silence): from the
    audit trail, by its index on the entity."""
    found: dict[int, datetime] = {}
    for batch in batches(sorted(pairing_ids)):
        found.update(
            db.session.execute(
                select(AuditEvent.entity_id, func.max(AuditEvent.occurred_at))
                .where(
                    AuditEvent.entity_type == Pairing.__tablename__,
                    AuditEvent.entity_id.in_(batch),
                    AuditEvent.action == "pairing.resume",
                )
                .group_by(AuditEvent.entity_id)
            ).all()
        )
    return found


def _waiting_logs(now: datetime) -> list[tuple]:
    """Logs submitted between 14 and 7 days ago and still waiting: (log id, title,
    submitted at, mentee's user)."""
    return db.session.execute(
        select(TransferLog.id, TransferLog.title, TransferLog.submitted_at, Mentee.user_id)
        .join(Pairing, Pairing.id == TransferLog.pairing_id)
        .join(Mentee, Mentee.id == Pairing.mentee_id)
        .where(
            TransferLog.status == LogStatus.SUBMITTED,
            TransferLog.submitted_at <= now - timedelta(days=WAITING_DAYS),
            TransferLog.submitted_at > now - timedelta(days=2 * WAITING_DAYS),
        )
        .order_by(TransferLog.submitted_at)
    ).all()


def _users(ids) -> dict[int, User]:
    found: dict[int, User] = {}
    for batch in batches(sorted(set(ids))):
        found.update((u.id, u) for u in db.session.scalars(select(User).where(User.id.in_(batch))))
    return found


def remind(now: datetime | None = None) -> int:
    """Queue today's new reminders (one mail per person); returns how many mails."""
    day = today() if now is None else local_day(now)
    now = now or utcnow()
    due: dict[int, list[Item]] = {}
    silent = _silent_pairings(day)
    waiting = _waiting_logs(now)
    users = _users([u for row in silent for u in row[2:4]] + [row[3] for row in waiting])
    managers = coordinators({row[1] for row in silent if (day - row[4]).days >= SILENT_DAYS[1]})
    for pairing_id, sector_id, coach_id, mentee_id, since in silent:
        days = (day - since).days
        mentee = users[mentee_id].full_name
        coach = users[coach_id]
        url = link("transfer.pairing", pairing_id=pairing_id)
        step = SILENT_DAYS[1] if days >= SILENT_DAYS[1] else SILENT_DAYS[0]
        title = ngettext(
            "No log submitted with %(mentee)s for %(num)d day",
            "No log submitted with %(mentee)s for %(num)d days",
            days,
            mentee=mentee,
        )
        hint = _(
            "Since %(day)s. Log what you did, or say why the pairing is on hold.",
            day=long_date(since),
        )
        due.setdefault(coach.id, []).append(
            Item(f"silent{step}:p{pairing_id}:{since}:u{coach.id}", title, url, hint)
        )
        if step == SILENT_DAYS[1]:
            for manager in managers.get(sector_id, []):
                users.setdefault(manager.id, manager)
                manager_title = ngettext(
                    "No log submitted by %(coach)s with %(mentee)s for %(num)d day",
                    "No log submitted by %(coach)s with %(mentee)s for %(num)d days",
                    days,
                    coach=coach.full_name,
                    mentee=mentee,
                )
                due.setdefault(manager.id, []).append(
                    Item(
                        f"silent{step}:p{pairing_id}:{since}:u{manager.id}",
                        manager_title,
                        url,
                        hint,
                    )
                )
    for log_id, title, submitted_at, mentee_id in waiting:
        due.setdefault(mentee_id, []).append(
            Item(
                f"waiting{WAITING_DAYS}:l{log_id}:{submitted_at:%Y%m%dT%H%M%S}",
                _('The log "%(title)s" waits for your acknowledgement', title=title),
                link("transfer.log", log_id=log_id),
                _("Submitted on %(day)s.", day=long_date(local_day(submitted_at))),
            )
        )
    keys = [item.key for items in due.values() for item in items]
    sent: set[str] = set()
    for batch in batches(sorted(keys)):
        sent.update(db.session.scalars(select(MailReminder.key).where(MailReminder.key.in_(batch))))
    mails, new_keys = [], []
    for user_id, items in due.items():
        fresh = [item for item in items if item.key not in sent]
        if not fresh or not wanting([users[user_id]], PREFERENCE, besides=None):
            continue
        new_keys += [item.key for item in fresh]
        mails.append(
            Mail(
                kind="reminder",
                to_address=users[user_id].email,
                to_user_id=user_id,
                language=users[user_id].language,
                subject=ngettext(
                    "A reminder from SCBI: %(num)d thing waits for you",
                    "A reminder from SCBI: %(num)d things wait for you",
                    len(fresh),
                ),
                template="list",
                context={
                    "full_name": users[user_id].full_name,
                    "intro": _("A reminder of what has been waiting for a while:"),
                    "items": fresh,
                },
            )
        )
    if new_keys:
        insert_rows(db.session, MailReminder, [{"key": k, "sent_at": now} for k in new_keys])
    queue(mails)
    return len(mails)
