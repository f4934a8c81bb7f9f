"""The quick log offline keeps the priority result the activity served (issue 18 item 4):
the queued entry posts it like any other field, and an entry the server refuses puts it
back in the form."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from scbi.extensions import db
from scbi.programme import services
from scbi.transfer.models import TransferLog
from tests import factories
from tests.browser.driver import phone, until

WAITING = "document.querySelectorAll('#waiting-entries li').length"


def test_the_result_served_travels_with_an_offline_entry(app, live_server):
    world = factories.world(app)
    with app.app_context():
        served = services.create_priority_result(
            by=factories.admin(),
            sector_id=world.a.sector_id,
            title="Grid code revised",
            due_date=date(2027, 6, 30),
        ).id
        db.session.commit()
    with phone(live_server, world.a.coach_user) as (context, page):
        page.goto(f"{live_server}/pairings/{world.a.pairing_id}/logs/new")
        context.set_offline(True)
        page.fill("#activity_date", "2099-01-01")  # refused by the server: comes back
        page.fill("#title", "Grid code workshop")
        page.select_option("#priority_result_id", str(served))
        page.click("#save")
        until(page, f"{WAITING} === 1")
        context.set_offline(False)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        until(page, "document.querySelector('#waiting-entries .text-danger') !== null")
        page.click("#waiting-entries button.btn-outline-primary")  # put it back
        assert page.input_value("#priority_result_id") == str(served)
        context.set_offline(True)
        page.fill("#activity_date", "2025-06-10")
        page.click("#save")
        until(page, f"{WAITING} === 1")
        context.set_offline(False)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        until(page, f"{WAITING} === 0")
    with app.app_context():
        log = db.session.scalar(
            select(TransferLog).where(TransferLog.title == "Grid code workshop")
        )
        assert log is not None and log.priority_result_id == served
