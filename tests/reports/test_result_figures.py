"""Section 8's figures open their records (issue 18 item 6), on the hand-built results
chain of test_results_chain.py (FY 2025 Q1): R, "Universal access by 2029", 3.0 h in 3
logs and one plan item served (pairing A's C1); R2, "Grid code revised", 1.0 h, 1 log and
one item (pairing A2's C2, not its C1). The plan-items list's ``priority_result_id`` reads
section 8's own rule (scbi.reports.results.served_items), so its total is the figure."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

from tests.helpers import login
from tests.reports.test_figure_links import check_every_figure, figures
from tests.reports.test_results_chain import chain  # noqa: F401  (the hand-built set)

Q1 = "fy=2025&quarter=1"
PERIOD = "from=2025-07-01&to=2025-09-30&on=2025-09-30"


def _items(client, query: str) -> list[str]:
    """The ``mentee — competency`` rows of the plan-items list, and its total checked."""
    page = client.get(f"/reports/plan-items?{query}")
    assert page.status_code == 200, query
    rows = re.findall(r'<td><a href="/mentees/\d+">([^<]+)</a></td>\s*<td>([^<]+)</td>', page.text)
    total = int(re.search(r'data-total="(\d+)"', page.text).group(1))
    assert total == len(rows), query
    return [f"{mentee} — {competency}" for mentee, competency in rows]


def test_each_result_s_hours_logs_and_items_open_exactly_what_they_count(app, client, chain):  # noqa: F811
    login(client, chain.secretariat)
    path = f"/reports/sectors/{chain.a.sector_id}?{Q1}"
    check_every_figure(client, [path])  # every linked figure: its list's total
    page = client.get(path).text
    section = page.split('id="s8"')[1].split("</section>")[0]
    found = [(m, unescape(href), shown) for m, href, shown in figures(section)]
    by_status = [href for _m, href, _s in found if href.startswith("/reports/priority-results")]
    assert len(by_status) == 5  # a count per status, the zeros too
    linked = {(m, shown): href for m, href, shown in found if href not in by_status}
    assert set(linked) == {("hours", "3"), ("count", "3"), ("count", "1"), ("hours", "1")}
    hours = parse_qs(urlsplit(linked[("hours", "3")]).query)
    assert hours == {
        "sector_id": [str(chain.a.sector_id)],
        "counted": ["1"],
        "from": ["2025-07-01"],
        "to": ["2025-09-30"],
        "priority_result_id": [str(chain.result_id)],
    }
    assert urlsplit(linked[("count", "3")]).path == "/logs"
    items = [unescape(a) for _m, a, _s in figures(section) if a.startswith("/reports/plan-items")]
    assert len(items) == 2  # R's and R2's
    for address in items:
        query = parse_qs(urlsplit(address).query)
        assert query["on"] == ["2025-09-30"] and "priority_result_id" in query


def test_the_plan_items_list_holds_the_items_a_result_served(app, client, chain):  # noqa: F811
    login(client, chain.secretariat)
    a = f"sector_id={chain.a.sector_id}&{PERIOD}"
    assert len(_items(client, a)) == 3  # A's C1, A2's C1 and C2
    [served] = _items(client, f"{a}&priority_result_id={chain.result_id}")
    assert served.endswith("— Grid planning")  # C1, of pairing A
    [served2] = _items(client, f"{a}&priority_result_id={chain.r2_id}")
    assert not served2.endswith("— Grid planning")  # A2's C2 only
    both = f"{a}&priority_result_id={chain.result_id}&priority_result_id={chain.r2_id}"
    assert len(_items(client, both)) == 2
    page = client.get(f"/reports/plan-items?{a}&priority_result_id={chain.result_id}").text
    assert "Priority result served: Universal access by 2029" in page
    # another quarter: the 240 min log of 2 October names R; no log of R2
    q2 = f"sector_id={chain.a.sector_id}&from=2025-10-01&to=2025-12-31&on=2025-12-31"
    assert len(_items(client, f"{q2}&priority_result_id={chain.result_id}")) == 1
    assert _items(client, f"{q2}&priority_result_id={chain.r2_id}") == []


def test_a_coordinator_of_another_sector_gets_none_of_its_plan_items(app, client, chain):  # noqa: F811
    login(client, chain.b.coordinator)
    assert _items(client, f"{PERIOD}&priority_result_id={chain.result_id}") == []
    assert _items(client, f"priority_result_id={chain.result_id}") == []  # this quarter
    asked = f"sector_id={chain.a.sector_id}&{PERIOD}&priority_result_id={chain.result_id}"
    assert client.get(f"/reports/plan-items?{asked}").status_code == 404


def test_the_counts_by_status_open_the_results_with_that_status(app, client, chain):  # noqa: F811
    """Both results are not started on 30 September 2025: "not started: 2" opens them."""
    login(client, chain.secretariat)
    a = f"sector_id={chain.a.sector_id}&from=2025-07-01&to=2025-09-30"
    page = client.get(f"/reports/priority-results?{a}&status=not_started")
    assert page.status_code == 200
    assert re.search(r'data-total="(\d+)"', page.text).group(1) == "2"
    assert "Universal access by 2029" in page.text and "Grid code revised" in page.text
    none = client.get(f"/reports/priority-results?{a}&status=delivered").text
    assert 'data-total="0"' in none
    assert client.get(f"/reports/priority-results?{a}&status=done").status_code == 422
