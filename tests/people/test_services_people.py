"""Registering coaches and mentees, mentee status history, and the CSV import."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from scbi.auth import services as accounts
from scbi.auth.models import Role, User
from scbi.auth.passwords import hash_generated_password, verify_password
from scbi.coaches.models import Coach
from scbi.errors import Conflict, ValidationFailed
from scbi.extensions import db
from scbi.mentees import services as mentees
from scbi.mentees.models import Mentee, MenteeStatusChange
from scbi.people.importer import import_people, template_csv
from tests import factories as f
from tests.helpers import QueryCounter, audit_actions


@pytest.fixture
def base(app):
    with app.app_context():
        phase = f.phase(name="SCBI Phase I")
        sector = f.sector(code="ENE", name="Energy")
        inst = f.institution(sector.id, acronym="REG", name="Rwanda Energy Group")
        db.session.commit()
        yield phase, sector, inst


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_registering_a_coach_creates_the_account_with_a_one_time_password(app, base):
    _p, sector, inst = base
    coach = f.coach(sector.id, inst.id, password=None, must_change_password=True)
    assert coach.user.roles == {Role.COACH}
    assert coach.user.must_change_password
    assert coach.max_mentees == 4


def test_registration_refusals_name_every_field(app, base):
    _p, sector, inst = base
    with pytest.raises(ValidationFailed) as caught:
        f.coach(
            sector.id,
            inst.id,
            email="bad",
            nationality="",
            coaching_experience_years=-1,
            contract_start=date(2026, 1, 1),
            contract_end=date(2025, 1, 1),
            max_mentees=0,
        )
    assert set(caught.value.fields) >= {
        "email",
        "nationality",
        "coaching_experience_years",
        "contract_end",
        "max_mentees",
    }
    db.session.rollback()
    assert count(User) == 1 and count(Coach) == 0  # only the factory admin


def test_staff_numbers_are_unique_ignoring_case(app, base):
    _p, sector, inst = base
    f.mentee(sector.id, inst.id, staff_number="RW-1")
    db.session.commit()
    with pytest.raises(ValidationFailed) as caught:
        f.mentee(sector.id, inst.id, staff_number="rw-1")
    assert "staff_number" in caught.value.fields
    db.session.rollback()
    # the database holds the rule too (two registrations at once), and answers the check
    # from its index instead of reading every mentee
    other = f.mentee(sector.id, inst.id, staff_number="RW-2")
    other.staff_number = "rw-1"
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    if db.engine.dialect.name == "sqlite":
        plan = db.session.execute(
            db.text("EXPLAIN QUERY PLAN SELECT id FROM mentee WHERE lower(staff_number) = 'x'")
        ).all()
        assert "uq_mentee_staff_number_lower" in str(plan)


def test_status_changes_are_dated_and_kept(app, base):
    _p, sector, inst = base
    mentee = f.mentee(sector.id, inst.id, joined_on=date(2025, 1, 15))
    by = f.admin()
    mentees.change_status(
        mentee,
        by=by,
        version=mentee.version,
        status="graduated",
        status_date=date(2026, 6, 30),
        note="Certified",
    )
    history = db.session.scalars(
        db.select(MenteeStatusChange)
        .where(MenteeStatusChange.mentee_id == mentee.id)
        .order_by(MenteeStatusChange.id)
    ).all()
    assert [(h.status, h.status_on) for h in history] == [
        ("active", date(2025, 1, 15)),
        ("graduated", date(2026, 6, 30)),
    ]


@pytest.mark.parametrize(
    ("status", "when", "field", "text"),
    [
        ("graduated", date.today() + timedelta(days=3), "status_date", "future"),
        ("graduated", date(2024, 1, 1), "status_date", "cannot be earlier"),
        ("active", date(2025, 6, 1), "status", "already has"),
        ("retired", date(2025, 6, 1), "status", "Choose one of"),
    ],
)
def test_status_change_refusals(app, base, status, when, field, text):
    _p, sector, inst = base
    mentee = f.mentee(sector.id, inst.id, joined_on=date(2025, 1, 15))
    with pytest.raises(ValidationFailed) as caught:
        mentees.change_status(
            mentee, by=f.admin(), version=mentee.version, status=status, status_date=when
        )
    assert text in caught.value.fields[field][0]


def test_stale_mentee_edit_is_refused(app, base):
    _p, sector, inst = base
    mentee = f.mentee(sector.id, inst.id)
    with pytest.raises(Conflict):
        mentees.update_mentee(mentee, by=f.admin(), version=mentee.version + 1, position="Director")


MENTEE_CSV = (
    "email,full_name,staff_number,gender,position,institution_acronym,sector_code,phase_name,"
    "joined_on\n"
    """a.one@reg.rw,Aline One,RW-100,female,Engineer,REG,ENE,SCBI Phase I,2025-02-01
b.two@reg.rw,Bosco Two,RW-101,male,Analyst,reg,ene,,2025-02-03
"""
)


def test_import_registers_every_row_with_passwords(app, base, monkeypatch):
    def no_argon2(password):
        raise AssertionError("a generated password went through argon2")

    monkeypatch.setattr(accounts, "hash_password", no_argon2)  # 0.1 s a row in production
    created = import_people(MENTEE_CSV.encode("utf-8-sig"), kind="mentee", by=f.admin())
    assert [p.full_name for p in created] == ["Aline One", "Bosco Two"]
    assert all(len(p.password) >= 12 for p in created)
    assert count(Mentee) == 2
    for person in created:
        user = db.session.scalar(db.select(User).where(User.email == person.email))
        assert user.must_change_password
        assert user.password_hash == hash_generated_password(person.password)
        assert verify_password(user.password_hash, person.password)


def test_import_is_all_or_nothing_and_lists_every_bad_row(app, base):
    bad = MENTEE_CSV + (
        "a.one@reg.rw,Dup Email,RW-102,female,Engineer,REG,ENE,,2025-02-01\n"
        "c@reg.rw,Cee Three,RW-100,unknown,Engineer,XYZ,ENE,Phase 9,2025-13-01\n"
    )
    with pytest.raises(ValidationFailed) as caught:
        import_people(bad, kind="mentee", by=f.admin())
    db.session.rollback()
    rows = caught.value.rows
    by_row = {}
    for r in rows:
        by_row.setdefault(r["row"], []).append(r["message"])
    assert set(by_row) == {4, 5}
    assert any(m.startswith("email:") for m in by_row[4])
    joined = " ".join(by_row[5])
    for column in ("staff_number", "gender", "institution_acronym", "phase_name", "joined_on"):
        assert column in joined
    assert count(Mentee) == 0
    assert count(User) == 1


def test_import_refuses_missing_columns_and_bad_encoding(app, base):
    with pytest.raises(ValidationFailed) as caught:
        import_people("email,full_name\nx@y.org,X Y\n", kind="mentee", by=f.admin())
    assert "Missing columns" in caught.value.rows[0]["message"]
    with pytest.raises(ValidationFailed) as caught:
        import_people(b"\xff\xfe\x00bad", kind="coach", by=f.admin())
    assert "UTF-8" in caught.value.rows[0]["message"]
    with pytest.raises(ValidationFailed):
        import_people("", kind="visitor", by=f.admin())


def test_templates_import_once_their_references_exist(app, base):
    for kind in ("coach", "mentee"):
        header = template_csv(kind).splitlines()[0]
        assert header.startswith("email,full_name")
    created = import_people(template_csv("coach"), kind="coach", by=f.admin())
    assert len(created) == 1


def mentee_rows(n: int, start: int = 0) -> str:
    header = MENTEE_CSV.splitlines()[0]
    rows = [
        f"p{i}@reg.rw,Person Number{i},RW-{i:04d},female,Engineer,REG,ENE,,2025-02-01"
        for i in range(start, start + n)
    ]
    return "\n".join([header, *rows]) + "\n"


def test_import_is_set_based_the_same_statements_for_5_rows_as_for_120(app, base):
    """One query per check for all rows and one multi-row insert per table, not a
    registration per row: the statements do not grow with the file."""
    admin = f.admin()
    db.session.commit()

    def statements(n: int, start: int) -> int:
        with QueryCounter(app) as counter:
            created = import_people(mentee_rows(n, start), kind="mentee", by=admin)
            db.session.commit()
        assert len(created) == n
        return counter.count

    assert statements(5, 0) == statements(120, 100) <= 25
    assert count(Mentee) == 125 and count(MenteeStatusChange) == 125
    actions = audit_actions(app)
    assert actions.count("user.create") - 1 == actions.count("mentee.create") == 125  # + admin
    assert app.test_cli_runner().invoke(args=["scbi", "audit-verify"]).exit_code == 0


def test_import_names_rows_repeating_an_email_or_staff_number_of_an_earlier_row(app, base):
    header = MENTEE_CSV.splitlines()[0]
    data = "\n".join(
        [
            header,
            "a@reg.rw,Aline One,RW-1,female,Engineer,REG,ENE,,2025-02-01",
            "A@REG.RW,Aline Again,RW-2,female,Engineer,REG,ENE,,2025-02-01",
            "b@reg.rw,Bosco Two,rw-1,male,Engineer,REG,ENE,,2025-02-01",
        ]
    )
    with pytest.raises(ValidationFailed) as caught:
        import_people(data, kind="mentee", by=f.admin())
    db.session.rollback()
    assert caught.value.rows == [
        {"row": 3, "message": "email: An earlier row has this e-mail address."},
        {"row": 4, "message": "staff_number: An earlier row has this staff number."},
    ]
    assert count(Mentee) == 0


def test_import_refuses_staff_numbers_taken_in_any_case(app, base):
    _p, sector, inst = base
    f.mentee(sector.id, inst.id, staff_number="RW-0001")
    db.session.commit()
    with pytest.raises(ValidationFailed) as caught:
        import_people(mentee_rows(3), kind="mentee", by=f.admin())  # RW-0000 … RW-0002
    db.session.rollback()
    assert caught.value.rows == [
        {"row": 3, "message": "staff_number: Another mentee has this staff number."}
    ]
    assert count(Mentee) == 1


def test_coach_import_gives_a_mentee_account_the_coach_role_and_keeps_its_password(app, base):
    _p, sector, inst = base
    mentee = f.mentee(sector.id, inst.id, email="eric@reg.rw")
    epoch = mentee.user.session_epoch
    db.session.commit()
    template = template_csv("coach").splitlines()
    # the joining account keeps its name and password: a blank name here is not refused
    second = template[1].replace("expert@example.org", "ERIC@reg.rw").replace("Grace Achieng", "")
    created = import_people("\n".join([*template, second]), kind="coach", by=f.admin())
    db.session.commit()
    assert [p.email for p in created] == ["expert@example.org", "eric@reg.rw"]
    assert created[0].password and created[1].password is None
    assert created[1].full_name == mentee.user.full_name
    db.session.expire_all()
    assert mentee.user.roles == {Role.MENTEE, Role.COACH}
    assert mentee.user.session_epoch == epoch + 1  # its sessions ended with the new role
    assert db.session.get(Coach, created[1].id).user_id == mentee.user_id
