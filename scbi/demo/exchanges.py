"""The demo's peer exchanges (docs/exchanges.md), built through the services: a study
visit of energy mentees to Kenya's energy regulator a month ago, in this fiscal quarter
(so the Energy report of the default period counts it) — people from the regulator took
part, what was learnt is recorded, one follow-up action is done and one open, two of the
mentees reflected, the coach linked it to a mentee's plan and logged it — and, five weeks
ago, a peer review of NAEB's export quality certification by RAB's seed
certification team, two Rwandan institutions of two sectors, with an overdue action for
their coordinator."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from scbi.auth.models import User
from scbi.coaches.models import Coach
from scbi.dates import today
from scbi.demo.calendar import this_quarter
from scbi.exchanges import services
from scbi.exchanges.services import actions, participants, reflections
from scbi.extensions import db
from scbi.mentees.models import Mentee
from scbi.programme.models import Competency, Institution, PriorityResult, Sector
from scbi.transfer.models import Pairing, PairingStatus
from scbi.transfer.queries import approved_plan, plan_competency_ids
from scbi.transfer.services import logs

EPRA = "Energy and Petroleum Regulatory Authority (EPRA)"


def _ids(model, column, values) -> list[int]:
    return list(db.session.scalars(select(model.id).where(column.in_(values))))


def _active_pairings(sector_code: str, acronyms: tuple[str, ...], n: int) -> list[Pairing]:
    """The first ``n`` active pairings of the sector's mentees of those institutions."""
    return list(
        db.session.scalars(
            select(Pairing)
            .join(Mentee, Mentee.id == Pairing.mentee_id)
            .join(Institution, Institution.id == Mentee.institution_id)
            .join(Sector, Sector.id == Pairing.sector_id)
            .where(
                Sector.code == sector_code,
                Institution.acronym.in_(acronyms),
                Pairing.status == PairingStatus.ACTIVE,
            )
            .order_by(Pairing.id)
            .limit(n)
        )
    )


def _user(user_id: int) -> User:
    return db.session.get(User, user_id)


def build_exchanges(admin: User) -> None:
    _regulator_visit(admin)
    _peer_review(admin)


def _regulator_visit(admin: User) -> None:
    pairings = _active_pairings("ENE", ("REG", "MININFRA", "EDCL"), 3)
    if len(pairings) < 3:
        return
    start = this_quarter(30)
    exchange = services.create_exchange(
        by=admin,
        kind="study_visit",
        title="Study visit to Kenya's energy regulator",
        starts_on=start,
        ends_on=start + timedelta(days=2),
        sector_ids=_ids(Sector, Sector.code, ["ENE"]),
        host_organisation=EPRA,
        host_country="KE",
        questions="How does EPRA review a utility's tariff application in 90 days?\n"
        "How are power purchase agreements benchmarked before approval?",
        competency_ids=_ids(Competency, Competency.idnumber, ["ENE-TAR", "ENE-PPA"]),
        result_ids=_ids(
            PriorityResult,
            PriorityResult.title,
            ["Grid code revised for variable renewable energy"],
        ),
        learnt="EPRA publishes a tariff review calendar and a cost-of-service model template "
        "every utility must fill; reviews take 90 days because the data arrive complete. "
        "PPAs are benchmarked against a public database of regional prices. Both practices "
        "could start at RURA within a year.",
    )
    for pairing in pairings:
        participants.add_participant(exchange, by=admin, kind="mentee", mentee_id=pairing.mentee_id)
    coach_id = pairings[0].coach_id
    participants.add_participant(exchange, by=admin, kind="coach", coach_id=coach_id)
    for name, gender in (("Wanjiru Kamau", "female"), ("Peter Otieno", "male")):
        participants.add_participant(
            exchange,
            by=admin,
            kind="external",
            name=name,
            organisation=EPRA,
            country="KE",
            gender=gender,
        )
    done = actions.add_action(
        exchange,
        by=admin,
        description="Share EPRA's cost-of-service template with the ministry's tariff team",
        owner_id=pairings[0].mentee.user_id,
        due_on=start + timedelta(days=30),
    )
    actions.mark_done(done, by=admin, done_on=min(start + timedelta(days=21), today()))
    actions.add_action(
        exchange,
        by=admin,
        description="Propose a regional PPA price benchmark to RURA",
        owner_name="Head of Economic Regulation, RURA",
        due_on=today() + timedelta(days=45),
    )
    # The first mentee's reflection is left to write: the demo mentee's home asks for it.
    for pairing in pairings[1:]:
        reflections.save_reflection(
            exchange,
            by=_user(pairing.mentee.user_id),
            text="Seeing the regulator's review calendar made our own delays concrete: "
            "the data never arrive complete. I will draft a checklist for our next "
            "tariff filing.",
        )
    _plan_link_and_log(exchange, pairings[0])


def _plan_link_and_log(exchange, pairing: Pairing) -> None:
    """The coach links the visit to the mentee's plan and logs it as a peer exchange."""
    coach = _user(db.session.get(Coach, pairing.coach_id).user_id)
    plan = approved_plan(pairing.id)
    if plan is None:
        return
    reflections.link_plan(
        exchange,
        by=coach,
        plan_id=plan.id,
        note="The tariff analysis item: the mentee now knows what a complete filing is.",
    )
    planned = sorted(plan_competency_ids(pairing.id))
    day = exchange.starts_on + timedelta(days=1)
    if not planned or not pairing.start_date <= day <= today():
        return
    log = logs.create_log(
        pairing,
        by=coach,
        activity_date=day,
        activity_type="peer_exchange",
        hours=6,
        title="Study visit to EPRA: tariff review sessions",
        description="The mentee presented our tariff filing process to EPRA's reviewers.",
        mentee_role="co_led",
        competency_ids=planned[:1],
        exchange_id=exchange.id,
    )
    logs.submit_log(log, by=coach)
    logs.acknowledge_log(log, by=_user(pairing.mentee.user_id))


def _peer_review(admin: User) -> None:
    reviewers = _active_pairings("AGR", ("RAB",), 2)
    reviewed = _active_pairings("EXP", ("NAEB",), 2)
    if not reviewers or not reviewed:
        return
    start = today() - timedelta(days=35)
    naeb = db.session.scalar(select(Institution).where(Institution.acronym == "NAEB"))
    exchange = services.create_exchange(
        by=admin,
        kind="peer_review",
        title="Peer review of NAEB's export quality certification by RAB",
        starts_on=start,
        ends_on=start + timedelta(days=1),
        sector_ids=_ids(Sector, Sector.code, ["AGR", "EXP"]),
        host_institution_id=naeb.id,
        questions="Where does a certificate wait longest?\n"
        "What can seed certification and export certification share?",
        competency_ids=_ids(Competency, Competency.idnumber, ["AGR-SEED", "EXP-STD"]),
        result_ids=_ids(
            PriorityResult,
            PriorityResult.title,
            ["Seed certification system decentralised to districts"],
        ),
        learnt="Both agencies inspect the same cooperatives twice a season; a joint "
        "inspection calendar would halve the visits. NAEB's sample tracking sheet is "
        "worth copying for seed lots.",
    )
    for pairing in [*reviewers, *reviewed]:
        participants.add_participant(exchange, by=admin, kind="mentee", mentee_id=pairing.mentee_id)
    participants.add_participant(exchange, by=admin, kind="coach", coach_id=reviewers[0].coach_id)
    agriculture = db.session.scalar(select(Sector).where(Sector.code == "AGR"))
    if agriculture.coordinators:  # theirs to do, and overdue: their home page shows it
        actions.add_action(
            exchange,
            by=admin,
            description="Agree a joint inspection calendar with RAB and NAEB",
            owner_id=agriculture.coordinators[0].id,
            due_on=today() - timedelta(days=5),
        )
