"""`scbi engagements list | show`: the pages' queries and scope on the command line, as a
table or CSV; bad options refused naming the option, with a non-zero exit code."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from scbi.auth.models import User
from scbi.engagements.services import check_ins
from scbi.extensions import db
from scbi.programme.models import Institution, Sector
from tests import factories as f
from tests.engagements.helpers import PROBLEM, active, closed, requested
from tests.helpers import table_rows as rows


@pytest.fixture
def world(app):
    return f.world(app)


@pytest.fixture
def cli(app):
    def invoke(*args: str):
        return app.test_cli_runner().invoke(args=["scbi", "engagements", *args])

    return invoke


@pytest.fixture
def three(app, world):
    """Sector A's request and its active engagement (close-out due), sector B's closed one."""
    with app.app_context():
        made = requested(world.a).id, active(world.a).id, closed(world.b).id
        db.session.commit()
    return made


def ids(output: str) -> set[int]:
    """The ids a list printed."""
    return {int(key) for key in rows(output)}


def names(app, world, key: str) -> tuple[str, str, str]:
    """The sector code, the institution's acronym and the coach's name of side ``key``."""
    side = getattr(world, key)
    with app.app_context():
        return (
            db.session.get(Sector, side.sector_id).code,
            db.session.get(Institution, side.institution_id).acronym,
            db.session.get(User, side.coach_user.id).full_name,
        )


def test_the_list_shows_the_open_engagements_by_default(app, world, cli, three):
    request_id, active_id, _closed_id = three
    code, acronym, coach = names(app, world, "a")
    result = cli("list")
    assert result.exit_code == 0, result.output
    listed = rows(result.output)
    assert list(listed) == [str(active_id), str(request_id)]  # the latest request first
    assert listed[str(active_id)][1:] == [
        acronym,
        code,
        "1 Mar 2025",
        coach,
        "3 Mar 2025 – 13 Apr 2025",
        "active",
        "Yes",  # its six weeks are over: the close-out is due
        "Electricity connection requests take fo…",  # 40 characters
    ]
    assert listed[str(request_id)][4:7] == ["—", "—", "requested"]


def test_the_list_filters_by_status_sector_and_institution(app, world, cli, three):
    _request_id, active_id, closed_id = three
    assert ids(cli("list", "--status", "all").output) == set(three)
    assert ids(cli("list", "--status", "due").output) == {active_id}
    assert ids(cli("list", "--status", "closed").output) == {closed_id}
    code_b, acronym_b, _coach = names(app, world, "b")
    assert ids(cli("list", "--status", "all", "--sector", code_b.lower()).output) == {closed_id}
    by_institution = cli("list", "--status", "all", "--institution", acronym_b.lower())
    assert ids(by_institution.output) == {closed_id}
    assert cli("list", "--sector", code_b).output == "No short engagements match.\n"
    code_a = names(app, world, "a")[0]
    both = ("--status", "all", "--sector", code_a, "--sector", code_b)
    assert ids(cli("list", *both).output) == set(three)


def test_the_account_given_with_as_sees_only_what_it_may_read(app, world, cli, three):
    request_id, active_id, closed_id = three
    coordinator_a = cli("list", "--status", "all", "--as", world.a.coordinator.email)
    assert ids(coordinator_a.output) == {request_id, active_id}
    coach_b = cli("list", "--status", "all", "--as", world.b.coach_user.email)
    assert ids(coach_b.output) == {closed_id}  # the one they were brokered for
    mentee_a = cli("list", "--status", "all", "--as", world.a.mentee_user.email)
    assert ids(mentee_a.output) == {active_id}  # the one whose team they are in
    hidden = cli("show", str(closed_id), "--as", world.a.coordinator.email)
    assert hidden.exit_code == 1 and "Not found, or not visible to you." in hidden.output


def test_the_csv_has_codes_and_iso_dates(app, world, cli, three):
    _request_id, active_id, _closed_id = three
    code, acronym, coach = names(app, world, "a")
    result = cli("list", "--csv", "--status", "due")
    assert result.exit_code == 0, result.output
    header, row = list(csv.reader(io.StringIO(result.output)))
    assert dict(zip(header, row, strict=True)) == {
        "id": str(active_id),
        "status": "active",
        "institution": acronym,
        "sector": code,
        "received_on": "2025-03-01",
        "requested_by_name": "Jeanne Uwase",
        "problem": PROBLEM,
        "practitioner_kind": "coach",
        "practitioner": coach,
        "start_date": "2025-03-03",
        "weeks": "6",
        "end_date": "2025-04-13",
        "close_out_due": "True",
        "ended_on": "",
    }


def test_show_prints_the_request_practitioner_objectives_close_out_team_and_check_ins(
    app, world, cli
):
    with app.app_context():
        engagement = active(world.b)
        check_ins.record_check_in(
            engagement,
            by=f.admin(),
            held_on=date(2025, 3, 20),
            note="Mapped the process with the team.\nTwelve steps found.",
            progress=[{"objective_id": engagement.objectives[0].id, "progress": "at_risk"}],
        )
        db.session.commit()
        ident = engagement.id
        mentee = db.session.get(User, world.b.mentee_user.id).full_name
    with app.app_context():
        closed_now = closed(world.b)  # another engagement, closed out
        db.session.commit()
        closed_id = closed_now.id
    _code, acronym, coach = names(app, world, "b")
    out = cli("show", str(ident)).output
    assert out.startswith(f"Short engagement with {acronym} (#{ident})\n")
    assert "The engagement's weeks ended on 13 Apr 2025: its close-out is due." in out
    for words in (
        "Received                 1 Mar 2025 — Jeanne Uwase, Director of customer service",
        f"The problem              {PROBLEM}",
        f"A coach of the programme  {coach} · GIZ",
        "Span                      3 Mar 2025 – 13 Apr 2025\n                          6 weeks",
        "1. Map the connection process\n2. Cut the steps that add no value",
        "20 Mar 2025 — recorded by Factory Admin\n  Mapped the process with the team.\n"
        "  Twelve steps found.\n  Objective 1: At risk",
    ):
        assert words in out
    team = rows(out.split("Counterpart team")[1])
    assert team["Eric Habimana"] == ["Eric Habimana", "Head of connections"]
    assert team[mentee] == [mentee, "Engineer", "mentee"]
    shown = cli("show", str(closed_id)).output
    for words in (
        "1. Map the connection process\n   Achieved\n",
        "2. Cut the steps that add no value\n   Partly achieved\n",
        "Close-out 18 Apr 2025",
        "What the team can now do on its own  Map a process and find its waste without help.",
        "A longer pairing should follow       Yes — A year on the new connection system",
    ):
        assert words in shown


def test_a_request_not_yet_brokered_says_so(app, world, cli):
    with app.app_context():
        ident = requested(world.a, objectives=[]).id
        db.session.commit()
    out = cli("show", str(ident)).output
    for words in (
        "No practitioner is brokered yet.",
        "No objectives yet: agree them with the institution before brokering a practitioner.",
        "No one is named yet.",
        "No check-ins yet.",
    ):
        assert words in out
    assert "Close-out" not in out


@pytest.mark.parametrize(
    ("args", "option", "words"),
    [
        (("list", "--status", "finished"), "--status", "finished"),
        (("list", "--sector", "NOPE"), "--sector", "No sector has the code NOPE."),
        (
            ("list", "--institution", "NOPE"),
            "--institution",
            "No institution has the acronym NOPE.",
        ),
        (("show", "-3"), "ID", "-3"),
        (("list", "--as", "nobody@example.org"), "--as", "No active account has the e-mail"),
    ],
)
def test_a_bad_option_is_refused_naming_it(world, cli, args, option, words):
    result = cli(*args)
    assert result.exit_code == 2
    assert option in result.output and words in result.output


def test_a_partner_account_reads_no_engagement(world, cli, make_user):
    partner = make_user("partner")
    refused = cli("list", "--as", partner.email)
    assert refused.exit_code == 2
    assert f"The account {partner.email} may not read these records." in refused.output
