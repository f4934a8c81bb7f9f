"""Peer exchanges and short engagements in the reports (issue 19 item 4; docs/reports.md
"Peer exchanges and short engagements"), on a hand-built programme, every number worked
out by hand.

The period is FY 2024 Q4: 1 April – 30 June 2025, read on 30 June 2025. The world of
tests/factories.py has sectors A and B, each with an institution, a coach and a mentee
(female). M2 is a male mentee of sector B.

Exchanges:
- X1, a study visit of sector A, 10–12 April, hosted abroad (Uganda): mentee A, coach A,
  Wanjiru (Kenya, female) and Juma (Tanzania, no gender given). Actions: done 20 May (due
  1 May), open and overdue (due 15 June), open and not yet due (due 31 July).
- X2, a peer review of sectors A and B, 29 June – 2 July, at institution A: M2 and Ana
  (Rwanda, male).
- X3, an exchange workshop of sector A on 1 March (before the period): its action, due
  20 March, was done on 5 July — open and overdue on 30 June.
- X4, a community-of-practice meeting of sector A on 10 July (after): not counted, nor
  its action.
- X5, a study visit of sector B on 5 May, at institution B: mentee B.

Engagements of sector A: E1 received 1 March, started 3 March, closed 18 April with one
objective achieved, one partly, one not, a longer pairing recommended; E2 received 2 April,
declined 5 May; E3 received 2 May, withdrawn 10 July (after the period); E4 received 3
April, started 7 April. Of sector B: E5 received 10 April.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, time
from html import unescape
from io import BytesIO
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from scbi.auth.models import User
from scbi.engagements import services as engagement_services
from scbi.engagements.models import Engagement
from scbi.engagements.services import close_out, running
from scbi.exchanges import services as exchange_services
from scbi.exchanges.models import Exchange
from scbi.exchanges.services import actions, participants
from scbi.extensions import db
from scbi.programme.models import Sector
from scbi.reports import exports, metrics, periods, publishing
from scbi.reports.models import PublishedReport
from tests import factories as f
from tests.engagements.helpers import active, requested
from tests.helpers import api_token, bearer, login, plain_figures, statement_counts
from tests.reports.test_figure_links import check_every_figure, figures
from tests.reports.test_report_outputs import pdf_text

QUERY = "fy=2024&quarter=4"
Q4 = (2024, 4)  # periods.fiscal_quarter(*Q4), inside an app context
GENDERS = ("female", "male", "other", "undisclosed", "not_recorded")


def people(**counts) -> dict:
    return {"total": sum(counts.values()), "by_gender": dict.fromkeys(GENDERS, 0) | counts}


def taking_part(mentee: dict, coach: dict, external: dict) -> dict:
    """The participants block: each kind's, and all of them by gender."""
    kinds = {"mentee": mentee, "coach": coach, "external": external}
    every = people()
    for row in kinds.values():
        every["total"] += row["total"]
        for gender, n in row["by_gender"].items():
            every["by_gender"][gender] += n
    return {**every, "by_kind": kinds}


def _exchange(by, kind, starts, ends, sector_ids, **host):
    return exchange_services.create_exchange(
        by=by,
        kind=kind,
        title=f"{kind} of {starts}",
        starts_on=starts,
        ends_on=ends,
        sector_ids=sector_ids,
        **host,
    )


def _guest(exchange, by, name, country, gender=None):
    participants.add_participant(
        exchange,
        by=by,
        kind="external",
        name=name,
        organisation="A regulator",
        country=country,
        gender=gender,
    )


def _action(exchange, by, due, done=None, recorded=None):
    """A follow-up action recorded on ``recorded`` (default: the exchange's last day)."""
    action = actions.add_action(
        exchange, by=by, description="Share the template", owner_name="Head of unit",
        due_on=due, done_on=done,
    )  # fmt: skip
    action.created_at = datetime.combine(recorded or exchange.ends_on, time(12), UTC)
    return action


def _started(side, received: date, start: date) -> Engagement:
    engagement = requested(side, received_on=received)
    engagement_services.set_team(
        engagement,
        by=f.admin(),
        version=engagement.version,
        members=[{"name": "Eric Habimana", "position": "Head of connections"}],
    )
    running.broker(
        engagement,
        by=f.admin(),
        version=engagement.version,
        coach_id=side.coach_id,
        start_date=start,
        weeks=6,
    )
    return running.start(engagement, by=f.admin(), version=engagement.version)


def _ended(engagement: Engagement, end, day: date) -> None:
    """Declined or withdrawn (today, by the service), then dated ``day``: these tests are
    about counting."""
    end(engagement, by=f.admin(), version=engagement.version, reason="Not now.")
    engagement.ended_on = day


@pytest.fixture
def programme(app):
    world = f.world(app)
    with app.app_context():
        by = f.admin()
        a, b = world.a, world.b
        m2 = f.mentee(b.sector_id, b.institution_id, gender="male")
        x1 = _exchange(
            by, "study_visit", date(2025, 4, 10), date(2025, 4, 12), [a.sector_id],
            host_organisation="Electricity Regulatory Authority", host_country="UG",
        )  # fmt: skip
        participants.add_participant(x1, by=by, kind="mentee", mentee_id=a.mentee_id)
        participants.add_participant(x1, by=by, kind="coach", coach_id=a.coach_id)
        _guest(x1, by, "Wanjiru Kamau", "KE", "female")
        _guest(x1, by, "Juma Mwinyi", "TZ")
        _action(x1, by, date(2025, 5, 1), done=date(2025, 5, 20))
        _action(x1, by, date(2025, 6, 15))
        _action(x1, by, date(2025, 7, 31))
        x2 = _exchange(
            by, "peer_review", date(2025, 6, 29), date(2025, 7, 2), [a.sector_id, b.sector_id],
            host_institution_id=a.institution_id,
        )  # fmt: skip
        participants.add_participant(x2, by=by, kind="mentee", mentee_id=m2.id)
        _guest(x2, by, "Ana Uwase", "RW", "male")
        x3 = _exchange(
            by, "exchange_workshop", date(2025, 3, 1), date(2025, 3, 1), [a.sector_id],
            host_institution_id=a.institution_id,
        )  # fmt: skip
        _action(x3, by, date(2025, 3, 20), done=date(2025, 7, 5))
        x4 = _exchange(
            by, "community_of_practice", date(2025, 7, 10), date(2025, 7, 10), [a.sector_id],
            host_institution_id=a.institution_id,
        )  # fmt: skip
        _action(x4, by, date(2025, 7, 20))
        x5 = _exchange(
            by, "study_visit", date(2025, 5, 5), date(2025, 5, 5), [b.sector_id],
            host_institution_id=b.institution_id,
        )  # fmt: skip
        participants.add_participant(x5, by=by, kind="mentee", mentee_id=b.mentee_id)

        e1 = active(a, objectives=["Map it", "Cut the waste", "Count the days"])
        close_out.close(
            e1,
            by=by,
            version=e1.version,
            closed_on=date(2025, 4, 18),
            outcomes=[
                {"objective_id": o.id, "outcome": word}
                for o, word in zip(e1.objectives, ("achieved", "partly", "not"), strict=True)
            ],
            team_can_now="Map a process without help.",
            longer_pairing=True,
            longer_pairing_note="A year on the connection system, for the head of unit.",
        )
        _ended(requested(a, received_on=date(2025, 4, 2)), engagement_services.decline,
               date(2025, 5, 5))  # fmt: skip
        _ended(requested(a, received_on=date(2025, 5, 2)), engagement_services.withdraw,
               date(2025, 7, 10))  # fmt: skip
        _started(a, date(2025, 4, 3), date(2025, 4, 7))
        requested(b, received_on=date(2025, 4, 10))
        db.session.commit()
        return SimpleNamespace(world=world, x1=x1.id, m2=m2.id)


SECTOR_A = {
    "exchanges": {
        "held": 2,
        "by_kind": {
            "study_visit": 1,
            "peer_review": 1,
            "exchange_workshop": 0,
            "community_of_practice": 0,
        },
    },
    "participants": taking_part(
        mentee=people(female=1, male=1),
        coach=people(not_recorded=1),
        external=people(female=1, male=1, not_recorded=1),
    ),
    "countries": {"involved": 4, "by_country": {"KE": 1, "RW": 1, "TZ": 1, "UG": 1}},
    "follow_up_actions": {"open": 3, "overdue": 2},
    "engagements": {
        "opened": 3,
        "started": 1,
        "closed": 1,
        "declined": 1,
        "withdrawn": 0,
        "outcomes": {"achieved": 1, "partly": 1, "not": 1},
        "longer_pairings": 1,
    },
}
SECTOR_B = {
    "exchanges": {
        "held": 2,
        "by_kind": {
            "study_visit": 1,
            "peer_review": 1,
            "exchange_workshop": 0,
            "community_of_practice": 0,
        },
    },
    "participants": taking_part(
        mentee=people(female=1, male=1), coach=people(), external=people(male=1)
    ),
    "countries": {"involved": 1, "by_country": {"RW": 1}},
    "follow_up_actions": {"open": 0, "overdue": 0},
    "engagements": {
        "opened": 1,
        "started": 0,
        "closed": 0,
        "declined": 0,
        "withdrawn": 0,
        "outcomes": {"achieved": 0, "partly": 0, "not": 0},
        "longer_pairings": 0,
    },
}
# both sectors: X2 (theirs both) once, with its participants, country and actions
PROGRAMME = {
    "exchanges": {
        "held": 3,
        "by_kind": {
            "study_visit": 2,
            "peer_review": 1,
            "exchange_workshop": 0,
            "community_of_practice": 0,
        },
    },
    "participants": taking_part(
        mentee=people(female=2, male=1),
        coach=people(not_recorded=1),
        external=people(female=1, male=1, not_recorded=1),
    ),
    "countries": {"involved": 4, "by_country": {"KE": 1, "RW": 1, "TZ": 1, "UG": 1}},
    "follow_up_actions": {"open": 3, "overdue": 2},
    "engagements": {
        "opened": 4,
        "started": 1,
        "closed": 1,
        "declined": 1,
        "withdrawn": 0,
        "outcomes": {"achieved": 1, "partly": 1, "not": 1},
        "longer_pairings": 1,
    },
}


def test_the_reports_count_exchanges_participants_countries_actions_and_engagements(app, programme):
    world = programme.world
    with app.test_request_context():
        a, b = (db.session.get(Sector, s.sector_id) for s in (world.a, world.b))
        assert metrics.sector_report(a, periods.fiscal_quarter(*Q4))["peer_learning"] == SECTOR_A
        assert metrics.sector_report(b, periods.fiscal_quarter(*Q4))["peer_learning"] == SECTOR_B
        overview = metrics.programme_overview(
            [a, b], periods.fiscal_quarter(*Q4), with_cascade=False
        )
        block = overview["peer_learning"]
        assert {k: v for k, v in block.items() if k != "by_sector"} == PROGRAMME
        rows = {row.pop("code"): row for row in block["by_sector"]}
        assert {k: v for k, v in rows[a.code].items() if k not in ("sector_id", "name")} == (
            SECTOR_A
        )
        # a period that ends on 31 May: X2 not yet held, E3's request counted, the actions
        # as they stood then (X1's first not yet done, X3's open and overdue)
        may = metrics.sector_report(a, periods.date_range(date(2025, 4, 1), date(2025, 5, 31)))
        figures_may = may["peer_learning"]
        assert figures_may["exchanges"]["held"] == 1
        assert figures_may["participants"]["total"] == 4
        assert figures_may["countries"] == {
            "involved": 3,
            "by_country": {"KE": 1, "TZ": 1, "UG": 1},
        }
        # on 31 May: X1's first (due 1 May, done 20 May) is done; its second (due 15
        # June) and third, and X3's (due 20 March), are open; one of them overdue
        assert figures_may["follow_up_actions"] == {"open": 3, "overdue": 1}
        assert figures_may["engagements"]["opened"] == 3
        # an action recorded in June leaves 31 May's count as it was (a published report
        # of May stays true), and counts from the day it was recorded
        x1 = db.session.get(Exchange, programme.x1)
        _action(x1, f.admin(), date(2025, 5, 25), recorded=date(2025, 6, 2))
        may = metrics.sector_report(a, periods.date_range(date(2025, 4, 1), date(2025, 5, 31)))
        assert may["peer_learning"]["follow_up_actions"] == {"open": 3, "overdue": 1}
        june = metrics.sector_report(a, periods.date_range(date(2025, 4, 1), date(2025, 6, 2)))
        assert june["peer_learning"]["follow_up_actions"]["open"] == 4


def _secretariat(client, world):
    login(client, world.secretariat)


def _opened(client, page: str, path: str) -> list[tuple[str, str, float]]:
    return [
        (measure, address, float(shown))
        for measure, address, shown in figures(page)
        if urlsplit(address).path == path
    ]


def test_every_figure_opens_the_exchanges_and_engagements_it_counts(app, client, programme):
    """The section's links, on the sector report and the overview: each list's total, or
    its sum, is the figure (tests/reports/test_figure_links.py's check)."""
    world = programme.world
    _secretariat(client, world)
    sector_page = f"/reports/sectors/{world.a.sector_id}?{QUERY}"
    addresses = check_every_figure(client, [sector_page, f"/reports?{QUERY}"])
    assert {urlsplit(a).path for a in addresses} >= {"/exchanges", "/engagements"}
    page = client.get(sector_page).get_data(as_text=True)
    exchanges = _opened(client, page, "/exchanges")
    # the headline figures of the section open the lists with the period's filters
    narrower = ("kind=", "participant=", "gender=", "country=")
    lead = {
        measure: (parse_qs(urlsplit(address).query), number)
        for measure, address, number in exchanges
        if not any(name in address for name in narrower)
    }
    held, number = lead["count"]
    assert number == 2 and held["from"] == ["2025-04-01"] and held["to"] == ["2025-06-30"]
    assert lead["participants"][1] == 6 and lead["countries"][1] == 4
    opened, number = lead["actions"]
    assert number == 3 and opened["on"] == ["2025-06-30"] and opened["actions"] == ["open"]
    assert lead["overdue"][1] == 2
    engagements = _opened(client, page, "/engagements")
    objectives = {
        parse_qs(urlsplit(address).query)["outcome"][0]: number
        for measure, address, number in engagements
        if measure == "objectives"
    }
    assert objectives == {"achieved": 1, "partly": 1, "not": 1}


def test_the_exchange_list_sums_and_names_the_figure_filters(app, client, programme):
    world = programme.world
    _secretariat(client, world)
    sector = world.a.sector_id
    base = f"/exchanges?sector_id={sector}&from=2025-04-01&to=2025-06-30"
    page = client.get(f"{base}&participant=external&gender=not_recorded").get_data(as_text=True)
    assert 'data-total="1"' in page and 'data-participants="1"' in page  # Juma, of X1
    assert "Participants: External participant" in page
    assert "Participant’s gender: not recorded" in page
    page = client.get(f"{base}&country=KE").get_data(as_text=True)
    assert 'data-total="1"' in page and "Involving Kenya" in page
    assert 'data-countries="3"' in page  # X1's: Uganda, Kenya, Tanzania
    # the actions as they stood on 31 May: X1's first not done then
    page = client.get(f"/exchanges?sector_id={sector}&to=2025-05-31&on=2025-05-31&actions=open")
    text = page.get_data(as_text=True)
    assert 'data-total="2"' in text and 'data-actions="3"' in text and 'data-overdue="1"' in text
    assert "Follow-up actions as they stood on 31 May 2025" in text
    # the form keeps the filters it has no field for
    assert '<input type="hidden" name="on" value="2025-05-31">' in text


def test_the_engagement_list_opens_with_the_report_s_filters(app, client, programme):
    world = programme.world
    _secretariat(client, world)
    sector = world.a.sector_id
    period = "from=2025-04-01&to=2025-06-30"
    cases = {
        f"status=all&dated_by=received&{period}": 3,
        f"status=all&dated_by=started&{period}": 1,
        f"status=closed&dated_by=ended&{period}": 1,
        f"status=declined&dated_by=ended&{period}": 1,
        f"status=withdrawn&dated_by=ended&{period}": 0,
        f"status=closed&dated_by=ended&{period}&longer_pairing=1": 1,
        "status=all&dated_by=received&from=2025-03-01&to=2025-03-31": 1,  # E1
    }
    for query, total in cases.items():
        page = client.get(f"/engagements?sector_id={sector}&{query}").get_data(as_text=True)
        assert f'data-total="{total}"' in page, query
    both = f"sector_id={world.a.sector_id}&sector_id={world.b.sector_id}"
    page = client.get(f"/engagements?{both}&status=all&dated_by=received&{period}")
    assert 'data-total="4"' in page.get_data(as_text=True)
    assert "Sectors: " in page.get_data(as_text=True)
    page = client.get(f"/engagements?sector_id={sector}&status=closed&outcome=not").get_data(
        as_text=True
    )
    assert 'data-total="1"' in page and 'data-objectives="1"' in page
    assert "With an objective: Not achieved" in page
    # the API reads the same filters
    headers = bearer(api_token(client, world.secretariat))
    listed = client.get(
        f"/api/v1/engagements?sector_id={sector}&status=all&dated_by=started&{period}",
        headers=headers,
    ).json
    assert listed["total"] == 1
    listed = client.get(
        f"/api/v1/exchanges?sector_id={sector}&participant=coach&from=2025-04-01",
        headers=headers,
    ).json
    assert [e["kind"] for e in listed["items"]] == ["study_visit"]


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/exchanges?participant=guest", "participant"),
        ("/exchanges?gender=unknown", "gender"),
        ("/exchanges?country=XX", "country"),
        ("/exchanges?on=2025-02-30", "on"),
        ("/engagements?dated_by=closed", "dated_by"),
        ("/engagements?from=yesterday", "from"),
        ("/engagements?outcome=done", "outcome"),
        ("/engagements?longer_pairing=yes", "longer_pairing"),
    ],
)
def test_a_bad_figure_filter_is_refused_by_name(app, client, path, field):
    world = f.world(app)
    login(client, world.secretariat)
    page = client.get(path)
    assert page.status_code == 422
    api = client.get(f"/api/v1{path}", headers=bearer(api_token(client, world.secretariat)))
    assert api.status_code == 422 and field in api.json["error"]["fields"]


def test_a_coordinator_opens_only_their_sectors_exchanges(app, client, programme):
    """Coordinator B opens sector A's list of exchanges: only X2, which concerns B too."""
    world = programme.world
    login(client, world.b.coordinator)
    page = client.get(
        f"/exchanges?sector_id={world.a.sector_id}&from=2025-04-01&to=2025-06-30"
    ).get_data(as_text=True)
    assert 'data-total="1"' in page and 'data-participants="2"' in page
    page = client.get(f"/engagements?sector_id={world.a.sector_id}&status=all")
    assert 'data-total="0"' in page.get_data(as_text=True)


def test_the_page_pdf_workbook_and_api_show_the_section(app, client, programme):
    world = programme.world
    headers = bearer(api_token(client, world.secretariat))
    sector = world.a.sector_id
    api = client.get(f"/api/v1/reports/sectors/{sector}?{QUERY}", headers=headers).json
    assert api["peer_learning"] == SECTOR_A
    overview = client.get(f"/api/v1/reports/programme?{QUERY}", headers=headers).json
    assert overview["peer_learning"]["exchanges"]["held"] >= 3
    book = load_workbook(
        BytesIO(
            client.get(
                f"/api/v1/reports/sectors/{sector}?{QUERY}&format=xlsx", headers=headers
            ).data
        )
    )
    rows = dict(book["Peer exchanges, engagements"].iter_rows(min_row=2, values_only=True))
    assert rows["Exchanges held"] == 2 and rows["Countries involved"] == 4
    assert rows["Follow-up actions overdue on the as-of date"] == 2
    assert rows["Objectives not achieved"] == 1
    people_sheet = list(book["Exchange participants"].iter_rows(values_only=True))
    assert people_sheet[0][-2:] == ("not recorded", "all")
    assert people_sheet[-1] == ("All", 2, 2, 0, 0, 2, 6)
    assert ("Uganda", "UG", 1) in list(book["Exchange countries"].iter_rows(values_only=True))
    login(client, world.secretariat)
    page = plain_figures(client.get(f"/reports/sectors/{sector}?{QUERY}").get_data(as_text=True))
    with app.test_request_context():
        printed = pdf_text(exports.sector_html(api))
    for text in (page, printed):
        flat = re.sub(r"\s+", " ", unescape(text))
        assert "Peer exchanges and short engagements" in flat
        assert "Tanzania" in flat and "Uganda" in flat
        assert "follow-up actions open on 30 Jun 2025, 2 overdue" in flat


def test_the_section_adds_no_statement(app, client, programme):
    """The sector report, the overview and the exchange list send as many statements with
    three more exchanges (each with people and actions) and engagements as before."""
    world = programme.world
    _secretariat(client, world)
    paths = [
        f"/reports/sectors/{world.a.sector_id}?{QUERY}",
        f"/reports?{QUERY}",
        f"/exchanges?sector_id={world.a.sector_id}&from=2025-04-01&to=2025-06-30",
        f"/engagements?sector_id={world.a.sector_id}&status=closed&outcome=achieved",
    ]

    def counts():
        return statement_counts(app, client, paths)

    counts()
    before = counts()
    with app.app_context():
        by = f.admin()
        for day in (3, 4, 5):
            made = _exchange(
                by, "exchange_workshop", date(2025, 5, day), date(2025, 5, day),
                [world.a.sector_id], host_organisation="A ministry", host_country="BI",
            )  # fmt: skip
            _guest(made, by, f"Guest {day}", "CD", "female")
            _action(made, by, date(2025, 6, 1))
            _started(world.a, date(2025, 4, day), date(2025, 4, day + 4))
        db.session.commit()
    assert counts() == before
    assert max(before) <= 15, before


def test_a_publication_from_before_the_section_renders_and_shows_no_change(app, client, programme):
    world = programme.world
    headers = bearer(api_token(client, world.secretariat))
    with app.test_request_context():
        report = publishing.publish(
            by=f.admin(),
            sector_id=world.a.sector_id,
            period=periods.fiscal_quarter(*Q4),
            went_well="Two exchanges.",
            went_badly="One objective not achieved.",
            next_steps="A pairing for the head of unit.",
        )
        figures_now = report.figures
        db.session.rollback()
        del figures_now["peer_learning"]
        older = PublishedReport(
            sector_id=world.a.sector_id,
            fiscal_year=2024,
            quarter=4,
            period_start=report.period_start,
            period_end=report.period_end,
            number=1,
            figures_json=json.dumps(figures_now),
            published_by_id=db.session.get(User, world.secretariat.id).id,
            went_well="Two exchanges.",
            went_badly="One objective not achieved.",
            next_steps="A pairing for the head of unit.",
        )
        db.session.add(older)
        db.session.commit()
        report_id = older.id
    read = client.get(f"/api/v1/reports/published/{report_id}", headers=headers).json
    assert read["changed_since_publication"] is False and read["differences"] == []
    assert "peer_learning" not in read["figures"]
    for kind in ("pdf", "xlsx"):
        answer = client.get(f"/api/v1/reports/published/{report_id}?format={kind}", headers=headers)
        assert answer.status_code == 200, kind
    book = load_workbook(
        BytesIO(
            client.get(f"/api/v1/reports/published/{report_id}?format=xlsx", headers=headers).data
        )
    )
    assert "Exchange participants" not in book.sheetnames
    login(client, world.secretariat)
    page = client.get(f"/reports/published/{report_id}")
    assert page.status_code == 200 and 'id="peer-learning"' not in page.text


def test_a_publication_with_the_section_names_what_changed(app, client, programme):
    """Published with the section; a participant from Burundi added to X1 afterwards is a
    change, named in words (a country a side lacks is counted in ``involved``)."""
    world = programme.world
    headers = bearer(api_token(client, world.secretariat))
    with app.test_request_context():
        published = publishing.publish(
            by=f.admin(),
            sector_id=world.a.sector_id,
            period=periods.fiscal_quarter(*Q4),
            went_well="Two exchanges.",
            went_badly="One objective not achieved.",
            next_steps="A pairing for the head of unit.",
        )
        db.session.commit()
        report_id = published.id
    read = client.get(f"/api/v1/reports/published/{report_id}", headers=headers).json
    assert read["figures"]["peer_learning"] == SECTOR_A and read["differences"] == []
    with app.test_request_context():
        from scbi.exchanges.models import Exchange

        x1 = db.session.scalar(select(Exchange).where(Exchange.id == programme.x1))
        _guest(x1, f.admin(), "Ndayizeye Jean", "BI", "male")
        db.session.commit()
    read = client.get(f"/api/v1/reports/published/{report_id}", headers=headers).json
    changed = {d["path"]: (d["label"], d["published"], d["now"]) for d in read["differences"]}
    assert changed["peer_learning.participants.by_kind.external.by_gender.male"] == (
        "Peer exchanges and short engagements › Participants: External participant, male",
        1,
        2,
    )
    assert changed["peer_learning.countries.involved"] == (
        "Peer exchanges and short engagements › Countries involved",
        4,
        5,
    )
    assert changed["peer_learning.participants.total"][1:] == (6, 7)
    assert "peer_learning.exchanges.held" not in changed


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("peer_learning.exchanges.by_kind.peer_review", "Exchanges held: Peer review"),
        (
            "peer_learning.participants.by_kind.coach.by_gender.not_recorded",
            "Participants: Coach, not recorded",
        ),
        ("peer_learning.participants.by_kind.coach.total", "Participants: Coach"),
        ("peer_learning.participants.by_gender.male", "Participants, male"),
        ("peer_learning.participants.total", "Participants"),
        ("peer_learning.countries.by_country.KE", "Exchanges involving Kenya"),
        ("peer_learning.follow_up_actions.overdue", "Follow-up actions overdue on the as-of date"),
        ("peer_learning.engagements.opened", "Engagement requests received"),
        ("peer_learning.engagements.outcomes.partly", "Objectives partly achieved"),
    ],
)
def test_each_figure_of_the_section_has_a_name_people_read(app, path, expected):
    from scbi.reports.differences import label

    with app.test_request_context():
        assert label(path) == f"Peer exchanges and short engagements › {expected}"
