"""The register through the API and the command line: the same search as the page — the
same entries in the same order — with the list envelope, the filters checked, and the
command's options."""

from __future__ import annotations

import re

import pytest

from scbi.extensions import db
from scbi.lessons.models import LessonSource
from scbi.programme.models import Sector
from tests import factories as f
from tests.helpers import api_token, bearer, login
from tests.lessons.helpers import closed_engagement, learnt_exchange, published, tag

PAGES = {"exchanges": "exchange", "engagements": "engagement", "reports/published": "report"}
SHORT = {
    "peer exchange": "exchange",
    "short engagement": "engagement",
    "published report": "report",
}


@pytest.fixture
def world(app):
    return f.world(app)


@pytest.fixture
def made(app, world) -> dict[str, int]:
    """Sector A's three kinds of entries and sector B's report: "tariff" is in the
    engagement's hoped result and sector A's report's tag, "delays" in the exchange."""
    with app.app_context():
        made = {
            "exchange": learnt_exchange(world, learnt="The calendar cut the delays."),
            "engagement": closed_engagement(world, hoped_result="A tariff within weeks."),
            "report": published(world),
            "report_b": published(world, "b"),
        }
        tag(LessonSource.REPORT, made["report"], problem="tariff backlog")
        tag(LessonSource.REPORT, made["report_b"], problem="late logs")
        return made


def on_page(client, query: str) -> list[tuple[str, int]]:
    html = client.get(f"/lessons?{query}").text
    pattern = r'<h2 class="h5 mb-1"[^>]*><a href="/(exchanges|engagements|reports/published)/(\d+)"'
    return [(PAGES[kind], int(ident)) for kind, ident in re.findall(pattern, html)]


def in_api(client, headers, query: str) -> list[tuple[str, int]]:
    listed = client.get(f"/api/v1/lessons?{query}", headers=headers).json
    return [(e["source"], e["source_id"]) for e in listed["items"]]


def on_command_line(app, *args: str) -> list[tuple[str, int]]:
    result = app.test_cli_runner().invoke(args=["scbi", "lessons", *args])
    assert result.exit_code == 0, result.output
    pattern = r"\((peer exchange|short engagement|published report) #(\d+)\)$"
    return [(SHORT[kind], int(i)) for kind, i in re.findall(pattern, result.output, re.M)]


def test_the_page_the_api_and_the_command_line_find_the_same_entries(app, client, world, made):
    with app.app_context():
        code_b = db.session.get(Sector, world.b.sector_id).code
    login(client, world.secretariat)
    headers = bearer(api_token(client, world.secretariat))
    for query, args in (
        ("q=tariff+delays", ["tariff", "delays"]),
        ("", []),
        (f"q=logs&sector_id={world.b.sector_id}", ["logs", "--sector", code_b]),
        ("source=report", ["--source", "report"]),
    ):
        shown = on_page(client, query)
        assert in_api(client, headers, query) == shown, query
        assert on_command_line(app, *args) == shown, query
    # one word each, so the newest first; sector B's report holds neither
    assert on_page(client, "q=tariff+delays") == [
        ("exchange", made["exchange"]),
        ("report", made["report"]),
        ("engagement", made["engagement"]),
    ]
    assert sorted(on_page(client, "source=report")) == [
        ("report", made["report"]),
        ("report", made["report_b"]),
    ]


def test_the_api_answers_the_list_envelope_with_each_entry_whole(app, client, world, made):
    headers = bearer(api_token(client, world.a.coordinator))
    first = client.get("/api/v1/lessons?q=tariff&per_page=1", headers=headers).json
    assert (first["page"], first["per_page"], first["total"]) == (1, 1, 2)
    report = first["items"][0]
    assert report == {
        "source": "report",
        "source_id": made["report"],
        "url": f"/reports/published/{made['report']}",
        "title": report["title"],
        "detail": "Published report, version 1",
        "start": "2025-07-01",
        "day": "2025-09-30",
        "score": 1,
        "sectors": [report["sectors"][0]],
        "competencies": [],
        "tags": [report["tags"][0]],
        "problem": [],
        "lesson": [
            {"label": "What went well", "text": "The plans were approved on time."},
            {"label": "What did not go well", "text": "Two coaches logged late."},
            {"label": "What comes next", "text": "Follow the silent coaches up every fortnight."},
        ],
    }
    assert report["title"].endswith("sector report, FY 2025/26 Q1")
    assert report["sectors"][0]["id"] == world.a.sector_id
    assert report["tags"][0]["label"] == "tariff backlog"
    second = client.get("/api/v1/lessons?q=tariff&per_page=1&page=2", headers=headers).json
    engagement = second["items"][0]
    assert (engagement["source"], engagement["source_id"]) == ("engagement", made["engagement"])
    labels = [p["label"] for p in engagement["lesson"]]
    assert labels[:3] == [
        "What the team can now do on its own",
        "Objective 1: achieved",
        "Objective 2: partly achieved",
    ]
    assert engagement["problem"][1] == {
        "label": "The result it hopes for",
        "text": "A tariff within weeks.",
    }


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=yesterday", "from"),
        ("to=2025-02-30", "to"),
        ("source=rumour", "source"),
        ("sector_id=a", "sector_id"),
        ("competency_id=0", "competency_id"),
    ],
)
def test_a_bad_filter_is_refused_by_name(app, client, world, query, field):
    headers = bearer(api_token(client, world.secretariat))
    refused = client.get(f"/api/v1/lessons?{query}", headers=headers)
    assert refused.status_code == 422
    assert set(refused.json["error"]["fields"]) == {field}


def test_the_command_line_says_what_it_found_and_refuses_an_unknown_sector(app, world, made):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["scbi", "lessons", "tariff", "--limit", "1"])
    assert result.exit_code == 0
    assert "2 entries found." in result.output
    assert "The first 1 are shown" in result.output
    assert re.search(r"^What went well +The plans were approved on time\.$", result.output, re.M)
    assert "Tags" in result.output and "tariff backlog" in result.output
    assert runner.invoke(args=["scbi", "lessons", "hydropower"]).output.strip() == (
        "No entry matches."
    )
    refused = runner.invoke(args=["scbi", "lessons", "tariff", "--sector", "NOPE"])
    assert refused.exit_code != 0 and "No sector has the code NOPE." in refused.output
    as_coordinator = runner.invoke(
        args=["scbi", "lessons", "logs", "--as", world.a.coordinator.email]
    )
    assert as_coordinator.output.strip() == "No entry matches."  # sector B's report
