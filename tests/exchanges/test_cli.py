"""`scbi exchanges list | show | actions`: the pages' queries and scope on the command line,
as a table or CSV; bad options refused naming the option, with a non-zero exit code."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from scbi.auth.models import User
from scbi.dates import today
from scbi.exchanges import services
from scbi.exchanges.models import ExchangeAction
from scbi.exchanges.services import actions, participants
from scbi.extensions import db
from scbi.programme.models import Institution, Sector
from tests import factories
from tests.exchanges.helpers import exchange_of_a
from tests.helpers import table_rows as rows


@pytest.fixture
def world(app):
    return factories.world(app)


@pytest.fixture
def cli(app):
    def invoke(*args: str):
        return app.test_cli_runner().invoke(args=["scbi", "exchanges", *args])

    return invoke


def exchange_of_b(world, **fields) -> int:
    """A two-day exchange workshop of sector B next month, abroad, with mentee B."""
    admin = factories.admin()
    exchange = services.create_exchange(
        by=admin,
        **{
            "kind": "exchange_workshop",
            "title": "Seed certification workshop",
            "starts_on": today() + timedelta(days=30),
            "ends_on": today() + timedelta(days=31),
            "sector_ids": [world.b.sector_id],
            "host_organisation": "Kenya Plant Health Inspectorate Service",
            "host_country": "KE",
        }
        | fields,
    )
    participants.add_participant(exchange, by=admin, kind="mentee", mentee_id=world.b.mentee_id)
    db.session.commit()
    return exchange.id


def code_of(app, sector_id: int) -> str:
    with app.app_context():
        return db.session.get(Sector, sector_id).code


def ids(output: str) -> set[int]:
    """The ids a list printed."""
    return {int(key) for key in rows(output)}


def test_the_list_shows_each_exchange_with_its_figures(app, world, cli):
    with app.app_context():
        a = exchange_of_a(world)
        b = exchange_of_b(world)
        acronym = db.session.get(Institution, world.a.institution_id).acronym
    result = cli("list")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].split() == [
        "#",
        "Exchange",
        "Kind",
        "Dates",
        "State",
        "Host",
        "Sectors",
        "Participants",
        "Open",
        "Overdue",
    ]
    listed = rows(result.output)
    assert list(listed) == [str(b), str(a.id)]  # newest first
    row = listed[str(a.id)]
    assert row[1:3] == ["Grid code peer visit", "Study visit"]
    assert row[4] == "Held" and row[5].startswith(f"{acronym} — Institution")
    assert row[6:] == [code_of(app, world.a.sector_id), "3", "1", "1"]  # 3 people; 1 overdue
    assert listed[str(b)][4:6] == ["Planned", "Kenya Plant Health Inspectora…"]  # clipped


def test_the_list_filters_by_kind_state_sector_period_and_actions(app, world, cli):
    with app.app_context():
        a = exchange_of_a(world).id  # held last week
        b = exchange_of_b(world)  # next month
    assert ids(cli("list", "--kind", "study_visit").output) == {a}
    assert ids(cli("list", "--state", "planned").output) == {b}
    assert ids(cli("list", "--state", "held").output) == {a}
    assert cli("list", "--state", "under_way").output == "No exchanges match.\n"
    sector_b = code_of(app, world.b.sector_id).lower()  # a code in any case
    assert ids(cli("list", "--sector", sector_b).output) == {b}
    both = ("--sector", sector_b, "--sector", code_of(app, world.a.sector_id))
    assert ids(cli("list", *both).output) == {a, b}
    assert ids(cli("list", "--from", today().isoformat()).output) == {b}
    assert ids(cli("list", "--to", today().isoformat()).output) == {a}
    assert ids(cli("list", "--actions", "overdue").output) == {a}


def test_the_account_given_with_as_sees_only_what_it_may_read(app, world, cli):
    with app.app_context():
        a = exchange_of_a(world).id
        b = exchange_of_b(world)
    assert ids(cli("list").output) == {a, b}  # the only secretariat account, by default
    assert ids(cli("list", "--as", world.a.coordinator.email).output) == {a}
    assert ids(cli("list", "--as", world.b.mentee_user.email.upper()).output) == {b}
    mine = cli("list", "--actions", "mine", "--as", world.a.mentee_user.email)
    assert ids(mine.output) == {a}  # the overdue action is mentee A's
    hidden = cli("show", str(b), "--as", world.a.coordinator.email)
    assert hidden.exit_code == 1
    assert "Not found, or not visible to you." in hidden.output
    assert cli("actions", "--as", world.b.coordinator.email).output == "No follow-up actions.\n"


def test_the_csv_has_codes_iso_dates_and_no_formulas(app, world, cli):
    with app.app_context():
        a = exchange_of_a(world, title="=HYPERLINK('http://evil')").id
        acronym = db.session.get(Institution, world.a.institution_id).acronym
    result = cli("list", "--csv")
    assert result.exit_code == 0, result.output
    header, row = list(csv.reader(io.StringIO(result.output)))
    assert header[:6] == ["id", "kind", "title", "starts_on", "ends_on", "state"]
    assert row == [
        str(a),
        "study_visit",
        "'=HYPERLINK('http://evil')",
        (today() - timedelta(days=9)).isoformat(),
        (today() - timedelta(days=7)).isoformat(),
        "held",
        acronym,
        "",
        "",
        code_of(app, world.a.sector_id),
        "3",
        "1",
        "1",
    ]
    empty = cli("list", "--csv", "--kind", "peer_review")
    assert empty.output.splitlines() == [",".join(header)]


def test_show_prints_the_exchange_its_participants_actions_and_what_was_learnt(app, world, cli):
    with app.app_context():
        made = exchange_of_a(world)
        admin = factories.admin()
        action = db.session.get(ExchangeAction, made.action_id)
        actions.mark_done(action, by=admin, version=action.version, done_on=today())
        actions.add_action(
            action.exchange,
            by=admin,
            description="Share the grid code\nwith the planning unit",
            owner_name="Eric Habimana",
            due_on=today() + timedelta(days=10),
        )
        db.session.commit()
        mentee = db.session.get(User, world.a.mentee_user.id).full_name
    result = cli("show", str(made.id))
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith(f"Grid code peer visit (#{made.id})\nKind ")
    for words in (
        "Study visit",
        "How do they schedule maintenance?",
        "Grid planning",
        "Universal access by 2029",
        "What was learnt\nNot recorded yet.",
        "3 participants",
    ):
        assert words in out
    people = rows(out.split("3 participants")[1])
    assert people["Wanjiru Kamau"][1:] == [
        "External participant",
        "Energy and Petroleum Regulatory Authority",
        "Kenya",
    ]
    assert people[mentee][1] == "Mentee"
    listed = rows(out.split("Follow-up actions")[1])
    assert listed[str(made.action_id)][1:3] == ["Draft the maintenance schedule", mentee]
    assert listed[str(made.action_id)][4].startswith("Done on ")
    assert [row[1:3] for key, row in listed.items() if key != str(made.action_id)] == [
        ["Share the grid code with the planning unit", "Eric Habimana"]
    ]


def test_actions_lists_those_not_done_overdue_first_and_before_a_day(app, world, cli):
    with app.app_context():
        made = exchange_of_a(world)  # mentee A's action was due yesterday
        exchange = db.session.get(ExchangeAction, made.action_id).exchange
        admin = factories.admin()
        later = actions.add_action(
            exchange,
            by=admin,
            description="Report to the board",
            owner_id=world.a.coordinator.id,
            due_on=today() + timedelta(days=20),
        )
        done = actions.add_action(
            exchange, by=admin, description="Thank the hosts", owner_name="Someone", due_on=today()
        )
        actions.mark_done(done, by=admin, version=done.version)
        db.session.commit()
        later_id = later.id
    result = cli("actions")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines()[2:] if line.strip()]
    assert "Overdue" in lines[0] and "Draft the maintenance schedule" in lines[0]
    assert "Open" in lines[1] and "Report to the board" in lines[1]
    assert f"#{made.id} Grid code peer visit" in lines[1]
    assert lines[2] == "2 follow-up actions not yet done, 1 overdue."
    assert "Thank the hosts" not in result.output
    soon = cli("actions", "--due-before", today().isoformat())
    assert "Draft the maintenance schedule" in soon.output
    assert "Report to the board" not in soon.output
    assert soon.output.endswith("1 follow-up action not yet done, 1 overdue.\n")
    sector_b = code_of(app, world.b.sector_id)
    assert cli("actions", "--sector", sector_b).output == "No follow-up actions.\n"
    assert later_id


@pytest.mark.parametrize(
    ("args", "option", "words"),
    [
        (("list", "--kind", "holiday"), "--kind", "holiday"),
        (("list", "--state", "soon"), "--state", "soon"),
        (("list", "--sector", "NOPE"), "--sector", "No sector has the code NOPE."),
        (("list", "--from", "2025-13-01"), "--from", "Use the format YYYY-MM-DD."),
        (("list", "--to", "1980-01-01"), "--to", "outside the programme's calendar"),
        (
            ("list", "--from", "2025-03-02", "--to", "2025-03-01"),
            "--to",
            "The end must not be before the start.",
        ),
        (("list", "--actions", "all"), "--actions", "all"),
        (("actions", "--due-before", "tomorrow"), "--due-before", "YYYY-MM-DD"),
        (("show", "0"), "ID", "0"),
        (("list", "--as", "nobody@example.org"), "--as", "No active account has the e-mail"),
    ],
)
def test_a_bad_option_is_refused_naming_it(world, cli, args, option, words):
    result = cli(*args)
    assert result.exit_code == 2
    assert option in result.output and words in result.output


def test_who_reads_must_be_named_unless_one_secretariat_account_and_may_read(
    app, world, cli, make_user
):
    partner = make_user("partner")
    refused = cli("list", "--as", partner.email)
    assert refused.exit_code == 2
    assert f"The account {partner.email} may not read these records." in refused.output
    make_user("secretariat")
    several = cli("list")
    assert several.exit_code == 2
    assert "Several secretariat accounts are active" in several.output and "--as" in several.output
    assert cli("list", "--as", world.secretariat.email).exit_code == 0
    assert cli("show", "999999", "--as", world.secretariat.email).exit_code == 1


def test_the_output_is_in_the_acting_account_s_language(app, world, cli):
    with app.app_context():
        db.session.get(User, world.a.coordinator.id).language = "fr"
        db.session.commit()
    result = cli("list", "--as", world.a.coordinator.email)
    assert result.exit_code == 0
    assert result.output == "Aucun échange ne correspond.\n"


def test_the_list_reads_a_batch_at_a_time_with_each_batch_s_figures(app, world, cli, monkeypatch):
    monkeypatch.setattr("scbi.cli.exchanges.BATCH", 1)
    with app.app_context():
        a = exchange_of_a(world).id
        b = exchange_of_b(world)
    listed = rows(cli("list").output)
    assert list(listed) == [str(b), str(a)]
    assert [listed[str(b)][-3:], listed[str(a)][-3:]] == [["1", "0", "0"], ["3", "1", "1"]]
    lines = cli("list", "--csv").output.splitlines()
    assert [line.split(",")[0] for line in lines] == ["id", str(b), str(a)]
