"""The log list's ``priority_result_id`` filter (issue 18 item 6: section 8's hours and
logs open it), on the page and in the API, on the hand-built results chain of
tests/reports/test_results_chain.py: in FY 2025 Q1 three acknowledged or verified logs
naming R, "Universal access by 2029" (90 + 60 + 30 min), plus a submitted one never
acknowledged; one of 60 min naming R2, "Grid code revised"; sector B's result has one of
180 min."""

from __future__ import annotations

import re

from tests.helpers import api_token, bearer, login
from tests.reports.test_results_chain import chain  # noqa: F401  (the hand-built set)

Q1 = "counted=1&from=2025-07-01&to=2025-09-30"
TOTAL = re.compile(r'data-total="(\d+)"')
HOURS = re.compile(r'data-hours="([^"]+)"')


def _listed(client, query: str) -> tuple[int, float | None]:
    page = client.get(f"/logs?{query}")
    assert page.status_code == 200, query
    hours = HOURS.search(page.text)
    return int(TOTAL.search(page.text).group(1)), float(hours.group(1)) if hours else None


def test_the_list_holds_the_logs_that_named_the_result(app, client, chain):  # noqa: F811
    login(client, chain.secretariat)
    r, r2 = chain.result_id, chain.r2_id
    assert _listed(client, f"{Q1}&priority_result_id={r}") == (3, 3.0)
    assert _listed(client, f"{Q1}&priority_result_id={r2}") == (1, 1.0)
    assert _listed(client, f"{Q1}&priority_result_id={r}&priority_result_id={r2}") == (4, 4.0)
    # every step but the coach's draft, and only that result's: the submitted one too
    assert _listed(client, f"priority_result_id={r}&from=2025-07-01&to=2025-09-30")[0] == 4
    assert _listed(client, f"priority_result_id={chain.rb_id}")[0] == 1  # sector B's


def test_the_filter_is_named_in_words_and_kept_when_filtering_again(app, client, chain):  # noqa: F811
    login(client, chain.secretariat)
    page = client.get(f"/logs?{Q1}&priority_result_id={chain.result_id}").text
    assert "Priority result served: Universal access by 2029" in page
    assert f'name="priority_result_id" value="{chain.result_id}"' in page  # a hidden field
    both = client.get(
        f"/logs?priority_result_id={chain.result_id}&priority_result_id={chain.r2_id}"
    )
    assert "Priority results served: Universal access by 2029, Grid code revised" in both.text


def test_a_coordinator_of_another_sector_gets_none_of_its_logs(app, client, chain):  # noqa: F811
    login(client, chain.b.coordinator)
    assert _listed(client, f"priority_result_id={chain.result_id}")[0] == 0
    assert _listed(client, f"priority_result_id={chain.rb_id}")[0] == 1  # their own
    headers = bearer(api_token(client, chain.b.coordinator))
    answer = client.get(f"/api/v1/logs?priority_result_id={chain.result_id}", headers=headers)
    assert (answer.status_code, answer.json["total"], answer.json["items"]) == (200, 0, [])


def test_the_api_filters_the_same_and_names_a_bad_value(app, client, chain):  # noqa: F811
    headers = bearer(api_token(client, chain.secretariat))
    answer = client.get(f"/api/v1/logs?{Q1}&priority_result_id={chain.result_id}", headers=headers)
    assert answer.json["total"] == 3
    assert {item["priority_result_id"] for item in answer.json["items"]} == {chain.result_id}
    for bad in ("x", "-1", "1.5"):
        refused = client.get(f"/api/v1/logs?priority_result_id={bad}", headers=headers)
        assert refused.status_code == 422, bad
        assert list(refused.json["error"]["fields"]) == ["priority_result_id"]
    login(client, chain.secretariat)
    assert client.get("/logs?priority_result_id=x").status_code == 422


def test_a_person_outside_the_readers_scope_is_named_by_id_only(app, client, chain):  # noqa: F811
    """The chips name a filter's coach and mentee only when the reader sees one of their
    pairings: sector B's coordinator asking for sector A's people reads no name."""
    from scbi.coaches.models import Coach
    from scbi.extensions import db
    from scbi.mentees.models import Mentee

    with app.app_context():
        coach = db.session.get(Coach, chain.a.coach_id).user.full_name
        mentee = db.session.get(Mentee, chain.a.mentee_id).user.full_name
    query = f"/logs?coach_id={chain.a.coach_id}&mentee_id={chain.a.mentee_id}"
    login(client, chain.secretariat)
    page = client.get(query).text
    assert f"Coach: {coach}" in page and f"Mentee: {mentee}" in page
    other = app.test_client()
    login(other, chain.b.coordinator)
    page = other.get(query).text
    assert f"Coach: #{chain.a.coach_id}" in page and f"Mentee: #{chain.a.mentee_id}" in page
    assert coach not in page and mentee not in page
