"""The review requests on a mentee's competency page: what each person is offered."""

from __future__ import annotations

from tests import factories as f
from tests.helpers import login, post_form


def test_a_validator_picks_up_a_waiting_request_then_records_the_level(app, client):
    """The coach is offered "Review it" on a waiting request and, once it is picked up,
    "Record the validated level"; the mentee sees the request and its status only."""
    world = f.world(app)  # mentee A's self-assessment waits for a review
    page = f"/mentees/{world.a.mentee_id}/competencies"
    mentee = app.test_client()
    login(mentee, world.a.mentee_user)
    own = mentee.get(page).text
    assert "waiting for review" in own and "Assess myself" in own
    assert "Review it" not in own and "Record the validated level" not in own

    login(client, world.a.coach_user)
    waiting = client.get(page).text
    assert "Review it" in waiting and "Record the validated level" not in waiting
    picked = post_form(client, f"/assessments/{world.assessment_id}/pick-up")
    assert picked.status_code == 302 and f"resolves={world.assessment_id}" in picked.location
    in_review = client.get(page).text
    assert "in review" in in_review and "Review it" not in in_review
    assert "Record the validated level" in in_review


def test_the_form_names_who_assesses(app, client):
    """The mentee's form is a self-assessment that may ask for a review; a validator's
    form is not and cannot."""
    world = f.world(app)
    path = f"/mentees/{world.a.mentee_id}/assessments/new"
    login(client, world.a.mentee_user)
    own = client.get(path).text
    assert "Self-assessment" in own and "request_review" in own
    coach = app.test_client()
    login(coach, world.a.coach_user)
    theirs = coach.get(path).text
    assert "Self-assessment" not in theirs and "request_review" not in theirs
