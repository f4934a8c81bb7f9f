"""The assessment form says which logs can be cited and, when it offers none, why (issue
17, item 4): the logs on the competency chosen that the mentee acknowledged (or that were
verified since), of the pairings the assessor reads — and for an empty list, that no
competency is chosen yet, that no log addresses it, or how many wait, are disputed or are
still drafts."""

from __future__ import annotations

import html
from datetime import date

from scbi.auth.models import User
from scbi.competencies.models import Assessment
from scbi.extensions import db
from scbi.programme import frameworks
from scbi.programme.models import EARLIEST_DATE
from scbi.transfer.models import TransferLog
from scbi.transfer.services import logs
from tests import factories as f
from tests.helpers import count_rows, login, post_form

SELF_HELP = "You can cite the logs of your pairings on this competency that you acknowledged"
OTHER_HELP = "The logs of this mentee on this competency that you can read, that the mentee"
CHOOSE = "Choose the competency, then “Show the logs on this competency”"


def _page(client, world, **args) -> str:
    query = "&".join(f"{k}={v}" for k, v in args.items())
    response = client.get(f"/mentees/{world.a.mentee_id}/assessments/new?{query}")
    assert response.status_code == 200
    return html.unescape(response.text)


def _respond(app, world, how) -> None:
    """The mentee acknowledges or disputes the world's sent log."""
    with app.app_context():
        log = db.session.get(TransferLog, world.log_id)
        mentee = db.session.get(User, world.a.mentee_user.id)
        if how == "acknowledge":
            logs.acknowledge_log(log, by=mentee)
        else:
            logs.dispute_log(log, by=mentee, comment="It was one hour")
        db.session.commit()


def test_assess_myself_explains_the_logs_and_asks_for_the_competency_first(app, client):
    world = f.world(app)
    login(client, world.a.mentee_user)
    page = _page(client, world)
    assert SELF_HELP in page and "dated on or before the assessment; the latest 50" in page
    assert CHOOSE in page
    assert 'name="show_logs"' in page


def test_showing_the_logs_records_nothing_and_keeps_the_input(app, client):
    world = f.world(app)
    login(client, world.a.mentee_user)
    before = count_rows(app, Assessment)
    shown = post_form(
        client,
        f"/mentees/{world.a.mentee_id}/assessments/new",
        {
            "competency_id": world.competency_id,
            "level": "2",
            "assessed_on": "2025-08-01",
            "note": "I led the study",
            "show_logs": "Show the logs on this competency",
        },
    )
    assert shown.status_code == 200
    page = html.unescape(shown.text)
    assert "I led the study" in page and 'value="2025-08-01"' in page
    # the world's log on it was sent, not acknowledged yet
    assert "1 waits for your acknowledgement: acknowledge it in your logs to cite it." in page
    assert 'href="/my/logs"' in page
    assert count_rows(app, Assessment) == before


def test_each_reason_for_an_empty_list(app, client):
    world = f.world(app)
    with app.app_context():
        framework = frameworks.create_framework(
            by=f.admin(), name="Leadership", idnumber="LEAD", sector_id=None
        )
        untouched = frameworks.add_competency(
            framework,
            by=f.admin(),
            idnumber="L1",
            short_name="Leading meetings",
            core=False,
            effective_on=EARLIEST_DATE,
        ).id
        db.session.commit()
    mentee, coach = app.test_client(), app.test_client()
    login(mentee, world.a.mentee_user)
    login(coach, world.a.coach_user)

    assert "None of your logs addresses this competency yet" in _page(
        mentee, world, competency_id=untouched
    )
    other = _page(coach, world, competency_id=untouched)
    assert OTHER_HELP in other
    assert "No log of this mentee that you can read addresses this competency yet." in other
    assert "1 waits for the mentee's acknowledgement." in _page(
        coach, world, competency_id=world.competency_id
    )

    _respond(app, world, "dispute")
    assert "1 is disputed: once your coach corrects it and you acknowledge it" in _page(
        mentee, world, competency_id=world.competency_id
    )
    assert "1 is disputed: it can be cited once the coach corrects it" in _page(
        coach, world, competency_id=world.competency_id
    )

    with app.app_context():  # a draft is its author's own: the coach's page counts it
        f.draft_log(world, activity_date=date(2025, 6, 9), title="Second study",
                    mentee_role="co_led")  # fmt: skip
        db.session.commit()
    assert "1 is your draft: send it to the mentee, who acknowledges it." in _page(
        coach, world, competency_id=world.competency_id
    )
    assert "your draft" not in _page(mentee, world, competency_id=world.competency_id)


def test_an_acknowledged_log_is_offered_and_no_reason_is_given(app, client):
    world = f.world(app)
    _respond(app, world, "acknowledge")
    login(client, world.a.mentee_user)
    page = _page(client, world, competency_id=world.competency_id)
    assert f'value="{world.log_id}"' in page and "Load-flow study" in page
    assert 'id="cite-none"' not in page
    assert SELF_HELP in page
