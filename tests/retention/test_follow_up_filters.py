"""The follow-ups list's filters behind the reports' retention figures (docs/reports.md
"Figures you can open"; scbi.retention.queries.listing): ``on``, ``answered``,
``retained``, ``cascade``, ``latest``, ``gender``, ``institution_id`` and several
``sector_id`` — the list holds what each figure counts, on the hand-built programme of
test_retention_report (its docstring names the mentees m1–m8 and their answers), and m9:

    m9  female  IT2 (sector T)  pairing ended 31 Mar 2025, graduated 30 Jun 2025, left the
        public service 31 Jan 2026 — so their exit date is 30 Jun 2025 while the status
        history says graduated (to 30 Jan 2026), and 31 Mar 2025 (the pairing's end) before
        and after; answers: 6 months on 5 Jan 2026 (in service, coaching others), 12 months
        on 3 Jul 2026 (left the public service, not coaching).
"""

from __future__ import annotations

import re
from datetime import date
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from scbi.extensions import db
from scbi.mentees.services import change_status
from tests import factories as f
from tests.helpers import api_token, bearer, login
from tests.reports.test_figure_links import figures, opened_total
from tests.retention.helpers import answer, end_pairings, graduate
from tests.retention.test_follow_ups import make_leaver, setup  # noqa: F401  (fixture)
from tests.retention.test_retention_report import ADMIN, built  # noqa: F401  (fixture)

# a follow-up's mentee, by their sector and exit date (the API's rows name both)
WHO = {
    ("SRET", "2025-02-28"): "m1",
    ("SRET", "2025-03-15"): "m2",
    ("SRET", "2025-06-30"): "m3",
    ("SRET", "2025-11-30"): "m4",
    ("SRET", "2026-03-31"): "m5",
    ("TRET", "2025-04-30"): "m8",
    ("TRET", "2025-06-30"): "m9",  # while graduated: 30 June 2025 to 30 January 2026
    ("TRET", "2025-03-31"): "m9",  # by the pairing's end, before and after
}
TOTAL = re.compile(r'data-total="(\d+)"')


@pytest.fixture
def programme(app, built):  # noqa: F811
    """test_retention_report's programme, and m9 in sector T."""
    with app.app_context():
        it2 = f.institution(built["t"], acronym="IT2")
        coach = f.coach(built["t"], it2.id)
        m9 = f.mentee(built["t"], it2.id, gender="female")
        f.pairing(coach, m9, f.phase())
        end_pairings(m9, date(2025, 3, 31))
        graduate(m9, date(2025, 6, 30))
        change_status(
            m9,
            by=f.admin(),
            version=m9.version,
            status="left_public_service",
            status_date=date(2026, 1, 31),
        )
        answer(m9, 6, date(2026, 1, 5), coaching=True)
        answer(m9, 12, date(2026, 7, 3), retained=False)
        db.session.commit()
        return {**built, "it2": it2.id}


def retention_figures(client, pages: list[str]) -> set[str]:
    """Open each follow-ups list a figure of ``pages`` links to: its total is the figure
    (tests/reports/test_figure_links opens every other list). Every linked address."""
    seen: dict[str, float] = {}
    addresses = set()
    for path in pages:
        for measure, address, shown in figures(client.get(path).text):
            addresses.add(address)
            if urlsplit(address).path != "/follow-ups":
                continue
            if address not in seen:
                seen[address] = opened_total(client, address, measure)
            assert seen[address] == float(shown), (path, address, shown)
    return addresses


def listed(client, headers, query: str) -> set[tuple[str, int]]:
    """``(mentee, months)`` of each follow-up of ``/api/v1/follow-ups?{query}``."""
    answer_ = client.get(f"/api/v1/follow-ups?per_page=200&{query}", headers=headers)
    assert answer_.status_code == 200, (query, answer_.json)
    return {(WHO[(i["sector"]["code"], i["exit_on"])], i["months"]) for i in answer_.json["items"]}


def test_the_list_holds_what_each_retention_figure_counts(app, client, programme):
    """On 30 June 2026 (test_retention_report's worked figures of sector S): due, followed
    up, retained and coaching others per milestone, the cascade by each mentee's latest
    answer, by gender and by institution."""
    headers = bearer(api_token(client, ADMIN))
    s = f"sector_id={programme['s']}&on=2026-06-30"

    def at(query: str) -> set[tuple[str, int]]:
        return listed(client, headers, f"{s}&{query}")

    assert at("months=6") == {("m1", 6), ("m2", 6), ("m3", 6), ("m4", 6)}  # due 4
    assert at("months=6&answered=1") == {("m1", 6), ("m2", 6), ("m3", 6)}  # followed up 3
    assert at("months=6&retained=1") == {("m1", 6), ("m3", 6)}  # retained 2
    assert at("months=6&cascade=1") == {("m3", 6)}  # coaching others 1
    assert at("months=12") == {("m1", 12), ("m2", 12), ("m3", 12)}
    assert at("months=12&retained=1") == {("m1", 12)}
    assert at("months=12&cascade=1") == {("m1", 12)}
    assert at("months=24") == set()
    # the cascade: m1's latest answer (12 months) and m3's (6: their 12 came after)
    assert at("cascade=1&latest=1") == {("m1", 12), ("m3", 6)}
    assert at("gender=female") == {("m1", 6), ("m1", 12)}  # m5: nothing due yet
    assert at("gender=other&answered=1") == set()  # m4 answered 12 months, not yet due
    assert at(f"institution_id={programme['ib']}&months=6") == {("m2", 6), ("m4", 6)}
    both = f"institution_id={programme['ia']}&institution_id={programme['ib']}&retained=1"
    assert at(both) == {("m1", 6), ("m3", 6), ("m1", 12)}


def test_an_answer_given_after_the_day_is_not_followed_up_on_it(app, client, programme):
    """m3's 12-month follow-up fell due on 30 June 2026 and was answered on 2 July: due, not
    followed up, on 30 June; answered from 2 July."""
    headers = bearer(api_token(client, ADMIN))
    s = f"sector_id={programme['s']}&months=12&answered=1"
    assert listed(client, headers, f"{s}&on=2026-06-30") == {("m1", 12)}
    assert listed(client, headers, f"{s}&on=2026-07-02") == {("m1", 12), ("m3", 12)}
    rows = client.get(
        f"/api/v1/follow-ups?sector_id={programme['s']}&months=12&on=2026-06-30", headers=headers
    ).json["items"]
    m3 = next(i for i in rows if i["exit_on"] == "2025-06-30")
    assert m3["state"] == "due" and m3["answered_on"] is None


def test_the_exit_date_on_a_past_day_follows_the_dated_status(app, client, programme):
    """m9 left the public service in January 2026: as it stood on 15 October 2025 they had
    graduated on 30 June 2025, so no follow-up was due yet (the 6-month one fell due on 30
    December 2025), as the report of that day counts — not the exit by the pairing's end
    their status today gives (whose 6-month follow-up fell due on 30 September 2025)."""
    headers = bearer(api_token(client, ADMIN))
    t = f"sector_id={programme['t']}"
    assert listed(client, headers, f"{t}&on=2025-10-15") == set()  # m8's falls on 30 Oct
    assert listed(client, headers, f"{t}&on=2025-12-31") == {("m8", 6), ("m9", 6)}
    rows = client.get(f"/api/v1/follow-ups?{t}&on=2025-12-31", headers=headers).json["items"]
    assert {i["exit_on"] for i in rows} == {"2025-04-30", "2025-06-30"}
    # today: left the public service, so the exit is the pairing's end again
    assert listed(client, headers, t) == {("m8", 6), ("m8", 12), ("m9", 6), ("m9", 12)}


def test_the_cascade_beside_the_milestones_counts_each_mentees_latest_answer(
    app, client, programme
):
    """On 31 July 2026 m9 coached others at 6 months and had left at 12: one at 6 months,
    none in the cascade (their latest answer says no)."""
    headers = bearer(api_token(client, ADMIN))
    t = f"sector_id={programme['t']}&on=2026-07-31"
    assert listed(client, headers, f"{t}&cascade=1") == {("m9", 6)}
    assert listed(client, headers, f"{t}&cascade=1&latest=1") == set()
    assert listed(client, headers, f"{t}&latest=1") == {("m8", 6), ("m9", 12)}
    assert listed(client, headers, f"{t}&months=12&answered=1&retained=1") == set()


@pytest.mark.parametrize("as_of", ["2025-10-15", "2025-12-31", "2026-06-30", "2026-07-31"])
def test_every_retention_figure_opens_what_it_counts(app, client, programme, as_of):
    """The sector reports and the overview as of four days: each retention figure opens a
    list of exactly that many."""
    login(client, ADMIN)
    query = f"from=2025-07-01&to={as_of}"
    pages = [f"/reports/sectors/{i}?{query}" for i in (programme["s"], programme["t"])]
    opened = retention_figures(client, [*pages, f"/reports?{query}"])
    follow_ups = [a for a in opened if urlsplit(a).path == "/follow-ups"]
    assert follow_ups and all(f"on={as_of}" in a for a in follow_ups)
    flags = {k for a in follow_ups for k in parse_qs(urlsplit(a).query)}
    assert {"answered", "retained", "cascade", "latest", "gender", "institution_id"} <= flags
    # the overview's totals cover both sectors
    assert any(len(parse_qs(urlsplit(a).query)["sector_id"]) == 2 for a in follow_ups)


def test_the_filters_show_as_chips_and_the_pager_keeps_them(app, client, programme):
    login(client, ADMIN)
    path = f"/follow-ups?sector_id={programme['s']}&on=2026-06-30&answered=1&per_page=2"
    page = client.get(path).text
    assert TOTAL.search(page).group(1) == "4"  # m1, m2, m3 at 6 months, m1 at 12
    assert "As they stood on 30 Jun 2026" in page and "Followed up: answered" in page
    remove = re.search(r'href="([^"]+)" aria-label="Remove the filter: Followed up', page)
    assert "answered" not in remove.group(1) and "on=2026-06-30" in unescape(remove.group(1))
    assert '<input type="hidden" name="on" value="2026-06-30">' in page
    assert '<input type="hidden" name="answered" value="1">' in page
    following = unescape(re.search(r'href="([^"]+)" rel="next"', page).group(1))
    assert "on=2026-06-30" in following and "answered=1" in following
    assert TOTAL.search(client.get(following).text).group(1) == "4"
    female = client.get(f"/follow-ups?gender=female&institution_id={programme['ia']}").text
    assert "Mentee’s gender: Female" in female and "Mentee’s institution: IA" in female
    several = f"/follow-ups?sector_id={programme['s']}&sector_id={programme['t']}"
    assert "Sectors: " in client.get(several).text


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("on=30-06-2026", "on"),
        ("on=2026-02-30", "on"),
        ("on=1890-01-01", "on"),
        ("answered=yes", "answered"),
        ("retained=2", "retained"),
        ("cascade=true", "cascade"),
        ("latest=0", "latest"),
        ("gender=f", "gender"),
        ("institution_id=IA", "institution_id"),
    ],
)
def test_a_bad_filter_is_refused_naming_it(app, client, query, field):
    world = f.world(app)
    login(client, world.secretariat)
    page = client.get(f"/follow-ups?{query}")
    assert page.status_code == 422
    assert f"<code>{field}</code>" in page.text
    headers = bearer(api_token(client, world.secretariat))
    api = client.get(f"/api/v1/follow-ups?{query}", headers=headers)
    assert api.status_code == 422 and field in api.json["error"]["fields"]


def test_a_coordinator_opens_only_their_sectors_follow_ups(app, client, setup):  # noqa: F811
    """Coordinator A: another sector named beside theirs adds nothing; it alone, nothing;
    every figure of their report and overview opens their sector's records only."""
    mine = make_leaver(app, setup, "a", 230)
    make_leaver(app, setup, "b", 260)
    a, b = setup.a.sector_id, setup.b.sector_id
    login(client, setup.a.coordinator)
    page = client.get(f"/follow-ups?sector_id={a}&sector_id={b}").text
    assert re.findall(r'<td><a href="/mentees/(\d+)">', page) == [str(mine.id)]
    assert TOTAL.search(client.get(f"/follow-ups?sector_id={b}").text).group(1) == "0"
    headers = bearer(api_token(client, setup.a.coordinator))
    api = client.get(f"/api/v1/follow-ups?sector_id={b}&answered=1", headers=headers).json
    assert api["total"] == 0
    opened = retention_figures(client, [f"/reports/sectors/{a}", "/reports"])
    follow_ups = [x for x in opened if urlsplit(x).path == "/follow-ups"]
    assert follow_ups
    for address in opened:
        assert parse_qs(urlsplit(address).query)["sector_id"] == [str(a)], address


def test_a_partner_and_the_pdf_get_plain_retention_figures(app, client, programme):
    """The figures link only for those who may open the list: a development partner reads
    the retention block of a sector it funds as plain figures, as the PDF prints them."""
    from scbi.coaches.models import Coach
    from scbi.programme.models import Sector
    from scbi.reports import exports, metrics, periods

    with app.test_request_context():
        coach = db.session.scalar(db.select(Coach).where(Coach.sector_id == programme["s"]))
        partner = f.partner_account(coach.id)
        sector = db.session.get(Sector, programme["s"])
        html = exports.sector_html(metrics.sector_report(sector, periods.fiscal_year(2025)))
    assert "Retention after the programme" in html and "/follow-ups" not in html
    login(client, partner)
    page = client.get(f"/reports/sectors/{programme['s']}?fy=2025").text
    assert "Retention after the programme" in page
    assert "/follow-ups" not in page and 'class="figure-link"' not in page
