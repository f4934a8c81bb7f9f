"""On a 320 px phone (the narrowest still sold), no page of a role's main tour scrolls
sideways (wide tables scroll inside their own region)."""

from __future__ import annotations

from tests import factories
from tests.browser.driver import SMALL_PHONE, signed_in

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
        with signed_in(live_server, people[role], SMALL_PHONE) as (_context, page):
            for path in paths:
                response = page.goto(live_server + path.format(**ids))
                assert response.status == 200, (role, path)
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > SMALL_PHONE["width"]:
                    too_wide[(role, path)] = width
    assert too_wide == {}
