"""Retention after the programme in the sector report and the programme overview, on a
hand-built programme, every figure worked out by hand (docs/retention.md).

The period is 1 July 2025 – 30 June 2026, figures as of 30 June 2026. Sector S has
institutions IA and IB; sector T has IT. The mentees, their exit date (the later of the
last pairing's end with none open, and the graduation) and the follow-ups due by 30 June
2026 (the exit date plus 6, 12 or 24 months):

    m1  female       IA  graduated 28 Feb 2025      6 due 28 Aug 2025, 12 due 28 Feb 2026
    m2  male         IB  pairing ended 15 Mar 2025  6 due 15 Sep 2025, 12 due 15 Mar 2026
                         (status still active)
    m3  undisclosed  IA  graduated 30 Jun 2025      6 due 30 Dec 2025, 12 due 30 Jun 2026
    m4  other        IB  graduated 30 Nov 2025      6 due 30 May 2026 (12: 30 Nov 2026)
    m5  female       IA  graduated 31 Mar 2026      nothing due (6: 30 Sep 2026)
    m6  female       IB  in a pairing               not left
    m7  male         IA  first pairing ended 20 Feb 2025, a second one still open: not left
    m8  male         IT  graduated 30 Apr 2025      6 due 30 Oct 2025, 12 due 30 Apr 2026

Answers (date, still in public service, coaching or mentoring others):

    m1  6: 1 Sep 2025 yes, no;   12: 5 Mar 2026 yes, yes
    m2  6: 20 Sep 2025 no, no
    m3  6: 5 Jan 2026 yes, yes;  12: 2 Jul 2026 (after 30 June: not counted)
    m4  12: 1 Dec 2026 (not due by 30 June 2026: not counted)
    m5  6: 1 Oct 2026 (not due: not counted)
    m8  6: 2 Nov 2025 yes, no

Sector S, 6 months: due 4 (m1–m4), followed up 3 (m1–m3), retained 2 (m1, m3): 2/3 =
66.67 %; coaching others 1 (m3). 12 months: due 3 (m1–m3), followed up 1 (m1), retained
1: 100 %; coaching 1 (m1). 24 months: nothing due, no rate. The cascade (latest answer
counted says coaching): m1 (12 months) and m3 (6 months) = 2.
"""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

from scbi.extensions import db
from scbi.programme.models import Sector
from scbi.reports import differences, exports, metrics, periods
from tests import factories as f
from tests.helpers import PASSWORD, api_token, bearer, login, statement_counts
from tests.reports.test_report_outputs import pdf_text
from tests.retention.helpers import answer, end_pairings, graduate

QUERY = "from=2025-07-01&to=2026-06-30"
ADMIN = SimpleNamespace(email="factory-admin@example.org", password=PASSWORD)  # f.admin()
GENDERS = ["female", "male", "other", "undisclosed"]


def figures(due, followed, retained, rate, cascade) -> dict:
    return {
        "due": due,
        "followed_up": followed,
        "retained": retained,
        "rate": rate,
        "cascade": cascade,
    }


NONE = figures(0, 0, 0, None, 0)


def group(six, twelve, cascade, twentyfour=NONE) -> dict:
    return {"6": six, "12": twelve, "24": twentyfour, "cascade": cascade}


SECTOR = group(figures(4, 3, 2, 0.6667, 1), figures(3, 1, 1, 1.0, 1), 2)
BY_GENDER = {
    "female": group(figures(1, 1, 1, 1.0, 0), figures(1, 1, 1, 1.0, 1), 1),  # m1 (m5: none)
    "male": group(figures(1, 1, 0, 0.0, 0), figures(1, 0, 0, None, 0), 0),  # m2
    "other": group(figures(1, 0, 0, None, 0), NONE, 0),  # m4
    "undisclosed": group(figures(1, 1, 1, 1.0, 1), figures(1, 0, 0, None, 0), 1),  # m3
}
BY_INSTITUTION = {
    "IA": group(figures(2, 2, 2, 1.0, 1), figures(2, 1, 1, 1.0, 1), 2),  # m1, m3 (m5)
    "IB": group(figures(2, 1, 0, 0.0, 0), figures(1, 0, 0, None, 0), 0),  # m2, m4
}
# the programme: sector S and T's m8 (6: followed up and retained; 12: due, not answered)
SECTOR_T = group(figures(1, 1, 1, 1.0, 0), figures(1, 0, 0, None, 0), 0)
PROGRAMME = group(figures(5, 4, 3, 0.75, 1), figures(4, 1, 1, 1.0, 1), 2)


@pytest.fixture
def built(app):
    with app.app_context():
        s = f.sector(code="SRET")
        t = f.sector(code="TRET")
        ia = f.institution(s.id, acronym="IA")
        ib = f.institution(s.id, acronym="IB")
        it = f.institution(t.id, acronym="IT")
        phase = f.phase()
        k = f.coach(s.id, ia.id, max_mentees=10)
        k2 = f.coach(s.id, ib.id)
        kt = f.coach(t.id, it.id)

        def mentee(institution, gender, coach=k, sector=s):
            m = f.mentee(sector.id, institution.id, gender=gender)
            f.pairing(coach, m, phase)
            return m

        m1 = mentee(ia, "female")
        m2 = mentee(ib, "male")
        m3 = mentee(ia, "undisclosed")
        m4 = mentee(ib, "other")
        m5 = mentee(ia, "female")
        mentee(ib, "female")  # m6: in a pairing
        m7 = mentee(ia, "male")
        m8 = mentee(it, "male", kt, t)
        graduate(m1, date(2025, 2, 28))
        end_pairings(m2, date(2025, 3, 15))
        graduate(m3, date(2025, 6, 30))
        graduate(m4, date(2025, 11, 30))
        graduate(m5, date(2026, 3, 31))
        end_pairings(m7, date(2025, 2, 20), "terminated")
        f.pairing(k2, m7, phase, start_date=date(2025, 3, 1))
        graduate(m8, date(2025, 4, 30))
        answer(m1, 6, date(2025, 9, 1))
        answer(m1, 12, date(2026, 3, 5), coaching=True)
        answer(m2, 6, date(2025, 9, 20), retained=False)
        answer(m3, 6, date(2026, 1, 5), coaching=True)
        answer(m3, 12, date(2026, 7, 2), coaching=True)
        answer(m4, 12, date(2026, 12, 1))
        answer(m5, 6, date(2026, 10, 1))
        answer(m8, 6, date(2025, 11, 2))
        db.session.commit()
        return {"s": s.id, "t": t.id, "ia": ia.id, "ib": ib.id}


def sector_report(app, sector_id, query=QUERY) -> dict:
    with app.test_request_context(f"/?{query}"):
        from flask import request

        period = periods.parse(request.args)
        return metrics.sector_report(db.session.get(Sector, sector_id), period)


def by_acronym(block: dict) -> dict:
    return {
        g["acronym"]: {k: v for k, v in g.items() if k not in ("acronym", "name")}
        for g in block["by_institution"].values()
    }


def test_retention_worked_out_by_hand(app, built):
    block = sector_report(app, built["s"])["retention"]
    assert {k: block[k] for k in ("6", "12", "24", "cascade")} == SECTOR
    assert block["by_gender"] == BY_GENDER
    assert list(block["by_gender"]) == GENDERS  # each on its own, in the enum's order
    assert by_acronym(block) == BY_INSTITUTION


def test_the_breakdowns_add_up_to_the_totals(app, built):
    block = sector_report(app, built["s"])["retention"]
    for breakdown in (block["by_gender"].values(), block["by_institution"].values()):
        rows = list(breakdown)
        for months in ("6", "12", "24"):
            for key in ("due", "followed_up", "retained", "cascade"):
                assert sum(r[months][key] for r in rows) == block[months][key], (months, key)
        assert sum(r["cascade"] for r in rows) == block["cascade"]


def test_a_follow_up_not_yet_due_by_the_period_end_is_not_counted(app, built):
    """As of 31 December 2025: the 6-month follow-ups of m1, m2 and m3 are due (m4's falls
    in May 2026); m1's and m2's answers are in, m3's came on 5 January 2026; m1 retained.
    No 12-month follow-up is due yet (m1's falls on 28 February 2026)."""
    block = sector_report(app, built["s"], "from=2025-07-01&to=2025-12-31")["retention"]
    assert block["6"] == figures(3, 2, 1, 0.5, 0)
    assert block["12"] == NONE and block["24"] == NONE
    assert block["cascade"] == 0


def test_the_overview_gives_the_programme_and_each_sector(app, client, built):
    login(client, ADMIN)
    token = api_token(client, ADMIN)
    overview = client.get(f"/api/v1/reports/programme?{QUERY}", headers=bearer(token)).json
    block = overview["retention"]
    assert {k: block[k] for k in ("6", "12", "24", "cascade")} == PROGRAMME
    sectors = {s["code"]: s for s in block["by_sector"]}
    assert {k: sectors["SRET"][k] for k in ("6", "12", "24", "cascade")} == SECTOR
    assert {k: sectors["TRET"][k] for k in ("6", "12", "24", "cascade")} == SECTOR_T
    assert block["by_gender"]["male"]["6"] == figures(2, 2, 1, 0.5, 0)  # m2, m8
    page = client.get(f"/reports?{QUERY}").text
    assert "Retention after the programme" in page and "75 %" in page


def test_page_pdf_xlsx_and_api_show_the_same_retention(app, client, built):
    person = ADMIN
    token = api_token(client, person)
    path = f"/api/v1/reports/sectors/{built['s']}?{QUERY}"
    api = client.get(path, headers=bearer(token)).json["retention"]
    assert api["6"] == SECTOR["6"] and api["by_gender"] == BY_GENDER
    assert set(api["by_institution"]) == {str(built["ia"]), str(built["ib"])}
    login(client, person)
    page = client.get(f"/reports/sectors/{built['s']}?{QUERY}").text
    assert "Retention after the programme" in page
    shown = re.sub(r"<[^>]+>", "", page)  # the figures are links (test_follow_up_filters)
    assert "66.7 %" in shown and "1 of 2" in shown and "100 %" in shown  # IB, 6 months
    assert "2 former mentees now coach or mentor others" in shown
    with app.test_request_context():
        text = pdf_text(exports.sector_html(sector_report(app, built["s"])))
    assert "Retention after the programme" in text and "66.7 %" in text
    workbook = client.get(path + "&format=xlsx", headers=bearer(token))
    book = load_workbook(BytesIO(workbook.data))
    rows = list(book["Retention"].iter_rows(values_only=True))
    assert rows[0][:6] == (
        "Follow-up, months after the exit",
        "Follow-ups due",
        "Followed up",
        "Retained in public service",
        "Retention rate",
        "Coaching or mentoring others",
    )
    assert rows[1:] == [(6, 4, 3, 2, 0.6667, 1), (12, 3, 1, 1, 1.0, 1), (24, 0, 0, 0, None, 0)]
    genders = list(book["Retention by gender"].iter_rows(values_only=True))
    header = genders[0]
    assert (
        header[1] == "Follow-ups due at 6 months" and header[-1] == "Coaching or mentoring others"
    )
    undisclosed = dict(zip(header, genders[4], strict=True))
    assert undisclosed["Gender"] == "prefers not to say"
    assert (
        undisclosed["Retained at 6 months"] == 1
        and undisclosed["Retention rate at 12 months"] is None
    )
    institutions = [r[1] for r in book["Retention by institution"].iter_rows(values_only=True)]
    assert institutions[1:] == ["IA", "IB"]


def test_a_report_without_the_block_still_renders_and_compares(app, built):
    """A publication made before retention existed: its page, PDF and workbook show none,
    and the block it lacks is no difference from the live figures."""
    now = sector_report(app, built["s"])
    old = {k: v for k, v in now.items() if k != "retention"}
    with app.test_request_context():
        html = exports.sector_html(old)
        assert "Retention after the programme" not in html
        book = load_workbook(BytesIO(exports.sector_xlsx(old)))
        assert "Retention" not in book.sheetnames
        assert [d for d in differences.differences(old, now) if "retention" in d["path"]] == []
        changed = {**now, "retention": {**now["retention"], "6": figures(4, 3, 3, 1.0, 1)}}
        found = {d["path"]: d["label"] for d in differences.differences(now, changed)}
        assert found == {
            "retention.6.retained": "Retention after the programme › 6 months › "
            "Retained in public service",
            "retention.6.rate": "Retention after the programme › 6 months › Retention rate",
        }


def test_the_reports_send_no_more_statements_with_follow_ups(app, client, built):
    """The exits and answers are parts of the statement that reads the statuses."""
    login(client, ADMIN)
    paths = [f"/reports/sectors/{built['s']}?{QUERY}", f"/reports?{QUERY}"]

    def counts():
        return statement_counts(app, client, paths)

    counts()
    with_follow_ups = counts()
    with app.app_context():
        from scbi.retention.models import FollowUp

        db.session.query(FollowUp).delete()
        db.session.commit()
    assert counts() == with_follow_ups
    assert max(with_follow_ups) <= 15
