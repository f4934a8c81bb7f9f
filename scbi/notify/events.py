"""Event mails: each step that needs someone mails them, in the transaction that records
the step (an answer to ``audit.committing``), so a step rolled back mails nobody.

Who is mailed, and nothing more than they may read:

- a log submitted, or corrected after a dispute: the pairing's mentee;
- a log disputed: its author (the coach), with the mentee's comment;
- a plan submitted: the sector's coordinators, or the secretariat when it has none;
- a plan returned or approved: the pairing's coach, with the decision's comment;
- a self-assessment asking for a review: the coaches of the mentee's open pairings;
- a pairing created, paused, resumed or ended: its coach and its mentee.

Nobody is mailed about their own step, nor when they turned these mails off. The texts are
lazy (``_`` is ``lazy_gettext`` here): each mail is written in its recipient's language.
"""

from __future__ import annotations

import logging

from flask import has_app_context
from flask_babel import lazy_gettext as _
from sqlalchemy import select

from scbi.audit import committing
from scbi.auth.models import User
from scbi.competencies.models import Assessment, ReviewStatus
from scbi.extensions import db
from scbi.mail.outbox import Mail, link, long_date, queue
from scbi.notify.people import deciders, wanting
from scbi.transfer.models import OPEN_STATUSES, Pairing, TransferLog, TransferPlan

PREFERENCE = "mail_events"
log = logging.getLogger(__name__)


def notice(user: User, subject: str, paragraphs: list[str], action: str, url: str, **extra):
    """A mail of one step to one person: what happened, and the button to act on it."""
    return Mail(
        kind="event",
        to_address=user.email,
        to_user_id=user.id,
        subject=subject,
        template="notice",
        language=user.language,
        context={
            "full_name": user.full_name,
            "paragraphs": paragraphs,
            "action": action,
            "link": url,
            **extra,
        },
    )


def _log_submitted(event) -> list[Mail]:
    log = db.session.get(TransferLog, event.entity_id)
    pairing = log.pairing
    coach = pairing.coach.user.full_name
    corrected = (event.before or {}).get("status") == "disputed"
    if corrected:
        subject = _(
            '%(coach)s corrected the log "%(title)s": please check it again',
            coach=coach,
            title=log.title,
        )
        first = _(
            "%(coach)s has corrected the log you disputed and sends it to you again.",
            coach=coach,
        )
    else:
        subject = _(
            'Please acknowledge a log from %(coach)s: "%(title)s"', coach=coach, title=log.title
        )
        first = _(
            "%(coach)s logged a coaching activity with you and asks you to confirm it happened "
            "as written.",
            coach=coach,
        )
    about = _('"%(title)s", %(day)s.', title=log.title, day=long_date(log.activity_date))
    url = link("transfer.log", log_id=log.id)
    return [
        notice(user, subject, [first, about], _("Read and acknowledge the log"), url)
        for user in wanting([pairing.mentee.user], PREFERENCE, besides=event.actor_id)
    ]


def _log_disputed(event) -> list[Mail]:
    log = db.session.get(TransferLog, event.entity_id)
    mentee = log.pairing.mentee.user.full_name
    subject = _(
        '%(mentee)s disputed your log "%(title)s": please correct it',
        mentee=mentee,
        title=log.title,
    )
    return [
        notice(
            user,
            subject,
            [_("%(mentee)s does not confirm the log as written and says:", mentee=mentee)],
            _("Correct the log"),
            link("transfer.log", log_id=log.id),
            quote=(event.after or {}).get("comment") or "",
        )
        for user in wanting([log.author], PREFERENCE, besides=event.actor_id)
    ]


def _plan_submitted(event) -> list[Mail]:
    plan = db.session.get(TransferPlan, event.entity_id)
    pairing = plan.pairing
    names = {"coach": pairing.coach.user.full_name, "mentee": pairing.mentee.user.full_name}
    subject = _(
        "A skills-transfer plan waits for your decision: %(coach)s with %(mentee)s", **names
    )
    first = _(
        "%(coach)s has submitted the skills-transfer plan of their pairing with %(mentee)s "
        "(%(items)d competencies).",
        items=len(plan.items),
        **names,
    )
    return [
        notice(
            user,
            subject,
            [first, _("Approve it, or return it with what to change.")],
            _("Read the plan"),
            link("transfer.plan", plan_id=plan.id),
        )
        for user in wanting(deciders(pairing.sector_id), PREFERENCE, besides=event.actor_id)
    ]


def _plan_decided(event) -> list[Mail]:
    plan = db.session.get(TransferPlan, event.entity_id)
    pairing = plan.pairing
    mentee = pairing.mentee.user.full_name
    if event.action == "plan.approve":
        subject = _("Your plan with %(mentee)s is approved", mentee=mentee)
        first = _(
            "The skills-transfer plan of your pairing with %(mentee)s is approved.", mentee=mentee
        )
        action = _("See the plan")
    else:
        subject = _("Your plan with %(mentee)s was returned: please revise it", mentee=mentee)
        first = _(
            "The skills-transfer plan of your pairing with %(mentee)s was returned to you. "
            "The decision says:",
            mentee=mentee,
        )
        action = _("Revise the plan")
    return [
        notice(
            user,
            subject,
            [first],
            action,
            link("transfer.plan", plan_id=plan.id),
            quote=(event.after or {}).get("comment") or "",
        )
        for user in wanting([pairing.coach.user], PREFERENCE, besides=event.actor_id)
    ]


def _review_asked(event) -> list[Mail]:
    if (event.after or {}).get("review") != ReviewStatus.WAITING.value:
        return []
    assessment = db.session.get(Assessment, event.entity_id)
    mentee = assessment.mentee
    coaches = db.session.scalars(
        select(Pairing).where(
            Pairing.mentee_id == mentee.id, Pairing.status.in_(list(OPEN_STATUSES))
        )
    )
    name = mentee.user.full_name
    return [
        notice(
            user,
            _("%(mentee)s asks you to review a self-assessment", mentee=name),
            [
                _(
                    "%(mentee)s assessed themselves at level %(level)d in %(competency)s and "
                    "asks you to review it.",
                    mentee=name,
                    level=assessment.level,
                    competency=assessment.competency.short_name,
                )
            ],
            _("Review the self-assessment"),
            link("competencies.competencies", mentee_id=mentee.id),
        )
        for user in wanting(
            [pairing.coach.user for pairing in coaches], PREFERENCE, besides=event.actor_id
        )
    ]


def _pairing_changed(event) -> list[Mail]:
    pairing = db.session.get(Pairing, event.entity_id)
    coach, mentee = pairing.coach.user, pairing.mentee.user
    mails = []
    for user, other in ((coach, mentee), (mentee, coach)):
        if not wanting([user], PREFERENCE, besides=event.actor_id):
            continue
        name = other.full_name
        if event.action == "pairing.create":
            subject = (
                _("You are paired with %(mentee)s", mentee=name)
                if user is coach
                else _("%(coach)s is your coach", coach=name)
            )
            first = _(
                "Your pairing starts on %(day)s and is planned to end on %(end)s.",
                day=long_date(pairing.start_date),
                end=long_date(pairing.planned_end_date),
            )
        elif event.action == "pairing.pause":
            subject = _("Your pairing with %(name)s is paused", name=name)
            first = _("No log can be written while it is paused.")
        elif event.action == "pairing.resume":
            subject = _("Your pairing with %(name)s has resumed", name=name)
            first = _("Logs can be written again.")
        else:
            subject = _("Your pairing with %(name)s has ended", name=name)
            first = _(
                "It ended on %(day)s. Its logs and plans stay in the record.",
                day=long_date(pairing.end_date) if pairing.end_date else "",
            )
        mails.append(
            notice(
                user,
                subject,
                [first],
                _("Open the pairing"),
                link("transfer.pairing", pairing_id=pairing.id),
            )
        )
    return mails


HANDLERS = {
    "log.submitted": _log_submitted,
    "log.disputed": _log_disputed,
    "plan.submit": _plan_submitted,
    "plan.approve": _plan_decided,
    "plan.return": _plan_decided,
    "assessment.create": _review_asked,
    "pairing.create": _pairing_changed,
    "pairing.pause": _pairing_changed,
    "pairing.resume": _pairing_changed,
    "pairing.end": _pairing_changed,
}


@committing.answer
def mail_events(session, events) -> None:
    """Queue the mails of the transaction's steps, in the same transaction."""
    if not has_app_context() or session is not db.session():
        return  # another session (a script's own): its steps are not the app's
    mails = []
    for event in events:
        if event.action in HANDLERS:
            try:
                mails += HANDLERS[event.action](event)
            except Exception:  # a mail's fault must not refuse the step itself (a log sent)
                log.exception("no mail for %s %s", event.action, event.entity_id)
    if mails:
        queue(mails)
