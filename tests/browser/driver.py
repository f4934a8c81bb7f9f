"""Driving a real browser in the tests under tests/browser: Playwright driving Debian's Chromium
(`apt-get install chromium`, done by .ci/run; Playwright's own download cannot work here),
and axe-core (from the npm registry, `make test` installs it) for the accessibility checks.

Where the browser or axe is missing the tests are skipped, saying which; with
SCBI_REQUIRE_BROWSER=1 (set by .ci/run) they run anyway and fail, so CI never passes
without them."""

from __future__ import annotations

import json
import os
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
REQUIRED = os.environ.get("SCBI_REQUIRE_BROWSER") == "1"
PHONE = {"width": 390, "height": 844}
SMALL_PHONE = {"width": 320, "height": 640}  # the narrowest phones still sold
DESKTOP = {"width": 1280, "height": 900}
# What "WCAG 2.2 AA" means to axe: the rules tagged with these levels (best practices aside).
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (make test installs it)"
    if not CHROMIUM.exists():
        return f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    if not AXE.exists():
        return "axe-core is not installed (make test runs npm ci)"
    return None


@contextmanager
def browser_page(viewport: dict = PHONE, **options):
    """A fresh Chromium page, signed in as nobody: ``(context, page)``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            context = browser.new_context(
                viewport=viewport, is_mobile=viewport["width"] < 576,
                has_touch=viewport["width"] < 576,
                **options,
            )  # fmt: skip
            yield context, context.new_page()
        finally:
            browser.close()


def sign_in(page, live_server: str, person) -> None:
    page.goto(f"{live_server}/login")
    page.fill("#email", person.email)
    page.fill("#password", person.password)
    page.click("form button[type=submit].w-100")
    page.wait_for_url(f"{live_server}/")


@contextmanager
def signed_in(live_server: str, person, viewport: dict = PHONE):
    """A Chromium page of ``viewport`` size signed in as ``person``: ``(context, page)``."""
    with browser_page(viewport) as (context, page):
        sign_in(page, live_server, person)
        yield context, page


def phone(live_server: str, person):
    """A phone-sized Chromium page signed in as ``person``: ``(context, page)``."""
    return signed_in(live_server, person, PHONE)


def until(page, expression: str, seconds: float = 15) -> None:
    """Wait until ``expression`` (or the promise it gives) is true in the page (polled from
    here: the page's CSP forbids the string evaluation Playwright's own wait_for_function
    uses)."""
    for _attempt in range(int(seconds * 10)):
        if page.evaluate(f"async () => Boolean(await ({expression}))"):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {expression}")


def axe_violations(page) -> list[dict]:
    """The serious and critical WCAG 2.2 AA violations axe finds on the page as it is now,
    each as {rule, impact, help, targets: [CSS selector, …]}."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    options = {"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]}
    result = page.evaluate(f"async () => await axe.run(document, {json.dumps(options)})")
    return [
        {
            "rule": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "targets": [" ".join(map(str, node["target"])) for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def assert_accessible(page, where: str = "") -> None:
    """Fail with axe's findings when the page has a serious or critical violation."""
    found = axe_violations(page)
    assert not found, f"{where or page.url}: " + json.dumps(found, indent=1)
