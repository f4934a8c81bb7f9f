"""What a coach's phone downloads: the bytes each step of the phone journey transfers
(compressed bodies and headers, as the browser counts them), in a real browser at 390 px.

    .venv/bin/python -m bench.page_weight --base http://127.0.0.1:5000 \\
        --email grace.achieng@coach.example.org --password '…' [--pairing 1 --log 1]

Needs a running server (`make run`, or gunicorn) with the demo loaded, Playwright (a test
dependency) and Debian's Chromium at /usr/bin/chromium. The goal (issue "The coach in the
field"): at most 100 KB on the first visit, 20 KB on each later page.
"""

from __future__ import annotations

import argparse

from playwright.sync_api import sync_playwright


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:5000")
    parser.add_argument("--email", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--pairing", type=int, default=1)
    parser.add_argument("--log", type=int, default=1)
    args = parser.parse_args()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox"]
        )
        page = browser.new_context(
            viewport={"width": 390, "height": 844}, is_mobile=True
        ).new_page()
        sizes: list[int] = []

        def counted(request) -> None:
            measured = request.sizes()
            sizes.append(measured["responseBodySize"] + measured["responseHeadersSize"])

        page.on("requestfinished", counted)

        def step(label: str, action) -> None:
            sizes.clear()
            action()
            page.wait_for_load_state("networkidle")
            print(f"{label:<30} {sum(sizes) / 1024:6.1f} KB  ({len(sizes)} responses)")

        def sign_in() -> None:
            page.fill("#email", args.email)
            page.fill("#password", args.password)
            page.click("form button[type=submit].w-100")

        step("sign-in page (first visit)", lambda: page.goto(f"{args.base}/login"))
        step("sign in, home", sign_in)
        step("the pairing", lambda: page.goto(f"{args.base}/pairings/{args.pairing}"))
        step("the quick log", lambda: page.goto(f"{args.base}/pairings/{args.pairing}/logs/new"))
        step("my logs", lambda: page.goto(f"{args.base}/my/logs"))
        step("a log", lambda: page.goto(f"{args.base}/logs/{args.log}"))
        browser.close()


if __name__ == "__main__":
    main()
