"""The register's search rule (docs/lessons.md "Search"): which records are entries, which
words count, case-blind matching of text and tags, the ranking, the filters and the
reader's scope — on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import date

import pytest

from scbi.auth.models import User
from scbi.extensions import db
from scbi.lessons.models import LessonSource
from scbi.lessons.queries.search import MAX_WORDS, Search, search_query, words_of
from tests import factories as f
from tests.engagements.helpers import active, requested
from tests.exchanges.helpers import exchange_of
from tests.lessons.helpers import closed_engagement, learnt_exchange, published, tag

EXCHANGE, ENGAGEMENT, REPORT = LessonSource


@pytest.fixture
def world(app):
    return f.world(app)


def found(app, person, **search) -> list[tuple[str, int]]:
    """What ``person`` finds, in the order found: (source, id) pairs."""
    with app.app_context():
        user = db.session.get(User, person.id)
        rows = db.session.execute(search_query(user, Search(**search))).all()
        return [(row.source, row.source_id) for row in rows]


def scores(app, person, **search) -> list[int]:
    with app.app_context():
        user = db.session.get(User, person.id)
        return [row.score for row in db.session.execute(search_query(user, Search(**search)))]


def test_words_are_three_letters_or_more_lower_case_each_once_without_the_commonest():
    assert words_of("To fix the Tariff delays, ON a grid: tariff DELAYS!") == (
        "fix",
        "tariff",
        "delays",
        "grid",
    )
    assert words_of("Les retards de l'Électricité") == ("retards", "électricité")
    assert words_of("a an of to") == ()
    assert len(words_of(" ".join(f"word{n}" for n in range(50)))) == MAX_WORDS


def test_only_recorded_learning_closed_engagements_and_publications_are_entries(app, world):
    with app.app_context():
        exchange_of(world)  # what it taught not recorded yet
        active(world.a)
        requested(world.a)
        learnt = learnt_exchange(world, learnt="The calendar worked.")
        done = closed_engagement(world)
        report = published(world)
    assert sorted(found(app, world.secretariat)) == sorted(
        [(EXCHANGE, learnt), (ENGAGEMENT, done), (REPORT, report)]
    )


def test_more_words_matched_rank_first_then_the_newest(app, world):
    """The engagement holds the three words, the exchange and the report two each (the
    report by its tag): of those two the newer comes first; sector B's report holds none."""
    with app.app_context():
        exchange = learnt_exchange(world, learnt="Tariff reviews ran without delays.")
        engagement = closed_engagement(world, hoped_result="Connections, no delays, a fair tariff.")
        report = published(world)
        published(world, "b")
        tag(REPORT, report, problem="Connection delays")
    words = ("tariff", "delays", "connection")
    assert found(app, world.secretariat, words=words) == [
        (ENGAGEMENT, engagement),
        (EXCHANGE, exchange),  # ends a week ago
        (REPORT, report),  # the period ended on 30 September 2025
    ]
    assert scores(app, world.secretariat, words=words) == [3, 2, 2]


def test_without_words_every_entry_is_found_newest_first(app, world):
    with app.app_context():
        engagement = closed_engagement(world)  # 2025-04-18
        report = published(world)  # 2025-09-30
        exchange = learnt_exchange(world, learnt="x")  # a week ago
    expected = [(EXCHANGE, exchange), (REPORT, report), (ENGAGEMENT, engagement)]
    assert found(app, world.secretariat) == expected
    assert found(app, world.secretariat, words=words_of("of to a")) == expected


def test_words_match_whatever_the_case_accents_included(app, world):
    with app.app_context():
        exchange = learnt_exchange(world, learnt="L'ÉLECTRICITÉ rurale coûte cher.")
    for typed in ("électricité", "Électricité", "ÉLECTRICITÉ", "electricit"):
        expected = [] if typed == "electricit" else [(EXCHANGE, exchange)]
        assert found(app, world.secretariat, words=words_of(typed)) == expected, typed


def test_words_match_parts_of_words_and_a_like_wildcard_is_a_letter(app, world):
    with app.app_context():
        exchange = learnt_exchange(world, learnt="Inspections were duplicated.")
    assert found(app, world.secretariat, words=("inspect",)) == [(EXCHANGE, exchange)]
    assert found(app, world.secretariat, words=("dup%",)) == []
    assert found(app, world.secretariat, words=("in_pections",)) == []


def test_tags_and_competencies_are_searched_too(app, world):
    """A problem tag, a competency tag and an exchange's own competency ("Grid
    planning", the world's) find their entries."""
    with app.app_context():
        exchange = learnt_exchange(world, learnt="x")
        report = published(world)
        engagement = closed_engagement(world)
        tag(REPORT, report, problem="Silent coaches backlog")
        other = f.competencies(world.a.sector_id, 1)[0]
        tag(ENGAGEMENT, engagement, competency_id=other.id)
        name = other.short_name
    assert found(app, world.secretariat, words=("backlog",)) == [(REPORT, report)]
    assert found(app, world.secretariat, words=("planning",)) == [(EXCHANGE, exchange)]
    assert found(app, world.secretariat, words=words_of(name)) == [(ENGAGEMENT, engagement)]


def test_the_filters_narrow_the_entries(app, world):
    with app.app_context():
        exchange_a = learnt_exchange(world, learnt="x")  # with the world's competency
        exchange_b = learnt_exchange(world, "b", learnt="x")
        engagement_b = closed_engagement(world, "b")
        report_a = published(world)
        report_b = published(world, "b", fy=2024, quarter=3)  # ended 2025-03-31
        tag(REPORT, report_b, problem="late logs")
        tag(REPORT, report_a, competency_id=world.competency_id)
    a, b = world.a.sector_id, world.b.sector_id
    me = world.secretariat
    assert found(app, me, sector_ids=(a,)) == [(EXCHANGE, exchange_a), (REPORT, report_a)]
    assert sorted(found(app, me, sector_ids=(a, b))) == sorted(found(app, me))
    assert found(app, me, source=ENGAGEMENT) == [(ENGAGEMENT, engagement_b)]
    assert found(app, me, source=REPORT, sector_ids=(b,)) == [(REPORT, report_b)]
    assert found(app, me, competency_id=world.competency_id) == [
        (EXCHANGE, exchange_a),  # its own competency
        (REPORT, report_a),  # by a tag
    ]
    assert found(app, me, tag="late logs") == [(REPORT, report_b)]
    assert found(app, me, start=date(2025, 4, 1), end=date(2025, 9, 30)) == [
        (REPORT, report_a),
        (ENGAGEMENT, engagement_b),  # closed on 18 April 2025
    ]
    assert found(app, me, end=date(2025, 3, 31)) == [(REPORT, report_b)]
    assert (EXCHANGE, exchange_b) in found(app, me, start=date(2026, 1, 1))


def test_a_coordinator_finds_their_sectors_entries_only(app, world):
    with app.app_context():
        mine = [
            (EXCHANGE, learnt_exchange(world, learnt="Tariff calendar")),
            (ENGAGEMENT, closed_engagement(world, hoped_result="A tariff")),
            (REPORT, published(world)),
        ]
        theirs = [
            (EXCHANGE, learnt_exchange(world, "b", learnt="Tariff calendar")),
            (ENGAGEMENT, closed_engagement(world, "b", hoped_result="A tariff")),
            (REPORT, published(world, "b")),
        ]
    assert sorted(found(app, world.a.coordinator)) == sorted(mine)
    assert sorted(found(app, world.b.coordinator)) == sorted(theirs)
    assert found(app, world.a.coordinator, sector_ids=(world.b.sector_id,)) == []
    assert len(found(app, world.a.coordinator, words=("tariff",))) == 2
    assert len(found(app, world.secretariat, words=("tariff",))) == 4


def test_the_competency_filter_offers_the_competencies_of_the_readers_entries(app, world):
    """A coordinator is offered the competencies of their sectors' entries only (an
    exchange's own, or a tag's), never one that would find only another sector's."""
    from scbi.lessons.queries.tags import register_competencies

    with app.app_context():
        learnt_exchange(world, learnt="x")  # sector A, with the world's competency
        other = f.competencies(world.b.sector_id, 1)[0].id
        tag(REPORT, published(world, "b"), competency_id=other)
        offered = {}
        for who in (world.a.coordinator, world.b.coordinator, world.secretariat):
            user = db.session.get(User, who.id)
            offered[who.id] = {c.value for c in register_competencies(user, "Any")} - {""}
    assert offered[world.a.coordinator.id] == {world.competency_id}
    assert offered[world.b.coordinator.id] == {other}
    assert offered[world.secretariat.id] == {world.competency_id, other}
