"""Small factories for programme data, built through the services (so rules hold)."""

from __future__ import annotations

import io
import itertools
from datetime import date
from types import SimpleNamespace

from scbi.auth import services as accounts
from scbi.auth.models import Role, User
from scbi.coaches.services import register_coach
from scbi.dates import today
from scbi.extensions import db
from scbi.mentees.services import register_mentee
from scbi.programme import frameworks, services
from scbi.programme.models import EARLIEST_DATE
from scbi.transfer.services import create_pairing
from tests.helpers import PASSWORD

_n = itertools.count(1)


def admin() -> User:
    user = db.session.scalar(db.select(User).where(User.email == "factory-admin@example.org"))
    if user is None:
        user = accounts.create_user(
            by=None,
            email="factory-admin@example.org",
            full_name="Factory Admin",
            password=PASSWORD,
            roles=[Role.SECRETARIAT.value],
            must_change_password=False,
        )
    return user


def phase(**kw):
    n = next(_n)
    values = {
        "name": f"Phase {n}",
        "start_date": date(2025, 1, 1),
        "end_date": date(2027, 12, 31),
    } | kw
    return services.create_phase(by=admin(), **values)


def sector(**kw):
    n = next(_n)
    values = {
        "code": f"S{n}",
        "name": f"Sector {n}",
        "expert_target": 10,
        "target_date": date(2027, 6, 30),
    } | kw
    return services.create_sector(by=admin(), **values)


def institution(sector_id: int, **kw):
    n = next(_n)
    values = {"name": f"Institution {n}", "acronym": f"I{n}", "sector_id": sector_id} | kw
    return services.create_institution(by=admin(), **values)


def coach(sector_id: int, institution_id: int, **kw):
    n = next(_n)
    values = {
        "email": f"coach{n}@example.org",
        "full_name": f"Coach Number{n}",
        "password": PASSWORD,
        "must_change_password": False,
        "nationality": "Kenyan",
        "organisation": "GIZ",
        "technical_expertise": "Grid planning",
        "coaching_experience_years": 5,
        "sector_id": sector_id,
        "host_institution_id": institution_id,
        "contract_start": date(2025, 1, 1),
        "contract_end": date(2027, 6, 30),
    } | kw
    return register_coach(by=admin(), **values)[0]


def mentee(sector_id: int, institution_id: int, **kw):
    n = next(_n)
    values = {
        "email": f"mentee{n}@example.org",
        "full_name": f"Mentee Number{n}",
        "password": PASSWORD,
        "must_change_password": False,
        "staff_number": f"RW-{n:05d}",
        "gender": "female",
        "position": "Engineer",
        "institution_id": institution_id,
        "sector_id": sector_id,
        "joined_on": date(2025, 1, 15),
    } | kw
    return register_mentee(by=admin(), **values)[0]


def pairing(coach, mentee, phase, **kw):
    values = {
        "coach_id": coach.id,
        "mentee_id": mentee.id,
        "phase_id": phase.id,
        "sector_id": mentee.sector_id,
        "start_date": date(2025, 2, 1),
        # to the coach's contract end: a plan's target dates must lie ahead, inside it
        "planned_end_date": date(2027, 6, 30),
    } | kw
    return create_pairing(by=admin(), **values)


def world(app) -> SimpleNamespace:
    """Two sectors, each with an institution, a coach, a mentee and their pairing, and a
    coordinator per sector. Returns ids and sign-in details."""
    with app.app_context():
        p = phase()
        out = SimpleNamespace(phase_id=p.id)
        for key in ("a", "b"):
            s = sector()
            i = institution(s.id)
            c = coach(s.id, i.id)
            m = mentee(s.id, i.id)
            pr = pairing(c, m, p)
            k = accounts.create_user(
                by=admin(),
                email=f"coordinator-{key}-{s.id}@example.org",
                full_name=f"Coordinator {key.upper()}",
                password=PASSWORD,
                roles=[Role.COORDINATOR.value],
                must_change_password=False,
            )
            services.set_coordinator_sectors(k, [s.id], by=admin())
            setattr(
                out,
                key,
                SimpleNamespace(
                    sector_id=s.id,
                    institution_id=i.id,
                    coach_id=c.id,
                    mentee_id=m.id,
                    pairing_id=pr.id,
                    coach_user=SimpleNamespace(id=c.user_id, email=c.user.email, password=PASSWORD),
                    mentee_user=SimpleNamespace(
                        id=m.user_id, email=m.user.email, password=PASSWORD
                    ),
                    coordinator=SimpleNamespace(id=k.id, email=k.email, password=PASSWORD),
                ),
            )
        a = admin()
        out.secretariat = SimpleNamespace(id=a.id, email=a.email, password=PASSWORD)
        framework = frameworks.create_framework(
            by=a, name="Energy", idnumber=f"FW{p.id}", sector_id=out.a.sector_id
        )
        competency = frameworks.add_competency(
            framework,
            by=a,
            idnumber="C1",
            short_name="Grid planning",
            core=True,
            effective_on=EARLIEST_DATE,
        )
        result = services.create_priority_result(
            by=a,
            sector_id=out.a.sector_id,
            title="Universal access by 2029",
            due_date=date(2029, 6, 30),
        )
        out.framework_id, out.competency_id, out.result_id = (
            framework.id,
            competency.id,
            result.id,
        )
        # Pairing A's work: an approved plan, and a submitted log with a file as evidence.
        from scbi.transfer.models import Pairing
        from scbi.transfer.services import evidence, logs

        pairing_a = db.session.get(Pairing, out.a.pairing_id)
        coach_a = db.session.get(User, out.a.coach_user.id)
        plan = approved_plan(pairing_a, [competency])
        log = logs.create_log(
            pairing_a,
            by=coach_a,
            activity_date=date(2025, 6, 2),
            activity_type="on_the_job",
            hours=2,
            title="Load-flow study",
            mentee_role="led",
            competency_ids=[competency.id],
        )
        file = evidence.add_file(
            log, by=coach_a, stream=io.BytesIO(b"%PDF-1.4 study"), filename="study.pdf"
        )
        logs.submit_log(log, by=coach_a)
        out.plan_id, out.log_id, out.evidence_id = plan.id, log.id, file.id
        from scbi.competencies.services import create_assessment
        from scbi.mentees.models import Mentee

        mentee_a = db.session.get(Mentee, out.a.mentee_id)
        own = create_assessment(
            mentee_a,
            by=db.session.get(User, out.a.mentee_user.id),
            competency_id=competency.id,
            level=2,
            assessed_on=date(2025, 7, 1),
            request_review=True,
        )
        out.assessment_id = own.id
        db.session.commit()
        return out


def draft_log(world, **fields):
    """A draft log of pairing A by its coach (inside an app context): an hour on the job
    where the mentee led, on the world's competency; ``fields`` override any of it."""
    from scbi.transfer.models import Pairing
    from scbi.transfer.services import logs

    values = {
        "activity_date": date(2025, 6, 2),
        "activity_type": "on_the_job",
        "hours": 1,
        "title": "Site visit",
        "mentee_role": "led",
        "competency_ids": [world.competency_id],
    }
    return logs.create_log(
        db.session.get(Pairing, world.a.pairing_id),
        by=db.session.get(User, world.a.coach_user.id),
        **(values | fields),
    )


def people_of_sector_a(world) -> dict:
    """The world's person of each role in sector A (sign-in details), by role name."""
    return {
        "secretariat": world.secretariat,
        "coordinator": world.a.coordinator,
        "coach": world.a.coach_user,
        "mentee": world.a.mentee_user,
    }


def competencies(sector_id: int | None, n: int = 3) -> list:
    """A framework of ``n`` core competencies for a sector (None = cross-cutting)."""
    k = next(_n)
    framework = frameworks.create_framework(
        by=admin(), name=f"Framework {k}", idnumber=f"FWK{k}", sector_id=sector_id
    )
    return [
        frameworks.add_competency(
            framework,
            by=admin(),
            idnumber=f"C{k}-{i}",
            short_name=f"Competency {k}.{i}",
            core=True,
            effective_on=EARLIEST_DATE,  # the history these tests write goes back years
        )
        for i in range(n)
    ]


def target_day() -> date:
    """A plan item's target date that submission accepts: not before today (the
    programme's), so inside a pairing that has not reached its planned end."""
    return today()


def plan_items(competency_list, target_date: date | None = None) -> list[dict]:
    target_date = target_date or target_day()
    return [
        {
            "competency_id": c.id,
            "baseline_level": 1,
            "target_level": 3,
            "target_date": target_date,
            "methods": ["on_the_job", "shadowing"],
            "expected_evidence": "A grid study the mentee wrote",
        }
        for c in competency_list
    ]


def approved_plan(pairing_obj, competency_list):
    from scbi.auth.models import User
    from scbi.transfer.services import plans

    coach_user = db.session.get(User, pairing_obj.coach.user_id)
    plan = plans.create_plan(pairing_obj, by=coach_user, items=plan_items(competency_list))
    plans.submit_plan(plan, by=coach_user)
    plans.approve_plan(plan, by=admin())
    return plan


def publication(sector_id: int, fy: int = 2025, quarter: int | None = 1):
    """A published sector report of an ended fiscal period, through the service."""
    from scbi.reports import periods, publishing

    period = periods.fiscal_quarter(fy, quarter) if quarter else periods.fiscal_year(fy)
    return publishing.publish(
        by=admin(),
        sector_id=sector_id,
        period=period,
        went_well="The plans were approved on time.",
        went_badly="Two coaches logged late.",
        next_steps="Follow the silent coaches up every fortnight.",
    )


def validated(mentee, competency, level: int, day: date) -> None:
    """A validated level written directly (no evidence rule): for tests about counting."""
    from scbi.competencies.models import Assessment

    db.session.add(
        Assessment(
            mentee_id=mentee.id,
            competency_id=competency.id,
            assessor_id=admin().id,
            assessor_role="secretariat",
            level=level,
            assessed_on=day,
        )
    )
    db.session.flush()


def partner_account(coach_id: int, acronym: str = "AG"):
    """A development partner (``acronym``, made once) funding the coach's contract, and a
    partner account reading for it; returns the account as the world's people are."""
    from scbi.coaches.models import Coach
    from scbi.partners.models import Partner
    from scbi.partners.services import create_partner, set_account_partner, set_funding

    by = admin()
    partner = db.session.scalar(db.select(Partner).where(Partner.acronym == acronym))
    if partner is None:
        partner = create_partner(by=by, name=f"Agency {acronym}", acronym=acronym)
    coach = db.session.get(Coach, coach_id)
    funding = [{"partner_id": partner.id, "currency": "USD", "basis": "total", "amount": "1000"}]
    set_funding(coach, funding, by=by, version=coach.version)
    user = accounts.create_user(
        by=by,
        email=f"partner{next(_n)}@example.org",
        full_name=f"Officer of {acronym}",
        password=PASSWORD,
        roles=[Role.PARTNER.value],
        must_change_password=False,
    )
    set_account_partner(user, partner.id, by=by)
    db.session.commit()
    return SimpleNamespace(id=user.id, email=user.email, password=PASSWORD, partner_id=partner.id)


def indicator(result_id: int, **kw):
    """An indicator of the result (baseline 10 on 2025-01-01, target 30 on 2026-12-31) with
    the actual value 18 of FY 2025 Q1 (July–September 2025), a PDF as its evidence; returns
    ``(indicator, value)`` (inside an app context)."""
    from scbi.programme import indicators
    from scbi.programme.models import PriorityResult

    values = {
        "name": f"Households connected {next(_n)}",
        "unit": "%",
        "baseline_value": "10",
        "baseline_date": date(2025, 1, 1),
        "target_value": "30",
        "target_date": date(2026, 12, 31),
    } | kw
    made = indicators.create_indicator(
        db.session.get(PriorityResult, result_id), by=admin(), **values
    )
    value, _new = indicators.record_value(
        made,
        by=admin(),
        fiscal_year=2025,
        quarter=1,
        value="18",
        source="EUCL connections register",
        evidence=(io.BytesIO(b"%PDF-1.4 register"), "register.pdf"),
    )
    return made, value
