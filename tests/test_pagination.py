"""Lists that grow with the programme page by key (scbi.pagination.seek): every page —
the last one too — reads only its own rows; the count stops at a cap; a random sample
draws from the list the user may see."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from werkzeug.datastructures import MultiDict

from scbi import pagination
from scbi.extensions import db
from scbi.transfer.models import ActivityType, LogStatus, MenteeRole, Pairing, TransferLog
from tests import factories as f
from tests.helpers import QueryCounter, api_token, bearer, login

START = date(2024, 1, 1)


def add_logs(app, pairing_id: int, n: int, *, same_day_every: int = 3) -> list[int]:
    """``n`` acknowledged logs, several on one day (the id breaks the tie), oldest first."""
    with app.app_context():
        pairing = db.session.get(Pairing, pairing_id)
        logs = [
            TransferLog(
                pairing_id=pairing.id,
                author_id=pairing.coach.user_id,
                activity_date=START + timedelta(days=k // same_day_every),
                activity_type=ActivityType.ON_THE_JOB,
                minutes=60,
                title=f"log {k}",
                mentee_role=MenteeRole.LED,
                status=LogStatus.ACKNOWLEDGED,
            )
            for k in range(n)
        ]
        db.session.add_all(logs)
        db.session.commit()
        return [log.id for log in logs]


def newest_first(app, ids: list[int]) -> list[int]:
    with app.app_context():
        rows = db.session.execute(
            db.select(TransferLog.id, TransferLog.activity_date).where(TransferLog.id.in_(ids))
        ).all()
    return [i for i, _d in sorted(rows, key=lambda r: (r[1], r[0]), reverse=True)]


def shown(html: str) -> list[str]:
    return re.findall(r">log (\d+)<", html)


def walk(client, path: str) -> list[list[str]]:
    """Every page of a list, following its Next links from the first."""
    pages = []
    while path:
        html = client.get(path).text
        pages.append(shown(html))
        found = re.search(r'href="([^"]+)" rel="next"', html)
        path = found.group(1).replace("&amp;", "&") if found else None
    return pages


def test_the_pages_follow_one_another_newest_first_and_back(app, client):
    world = f.world(app)
    ids = add_logs(app, world.a.pairing_id, 23)
    order = [f"{ids.index(i)}" for i in newest_first(app, ids)]
    login(client, world.secretariat)
    pages = walk(client, "/logs?per_page=5")
    with app.app_context():
        total = db.session.scalar(db.select(db.func.count()).select_from(TransferLog))
    assert [n for page in pages for n in page] == order
    assert len(pages) == -(-total // 5)  # every page full but the last
    last = client.get("/logs?per_page=5&last=1").text
    assert shown(last) == order[-5:]  # the oldest five
    assert 'rel="next"' not in last
    back = re.search(r'href="([^"]+)" rel="prev"', last).group(1).replace("&amp;", "&")
    assert shown(client.get(back).text) == order[-10:-5]
    assert f"{total} in all" in last


def test_the_count_stops_at_the_cap(app, client, monkeypatch):
    world = f.world(app)
    add_logs(app, world.a.pairing_id, 12)
    monkeypatch.setattr(pagination, "CAP", 10)
    login(client, world.secretariat)
    html = client.get("/logs?per_page=5").text
    assert "More than 10 in all" in html


def test_the_verification_queue_on_the_home_page_is_counted_as_far_as_its_list(
    app, client, monkeypatch
):
    world = f.world(app)
    add_logs(app, world.a.pairing_id, 12)
    login(client, world.a.coordinator)
    assert "12 acknowledged logs to verify" in client.get("/").text
    monkeypatch.setattr(pagination, "CAP", 10)
    home = client.get("/").text
    assert "More than 10 acknowledged logs to verify" in home
    assert "12 acknowledged" not in home


def test_a_coordinator_pages_only_through_their_sectors_logs(app, client):
    world = f.world(app)
    mine = add_logs(app, world.a.pairing_id, 7)
    add_logs(app, world.b.pairing_id, 9)
    login(client, world.a.coordinator)
    pages = walk(client, "/logs?per_page=3")
    assert sorted(int(n) for page in pages for n in page) == list(range(7))
    assert len(mine) == 7


def test_a_sector_wide_list_walks_the_date_index_and_counts_through_the_pairings(app, client):
    """On SQLite a coordinator's page of logs hides the pairing column from the planner
    (it walks the date index instead of sorting the sector's logs), and the count, which
    keeps no order, does not (it reads the sector's pairings' logs through their index)."""
    world = f.world(app)
    add_logs(app, world.a.pairing_id, 4)
    login(client, world.a.coordinator)
    with QueryCounter(app) as sent:
        assert client.get("/logs?per_page=3").status_code == 200
    listed = [s for s in sent.statements if "FROM transfer_log" in s and "LIMIT" in s]
    counts = [s for s in listed if "count(*)" in s]
    keys = [s for s in listed if "ORDER BY transfer_log.activity_date DESC" in s]
    assert len(counts) == 1 and len(keys) == 1, listed
    with app.app_context():
        on_sqlite = db.engine.dialect.name == "sqlite"
    if on_sqlite:
        assert "+transfer_log.pairing_id" in keys[0]
    assert "+transfer_log.pairing_id" not in counts[0]
    assert "transfer_log.pairing_id IN" in counts[0]


@pytest.mark.parametrize("cap", [1000, 5])
def test_a_sample_draws_from_what_the_user_may_see(app, client, monkeypatch, cap):
    """Shuffled in SQL below the cap; drawn by random ids above it; never another
    sector's log, never twice the same."""
    world = f.world(app)
    add_logs(app, world.a.pairing_id, 30)
    add_logs(app, world.b.pairing_id, 30)
    monkeypatch.setattr(pagination, "CAP", cap)
    login(client, world.a.coordinator)
    html = client.get("/logs?sample=1&per_page=10").text
    with app.app_context():
        theirs = set(
            db.session.scalars(
                db.select(TransferLog.id).where(TransferLog.pairing_id == world.a.pairing_id)
            )
        )
    picked = [int(i) for i in re.findall(r'href="/logs/(\d+)"', html)]
    assert len(picked) == len(set(picked)) == 10
    assert set(picked) <= theirs


def test_a_cursor_that_means_nothing_shows_the_first_page(app):
    assert pagination._key("nonsense") is None
    assert pagination._key("2026-13-01.5") is None
    assert pagination._key("2026-01-02.5") == (date(2026, 1, 2), 5)
    assert pagination.cursor(date(2026, 1, 2), 5) == "2026-01-02.5"
    assert MultiDict({"after": "x"}).get("after") == "x"


def test_my_logs_puts_what_waits_for_the_mentee_first_then_pages_the_rest_by_key(app, client):
    world = f.world(app)  # pairing A has one log submitted to its mentee: "Load-flow study"
    ids = add_logs(app, world.a.pairing_id, 12)
    order = [f"{ids.index(i)}" for i in newest_first(app, ids)]
    login(client, world.a.mentee_user)
    first = client.get("/my/logs?per_page=5").text
    waiting, history = first.split("Your other logs")
    assert "Load-flow study" in waiting and 'name="acknowledge"' in waiting
    assert "Load-flow study" not in history and 'name="acknowledge"' not in history
    pages = walk(client, "/my/logs?per_page=5")
    assert [n for page in pages for n in page] == order  # the rest, newest first, once each
    later = client.get(
        re.search(r'href="([^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
    )
    assert "Waiting for your acknowledgement" not in later.text
    assert "12 in all" in first
    # the coach reads the same pairing's logs, the submitted one among them, by key
    coach = app.test_client()
    login(coach, world.a.coach_user)
    mine = walk(coach, "/my/logs?per_page=5")
    assert [n for page in mine for n in page] == order  # and, on its date, the submitted one
    coach_first = coach.get("/my/logs").text
    assert "Waiting for your acknowledgement" not in coach_first
    assert "Load-flow study" in coach_first and "13 in all" in coach_first


def test_the_api_pages_by_cursor_however_deep(app, client):
    world = f.world(app)
    ids = add_logs(app, world.a.pairing_id, 23)
    headers = bearer(api_token(client, world.secretariat))
    with app.app_context():
        every = [
            i
            for i, _d in sorted(
                db.session.execute(db.select(TransferLog.id, TransferLog.activity_date)).all(),
                key=lambda r: (r[1], r[0]),
                reverse=True,
            )
        ]
    seen, path, pages = [], "/api/v1/logs?per_page=5", 0
    while path:
        answer = client.get(path, headers=headers).json
        seen += [item["id"] for item in answer["items"]]
        assert answer["total"] == len(every) and len(answer["items"]) <= 5
        pages += 1
        path = f"/api/v1/logs?per_page=5&after={answer['next']}" if "next" in answer else None
    assert seen == every and pages == -(-len(every) // 5)
    # the numbered pages agree with the cursors
    second = client.get("/api/v1/logs?per_page=5&page=2", headers=headers).json
    assert [item["id"] for item in second["items"]] == every[5:10]
    assert len(ids) == 23
    refused = client.get("/api/v1/logs?after=" + "9" * 41, headers=headers)
    assert refused.status_code == 422 and "after" in refused.json["error"]["fields"]


def test_the_logs_waiting_for_the_mentee_can_be_answered_from_the_filtered_list(app, client):
    """My logs filtered to the submitted ones (where the home page's "2 logs wait for your
    acknowledgement" goes; one waiting log opens itself): each still carries its
    Acknowledge button."""
    world = f.world(app)
    login(client, world.a.mentee_user)
    home = client.get("/").text
    assert f"/logs/{world.log_id}" in home
    waiting = client.get("/my/logs?status=submitted").text
    assert "Load-flow study" in waiting and 'name="acknowledge"' in waiting
