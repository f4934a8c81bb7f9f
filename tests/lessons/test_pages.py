"""The register on the web: the search page (entries, their sources, tags and marked
words, escaped), an entry's tag page (added, refused beside the field with the input
kept, taken off), the "learnt before" on an engagement's page, the navigation, and the
statements each page sends."""

from __future__ import annotations

import re

import pytest

from scbi.lessons.models import LessonSource
from tests import factories as f
from tests.engagements.helpers import requested
from tests.helpers import QueryCounter, csrf_token, login
from tests.lessons.helpers import closed_engagement, learnt_exchange, published, tag


@pytest.fixture
def world(app):
    return f.world(app)


def post(client, path: str, data: dict, **kwargs):
    return client.post(path, data={"csrf_token": csrf_token(client, "/")} | data, **kwargs)


def links(html: str, prefix: str) -> list[str]:
    return re.findall(rf'href="({re.escape(prefix)}[^"]*)"', html)


def test_the_register_shows_each_entry_with_its_source_tags_and_marked_words(app, client, world):
    with app.app_context():
        exchange = learnt_exchange(
            world, learnt="<script>alert(1)</script> The tariff calendar cut the delays."
        )
        engagement = closed_engagement(world, hoped_result="Tariff requests answered in weeks.")
        report = published(world)
        tag(LessonSource.REPORT, report, problem="tariff backlog")
    login(client, world.secretariat)
    html = client.get("/lessons?q=Tariff+delays").text
    assert links(html, "/exchanges/") == [f"/exchanges/{exchange}"]
    assert links(html, "/engagements/") == [f"/engagements/{engagement}"]
    assert links(html, "/reports/published/") == [f"/reports/published/{report}"]
    assert html.index(f"/exchanges/{exchange}") < html.index(f"/engagements/{engagement}")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; The <mark>tariff</mark> calendar" in html
    assert "<script>alert" not in html
    assert "<mark>tariff</mark> backlog" in html  # the report's tag
    assert "matches 2 words" in html and "matches 1 word" in html
    assert "Words: tariff delays" in html  # the filter's chip
    assert html.count("Tags…") == 3
    assert 'data-total="3"' in html
    nothing = client.get("/lessons?q=hydropower").text
    assert 'data-total="0"' in nothing and "No entry matches." in nothing


def test_the_tag_page_adds_refuses_beside_the_field_and_takes_off(app, client, world):
    with app.app_context():
        report = published(world)
    login(client, world.a.coordinator)
    page = f"/lessons/report/{report}/tags"
    assert "No tags yet." in client.get(page).text
    added = post(client, page, {"problem": "Late  LOGS"})
    assert added.status_code == 302 and added.headers["Location"].endswith(page)
    html = client.get(page).text
    assert "The entry is tagged “late logs”." in html
    assert "late logs" in html and '<option value="late logs">' in html  # suggested
    refused = post(client, page, {"problem": "late logs "})
    assert refused.status_code == 422
    error = re.search(r'id="problem-error"[^>]*>(.*?)</div>', refused.text, re.S).group(1)
    assert "The entry is tagged “late logs” already." in error
    assert 'value="late logs "' in refused.text
    assert post(client, page, {"competency_id": str(world.competency_id)}).status_code == 302
    listed = client.get("/lessons?tag=late+logs").text
    assert links(listed, "/reports/published/") == [f"/reports/published/{report}"]
    assert "Grid planning" in listed
    remove = re.findall(r'action="(/lesson-tags/\d+/remove)"', client.get(page).text)
    assert len(remove) == 2
    assert post(client, remove[0], {}).status_code == 302
    html = client.get(page).text
    assert "The tag “late logs” is taken off." in html or "The tag “Grid planning”" in html
    assert len(re.findall(r'action="(/lesson-tags/\d+/remove)"', html)) == 1


def test_an_engagement_page_shows_what_was_learnt_before_in_its_sector(app, client, world):
    """A new request's problem words find sector A's closed engagement and exchange, not
    sector B's; the engagement's own page leaves itself out; a coach sees no panel."""
    with app.app_context():
        done = closed_engagement(world)  # "Electricity connection requests take …"
        exchange = learnt_exchange(world, learnt="Connection requests are scored weekly.")
        closed_engagement(world, "b")
        new = requested(
            world.a, problem="Connection requests for electricity pile up for months."
        ).id
        from scbi.extensions import db

        db.session.commit()
    login(client, world.secretariat)
    html = client.get(f"/engagements/{new}").text
    panel = html[html.index("Learnt before") :]
    assert links(panel, "/engagements/") == [f"/engagements/{done}"]
    assert links(panel, "/exchanges/") == [f"/exchanges/{exchange}"]
    assert panel.index(f"/engagements/{done}") < panel.index(f"/exchanges/{exchange}")
    more = links(panel, "/lessons?")[0].replace("&amp;", "&")
    assert "q=connection+requests+electricity+pile+months" in more
    assert f"sector_id={world.a.sector_id}" in more
    own = client.get(f"/engagements/{done}").text
    assert f'href="/engagements/{done}"' not in own[own.index("Learnt before") :]
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, world.a.coach_user)
    assert "Learnt before" not in client.get(f"/engagements/{done}").text


def test_the_navigation_offers_the_register_to_the_staff(app, client, world):
    for person, shown in (
        (world.secretariat, True),
        (world.a.coordinator, True),
        (world.a.coach_user, False),
        (world.a.mentee_user, False),
    ):
        login(client, person)
        assert ('href="/lessons"' in client.get("/").text) is shown
        client.post("/logout", data={"csrf_token": csrf_token(client, "/")})


@pytest.mark.parametrize("role", ["secretariat", "coordinator"])
def test_the_register_and_the_engagement_page_send_few_statements_whatever_the_size(
    app, client, world, role
):
    def counts() -> dict[str, int]:
        found = {}
        for path in (
            "/lessons",
            f"/lessons?q=tariff+connection&sector_id={world.a.sector_id}",
            f"/engagements/{first}",
        ):
            with QueryCounter(app) as counter:
                assert client.get(path).status_code == 200
            found[path] = counter.count
        return found

    def grow(quarter: int):
        with app.app_context():
            exchange = learnt_exchange(world, learnt="The tariff calendar.")
            engagement = closed_engagement(world, hoped_result="Tariff connection.")
            report = published(world, fy=2024, quarter=quarter)
            tag(LessonSource.EXCHANGE, exchange, problem="tariff calendar")
            tag(LessonSource.ENGAGEMENT, engagement, competency_id=world.competency_id)
            tag(LessonSource.REPORT, report, problem="late logs")
            return engagement

    first = grow(1)
    login(client, world.secretariat if role == "secretariat" else world.a.coordinator)
    small = counts()
    grow(2)
    grow(3)
    large = counts()
    assert large == small
    assert max(large.values()) <= 15, large
