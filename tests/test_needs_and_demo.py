"""The home page's "what needs me now" for set-up, and the demo programme."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import func, select

from scbi.coaches.models import Coach
from scbi.dates import today
from scbi.extensions import db
from scbi.mentees.models import Mentee
from scbi.programme.models import CompetencyFramework, PriorityResult, Sector
from scbi.transfer.models import Pairing
from scbi.transfer.queries import coach_activity, is_silent
from scbi.transfer.services import logs
from tests import factories as f
from tests.helpers import csrf_token, login


def test_unpaired_mentees_and_sectors_without_coordinator_need_the_secretariat(app, client):
    world = f.world(app)
    with app.app_context():
        sector = f.sector()
        inst = f.institution(sector.id)
        f.mentee(sector.id, inst.id)
        db.session.commit()
    login(client, world.secretariat)
    home = client.get("/").text
    assert "1 active mentee has no coach" in home
    assert "1 sector has no coordinator" in home
    listing = client.get("/mentees?unpaired=1").text
    assert len(re.findall(r'href="/mentees/\d+"', listing)) == 1


def test_a_coordinator_sees_only_their_sectors_needs(app, client):
    world = f.world(app)
    with app.app_context():
        f.mentee(world.b.sector_id, world.b.institution_id)
        db.session.commit()
    login(client, world.a.coordinator)
    assert "has no coach" not in client.get("/").text  # the unpaired mentee is in sector B


def test_coach_and_mentee_homes_list_their_pairings(app, client):
    world = f.world(app)
    login(client, world.a.coach_user)
    assert "Coaching Mentee" in client.get("/").text


def test_the_demo_loads_a_realistic_programme_whose_logins_work(app, client):
    """One demo per run: it is the suite's slowest step (its speed is no test's business)."""
    runner = app.test_cli_runner()
    result = runner.invoke(args=["scbi", "demo"])
    assert result.exit_code == 0, result.output
    assert "Every demo account has the password:" in result.output
    password = result.output.split("password: ")[1].split()[0]
    for line in result.output.splitlines():
        if line.strip().startswith(("coach ", "mentee ", "coordinator ", "partner ")):
            email = line.split()[1]
            person = type("P", (), {"email": email, "password": password})
            assert login(client, person).status_code == 302, email
            if line.strip().startswith("partner "):  # the agency funds the energy coaches
                home = client.get("/").text
                assert "Energy" in home and home.count('href="/reports/sectors/') == 1
            client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert "officer@bca.example.org" in result.output
    with app.app_context():
        counts = {
            m.__name__: db.session.scalar(select(func.count()).select_from(m))
            for m in (Sector, Coach, Mentee, Pairing, CompetencyFramework)
        }
        female = db.session.scalar(
            select(func.count()).select_from(Mentee).where(Mentee.gender == "female")
        )
        codes = set(db.session.scalars(select(Sector.code)))
    assert counts["Sector"] == 5 and codes == {"ENE", "AGR", "MIN", "INV", "EXP"}
    # twelve coaches from abroad, and one mentee who graduated and now coaches (the cascade)
    assert counts["Coach"] == 13 and counts["Mentee"] == 41
    with app.app_context():
        both = db.session.scalar(
            select(func.count()).select_from(Mentee).join(Coach, Coach.user_id == Mentee.user_id)
        )
        results = db.session.scalar(select(func.count()).select_from(PriorityResult))
    assert both == 1 and results >= 10
    with app.app_context():  # the results chain: indicators with actuals, logs naming results
        from scbi.programme.models import Indicator, IndicatorValue
        from scbi.transfer.models import TransferLog

        measured = db.session.scalar(select(func.count(Indicator.result_id.distinct())))
        actuals = db.session.scalar(select(func.count()).select_from(IndicatorValue))
        filed = db.session.scalar(
            select(func.count()).where(IndicatorValue.stored_name.is_not(None))
        )
        naming = db.session.scalar(
            select(func.count()).where(TransferLog.priority_result_id.is_not(None))
        )
    assert measured == results and actuals > 2 * measured and 0 < filed < actuals
    assert naming > 100
    assert counts["CompetencyFramework"] == 6
    assert counts["Pairing"] >= 40
    assert 0.3 < female / counts["Mentee"] < 0.7
    with app.app_context():  # two partners fund coaches: the reports show value for money
        from scbi.partners.costs import ta_cost

        spent = ta_cost(None, date(1900, 1, 1), today())
    assert set(spent) == {"USD", "RWF"} and all(v > 0 for v in spent.values())
    with app.app_context():  # the RWF rate of every quarter so far: reports convert to USD
        from scbi.partners.costs import rates_needed

        needed = rates_needed(today())
    assert needed and all(needed.values()) and {c for c, _q in needed} == {"RWF"}
    with app.app_context():  # graduates followed up: in post, one left, one coaching, overdue
        from scbi.auth.models import User
        from scbi.retention.models import FollowUp
        from scbi.retention.queries import overdue_count

        answers = db.session.scalars(select(FollowUp)).all()
        overdue = overdue_count(db.session.scalar(select(User).where(User.email.like("secr%"))))
    assert len(answers) >= 6 and {a.months for a in answers} == {6, 12}
    assert sum(a.in_public_service for a in answers) >= 3
    assert any(not a.in_public_service for a in answers)
    assert any(a.coaching_others for a in answers) and overdue >= 1
    kept = runner.invoke(args=["scbi", "derived"])  # the backdated logs' times match history
    assert kept.exit_code == 0, kept.output
    assert "history: 0." in kept.output and "recomputation: 0." in kept.output
    again = runner.invoke(args=["scbi", "demo"])
    assert again.exit_code != 0 and "empty" in again.output
    quiet = runner.invoke(args=["scbi", "demo", "--if-empty"])
    assert quiet.exit_code == 0 and quiet.output == ""


def test_each_role_sees_its_transfer_queue(app, client):
    world = f.world(app)  # pairing A: an approved plan and a log submitted to the mentee
    login(client, world.a.mentee_user)
    assert "1 log waits for your acknowledgement" in client.get("/").text
    client.get("/logout")
    client2 = app.test_client()
    login(client2, world.a.coordinator)
    home = client2.get("/").text
    assert "1 coach silent for more than 14 days" in home
    assert "plan waits for your decision" not in home
    client3 = app.test_client()
    login(client3, world.b.coach_user)
    assert "1 mentee without a transfer plan" in client3.get("/").text


def test_a_coach_is_silent_by_one_rule_on_the_follow_up_page_and_the_home_page(app, client):
    """The newest log sent, per coach: A's is from 2025 (silent), B sends one today (not
    silent); a draft A writes today counts for nobody."""
    world = f.world(app)
    with app.app_context():
        pairing_b = db.session.get(Pairing, world.b.pairing_id)
        coach_b = pairing_b.coach.user
        plan = f.approved_plan(pairing_b, f.competencies(world.b.sector_id, 1))
        values = {"activity_date": today(), "activity_type": "on_the_job", "hours": 1}
        values["mentee_role"] = "led"
        sent = logs.create_log(
            pairing_b,
            by=coach_b,
            title="Sent",
            competency_ids=[plan.items[0].competency_id],
            **values,
        )
        logs.submit_log(sent, by=coach_b)
        pairing_a = db.session.get(Pairing, world.a.pairing_id)
        logs.create_log(
            pairing_a,
            by=pairing_a.coach.user,
            title="Draft",
            competency_ids=[world.competency_id],
            **values,
        )
        db.session.commit()
        rows = {
            coach.id: (last, is_silent(last, active))
            for coach, last, _minutes, active in db.session.execute(coach_activity(select(Coach)))
        }
    assert rows[world.a.coach_id] == (date(2025, 6, 2), True)  # the draft does not count
    assert rows[world.b.coach_id] == (today(), False)
    login(client, world.secretariat)
    assert "1 coach silent for more than 14 days" in client.get("/").text
