"""Every role's day in a real browser, one sector from nothing to its report: the secretariat
sets the sector up (phase, sector, institution, framework import with its core choice,
coach, mentee, coordinator, pairing) on a desktop; the coach, on a phone, writes a plan; the
coordinator approves it; the coach logs two activities, one with evidence; the mentee, on a
phone, acknowledges one log and disputes the other; the coordinator verifies the
acknowledged log and downloads the sector report. Each newcomer signs in with the one-time
password the secretariat was shown and chooses their own.

axe-core runs on every page the journey shows and the test fails on any serious or
critical violation. Runs on both databases: the journey writes."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from scbi.extensions import db
from scbi.transfer.models import LogStatus, PlanStatus, TransferLog, TransferPlan
from tests import factories
from tests.browser.driver import DESKTOP, PHONE, axe_violations, browser_page

FRAMEWORK = (
    "a,b,c,d,e,f,g,h,i,j,k,l,m,n,core\r\n"
    ",ENE-FW,Energy planning,,1,,,,,,,,1,,\r\n"
    ",ENE-LCP,Least-cost planning,,1,,,,,,,,,,1\r\n"
    ",ENE-PPA,PPA negotiation,,1,,,,,,,,,,1\r\n"
    ",ENE-TAR,Tariff review,,1,,,,,,,,,,\r\n"
)
PASSWORD = "a long walk to the regulator"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201a5d6c0"
    "6a0000000049454e44ae426082"
)


class Journey:
    """One browser page walked through the app, axe-checked at every page it shows."""

    def __init__(self, page, live_server: str, shots: Path):
        self.page, self.base, self.found, self.shots = page, live_server, {}, shots
        page.set_default_timeout(5000)

    def check(self, what: str = "") -> None:
        self.page.wait_for_load_state()
        violations = axe_violations(self.page)
        if violations:
            self.found[f"{what} {self.page.url}"] = violations

    def go(self, path: str) -> None:
        response = self.page.goto(self.base + path)
        assert response.status == 200, (path, response.status)
        self.check()

    def click(self, name: str, role: str = "button") -> None:
        """Click the control named ``name`` and check the page it leads to."""
        try:
            with self.page.expect_navigation():
                self.page.get_by_role(role, name=name, exact=True).first.click()
        except Exception:  # what the page showed instead, beside the test's files
            self.page.screenshot(path=self.shots / "failed.png", full_page=True)
            raise
        self.check(f"after {name!r}")

    def fill(self, fields: dict[str, str], within=None) -> None:
        """Fill each field named by its label; a select takes the option whose text holds
        the value."""
        for label, value in fields.items():
            control = (within or self.page).get_by_label(label, exact=True).first
            if control.evaluate("e => e.tagName") == "SELECT":
                labels = control.locator("option").all_inner_texts()
                control.select_option(label=next(t for t in labels if value in t))
            else:
                control.fill(value)

    def sign_in(self, email: str, password: str) -> None:
        self.go("/login")
        self.fill({"E-mail": email, "Password": password})
        self.click("Sign in")

    def sign_out(self) -> None:
        page = self.page
        if page.get_by_role("button", name="Show the menu").is_visible():
            page.get_by_role("button", name="Show the menu").click()
        page.locator("nav .dropdown-toggle").click()
        with page.expect_navigation():
            page.get_by_role("button", name="Sign out").click()

    def first_sign_in(self, email: str, one_time: str) -> None:
        """A newcomer signs in with the one-time password and chooses their own."""
        self.sign_in(email, one_time)
        self.fill({"Current password": one_time, "New password": PASSWORD})
        self.click("Change password")


def _one_time_password(page) -> str:
    return page.locator("code").filter(has_text=re.compile(r"^\S{10,}$")).first.inner_text()


def test_a_sector_from_nothing_to_its_report(app, live_server, make_user, tmp_path):
    secretariat = make_user("secretariat")
    today = date.today()
    start, end = today - timedelta(days=60), today + timedelta(days=365)
    framework_file = tmp_path / "energy.csv"
    framework_file.write_text(FRAMEWORK)
    evidence_file = tmp_path / "grid-study.png"
    evidence_file.write_bytes(PNG)
    passwords = {}
    found = {}

    # The secretariat, on a desktop, sets the sector up from nothing.
    with browser_page(DESKTOP) as (_context, page):
        walk = Journey(page, live_server, tmp_path)
        walk.sign_in(secretariat.email, secretariat.password)
        walk.go("/phases/new")
        walk.fill(
            {"Name": "SCBI Phase II", "Starts on": start.isoformat(), "Ends on": end.isoformat()}
        )
        walk.click("Save")

        walk.go("/users/new")
        walk.fill({"Full name": "Béatrice Mukarugwiza", "E-mail": "beatrice@scbi.example.rw"})
        page.get_by_label("Sector coordinator", exact=True).check()
        walk.click("Create account")
        passwords["coordinator"] = _one_time_password(page)

        walk.go("/sectors/new")
        walk.fill({"Code": "ENE", "Name": "Energy", "National experts wanted": "12",
                   "Target date": end.isoformat(), "Expert level": "3"})  # fmt: skip
        page.get_by_label("Béatrice Mukarugwiza").check()
        walk.click("Save")
        assert re.search(r"/sectors/\d+$", page.url)

        walk.go("/institutions/new")
        walk.fill({"Name": "Rwanda Energy Group", "Acronym": "REG", "Sector": "Energy"})
        walk.click("Save")

        walk.go("/frameworks/import")
        page.get_by_label("Moodle framework file (CSV)").set_input_files(str(framework_file))
        walk.fill({"Sector": "Energy"})
        walk.click("Preview")
        page.get_by_label("Tariff review").check()  # the core choice: one more than the file's
        walk.click("Import the framework")
        assert "Tariff review" in page.content()

        walk.go("/coaches/new")
        walk.fill({"Full name": "Grace Achieng", "E-mail": "grace@coach.example.org",
                   "Nationality": "Kenyan", "Deploying organisation": "GIZ",
                   "Technical expertise": "Grid planning", "Years of coaching experience": "9",
                   "Sector": "Energy", "Host institution": "Rwanda Energy Group",
                   "Contract starts": start.isoformat(),
                   "Contract ends": end.isoformat()})  # fmt: skip
        walk.click("Save")
        passwords["coach"] = _one_time_password(page)

        walk.go("/mentees/new")
        walk.fill({"Full name": "Aline Uwimana", "E-mail": "aline@reg.example.rw",
                   "Staff number": "REG-0001", "Gender": "Female",
                   "Position": "Planning engineer", "Institution": "Rwanda Energy Group",
                   "Sector": "Energy", "Joined the programme on": start.isoformat()})  # fmt: skip
        walk.click("Save")
        passwords["mentee"] = _one_time_password(page)

        walk.go("/pairings/new")
        walk.fill({"Coach": "Grace Achieng", "Mentee": "Aline Uwimana", "Phase": "SCBI Phase II",
                   "Sector": "Energy", "Starts on": start.isoformat(),
                   "Planned to end on": end.isoformat()})  # fmt: skip
        walk.click("Save")
        assert "Grace Achieng" in page.content() and "Aline Uwimana" in page.content()
        pairing_path = re.search(r"/pairings/\d+$", page.url)[0]
        found |= walk.found

    # The coach, on a phone, writes the transfer plan.
    with browser_page(PHONE) as (_context, page):
        walk = Journey(page, live_server, tmp_path)
        walk.first_sign_in("grace@coach.example.org", passwords["coach"])
        walk.go(pairing_path)
        walk.click("Write the plan", role="link")
        item = page.locator("fieldset.card").first
        walk.fill({"Competency": "Least-cost planning",
                   "Evidence that will show the skill was transferred": "Her own least-cost plan"},
                  within=item)  # fmt: skip
        item.get_by_label("On the job", exact=True).check()
        walk.click("Save and submit for approval")
        found |= walk.found

    # The coordinator approves the plan.
    with browser_page(DESKTOP) as (_context, page):
        walk = Journey(page, live_server, tmp_path)
        walk.first_sign_in("beatrice@scbi.example.rw", passwords["coordinator"])
        walk.go("/")
        walk.click("1 plan waits for your decision", role="link")
        walk.click("Approve")
        assert "approved" in page.content().lower()
        found |= walk.found

    # The coach, back on the phone: two activities, one with a photo as evidence.
    with browser_page(PHONE) as (_context, page):
        walk = Journey(page, live_server, tmp_path)
        walk.sign_in("grace@coach.example.org", PASSWORD)
        for title, evidence in (("Grid study walkthrough", True), ("Tariff model review", False)):
            walk.go(pairing_path + "/logs/new")
            walk.fill({"What was done": title, "Hours": "2"})
            page.get_by_label("Least-cost planning").check()
            page.get_by_label("Co-led — we do, you lead").check()
            if evidence:
                page.get_by_label("Attach files").set_input_files(str(evidence_file))
            walk.click("Save and send to the mentee")
            assert page.get_by_role("status").filter(has_text="sent").count(), page.url
        found |= walk.found

    # The mentee, on a phone, acknowledges one log and disputes the other.
    with browser_page(PHONE) as (_context, page):
        walk = Journey(page, live_server, tmp_path)
        walk.first_sign_in("aline@reg.example.rw", passwords["mentee"])
        walk.go("/my/logs")
        walk.click("Grid study walkthrough", role="link")
        walk.click("Acknowledge")
        walk.go("/my/logs")
        walk.click("Tariff model review", role="link")
        walk.fill({"Comment": "We reviewed the tariff model for one hour, not two."})
        walk.click("Dispute (say what is wrong)")
        found |= walk.found

    # The coordinator verifies the acknowledged log and downloads the sector report.
    with browser_page(DESKTOP, accept_downloads=True) as (_context, page):
        walk = Journey(page, live_server, tmp_path)
        walk.sign_in("beatrice@scbi.example.rw", PASSWORD)
        walk.go("/logs?status=acknowledged")  # the queue: the log, its evidence, a tick box
        assert page.get_by_label("Grid study walkthrough").count() == 1
        walk.go("/")
        walk.click("1 acknowledged log to verify", role="link")  # the log itself
        walk.click("Verify")
        walk.go("/reports")
        walk.click("Energy", role="link")
        with page.expect_download(timeout=60_000) as download:  # a PDF is drawn, not read
            page.get_by_role("link", name="PDF").first.click(timeout=60_000)
        pdf = Path(download.value.path()).read_bytes()
        assert pdf.startswith(b"%PDF")
        found |= walk.found

    assert found == {}
    with app.app_context():
        logs = {log.title: log for log in db.session.scalars(select(TransferLog))}
        assert logs["Grid study walkthrough"].status == LogStatus.VERIFIED
        assert len(logs["Grid study walkthrough"].evidence) == 1
        assert logs["Tariff model review"].status == LogStatus.DISPUTED
        assert db.session.scalar(select(TransferPlan.status)) == PlanStatus.APPROVED


def test_a_development_partner_reads_the_report_of_the_sector_it_funds(app, live_server, tmp_path):
    """The secretariat gives a partner's officer an account; the officer, on a phone, reads
    the report of the sector the partner funds, with its cost, and is refused every
    person's record as if it did not exist."""
    world = factories.world(app)
    with app.app_context():
        from scbi.coaches.models import Coach
        from scbi.partners.services import create_partner, set_funding
        from scbi.programme.models import Sector

        by = factories.admin()
        agency = create_partner(by=by, name="Bilateral Cooperation Agency", acronym="BCA")
        coach = db.session.get(Coach, world.a.coach_id)
        item = {"partner_id": agency.id, "currency": "USD", "basis": "total", "amount": "90000"}
        set_funding(coach, [item], by=by, version=coach.version)
        sector = db.session.get(Sector, world.a.sector_id).name
        db.session.commit()
    found: dict = {}

    with browser_page(DESKTOP) as (_context, page):
        walk = Journey(page, live_server, tmp_path)
        walk.sign_in(world.secretariat.email, world.secretariat.password)
        walk.go("/users/new")
        walk.fill({"Full name": "Grace Mutoni", "E-mail": "grace@bca.example.org"})
        page.get_by_label("Development partner", exact=True).check()
        walk.fill({"Development partner (partner accounts)": "BCA"})
        walk.click("Create account")
        one_time = _one_time_password(page)
        found |= walk.found

    with browser_page(PHONE) as (_context, page):
        walk = Journey(page, live_server, tmp_path)
        walk.first_sign_in("grace@bca.example.org", one_time)
        walk.go("/")
        walk.click(f"{sector}: sector report", role="link")
        assert page.get_by_role("heading", name="Value for money").count() == 1
        assert (
            "USD" in page.get_by_role("heading", name="Value for money").locator("..").inner_text()
        )
        for path in (f"/mentees/{world.a.mentee_id}", f"/logs/{world.log_id}", "/pairings"):
            assert page.goto(live_server + path).status == 404, path
        found |= walk.found

    assert found == {}
