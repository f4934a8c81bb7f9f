"""The demo programme's skills transfer: plans in every state and about six months of
logs in every state (the mentee's part growing from observing to leading), some with
evidence files. Built through the services, like a real programme."""

from __future__ import annotations

import io
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from scbi.auth.models import User
from scbi.competencies.queries import evidence_logs
from scbi.competencies.services import create_assessment
from scbi.dates import today
from scbi.extensions import db
from scbi.mentees.models import Mentee
from scbi.programme.models import PriorityResult
from scbi.transfer.models import Pairing, PairingStatus, TransferLog
from scbi.transfer.queries.plans import allowed_competencies
from scbi.transfer.services import evidence, logs, plans

ROLES_OVER_TIME = ["observed", "observed", "assisted", "assisted", "co_led", "co_led", "led"]
ACTIVITIES = [
    "on_the_job",
    "shadowing",
    "joint_delivery",
    "review_feedback",
    "formal_training",
    "peer_exchange",
]
TITLES = {
    "on_the_job": "Worked through {c} on a live file",
    "shadowing": "Mentee shadowed the {c} work",
    "joint_delivery": "Delivered the {c} session together",
    "review_feedback": "Reviewed the mentee's {c} draft",
    "formal_training": "Training module on {c}",
    "peer_exchange": "Peer exchange with the regional team on {c}",
}


def build_transfer(admin: User, rng, weeks: int = 26) -> dict[str, int]:
    """Plans and logs for the demo's pairings; returns counts by kind."""
    pairings = db.session.scalars(select(Pairing).order_by(Pairing.id)).all()
    counts = {"plans": 0, "logs": 0, "evidence": 0}
    for index, pairing in enumerate(pairings):
        coach = db.session.get(User, pairing.coach.user_id)
        mentee = db.session.get(User, pairing.mentee.user_id)
        competencies = db.session.scalars(allowed_competencies(pairing)).all()
        core = [c for c in competencies if c.core] or competencies
        # A quarter of the mentees are on the expert track: their plan covers every core
        # competency of the sector, so that the demo has national experts.
        expert_track = index % 4 in (0, 2)
        one_short = index % 4 == 2  # on the track, but one core competency not yet shown
        chosen = (
            list(core) if expert_track else rng.sample(core, k=min(len(core), rng.randint(2, 4)))
        )
        end = pairing.end_date or pairing.planned_end_date
        # the targets set when the plan was written, months ago (see _backdate_plan)
        written = {
            c.id: min(end, pairing.start_date + timedelta(days=rng.randint(240, 540)))
            for c in chosen
        }
        items = [
            {
                "competency_id": c.id,
                "baseline_level": rng.choice([0, 1, 1, 2]),
                "target_level": 3 if rng.random() < 0.8 else 4,
                # submitted today (so ahead); put back as written by _backdate_plan
                "target_date": min(end, today() + timedelta(days=rng.randint(30, 240))),
                "methods": rng.sample(ACTIVITIES[:4], k=2),
                "expected_evidence": f"The mentee produces the {c.short_name.lower()} "
                "deliverable alone and presents it to management",
            }
            for c in chosen
        ]
        if pairing.status != PairingStatus.ACTIVE:
            if pairing.status == PairingStatus.PAUSED:
                plan = plans.create_plan(pairing, by=coach, items=items)
                counts["plans"] += 1
            continue
        state = index % 10
        plan = plans.create_plan(pairing, by=coach, items=items)
        counts["plans"] += 1
        if state == 1:
            continue  # a draft the coach is still writing
        plans.submit_plan(plan, by=coach)
        if state == 2:
            continue  # waiting for a decision
        if state == 3:
            plans.return_plan(
                plan,
                by=admin,
                comment="Add a target date per item that the "
                "mentee can reach before the pairing ends.",
            )
            continue
        plans.approve_plan(plan, by=admin, comment="Clear targets and evidence.")
        _backdate_plan(plan, pairing.start_date + timedelta(days=10), written)
        if state == 4:  # revised and approved again: the first plan is superseded
            revision = plans.revise_plan(plan, by=coach)
            items[0]["target_level"] = 4
            plans.update_plan(revision, by=coach, version=revision.version, items=items)
            plans.submit_plan(revision, by=coach)
            plans.approve_plan(revision, by=admin)
            _backdate_plan(revision, today() - timedelta(days=40))
            counts["plans"] += 1
        made = _logs(pairing, coach, mentee, admin, chosen, rng, weeks, expert_track)
        counts["logs"] += made[0]
        counts["evidence"] += made[1]
        counts["assessments"] = counts.get("assessments", 0) + _assess(
            pairing, coach, mentee, chosen, rng, expert_track and not one_short
        )
    return counts


def _assess(pairing, coach, mentee_user, competencies, rng, expert_track: bool) -> int:
    """Levels that rise over the months; level 3 only where an acknowledged log shows the
    mentee leading (the evidence rule), so some mentees become experts, some fall short."""

    mentee = db.session.get(Mentee, pairing.mentee_id)
    made = 0
    for competency in competencies:
        early = max(pairing.start_date + timedelta(days=60), today() - timedelta(days=150))
        if early < today():
            create_assessment(
                mentee,
                by=coach,
                competency_id=competency.id,
                level=rng.choice([1, 2]),
                assessed_on=early,
                note="After the first weeks of shadowing.",
            )
            made += 1
        # the first log that shows the mentee leading: experts emerge month by month
        first_led = evidence_logs(mentee, competency.id).order_by(None)
        evidence = db.session.scalars(
            first_led.order_by(TransferLog.activity_date, TransferLog.id).limit(1)
        ).first()
        if evidence is not None and (expert_track or rng.random() < 0.85):
            shown = max(early + timedelta(days=1), evidence.activity_date + timedelta(days=7))
            day = min(today(), shown)
            create_assessment(
                mentee,
                by=coach,
                competency_id=competency.id,
                level=3,
                assessed_on=day,
                log_ids=[evidence.id],
                note="Led the work unaided to the expected standard.",
            )
        else:
            create_assessment(
                mentee,
                by=coach,
                competency_id=competency.id,
                level=2,
                assessed_on=today() - timedelta(days=rng.randint(5, 40)),
                note="Performs with guidance; not yet leading.",
            )
        made += 1
        if rng.random() < 0.3:
            create_assessment(
                mentee,
                by=mentee_user,
                competency_id=competency.id,
                level=rng.choice([2, 3, 3, 4]),
                assessed_on=today() - timedelta(days=rng.randint(1, 10)),
                request_review=rng.random() < 0.4,
                note="I think I can now do this on my own.",
            )
            made += 1
    return made


def _logs(
    pairing, coach, mentee, admin, competencies, rng, weeks, fast: bool = False
) -> tuple[int, int]:
    first = max(pairing.start_date, today() - timedelta(weeks=weeks))
    day, n, files = first + timedelta(days=rng.randint(0, 6)), 0, 0
    led_filed: set[int] = set()  # competencies with an acknowledged led log with evidence
    while day <= today() - timedelta(days=1):
        progress = (day - first).days / max(1, (today() - first).days)
        if fast:  # the expert track leads sooner, on every competency in turn
            progress = min(1.0, progress * 1.6)
        role = ROLES_OVER_TIME[
            min(len(ROLES_OVER_TIME) - 1, int(progress * len(ROLES_OVER_TIME) + rng.random() - 0.5))
        ]
        activity = rng.choice(ACTIVITIES)
        if fast:
            chosen = [competencies[n % len(competencies)]]
        else:
            chosen = rng.sample(
                competencies, k=1 if rng.random() < 0.7 else min(2, len(competencies))
            )
        log = logs.create_log(
            pairing,
            by=coach,
            activity_date=day,
            activity_type=activity,
            hours=rng.choice([1, 1.5, 2, 2.5, 3, 4]),
            title=TITLES[activity].format(c=chosen[0].short_name.lower()),
            description="Worked on the ministry's current file; the mentee took notes and "
            "asked for the method behind each step.",
            mentee_role=role,
            competency_ids=[c.id for c in chosen],
            priority_result_id=served_result(pairing, n),
        )
        n += 1
        filed = rng.random() < 0.15
        if filed:
            _attach_paper(log, coach, day)
            files += 1
        age = (today() - day).days
        if age > 3 or rng.random() < 0.5:
            logs.submit_log(log, by=coach)
            if age > 10:
                if rng.random() < 0.06:
                    logs.dispute_log(log, by=mentee, comment="I only observed this one.")
                    if rng.random() < 0.5:
                        logs.update_log(log, by=coach, version=log.version, mentee_role="observed")
                        logs.submit_log(log, by=coach)
                        logs.acknowledge_log(log, by=mentee)
                else:
                    # the first log a mentee leads on a competency keeps what they produced:
                    # the level-3 assessment cites it, so an expert's evidence opens from
                    # the report (docs/reports.md "Figures you can open")
                    if role == "led" and not filed and not {c.id for c in chosen} <= led_filed:
                        _attach_paper(log, coach, day)
                        files += 1
                        filed = True
                    if role == "led" and filed:
                        led_filed.update(c.id for c in chosen)
                    logs.acknowledge_log(log, by=mentee)
                    if rng.random() < 0.2:
                        logs.verify_log(log, by=admin)
        _backdate_log(log, day, rng)
        day += timedelta(days=rng.randint(4, 9))
    return n, files


def _attach_paper(log, coach, day) -> None:
    evidence.add_file(
        log,
        by=coach,
        stream=io.BytesIO(_pdf(log.title)),
        filename=f"evidence-{day.isoformat()}.pdf",
        title="Working paper",
    )


def _at(day, hour: int):
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _backdate_log(log, day, rng) -> None:
    """Give each step the time it would have happened, not the time the demo ran."""
    moment = _at(day, 17)
    log.first_submitted_at = None  # set again from the first submission, backdated
    for event in log.events:
        if event.action in ("acknowledged", "disputed", "verified"):
            moment = moment + timedelta(days=rng.randint(1, 4), hours=rng.randint(0, 6))
        else:
            moment = moment + timedelta(hours=rng.randint(1, 20))
        event.at = min(moment, datetime.now(UTC))
        if event.action == "submitted":
            log.submitted_at = event.at
            log.first_submitted_at = log.first_submitted_at or event.at
        elif event.action in ("acknowledged", "disputed"):
            log.responded_at = event.at
            if event.action == "acknowledged":
                log.acknowledged_at = event.at
        elif event.action == "verified":
            log.verified_at = event.at


def _backdate_plan(plan, day, targets=None) -> None:
    """The plan as written and decided around ``day``: the services write it today, so
    its targets (``targets``: competency id -> the date set then) are put back too, each
    on or after that submission, as the rule asks; some have passed since (overdue)."""
    if plan.submitted_at:
        plan.submitted_at = _at(day, 10)
    if plan.decided_at:
        plan.decided_at = _at(day + timedelta(days=5), 15)
    for item in plan.items:
        if targets and item.competency_id in targets:
            item.target_date = max(day, targets[item.competency_id])


def served_result(pairing, n: int) -> int | None:
    """The priority result the ``n``-th log of a pairing names: two logs in three name one
    of the results of the pairing's sector, in turn (none when the sector has none)."""
    ids = db.session.scalars(
        select(PriorityResult.id)
        .where(PriorityResult.sector_id == pairing.sector_id)
        .order_by(PriorityResult.id)
    ).all()
    return ids[(n - n // 3 - 1) % len(ids)] if ids and n % 3 else None


def pdf_naming(title: str) -> bytes:
    """A one-page PDF naming ``title`` (the demo's evidence files)."""
    return _pdf(title)


def _pdf(title: str) -> bytes:
    """A one-page PDF (enough for the type check and a viewer) naming the activity."""
    text = title.replace("(", "[").replace(")", "]")[:80]
    stream = f"BT /F1 14 Tf 72 720 Td ({text}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer << /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()
