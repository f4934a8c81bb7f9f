"""Figures you can open (issue 18 item 6; docs/reports.md): every count and sum of the
sector report and the programme overview links to the list of the records behind it,
within the reader's scope, and the list holds exactly what the figure counts."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select

from scbi.extensions import db
from scbi.programme.models import Sector
from scbi.reports import exports
from tests.helpers import login

FIGURE = re.compile(
    r'<a class="figure-link" data-measure="(\w+)"(?: data-value="([^"]+)")?'
    r' href="([^"]+)">([^<]+)</a>'
)
AMOUNT = re.compile(r'class="list-amount[^"]*" data-currency="(\w+)" data-amount="([^"]+)"')
TOTAL = re.compile(r'class="[^"]*list-total[^"]*" data-total="(\d+)"')
HOURS = re.compile(r'class="list-hours" data-hours="([^"]+)"')
LISTS = {
    "/logs",
    "/mentees",
    "/coaches",
    "/pairings",
    "/reports/experts",
    "/reports/plan-items",
    "/reports/costs",
    "/reports/priority-results",
    "/follow-ups",
    "/exchanges",
    "/engagements",
}
# the exchange list's sums of its exchanges, the engagement list's objectives of an outcome
SUMS = ("participants", "countries", "actions", "overdue", "objectives")


def figures(page: str) -> list[tuple[str, str, str]]:
    """``(measure, address, number)`` of each linked figure of a page: the number shown, or
    the figure's value when it is shown in words (an amount in its currency)."""
    return [
        (measure, unescape(href), value or shown)
        for measure, value, href, shown in FIGURE.findall(page)
    ]


def opened_total(client, address: str, measure: str) -> float:
    """What the list at ``address`` holds: its rows, the hours of its logs, its amount in a
    currency, or one of its sums (the participants of its exchanges …)."""
    response = client.get(address)
    assert response.status_code == 200, address
    page = response.get_data(as_text=True)
    if measure in SUMS:
        found = re.search(rf'class="[^"]*list-sums[^"]*"[^>]* data-{measure}="(\d+)"', page)
        assert found, f"no {measure} on {address}"
        return int(found.group(1))
    if measure == "amount":  # the figure names its currency: the list's total in it
        currency = parse_qs(urlsplit(address).query)["currency"][0]
        totals = dict(AMOUNT.findall(page))
        return round(float(totals.get(currency, 0)), 2)
    if measure == "hours":
        found = HOURS.search(page)
        assert found, f"no total hours on {address}"
        return round(float(found.group(1)), 2)
    found = TOTAL.search(page)
    assert found, f"no total on {address}"
    assert "data-capped" not in page
    return int(found.group(1))


def check_every_figure(client, pages: list[str]) -> set[str]:
    """Open every linked figure of ``pages``; each list's total is the figure. The lists'
    addresses."""
    seen: dict[tuple[str, str], float] = {}
    for path in pages:
        page = client.get(path).get_data(as_text=True)
        found = figures(page)
        assert found, path
        for measure, address, shown in found:
            key = (address, measure)
            if key not in seen:
                seen[key] = opened_total(client, address, measure)
            number = round(float(shown.replace(",", "")), 2)
            assert seen[key] == number, (path, address, shown, seen[key])
    return {address for address, _measure in seen}


def test_every_figure_of_the_demo_reports_opens_the_records_it_counts(app, client):
    """The secretariat opens every linked figure of the demo's overview and sector reports
    (this quarter's, and last fiscal year's for the previous-period and trajectory links);
    the Energy report's national experts reach their evidence in two clicks; a coordinator
    opens only their own sectors' records."""
    result = app.test_cli_runner().invoke(args=["scbi", "demo"])
    assert result.exit_code == 0, result.output
    password = result.output.split("password: ")[1].split()[0]
    with app.app_context():
        sectors = dict(db.session.execute(select(Sector.code, Sector.id)).all())
    secretariat = type("P", (), {"email": "secretariat@ncbs.example.rw", "password": password})
    login(client, secretariat)
    pages = ["/reports", *(f"/reports/sectors/{i}" for i in sectors.values())]
    lists = check_every_figure(client, pages)
    assert {urlsplit(a).path for a in lists} == LISTS
    assert len(lists) > 400  # each headline figure, gender, activity, month, institution …
    # retention: the demo's follow-ups make the overview's followed up and cascade non-zero
    overview = client.get("/reports").get_data(as_text=True)
    retention = [
        (address, float(shown))
        for _measure, address, shown in figures(overview)
        if urlsplit(address).path == "/follow-ups"
    ]
    assert any("answered=1" in a and "months=12" in a and n > 0 for a, n in retention)
    assert any("latest=1" in a and n > 0 for a, n in retention)  # the cascade
    year = check_every_figure(client, [f"/reports/sectors/{sectors['ENE']}?fy=2025"])
    assert any("dated_by=submitted" in a and "to=2025-06-30" in a for a in year)  # previous

    # two clicks: "3 national experts" -> the experts -> each expert's evidence, inline
    energy = client.get(f"/reports/sectors/{sectors['ENE']}").get_data(as_text=True)
    # section 8: the results' hours and logs open the logs, their plan items served the items
    served = {
        (measure, urlsplit(address).path)
        for measure, address, shown in figures(energy)
        if "priority_result_id=" in address and float(shown.replace(",", "")) > 0
    }
    assert served == {("hours", "/logs"), ("count", "/logs"), ("count", "/reports/plan-items")}
    lead = re.search(
        r'<strong><a class="figure-link" data-measure="count" href="([^"]+)">(\d+)</a> '
        r"national experts",
        energy,
    )
    experts = int(lead.group(2))
    assert experts == 3  # the demo's Energy sector, today
    listing = client.get(unescape(lead.group(1))).get_data(as_text=True)
    sections = listing.split('<section class="report-section expert"')[1:]
    assert len(sections) == experts
    for section in sections:
        assert "National expert:" in section
        files = re.findall(r'href="(/evidence/\d+/download)" target="_blank"', section)
        assert files, section[:300]
        shown = client.get(files[0])
        assert shown.status_code == 200 and shown.data.startswith(b"%PDF")
        assert shown.headers["Content-Disposition"].startswith("inline")

    _energy_shows_its_exchanges_and_engagements(app, client, energy, sectors["ENE"], secretariat)

    # a coordinator of Energy and Mining: every figure opens their sectors' records only
    client.post("/logout", data={"csrf_token": _token(client)})
    coordinator = type(
        "P", (), {"email": "beatrice.mukarugwiza@ncbs.example.rw", "password": password}
    )
    login(client, coordinator)
    theirs = {str(sectors["ENE"]), str(sectors["MIN"])}
    opened = check_every_figure(client, ["/reports"])
    for address in opened:
        assert set(parse_qs(urlsplit(address).query)["sector_id"]) <= theirs, address
    agriculture = sectors["AGR"]
    assert client.get(f"/reports/experts?sector_id={agriculture}").status_code == 404
    assert client.get(f"/reports/plan-items?sector_id={agriculture}").status_code == 404
    others = client.get(f"/logs?sector_id={agriculture}&counted=1").get_data(as_text=True)
    assert 'data-total="0"' in others
    others = client.get(f"/follow-ups?sector_id={agriculture}").get_data(as_text=True)
    assert 'data-total="0"' in others


def _energy_shows_its_exchanges_and_engagements(app, client, page, sector_id, secretariat):
    """The demo's Energy report of this quarter (issue 19): the study visit to Kenya's
    regulator and EDCL's engagement, on the page (each figure opening its list, checked
    above), in the PDF and in the API."""
    from tests.helpers import api_token, bearer, plain_figures
    from tests.reports.test_report_outputs import pdf_text

    api = client.get(
        f"/api/v1/reports/sectors/{sector_id}", headers=bearer(api_token(client, secretariat))
    ).json
    peers = api["peer_learning"]
    assert peers["exchanges"]["by_kind"]["study_visit"] == 1
    assert peers["participants"]["total"] == 6  # three mentees, a coach, two guests
    assert peers["countries"]["by_country"] == {"KE": 1}
    assert peers["follow_up_actions"]["open"] == 1
    engaged = peers["engagements"]
    assert (engaged["opened"], engaged["started"], engaged["closed"]) == (1, 1, 1)
    assert engaged["outcomes"] == {"achieved": 1, "partly": 1, "not": 1}
    assert engaged["longer_pairings"] == 1
    with app.test_request_context():
        printed = pdf_text(exports.sector_html(api))
    for text in (plain_figures(page), printed):
        flat = re.sub(r"\s+", " ", unescape(text))
        assert "Peer exchanges and short engagements" in flat
        assert "Kenya" in flat and "Study visit" in flat and "Partly achieved" in flat
    shown = {
        (measure, urlsplit(address).path)
        for measure, address, number in figures(page)
        if urlsplit(address).path in ("/exchanges", "/engagements") and float(number) > 0
    }
    assert shown >= {
        ("count", "/exchanges"),
        ("participants", "/exchanges"),
        ("countries", "/exchanges"),
        ("actions", "/exchanges"),
        ("count", "/engagements"),
        ("objectives", "/engagements"),
    }


def _token(client) -> str:
    from tests.helpers import csrf_token

    return csrf_token(client, "/")
