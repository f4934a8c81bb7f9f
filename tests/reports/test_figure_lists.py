"""The lists behind the report's figures, on the hand-built sector of test_sector_report
(FY 2025 Q3: 1 January – 31 March 2026, read on 31 March 2026; its module docstring names
the people and logs). Every answer below is worked out by hand from that data."""

from __future__ import annotations

import re
from html import unescape

import pytest

from scbi.extensions import db
from scbi.reports.links import NO_LINKS, FigureLinks
from tests import factories as f
from tests.helpers import QueryCounter, api_token, bearer, login
from tests.reports.test_figure_links import check_every_figure, figures
from tests.reports.test_sector_report import PERIOD, built  # noqa: F401  (fixture)

QUERY = "fy=2025&quarter=3"
Q3 = "from=2026-01-01&to=2026-03-31"
TITLE = re.compile(r'<a class="fw-semibold" href="/logs/\d+">([^<]+)</a>')


def titles(client, path: str) -> set[str]:
    page = client.get(path)
    assert page.status_code == 200, path
    return set(TITLE.findall(page.get_data(as_text=True)))


def L(day: str, kind: str = "on_the_job") -> str:
    return f"{kind} on {day}"


L1, L2 = L("2026-01-10"), L("2026-02-05", "shadowing")
L3, L4 = L("2026-03-20", "joint_delivery"), L("2026-03-25")
L6, L7, L8 = L("2025-12-20"), L("2026-03-31"), L("2025-12-10")


def test_every_figure_of_the_sector_report_opens_what_it_counts(app, client, built):  # noqa: F811
    world = f.world(app)
    login(client, world.secretariat)
    sector = built["sector_id"]
    opened = check_every_figure(client, [f"/reports/sectors/{sector}?{QUERY}", f"/reports?{QUERY}"])
    assert len(opened) > 60


def test_the_log_list_holds_the_logs_of_each_headline_figure(app, client, built):  # noqa: F811
    world = f.world(app)
    login(client, world.secretariat)
    logs = f"/logs?sector_id={built['sector_id']}&{Q3}"
    # submitted: the logs that left draft in the quarter; L8 was first submitted in
    # December (resubmitted in January: not again), L7 at 22:30 UTC on 31 March, which is
    # 1 April in Kigali
    assert titles(client, f"{logs}&dated_by=submitted") == {L1, L2, L3, L4}
    assert titles(client, f"{logs}&dated_by=acknowledged") == {L1, L2, L3, L6, L8}
    assert titles(client, f"{logs}&dated_by=disputed") == {L3, L4, L8}
    # hours: acknowledged or verified, dated in the quarter: 2 + 1 + 1.5 h
    counted = client.get(f"{logs}&counted=1").get_data(as_text=True)
    assert set(TITLE.findall(counted)) == {L1, L2, L3}
    assert 'data-hours="4.5"' in counted and "3 logs, 4.5 hours in all." in counted
    led = client.get(f"{logs}&counted=1&mentee_role=led").get_data(as_text=True)
    assert set(TITLE.findall(led)) == {L1} and 'data-hours="2.0"' in led
    # m1 (female, INA) did L1 and L2; m2 (male, INB) L3
    female = f"{logs}&counted=1&gender=female"
    assert titles(client, female) == {L1, L2}
    assert titles(client, f"{logs}&counted=1&institution_id={built['i2']}") == {L3}
    assert titles(client, f"{logs}&counted=1&activity_type=shadowing") == {L2}
    # the chips say it in words, each removable
    page = client.get(f"{logs}&dated_by=acknowledged").get_data(as_text=True)
    assert "Acknowledged from 1 Jan 2026 to 31 Mar 2026" in page
    remove = re.search(r'href="([^"]+)" aria-label="Remove the filter: Acknowledged', page)
    assert "dated_by" not in remove.group(1) and "from=" not in remove.group(1)
    assert f"sector_id={built['sector_id']}" in remove.group(1)


def test_the_api_log_list_takes_the_same_filters(app, client, built):  # noqa: F811
    world = f.world(app)
    headers = bearer(api_token(client, world.secretariat))
    base = f"/api/v1/logs?sector_id={built['sector_id']}&{Q3}"
    for extra, total in (
        ("&dated_by=submitted", 4),
        ("&dated_by=acknowledged", 5),
        ("&dated_by=disputed", 3),
        ("&counted=1", 3),
        ("&counted=1&mentee_role=led", 1),
        ("&counted=1&gender=female", 2),
        (f"&counted=1&institution_id={built['i2']}", 1),
    ):
        answer = client.get(base + extra, headers=headers)
        assert answer.status_code == 200 and answer.json["total"] == total, extra
    for bad in ("dated_by=sent", "counted=2", "gender=f", "activity_type=x", "mentee_role=x"):
        refused = client.get(f"{base}&{bad}", headers=headers)
        assert refused.status_code == 422, bad
        assert bad.split("=")[0] in refused.json["error"]["fields"]
    login(client, world.secretariat)
    assert client.get(f"/logs?{Q3}&dated_by=sent").status_code == 422


def test_the_people_lists_count_who_was_active_in_the_period(app, client, built):  # noqa: F811
    world = f.world(app)
    login(client, world.secretariat)
    sector = built["sector_id"]
    span = "status=all&active_from=2026-01-01&active_to=2026-03-31"

    def total(path):
        return int(re.search(r'data-total="(\d+)"', client.get(path).text).group(1))

    # m1, m2 and m4 (joined in February); m3 had withdrawn on 15 December
    assert total(f"/mentees?sector_id={sector}&{span}") == 3
    assert total(f"/mentees?sector_id={sector}&{span}&gender=undisclosed") == 1
    assert total(f"/mentees?sector_id={sector}&status=all&active_to=2025-12-31") == 3  # m1-m3
    # Alice and Zed; Bob's contract ended on 31 December
    assert total(f"/coaches?sector_id={sector}&{span}") == 2
    # K1–m1 and K1–m2; K1–m3 ended on 15 December
    assert total(f"/pairings?sector_id={sector}&{span}") == 2
    page = client.get(f"/mentees?sector_id={sector}&{span}").text
    assert "Active at some time from 1 Jan 2026 to 31 Mar 2026" in page


def test_the_experts_list_follows_the_dated_rules(app, client, built):  # noqa: F811
    world = f.world(app)
    login(client, world.secretariat)
    experts = f"/reports/experts?sector_id={built['sector_id']}"

    def listed(path):
        page = client.get(path).get_data(as_text=True)
        return page, len(re.findall(r'<section class="report-section expert"', page))

    page, n = listed(f"{experts}&on=2026-03-31&below=0")
    assert n == 1 and "National experts on 31 Mar 2026" in page  # m4, from 10 March
    assert page.count("assessment of 10 Mar 2026: level 3") == 2  # on c1 and c2
    # m3 was an expert from 5 September to her withdrawal on 15 December
    page, n = listed(f"{experts}&on=2025-11-30&below=0")
    assert n == 1 and page.count("assessment of 5 Sept 2025: level 4") == 2
    assert listed(f"{experts}&on=2025-12-31&below=0")[1] == 0
    # the pipeline on 31 March: m1 one below (c2 at 2), m2 two below (c1 at 1, c2 at 0)
    assert listed(f"{experts}&on=2026-03-31&below=1")[1] == 1
    page, n = listed(f"{experts}&on=2026-03-31&below=2")
    assert n == 1 and "the baseline of an approved plan" in page and "no assessment" in page
    assert listed(f"{experts}&on=2026-03-31")[1] == 3
    assert listed(f"{experts}&on=2026-03-31&gender=female")[1] == 1
    assert client.get(f"{experts}&below=4").status_code == 422
    assert client.get(f"{experts}&on=31-03-2026").status_code == 422


def test_the_plan_item_list_sorts_items_as_section_3(app, client, built):  # noqa: F811
    world = f.world(app)
    login(client, world.secretariat)
    items = f"/reports/plan-items?sector_id={built['sector_id']}&{Q3}&on=2026-03-31"

    def total(path):
        return int(re.search(r'data-total="(\d+)"', client.get(path).text).group(1))

    # p1: c1 (achieved: m1 at 3), c2 (on track to 30 June); p2: c1 overdue since 1 March
    assert total(items) == 3
    assert [total(f"{items}&state={s}") for s in ("achieved", "on_track", "overdue")] == [1, 1, 1]
    assert total(f"{items}&state=below") == 2
    assert total(f"{items}&competency_id={built['c1']}") == 2
    overdue = client.get(f"{items}&state=overdue").text
    assert "1 / 3" in overdue and "(30 days)" in overdue
    assert client.get(f"{items}&state=late").status_code == 422


def test_a_coordinator_opens_only_their_sectors_records(app, client, built):  # noqa: F811
    """Coordinator A's report links to sector A's records only; sector B's (or the built
    sector's) lists behind a figure are a 404, or hold nothing of theirs."""
    world = f.world(app)
    login(client, world.a.coordinator)
    page = client.get(f"/reports/sectors/{world.a.sector_id}?{QUERY}").get_data(as_text=True)
    found = figures(page)
    assert found
    for _measure, address, _shown in found:
        assert f"sector_id={world.a.sector_id}" in address
        assert f"sector_id={world.b.sector_id}" not in address
    overview = figures(client.get(f"/reports?{QUERY}").get_data(as_text=True))
    assert all(f"sector_id={world.b.sector_id}" not in a for _m, a, _s in overview)
    for other in (world.b.sector_id, built["sector_id"]):
        assert client.get(f"/reports/experts?sector_id={other}").status_code == 404
        assert client.get(f"/reports/plan-items?sector_id={other}").status_code == 404
        assert (
            client.get(
                f"/reports/experts?sector_id={world.a.sector_id}&sector_id={other}"
            ).status_code
            == 404
        )
    theirs = client.get(f"/logs?sector_id={built['sector_id']}&{Q3}&counted=1").text
    assert 'data-total="0"' in theirs


def test_a_development_partner_reads_plain_figures(app, client, built):  # noqa: F811
    """A partner reads the report of a sector it funds, and no figure opens a list of
    people or logs (may_open: those lists are the staff's)."""
    with app.app_context():
        from scbi.coaches.models import Coach

        coach = db.session.scalar(db.select(Coach).where(Coach.sector_id == built["sector_id"]))
        partner = f.partner_account(coach.id)
    login(client, partner)
    page = client.get(f"/reports/sectors/{built['sector_id']}?{QUERY}")
    assert page.status_code == 200
    assert 'class="figure-link"' not in page.get_data(as_text=True)


def test_a_figure_s_address_comes_from_its_definition(app):
    report = {
        "sector": {"id": 7},
        "period": {"start": "2026-01-01", "end": "2026-03-31", "as_of": "2026-03-20"},
        "previous": {"period": {"start": "2025-10-01", "end": "2025-12-31", "as_of": "2025-12-31"}},
    }
    world = f.world(app)
    with app.test_request_context():
        from flask_login import login_user

        from scbi.auth.models import User

        login_user(db.session.get(User, world.secretariat.id))
        links = FigureLinks.of_report(report)
        assert links.url("logs_submitted") == (
            "/logs?sector_id=7&dated_by=submitted&from=2026-01-01&to=2026-03-31"
        )
        # a month of the period: only its days in the period
        assert links.url("coaching_hours", month="2026-03", mentee_role="led") == (
            "/logs?sector_id=7&counted=1&from=2026-03-01&to=2026-03-31&mentee_role=led"
        )
        assert links.url("experts", previous=True) == (
            "/reports/experts?sector_id=7&on=2025-12-31&below=0"
        )
        assert links.url("median_days_to_acknowledge") is None  # a median opens nothing
        assert str(links.link("—", "experts", previous=True)) == "—"
        assert str(NO_LINKS.link(3, "experts")) == "3"
        linked = str(links.link("4.5", "coaching_hours", sector=9))
        assert linked.startswith('<a class="figure-link" data-measure="hours"')
        assert "sector_id=9&amp;counted=1" in unescape(linked).replace("&", "&amp;")


@pytest.mark.parametrize(
    "path",
    [
        "/reports/experts?on=2026-03-31",
        "/reports/experts?on=2026-03-31&below=0&gender=undisclosed",
        f"/reports/plan-items?{Q3}",
        f"/reports/plan-items?{Q3}&state=overdue",
        f"/logs?{Q3}&counted=1&gender=female&activity_type=shadowing",
        f"/logs?{Q3}&dated_by=disputed",
        "/mentees?status=all&active_from=2026-01-01&active_to=2026-03-31&gender=female",
    ],
)
def test_the_lists_behind_figures_cost_the_same_at_any_size(app, client, built, path):  # noqa: F811
    world = f.world(app)
    login(client, world.secretariat)

    def statements():
        with QueryCounter(app) as counter:
            assert client.get(path).status_code == 200
        return counter.count

    small = statements()
    _grow(app, built)
    assert statements() == small
    assert small <= 15, small


def _grow(app, built) -> None:  # noqa: F811
    """More of everything the lists read: mentees (experts among them), plans and logs."""
    from datetime import date

    from scbi.mentees.models import Mentee
    from scbi.programme.models import Competency
    from tests.reports.test_sector_report import approve, item, log, validated

    with app.app_context():
        sector = built["sector_id"]
        c1, c2 = db.session.get(Competency, built["c1"]), db.session.get(Competency, built["c2"])
        phase = f.phase()
        for n in range(4):
            coach = f.coach(sector, built["i1"])
            mentee = f.mentee(sector, built["i1"], gender="female")
            pairing = f.pairing(coach, db.session.get(Mentee, mentee.id), phase)
            approve(pairing, [item(c1, date(2026, 2, 1)), item(c2, date(2026, 6, 30))])
            validated(mentee.id, c1.id, 3, date(2026, 1, 5 + n))
            validated(mentee.id, c2.id, 3, date(2026, 1, 5 + n))
            for day in (3, 4, 5):
                log(pairing, date(2026, 2, day), "shadowing", 60, "led", "acknowledged",
                    [("submitted", f"2026-02-0{day}T10:00"), ("disputed", f"2026-02-0{day}T11:00"),
                     ("acknowledged", f"2026-02-0{day}T12:00")])  # fmt: skip
        db.session.commit()


def test_the_filters_stay_in_the_pages_links(app, client, built):  # noqa: F811
    world = f.world(app)
    login(client, world.secretariat)
    sector, other = built["sector_id"], world.a.sector_id
    page = client.get(
        f"/logs?sector_id={sector}&sector_id={other}&counted=1&{Q3}&per_page=1"
    ).get_data(as_text=True)
    after = unescape(re.search(r'href="([^"]+)" rel="next"', page).group(1))
    for kept in (f"sector_id={sector}", f"sector_id={other}", "counted=1", Q3, "per_page=1"):
        assert kept in after, kept
    assert len(TITLE.findall(client.get(after).get_data(as_text=True))) == 1
    # the filter forms keep both sectors: the sector select takes several choices
    for path in ("/logs", "/mentees", "/coaches", "/pairings"):
        page = client.get(f"{path}?sector_id={sector}&sector_id={other}").get_data(as_text=True)
        select = re.search(r'<select[^>]* name="sector_id"[^>]*>(.*?)</select>', page, re.S)
        assert select and "multiple" in select.group(0), path
        chosen = re.findall(r'<option value="(\d+)" selected>', select.group(1))
        assert sorted(chosen) == sorted([str(sector), str(other)]), path
        one = client.get(f"{path}?sector_id={sector}").get_data(as_text=True)
        assert not re.search(r'<select[^>]* name="sector_id"[^>]*multiple', one), path


def test_the_pdf_and_a_publication_print_plain_figures(app, client, built):  # noqa: F811
    """No link in the PDF (no relative address to break) nor on a publication, whose
    figures are frozen while the lists are live."""
    from scbi.reports import exports

    world = f.world(app)
    with app.app_context():
        publication = f.publication(built["sector_id"], fy=2025, quarter=3)
        db.session.commit()
        ident = publication.id
    with app.test_request_context():
        from flask_login import login_user

        from scbi.auth.models import User
        from scbi.programme.models import Sector
        from scbi.reports import metrics, periods

        login_user(db.session.get(User, world.secretariat.id))
        report = metrics.sector_report(
            db.session.get(Sector, built["sector_id"]), periods.fiscal_quarter(2025, 3)
        )
        assert "figure-link" not in exports.sector_html(report)
    login(client, world.secretariat)
    page = client.get(f"/reports/published/{ident}").get_data(as_text=True)
    assert "Published report" in page and "figure-link" not in page


def test_a_date_outside_the_calendar_is_named_not_a_missing_page(app, client):
    """/logs?from=0001-01-01&dated_by=acknowledged overflowed into a 404 "Not found"."""
    world = f.world(app)
    login(client, world.secretariat)
    for query in ("from=0001-01-01&dated_by=acknowledged", "to=9999-12-31&dated_by=submitted"):
        answer = client.get(f"/logs?{query}")
        assert answer.status_code == 422, query
        assert "outside the programme" in answer.get_data(as_text=True)
