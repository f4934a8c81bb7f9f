"""The demo programme (``flask --app wsgi scbi demo``), built through the services so that
it obeys every rule and leaves the audit trail a real set-up would.

All demo accounts share one password generated for this install (hashed once, so the
demo loads in seconds); it is printed with the logins and never stored in clear.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import func, select

from scbi.auth import services as accounts
from scbi.auth.models import Role, User
from scbi.auth.passwords import hash_generated_password
from scbi.coaches.services import register_coach
from scbi.dates import today
from scbi.demo import data
from scbi.demo.engagements import build_engagements
from scbi.demo.exchanges import build_exchanges
from scbi.demo.funding import AGENCY, build_funding, build_rates
from scbi.demo.lessons import build_lessons
from scbi.demo.results import build_indicators
from scbi.demo.retention import build_follow_ups, graduate_early
from scbi.demo.transfer import build_transfer
from scbi.extensions import db
from scbi.mentees.models import Mentee
from scbi.mentees.services import change_status, register_mentee
from scbi.partners.models import Partner
from scbi.partners.services import set_account_partner
from scbi.programme import frameworks, services
from scbi.reports.critical_mass import critical_mass
from scbi.transfer.models import OPEN_STATUSES, SENT_LOG_STATUSES, Pairing, TransferLog
from scbi.transfer.services import create_pairing, end_pairing, pause_pairing

# The demo is dated relative to today, so that it always looks like a programme under way:
# the phase began about 23 months ago and runs three years.
PHASE_LENGTH = timedelta(days=3 * 365)


@dataclass
class DemoLogins:
    password: str
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # role, name, e-mail
    counts: dict[str, int] = field(default_factory=dict)


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower().replace(" ", ".") if c.isalnum() or c == ".")


def is_empty() -> bool:
    return db.session.scalar(select(func.count()).select_from(User)) == 0


def _partner_account(admin: User, hashed: str, result: DemoLogins) -> None:
    """An officer of the agency that funds the energy coaches: reads the energy report."""
    user = accounts.create_user(
        by=admin,
        email="officer@bca.example.org",
        full_name="Grace Mutoni",
        password_hash=hashed,
        roles=[Role.PARTNER],
        must_change_password=False,
    )
    agency = db.session.scalar(select(Partner).where(Partner.acronym == AGENCY[1]))
    set_account_partner(user, agency.id, by=admin)
    result.logins.append(("partner", f"{user.full_name} ({AGENCY[1]})", user.email))


def build_demo(seed: int = 2025) -> DemoLogins:
    """Create the demo programme in the current transaction; the caller commits."""
    rng = random.Random(seed)  # noqa: S311 - demo names, not secrets
    start = today() - timedelta(days=700)
    start -= timedelta(days=start.weekday())  # a Monday
    password = accounts.generate_password()
    hashed = hash_generated_password(password)
    result = DemoLogins(password)

    admin = accounts.create_user(
        by=None,
        email="secretariat@ncbs.example.rw",
        full_name="Odette Ingabire",
        password=password,
        password_hash=hashed,
        roles=[Role.SECRETARIAT],
        must_change_password=False,
    )
    result.logins.append(("secretariat", admin.full_name, admin.email))

    phase = services.create_phase(
        by=admin,
        name="SCBI Phase I",
        start_date=start,
        end_date=start + PHASE_LENGTH,
        description="Coaching in the five priority sectors of the national strategy.",
    )

    sectors, institutions = {}, {}
    for code, name, target, years, insts in data.SECTORS:
        sectors[code] = services.create_sector(
            by=admin,
            code=code,
            name=name,
            expert_target=target,
            target_date=start + timedelta(days=int(years * 365)),
            expert_level=3,
        )
        for acronym, inst_name in insts:
            institutions[acronym] = services.create_institution(
                by=admin, name=inst_name, acronym=acronym, sector_id=sectors[code].id
            )

    for code, (fw_name, items) in data.FRAMEWORKS.items():
        _framework(admin, fw_name, f"{code}-FW", sectors[code].id, items, start)
    _framework(admin, data.LEADERSHIP[0], data.LEADERSHIP[1], None, data.LEADERSHIP[2], start)

    for name, codes in data.COORDINATORS:
        user = accounts.create_user(
            by=admin,
            email=f"{_ascii(name)}@ncbs.example.rw",
            full_name=name,
            password=password,
            password_hash=hashed,
            roles=[Role.COORDINATOR],
            must_change_password=False,
        )
        services.set_coordinator_sectors(user, [sectors[c].id for c in codes], by=admin)
        result.logins.append(("coordinator", f"{name} ({', '.join(codes)})", user.email))

    _priority_results(admin, sectors, institutions, start)
    build_indicators(admin, start)

    coaches = {code: [] for code in sectors}
    for name, nationality, org, code, host, expertise, years, qual in data.COACHES:
        coach, _ = register_coach(
            by=admin,
            email=f"{_ascii(name)}@coach.example.org",
            full_name=name,
            password_hash=hashed,
            must_change_password=False,
            nationality=nationality,
            organisation=org,
            technical_expertise=expertise,
            coaching_experience_years=years,
            coaching_qualification=qual,
            sector_id=sectors[code].id,
            host_institution_id=institutions[host].id,
            contract_start=start,
            contract_end=start + PHASE_LENGTH - timedelta(days=180),
            max_mentees=4,
        )
        coaches[code].append(coach)
    first = coaches["ENE"][0]
    result.logins.append(("coach", first.full_name, first.user.email))

    mentees = _mentees(admin, rng, hashed, sectors, institutions, phase, start)
    result.logins.append(("mentee", mentees[0].full_name, mentees[0].user.email))
    graduates = _pairings(admin, rng, coaches, mentees, phase)
    build_funding(admin, coaches)
    build_rates(admin, start)
    _partner_account(admin, hashed, result)

    result.counts = build_transfer(admin, rng)
    _cascade(admin, sectors["EXP"])
    build_follow_ups(admin, graduates)
    build_exchanges(admin)
    build_engagements(admin)
    build_lessons(admin)
    return result


def _cascade(admin, sector) -> None:
    """The first expert of a sector graduates, completes the pairing and is registered as
    a national coach on the same account: the cascade the programme exists for."""

    experts = critical_mass(sector, today()).expert_ids
    if not experts:
        return
    mentee = db.session.get(Mentee, min(experts))
    # About six weeks ago, or after the last activity sent to the mentee if that is later
    # (a pairing never ends before its logs).
    last_logged = db.session.scalar(
        select(func.max(TransferLog.activity_date))
        .join(Pairing, Pairing.id == TransferLog.pairing_id)
        .where(
            Pairing.mentee_id == mentee.id,
            TransferLog.status.in_(list(SENT_LOG_STATUSES)),
        )
    )
    graduated = today() - timedelta(days=45)
    if last_logged is not None:
        graduated = max(graduated, last_logged)
    for pairing in db.session.scalars(
        select(Pairing).where(
            Pairing.mentee_id == mentee.id,
            Pairing.status.in_(list(OPEN_STATUSES)),
        )
    ):
        end_pairing(
            pairing,
            by=admin,
            version=pairing.version,
            status="completed",
            end_date=max(pairing.start_date, graduated),
            reason="Plan achieved: every core competency at the expert level.",
        )
    change_status(
        mentee,
        by=admin,
        version=mentee.version,
        status="graduated",
        status_date=graduated,
        note="National expert of the sector.",
    )
    register_coach(
        by=admin,
        email=mentee.user.email,
        full_name=mentee.user.full_name,
        nationality="Rwandan",
        organisation=mentee.institution.name,
        technical_expertise=mentee.position,
        coaching_experience_years=0,
        coaching_qualification="SCBI national expert",
        sector_id=sector.id,
        host_institution_id=mentee.institution_id,
        contract_start=graduated + timedelta(days=14),
        contract_end=graduated + timedelta(days=14 + 365),
        max_mentees=2,
    )


def _priority_results(admin, sectors, institutions, start) -> None:
    """Each sector's priority results, with a dated status history up to today."""

    def month(n: int):
        return start + timedelta(days=int(n * 30.44))

    for code, results in data.PRIORITY_RESULTS.items():
        for acronym, title, due, history in results:
            steps = [(status, month(n)) for status, n in history if month(n) <= today()]
            result = services.create_priority_result(
                by=admin,
                sector_id=sectors[code].id,
                institution_id=institutions[acronym].id if acronym else None,
                title=title,
                due_date=month(due),
                status_on=month(0),
            )
            for status, on in steps:
                services.update_priority_result(
                    result, by=admin, version=result.version, status=status, status_on=on
                )


def _framework(admin, name, idnumber, sector_id, items, start) -> None:
    """A framework whose core set is in force from the programme's start."""
    framework = frameworks.create_framework(
        by=admin,
        name=name,
        idnumber=idnumber,
        sector_id=sector_id,
        description=f"Competencies a national expert in {name.lower()} demonstrates.",
    )
    ids = {}
    for code, short, core, parent in items:
        competency = frameworks.add_competency(
            framework,
            by=admin,
            idnumber=code,
            short_name=short,
            core=core,
            parent_id=ids.get(parent),
            effective_on=start,
        )
        ids[code] = competency.id


def _mentees(admin, rng, hashed, sectors, institutions, phase, start):
    insts_of = {code: [a for a, _n in insts] for code, _n2, _t, _d, insts in data.SECTORS}
    used, mentees, number = set(), [], 0
    for code, count in data.MENTEES_PER_SECTOR.items():
        for _ in range(count):
            number += 1
            gender = "female" if rng.random() < 0.48 else "male"
            while True:
                name = f"{rng.choice(data.MENTEE_FIRST[gender])} {rng.choice(data.MENTEE_LAST)}"
                if name not in used:
                    used.add(name)
                    break
            acronym = rng.choice(insts_of[code])
            joined = start + timedelta(days=rng.randint(0, 120))
            mentee, _ = register_mentee(
                by=admin,
                email=f"{_ascii(name)}@{acronym.lower()}.example.rw",
                full_name=name,
                password_hash=hashed,
                must_change_password=False,
                staff_number=f"RW-{joined.year}-{number:04d}",
                gender=gender,
                position=rng.choice(data.POSITIONS[code]),
                institution_id=institutions[acronym].id,
                sector_id=sectors[code].id,
                phase_id=phase.id,
                joined_on=joined,
            )
            mentees.append(mentee)
    return mentees


def _pairings(admin, rng, coaches, mentees, phase) -> list[Mentee]:
    """Each mentee with a coach of their sector; a few ended, paused or left early, and a
    few graduated early (returned: the demo follows them up, scbi.demo.retention)."""
    load = {c.id: 0 for cs in coaches.values() for c in cs}
    graduates: list[Mentee] = []
    for index, mentee in enumerate(mentees):
        sector_coaches = coaches[mentee.sector.code]
        coach = min(sector_coaches, key=lambda c: (load[c.id], c.id))
        load[coach.id] += 1
        start = max(mentee.joined_on, coach.contract_start) + timedelta(days=rng.randint(3, 30))
        pairing = create_pairing(
            by=admin,
            coach_id=coach.id,
            mentee_id=mentee.id,
            phase_id=phase.id,
            sector_id=mentee.sector_id,
            start_date=start,
            planned_end_date=min(start + timedelta(days=730), coach.contract_end),
        )
        if index % 13 == 5:
            pause_pairing(pairing, by=admin, version=pairing.version)
        elif index % 11 == 3:
            graduates.append(graduate_early(admin, mentee, pairing, len(graduates)))
            load[coach.id] -= 1
        elif index % 17 == 9:
            end_pairing(
                pairing,
                by=admin,
                version=pairing.version,
                status="terminated",
                end_date=start + timedelta(days=200),
                reason="The mentee moved to a post outside the sector.",
            )
            change_status(
                mentee,
                by=admin,
                version=mentee.version,
                status="withdrawn",
                status_date=min(start + timedelta(days=200), today()),
                note="Transferred to a post outside the programme.",
            )
            load[coach.id] -= 1
    # A leadership coach also mentors a few mentees of other sectors (a cross-sector pairing).
    coach = coaches["INV"][0]
    for mentee in [m for m in mentees if m.sector.code == "EXP" and m.status == "active"][:1]:
        if load[coach.id] < coach.max_mentees:
            create_pairing(
                by=admin,
                coach_id=coach.id,
                mentee_id=mentee.id,
                phase_id=phase.id,
                sector_id=coach.sector_id,
                start_date=phase.start_date + timedelta(days=200),
                planned_end_date=coach.contract_end,
                cross_sector_reason="Investor negotiation skills for export deals.",
            )
    return graduates
