"""The quick log without a connection, in a real browser on a phone: two entries saved
offline with a photo, the page reopened offline, and back online they are sent by
themselves, each exactly once, with its evidence; signing out clears the phone."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from scbi.extensions import db
from scbi.transfer.models import Evidence, TransferLog
from tests import factories
from tests.browser.driver import phone, until
from tests.transfer.test_quick_log_evidence import PNG

WAITING = "document.querySelectorAll('#waiting-entries li').length"
# whether the service worker's cache holds a page
KEPT = (
    "caches.keys().then(names => Promise.all(names.map(n => caches.open(n)"
    ".then(c => c.match('{path}'))))).then(hits => hits.some(Boolean))"
)


def _logs(app, world) -> list:
    with app.app_context():
        query = select(TransferLog).where(TransferLog.pairing_id == world.a.pairing_id)
        return [
            (
                log.title,
                len(db.session.scalars(select(Evidence).where(Evidence.log_id == log.id)).all()),
            )
            for log in db.session.scalars(query)
        ]


def test_entries_saved_offline_are_sent_once_when_back_online(app, live_server, tmp_path):
    world = factories.world(app)
    photo = Path(tmp_path, "site.png")
    photo.write_bytes(PNG)
    coach = world.a.coach_user
    quick_log = f"{live_server}/pairings/{world.a.pairing_id}/logs/new"
    before = _logs(app, world)
    with phone(live_server, coach) as (context, page):
        page.goto(quick_log)
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.reload()  # now through the service worker, which keeps the page
        until(page, "navigator.serviceWorker.controller !== null")

        context.set_offline(True)
        for n, title in enumerate(("Trench inspection", "Cable test"), start=1):
            page.fill("#title", title)
            page.set_input_files("#evidence_photo", str(photo))
            page.click("#save")
            until(page, f"{WAITING} === {n}")
        assert "Saved on this phone" in page.inner_text("#offline-status")
        assert _logs(app, world) == before  # nothing reached the server

        page.reload()  # offline: the page still opens, the entries still wait
        until(page, f"{WAITING} === 2")

        context.set_offline(False)
        # two sendings at once (the browser's own "online", and ours twice): the same
        # entries sent in parallel, and still one log each (their keys)
        page.evaluate(
            "() => { for (const _ of [1, 2]) window.dispatchEvent(new Event('online')); }"
        )
        until(page, f"{WAITING} === 0")
        page.evaluate("window.dispatchEvent(new Event('online'))")  # again: nothing more
        page.wait_for_timeout(500)
        after = _logs(app, world)
        new = sorted(set(after) - set(before))
        assert new == [("Cable test", 1), ("Trench inspection", 1)]
        assert len(after) == len(before) + 2

        # signing out clears what the phone keeps
        page.click(".navbar-toggler")  # the phone's menu, then the account's
        # the account's menu opens once the phone's has finished opening (a click during
        # its animation can be lost on a loaded machine)
        page.locator(".navbar-collapse.show").wait_for(state="visible")
        page.locator("nav .dropdown-toggle").click()
        sign_out = page.locator("form[data-clears-phone] button")
        sign_out.wait_for(state="visible")
        with page.expect_navigation(url=f"{live_server}/login"):
            sign_out.click()
        kept = page.evaluate(
            "indexedDB.databases().then(d => d.map(x => x.name))"
            ".then(names => caches.keys().then(keys => names.concat(keys)))"
        )
        assert kept == []


def test_an_entry_the_server_refuses_comes_back_with_its_message(app, live_server):
    world = factories.world(app)
    coach = world.a.coach_user
    before = _logs(app, world)
    with phone(live_server, coach) as (context, page):
        page.goto(f"{live_server}/pairings/{world.a.pairing_id}/logs/new")
        context.set_offline(True)
        page.fill("#activity_date", "2099-01-01")  # in the future: the server says no
        page.fill("#title", "Workshop next century")
        page.click("#save")
        until(page, f"{WAITING} === 1")
        context.set_offline(False)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        until(page, "document.querySelector('#waiting-entries .text-danger') !== null")
        message = page.inner_text("#waiting-entries .text-danger")
        assert "future" in message
        page.click("#waiting-entries button.btn-outline-primary")  # put it back
        assert page.input_value("#title") == "Workshop next century"
        assert page.input_value("#activity_date") == "2099-01-01"
        until(page, f"{WAITING} === 0")
        assert _logs(app, world) == before


def test_a_pairing_s_quick_log_opens_offline_without_having_been_opened(app, live_server):
    """The home page fetches its pairings' pages ahead: a day without signal, the quick
    log of a pairing opens though the coach never opened it online."""
    world = factories.world(app)
    coach = world.a.coach_user
    with phone(live_server, coach) as (context, page):
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        until(page, "navigator.serviceWorker.controller !== null")
        page.reload()  # controlled now: the home fetches its pairings' pages ahead
        quick_log = f"/pairings/{world.a.pairing_id}/logs/new"
        until(page, KEPT.format(path=quick_log))
        context.set_offline(True)
        page.goto(live_server + quick_log)
        assert page.locator("form[data-offline-queue]").count() == 1
