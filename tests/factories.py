"""Small factories for programme data, built through the services (so rules hold)."""

from __future__ import annotations

import itertools
from datetime import date
from types import SimpleNamespace

from scbi.auth import services as accounts
from scbi.auth.models import Role, User
from scbi.coaches.services import register_coach
from scbi.extensions import db
from scbi.mentees.services import register_mentee
from scbi.programme import frameworks, services
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
        "planned_end_date": date(2026, 6, 30),
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
            framework, by=a, idnumber="C1", short_name="Grid planning", core=True
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
        db.session.commit()
        return out
