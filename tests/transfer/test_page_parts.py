"""What transfer and competencies add to the pages of features below them (scbi.hooks):
the pairings and the buttons that start one, the coach's load, the unpaired filter and
the programme's counts — shown to those the rules allow, and only to them."""

from __future__ import annotations

from tests import factories as f
from tests.helpers import login


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.text


def test_a_mentee_page_lists_the_pairings_and_offers_what_the_reader_may_do(app, client):
    world = f.world(app)
    login(client, world.a.coordinator)
    html = page(client, f"/mentees/{world.a.mentee_id}")
    assert f"/pairings/{world.a.pairing_id}" in html  # the pairings section
    assert f"/mentees/{world.a.mentee_id}/competencies" in html
    assert f"/pairings/new?mentee_id={world.a.mentee_id}" in html  # their sector: may pair


def test_the_mentee_sees_their_competencies_but_no_pairing_button(app, client):
    world = f.world(app)
    login(client, world.a.mentee_user)
    html = page(client, f"/mentees/{world.a.mentee_id}")
    assert f"/mentees/{world.a.mentee_id}/competencies" in html
    assert f"/pairings/{world.a.pairing_id}" in html
    assert "/pairings/new" not in html


def test_a_coach_sees_their_coachee_but_may_not_pair_them(app, client):
    world = f.world(app)
    login(client, world.a.coach_user)
    html = page(client, f"/mentees/{world.a.mentee_id}")
    assert "/pairings/new" not in html
    assert client.get(f"/mentees/{world.b.mentee_id}").status_code == 404


def test_a_coach_page_shows_the_load_and_the_pairings(app, client):
    world = f.world(app)
    login(client, world.secretariat)
    html = page(client, f"/coaches/{world.a.coach_id}")
    assert "1 active of at most" in html
    assert f"/pairings/{world.a.pairing_id}" in html
    assert f"/pairings/new?coach_id={world.a.coach_id}" in html


def test_the_unpaired_filter_comes_from_transfer(app, client):
    world = f.world(app)
    login(client, world.secretariat)
    paired = page(client, "/mentees")
    assert f"/mentees/{world.a.mentee_id}" in paired
    unpaired = page(client, "/mentees?unpaired=1")
    assert "Only mentees without a coach" in unpaired
    assert f"/mentees/{world.a.mentee_id}" not in unpaired


def test_the_programme_page_counts_what_each_feature_adds(app, client):
    world = f.world(app)
    login(client, world.secretariat)
    html = page(client, "/programme")
    for heading in ("Active coaches", "Active mentees", "Active pairings"):
        assert heading in html
    assert f"/pairings?sector_id={world.a.sector_id}" in html
    institution = page(client, f"/institutions/{world.a.institution_id}")
    assert "1 active mentee<" in institution and "1 coach hosted<" in institution
