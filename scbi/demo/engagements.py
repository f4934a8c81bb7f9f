"""The demo's short engagements (docs/engagements.md), built through the services, one in
each of three states:

- MINAGRI's request about input-subsidy claims, received last week, waiting for a broker;
- RMB's licensing engagement with a mining coach, started seven weeks ago for six: two
  check-ins recorded by the coach, its weeks over, so its close-out is due;
- RDB's investor-aftercare engagement with an external expert from Singapore's Economic
  Development Board, closed four months ago with the outcome of each objective and a
  longer pairing recommended;
- EDCL's off-grid subsidy engagement with an external expert from Uganda's Rural
  Electrification Agency, received, run and closed in this fiscal quarter (so the Energy
  report of the default period counts it): one objective achieved, one partly, one not,
  and a longer pairing recommended.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from scbi.auth.models import User
from scbi.coaches.models import Coach
from scbi.dates import today
from scbi.demo.calendar import this_quarter
from scbi.engagements import services
from scbi.engagements.models import Engagement
from scbi.engagements.services import check_ins, close_out, running
from scbi.extensions import db
from scbi.mentees.models import Mentee, MenteeStatus
from scbi.programme.models import Institution, Sector


def _institution(acronym: str) -> Institution:
    return db.session.scalar(select(Institution).where(Institution.acronym == acronym))


def _mentee_of(institution: Institution) -> Mentee | None:
    """The institution's first active mentee (the counterpart of the programme)."""
    return db.session.scalar(
        select(Mentee)
        .where(Mentee.institution_id == institution.id, Mentee.status == MenteeStatus.ACTIVE)
        .order_by(Mentee.id)
        .limit(1)
    )


def _request(admin: User, acronym: str, received_days_ago: int, **values) -> Engagement:
    institution = _institution(acronym)
    return services.record_request(
        by=admin,
        institution_id=institution.id,
        received_on=today() - timedelta(days=received_days_ago),
        **values,
    )


def _team(admin: User, engagement: Engagement, people: list[tuple[str, str]]) -> None:
    members = [{"name": name, "position": position} for name, position in people]
    mentee = _mentee_of(engagement.institution)
    if mentee is not None:
        members.append({"mentee_id": mentee.id})
    services.set_team(engagement, by=admin, version=engagement.version, members=members)


def build_engagements(admin: User) -> None:
    _waiting(admin)
    _running(admin)
    _closed(admin)
    _closed_this_quarter(admin)


def _waiting(admin: User) -> None:
    _request(
        admin,
        "MINAGRI",
        6,
        requested_by_name="Claudine Mukamana",
        requested_by_role="Director General of Planning",
        problem=(
            "Input-subsidy claims from agro-dealers take about three months to be paid: each "
            "district office re-keys every paper claim, and one claim in five comes back for "
            "a correction."
        ),
        hoped_result="Claims paid within three weeks, with fewer than one in twenty returned.",
        objectives=[
            "Map how a claim travels from the agro-dealer to payment",
            "Design one claim form and check the districts can use it",
        ],
    )


def _running(admin: User) -> None:
    sector = db.session.scalar(select(Sector).where(Sector.code == "MIN"))
    coach = db.session.scalar(
        select(Coach).where(Coach.sector_id == sector.id).order_by(Coach.id).limit(1)
    )
    start = today() - timedelta(days=49)
    engagement = _request(
        admin,
        "RMB",
        63,
        requested_by_name="Patrick Nkurunziza",
        requested_by_role="Head of Mining Licensing",
        problem=(
            "A small-scale mining licence takes nine months: the mining cadastre and the "
            "environmental review keep separate files, and applicants are asked twice for "
            "the same documents."
        ),
        hoped_result="A decision on a complete application within three months.",
        objectives=[
            "One file per application, shared by the cadastre and the environmental review",
            "A checklist that tells the applicant everything needed on the first visit",
            "The licensing team tracks each application's days waiting, every week",
        ],
    )
    _team(admin, engagement, [("Diane Ingabire", "Cadastre officer")])
    running.broker(
        engagement,
        by=admin,
        version=engagement.version,
        coach_id=coach.id,
        start_date=start,
        weeks=6,
    )
    practitioner = db.session.get(User, coach.user_id)
    running.start(engagement, by=practitioner, version=engagement.version)
    first, second, third = (o.id for o in engagement.objectives)
    check_ins.record_check_in(
        engagement,
        by=practitioner,
        held_on=start + timedelta(days=10),
        note=(
            "Walked twelve applications through both offices with the team: the same "
            "documents are asked for four times. The shared file is agreed in principle."
        ),
        progress=[
            {"objective_id": first, "progress": "on_track"},
            {"objective_id": second, "progress": "on_track"},
        ],
    )
    check_ins.record_check_in(
        engagement,
        by=practitioner,
        held_on=start + timedelta(days=31),
        note=(
            "The checklist is in use at the front desk. The weekly tracking sheet waits for "
            "the cadastre's export, which IT has not yet delivered."
        ),
        progress=[
            {"objective_id": second, "progress": "on_track"},
            {"objective_id": third, "progress": "at_risk"},
        ],
    )


def _closed(admin: User) -> None:
    start = today() - timedelta(days=180)
    engagement = _request(
        admin,
        "RDB",
        200,
        requested_by_name="Alice Umutoni",
        requested_by_role="Chief Investment Officer",
        problem=(
            "Established investors' complaints (work permits, land titles, tax refunds) go "
            "unanswered for months; no one owns a complaint once it leaves the one-stop centre."
        ),
        hoped_result="Every complaint has an owner and an answer within 30 days.",
        objectives=[
            "An aftercare desk that logs every complaint with an owner and a due date",
            "Agreements with the three agencies most complained about on answer times",
            "A monthly report of complaints answered on time to the CEO",
        ],
    )
    _team(
        admin,
        engagement,
        [("Olivier Habineza", "Aftercare manager"), ("Yvonne Keza", "Investor relations officer")],
    )
    running.broker(
        engagement,
        by=admin,
        version=engagement.version,
        expert_name="Tan Mei Ling",
        expert_organisation="Economic Development Board",
        expert_country="Singapore",
        expert_email="meiling.tan@edb.example.sg",
        start_date=start,
        weeks=8,
    )
    running.start(engagement, by=admin, version=engagement.version)
    check_ins.record_check_in(
        engagement,
        by=admin,
        held_on=start + timedelta(days=21),
        note="The desk logs complaints since Monday; 46 open ones found in e-mail inboxes.",
        progress=[{"objective_id": engagement.objectives[0].id, "progress": "on_track"}],
    )
    close_out.close(
        engagement,
        by=admin,
        version=engagement.version,
        closed_on=start + timedelta(days=59),
        outcomes=[
            {"objective_id": o.id, "outcome": word, "note": note}
            for o, (word, note) in zip(
                engagement.objectives,
                [
                    ("achieved", "Every complaint since week 2 has an owner and a due date."),
                    (
                        "partly",
                        "Signed with the migration office and the land authority; the revenue "
                        "authority asked for another quarter.",
                    ),
                    ("achieved", "Two reports sent; the CEO reviews them every month."),
                ],
                strict=True,
            )
        ],
        team_can_now=(
            "Log, assign and chase a complaint to its answer, and report the month's figures, "
            "without the expert."
        ),
        longer_pairing=True,
        longer_pairing_note=(
            "A year's pairing for the aftercare manager on negotiating service agreements "
            "with agencies, starting with the revenue authority."
        ),
    )


def _closed_this_quarter(admin: User) -> None:
    engagement = services.record_request(
        by=admin,
        institution_id=_institution("EDCL").id,
        received_on=this_quarter(40),
        requested_by_name="Jean de Dieu Nshimiyimana",
        requested_by_role="Head of Off-Grid Access",
        problem=(
            "Households wait four months for the solar home system subsidy: every "
            "application is checked on paper at the district and again at head office, and "
            "one in four is returned for a missing document."
        ),
        hoped_result="A subsidy decision within three weeks of a complete application.",
        objectives=[
            "One checklist of the documents an application needs, used by every district",
            "Applications checked once, at the district, with head office sampling",
            "A weekly count of applications waiting, by district",
        ],
    )
    _team(admin, engagement, [("Aline Mutesi", "Off-grid programme officer")])
    running.broker(
        engagement,
        by=admin,
        version=engagement.version,
        expert_name="Amina Nakato",
        expert_organisation="Rural Electrification Agency",
        expert_country="Uganda",
        expert_email="amina.nakato@rea.example.ug",
        start_date=this_quarter(33),
        weeks=4,
    )
    running.start(engagement, by=admin, version=engagement.version)
    check_ins.record_check_in(
        engagement,
        by=admin,
        held_on=this_quarter(20),
        note="The checklist is printed in every district; head office still re-checks all.",
        progress=[{"objective_id": engagement.objectives[1].id, "progress": "at_risk"}],
    )
    close_out.close(
        engagement,
        by=admin,
        version=engagement.version,
        closed_on=this_quarter(5),
        outcomes=[
            {"objective_id": o.id, "outcome": word, "note": note}
            for o, (word, note) in zip(
                engagement.objectives,
                [
                    ("achieved", "All 30 districts use the checklist; returns fell to 1 in 12."),
                    ("partly", "Head office samples one in five in two provinces only."),
                    ("not", "The district counts wait for the new application register."),
                ],
                strict=True,
            )
        ],
        team_can_now="Train a district officer on the checklist and audit a sample of files.",
        longer_pairing=True,
        longer_pairing_note=(
            "A pairing for the off-grid programme officer on running the application "
            "register and its weekly figures."
        ),
    )
