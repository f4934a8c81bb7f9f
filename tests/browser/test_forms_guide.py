"""Forms that guide, in a real browser (issue 17, item 4): the plan form flags a target
date that has passed or lies outside the pairing beside the field as it is typed, before
anything is sent; the pairing form sets the sector the coach and the mentee share once
both are chosen. Both pages stay accessible (axe) with the guide showing."""

from __future__ import annotations

from datetime import timedelta

from scbi.dates import today
from scbi.extensions import db
from tests import factories
from tests.browser.driver import DESKTOP, assert_accessible, signed_in, until


def test_the_plan_form_flags_a_past_date_beside_the_field_as_it_is_typed(app, live_server):
    world = factories.world(app)
    with app.app_context():
        factories.competencies(world.b.sector_id, 1)
        db.session.commit()
    path = f"/pairings/{world.b.pairing_id}/plans/new"
    with signed_in(live_server, world.b.coach_user, DESKTOP) as (_context, page):
        page.goto(live_server + path)
        date = page.locator("#items-0-target_date")
        note = "#items-0-target_date-guide"
        past = (today() - timedelta(days=5)).isoformat()
        date.fill(past)
        until(page, f"document.querySelector('{note}')?.textContent.includes('already passed')")
        assert page.url == live_server + path  # nothing was sent
        text = page.locator(note).inner_text()
        assert text.startswith(f"The target date {past} has already passed")
        assert date.get_attribute("aria-invalid") == "true"
        assert "items-0-target_date-guide" in date.get_attribute("aria-describedby")
        assert "is-invalid" in date.get_attribute("class")
        # the note sits beside the field, inside the row
        assert page.locator(f"fieldset:first-of-type {note}").count() == 1
        assert_accessible(page, "the plan form with a date flagged")

        date.fill("2027-07-01")  # after the pairing's planned end
        until(page, f"document.querySelector('{note}').textContent.includes('inside the pairing')")
        assert page.locator(note).inner_text() == (
            "Choose a date inside the pairing (2025-02-01 to 2027-06-30)."
        )
        date.fill(today().isoformat())
        until(page, f"document.querySelector('{note}').textContent === ''")
        assert date.get_attribute("aria-invalid") is None
        assert "guide" not in (date.get_attribute("aria-describedby") or "")
        assert date.get_attribute("min") == "2025-02-01"
        assert date.get_attribute("max") == "2027-06-30"


def test_the_pairing_form_takes_the_sector_the_coach_and_the_mentee_share(app, live_server):
    world = factories.world(app)
    with app.app_context():
        newcomer = factories.mentee(world.a.sector_id, world.a.institution_id).id
        other = factories.mentee(world.b.sector_id, world.b.institution_id).id
        db.session.commit()
    with signed_in(live_server, world.secretariat, DESKTOP) as (_context, page):
        page.goto(f"{live_server}/pairings/new")
        sector = page.locator("#sector_id")
        assert sector.input_value() == ""
        page.select_option("#coach_id", str(world.a.coach_id))
        page.select_option("#mentee_id", str(newcomer))
        until(page, f"document.querySelector('#sector_id').value === '{world.a.sector_id}'")
        note = page.locator("#sector_id-guide")
        assert note.inner_text() == "Set to the sector the coach and the mentee share."
        assert "sector_id-guide" in sector.get_attribute("aria-describedby")
        assert_accessible(page, "the pairing form with the sector taken")

        # a mentee of another sector: the sector the guide set is given back
        page.select_option("#mentee_id", str(other))
        until(page, "document.querySelector('#sector_id').value === ''")
        assert note.inner_text() == ""
        # a sector chosen by hand stays
        page.select_option("#sector_id", str(world.b.sector_id))
        page.select_option("#mentee_id", str(newcomer))
        page.wait_for_timeout(200)
        assert sector.input_value() == str(world.b.sector_id)
        assert page.url == f"{live_server}/pairings/new"  # nothing was sent


def test_the_sector_page_s_coordinator_form_and_the_assess_page_are_accessible(
    app, live_server, make_user
):
    """The secretariat's "add a coordinator" (shown, then sent back with its message) and
    the mentee's "Assess myself" with its explanation of the logs it may cite."""
    world = factories.world(app)
    make_user("coordinator", full_name="Jeanne Uwera")
    with signed_in(live_server, world.secretariat, DESKTOP) as (_context, page):
        page.goto(f"{live_server}/sectors/{world.a.sector_id}")
        assert page.locator("#coord-h").inner_text() == "Add a coordinator"
        assert_accessible(page, "the sector page with its coordinator form")
        with page.expect_navigation():
            page.locator("#coord-h ~ form button[type=submit]").click()
        assert page.locator("#user_id").get_attribute("aria-invalid") == "true"
        assert_accessible(page, "the coordinator form sent back")
        page.goto(f"{live_server}/sectors/{world.a.sector_id}/coordinators/new")
        assert_accessible(page, "a new coordinator for the sector")
    with signed_in(live_server, world.a.mentee_user, DESKTOP) as (_context, page):
        page.goto(f"{live_server}/mentees/{world.a.mentee_id}/assessments/new")
        page.select_option("#competency_id", str(world.competency_id))
        with page.expect_navigation():
            page.locator("[name=show_logs]").click()
        assert "waits for your acknowledgement" in page.locator("#cite-none").inner_text()
        assert_accessible(page, "Assess myself, with the reason no log is offered")
        # Enter in a field records the self-assessment (not "Show the logs", the first
        # visible button)
        page.select_option("#level", "2")
        with page.expect_navigation():
            page.press("#assessed_on", "Enter")
        assert "/assessments/new" not in page.url
