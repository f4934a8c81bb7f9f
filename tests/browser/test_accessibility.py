"""WCAG 2.2 AA on every page of every role, on a desktop and on a phone: axe-core finds no
serious or critical violation on any page a role may open (every GET row of the route × role
matrix that answers the role 200 with a page), on the pages a form sends back with its
errors, or on the error pages (and no such page is wider than its screen); and, on the
demo programme's pages full of real figures, every kind of page each role's links reach
(each link answering 200).

The pages' markup does not depend on the database, so this sweep runs in the SQLite run of
.ci/run only (the journeys, which write, run on both)."""

from __future__ import annotations

import os

import pytest

from tests import factories
from tests.browser.driver import DESKTOP, PHONE, axe_violations, browser_page, sign_in
from tests.helpers import MISSING_ID
from tests.test_matrix import MATRIX, fill, person

pytestmark = pytest.mark.skipif(
    os.environ.get("SCBI_TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="the accessibility sweep runs on SQLite only (its pages are the same on PostgreSQL)",
)
ROLES = ("mentee", "coach", "coordinator", "secretariat")
# what a browser would download or run, not read: no page to check
NOT_PAGES = ("/sw.js", "/export", ".csv", ".pdf", ".xlsx", "/download", "/file")


def pages_of(role: str) -> list[str]:
    """The matrix's page routes that answer ``role`` 200."""
    return sorted(
        template
        for (_endpoint, method), (template, expected) in MATRIX.items()
        if method == "GET"
        and expected[role] == 200
        and not template.startswith("/api/")
        and not any(part in template for part in NOT_PAGES)
    )


def forms_of(role: str) -> list[str]:
    """The matrix's form routes whose empty form ``role`` gets back with errors (422)."""
    gets = {t for (_e, m), (t, expected) in MATRIX.items() if m == "GET" and expected[role] == 200}
    return sorted(
        template
        for (_endpoint, method), (template, expected) in MATRIX.items()
        if method == "POST"
        and expected[role] == 422
        and template in gets
        and not template.startswith("/api/")
    )


def _check(page, where: str, found: dict) -> None:
    violations = axe_violations(page)
    if violations:
        found[where] = violations


# marks the page's form that posts back to the page itself (data-under-test), if any
MARK_FORM = """() => {
  const form = [...document.querySelectorAll('main form')].find(f =>
    f.method === 'post' && new URL(f.action, location.href).pathname === location.pathname);
  if (form) form.dataset.underTest = '';
  return Boolean(form);
}"""
FORM = "form[data-under-test]"


def _submit_empty(page) -> None:
    """Submit the page's own form with its fields emptied and the browser's own checks off
    (the server's checks are the ones under test)."""
    page.evaluate(
        """(selector) => {
          const form = document.querySelector(selector);
          form.noValidate = true;
          const typed = 'input:not([type=hidden],[type=checkbox],[type=radio]), textarea';
          for (const el of form.querySelectorAll(typed)) el.value = '';
          const button = form.querySelector('[type=submit], button:not([type])');
          button ? form.requestSubmit(button) : form.requestSubmit();
        }""",
        FORM,
    )


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_a_role_is_accessible(app, live_server, make_user, role, viewport):
    world = factories.world(app)
    target = make_user("coordinator")
    found: dict[str, list] = {}
    with browser_page(viewport) as (_context, page):
        sign_in(page, live_server, person(world, role))
        for template in pages_of(role):
            path = fill(app, world, template, target=target.id)
            response = page.goto(live_server + path)
            assert response.status == 200, (role, path, response.status)
            _check(page, path, found)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > viewport["width"]:  # the page itself, not a table's own scroll
                found.setdefault(path, []).append({"rule": f"{width} px wide"})
        for template in forms_of(role):
            path = fill(app, world, template, target=target.id)
            page.goto(live_server + path)
            if not page.evaluate(MARK_FORM):
                continue  # the route takes a form another page shows (checked there)
            with page.expect_navigation():
                _submit_empty(page)
            _check(page, f"{path} (sent empty)", found)
        # the error pages, as this role meets them
        page.goto(f"{live_server}/logs/{MISSING_ID}")
        _check(page, "404", found)
        if role != "secretariat":
            page.goto(f"{live_server}/audit")
            _check(page, "403", found)
    assert found == {}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_pages_before_signing_in_are_accessible(app, live_server, viewport):
    found: dict[str, list] = {}
    with browser_page(viewport) as (_context, page):
        for path in ("/login", "/password/forgot", "/invitation/not-a-token", f"/x/{MISSING_ID}"):
            page.goto(live_server + path)
            _check(page, path, found)
        page.goto(f"{live_server}/login")
        page.fill("#email", "nobody@example.org")
        page.fill("#password", "wrong")
        page.click("form button[type=submit].w-100")
        page.wait_for_load_state()
        _check(page, "/login (refused)", found)
    assert found == {}


# Same-origin links a crawl follows: GET pages only (no download, no sign-out, no API).
LINKS = """() => [...new Set([...document.querySelectorAll('a[href]')]
  .map(a => new URL(a.href, location.href))
  .filter(u => u.origin === location.origin && !u.pathname.startsWith('/api/'))
  .map(u => u.pathname + u.search))]"""


def _pattern(path: str) -> str:
    """A page's kind: its path with ids as {id}, without its query (one page a kind)."""
    return "/".join("{id}" if part.isdigit() else part for part in path.split("?")[0].split("/"))


def _crawl(page, live_server: str, found: dict, limit: int = 120) -> int:
    """Visit every kind of page reachable by links from the home page, checking each (and
    that each link answers 200: a page links only where its reader may go)."""
    queue, seen, visited = [("/", "")], {_pattern("/")}, 0
    while queue and visited < limit:
        path, source = queue.pop(0)
        response = page.goto(live_server + path)
        if response.status != 200:  # a link the reader may not follow is a wrong link
            found[path] = [{"rule": f"answers {response.status}", "linked from": source}]
            continue
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        visited += 1
        _check(page, path, found)
        for link in page.evaluate(LINKS):
            kind = _pattern(link)
            if kind not in seen and not any(part in link for part in NOT_PAGES):
                seen.add(kind)
                queue.append((link, path))
    return visited


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_demo_programme_s_pages_are_accessible(app, live_server, viewport):
    """Pages full of real figures (charts, long tables, every status): each role crawls every
    kind of page its links reach in the demo programme."""
    from scbi.demo import build_demo
    from scbi.extensions import db
    from scbi.mail import outbox

    with app.app_context(), outbox.holding():
        logins = build_demo()
        db.session.commit()
    found: dict[str, list] = {}
    first = {role: email for role, _name, email in reversed(logins.logins)}
    for role, email in first.items():
        with browser_page(viewport) as (_context, page):
            sign_in(page, live_server, _Person(email, logins.password))
            # a development partner reads its home, the reports and its account: fewer kinds
            assert _crawl(page, live_server, found) > (3 if role == "partner" else 5), role
    assert found == {}


class _Person:
    def __init__(self, email: str, password: str):
        self.email, self.password = email, password


RING = """() => document.activeElement.tagName + '.' + document.activeElement.className + ' '
  + getComputedStyle(document.activeElement).outline"""


def test_the_keyboard_finds_its_way(app, live_server, make_user):
    """The first Tab shows "Skip to content" above the menu bar; Enter takes the focus to
    the page's content; every focused control wears a solid ring of 3 px (yellow on the
    green menu bar, dark on the page)."""
    user = make_user("secretariat")
    with browser_page(DESKTOP) as (_context, page):
        sign_in(page, live_server, user)
        page.keyboard.press("Tab")
        skip = page.evaluate(
            """() => { const e = document.activeElement, r = e.getBoundingClientRect();
              const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
              const style = getComputedStyle(e);
              return {text: e.textContent.trim(), onTop: top === e || e.contains(top),
                      outline: style.outlineStyle + ' ' + style.outlineWidth}; }"""
        )
        assert skip == {"text": "Skip to content", "onTop": True, "outline": "solid 3px"}
        rings = []
        for _tab in range(6):  # the brand, then the menu's links, on the green bar
            page.keyboard.press("Tab")
            rings.append(page.evaluate(RING))
        assert all("rgb(255, 210, 77) solid 3px" in ring for ring in rings), rings
        for path in ("/users/new", "/reports", "/audit"):  # every control of a page, by Tab
            page.goto(live_server + path)
            rings = set()
            for _tab in range(60):
                page.keyboard.press("Tab")
                if page.evaluate("Boolean(document.activeElement.closest('main'))"):
                    rings.add(page.evaluate(RING))
            assert rings and all("solid 3px" in ring for ring in rings), (path, rings)
        page.goto(f"{live_server}/users/new")
        page.focus("#full_name")
        ring = page.evaluate("getComputedStyle(document.activeElement).outline")
        assert "solid 3px" in ring and "rgb(27, 27, 27)" in ring
