"""On a 390 px phone, no page of a role's main tour scrolls sideways (wide tables scroll
inside their own region). A real browser: Playwright driving Debian's Chromium
(`apt-get install chromium`, done by .ci/run); skipped where it is not installed."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests import factories

CHROMIUM = Path("/usr/bin/chromium")
sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed")

PHONE = {"width": 390, "height": 844}
TOUR = {
    "secretariat": ["/", "/programme", "/coaches", "/mentees", "/mentees/{mentee}",
                    "/pairings", "/pairings/{pairing}", "/logs", "/logs/{log}", "/plans/{plan}",
                    "/users", "/reports", "/reports/sectors/{sector}", "/mail", "/audit",
                    "/frameworks", "/account", "/mentees/{mentee}/competencies",
                    "/mentees/{mentee}/portfolio", "/coaches/follow-up", "/mentees/levels",
                    "/coaches/{coach}", "/sectors/{sector}", "/institutions/{institution}",
                    "/frameworks/{framework}", "/users/new", "/pairings/new", "/coaches/new",
                    "/mentees/new", "/people/import"],
    "coordinator": ["/", "/pairings", "/plans", "/logs", "/reports/sectors/{sector}"],
    "coach": ["/", "/pairings", "/pairings/{pairing}", "/pairings/{pairing}/logs/new",
              "/my/logs", "/mentees"],
    "mentee": ["/", "/my/logs", "/logs/{log}", "/my/competencies",
               "/mentees/{mentee}/portfolio", "/mentees/{mentee}/assessments/new"],
}  # fmt: skip


@contextmanager
def phone(live_server: str, person):
    """A phone-sized Chromium page signed in as ``person``: ``(context, page)``."""
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            context = browser.new_context(viewport=PHONE, is_mobile=True)
            page = context.new_page()
            page.goto(f"{live_server}/login")
            page.fill("#email", person.email)
            page.fill("#password", person.password)
            page.click("form button[type=submit].w-100")
            page.wait_for_url(f"{live_server}/")
            yield context, page
        finally:
            browser.close()


@pytest.fixture
def live_server(app):
    """The app served on a free loopback port, in a thread, for the browser."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_no_page_of_a_role_s_tour_is_wider_than_a_phone(app, live_server):
    world = factories.world(app)
    people = factories.people_of_sector_a(world)
    ids = {
        "mentee": world.a.mentee_id,
        "pairing": world.a.pairing_id,
        "log": world.log_id,
        "plan": world.plan_id,
        "sector": world.a.sector_id,
        "coach": world.a.coach_id,
        "institution": world.a.institution_id,
        "framework": world.framework_id,
    }
    too_wide = {}
    for role, paths in TOUR.items():
        with phone(live_server, people[role]) as (_context, page):
            for path in paths:
                response = page.goto(live_server + path.format(**ids))
                assert response.status == 200, (role, path)
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > PHONE["width"]:
                    too_wide[(role, path)] = width
    assert too_wide == {}
