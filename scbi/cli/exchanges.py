"""``scbi exchanges``: peer exchanges as an account reads them on the pages
(docs/exchanges.md) — the list and its filters, one exchange, and the follow-up actions
not yet done — through the same queries."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.datastructures import MultiDict

from scbi.cli.groups import scbi_cli
from scbi.cli.reading import (
    Day,
    as_option,
    clip,
    csv_option,
    day,
    echo_csv,
    echo_heading,
    echo_pairs,
    echo_table,
    in_language_of,
    reader,
    refuse_backwards,
    sector_id,
    span,
)
from scbi.dates import today
from scbi.errors import NotFound
from scbi.exchanges.countries import country_name
from scbi.exchanges.models import ExchangeKind
from scbi.exchanges.permissions import READERS
from scbi.exchanges.queries import detail, lists
from scbi.exchanges.queries.scope import exchange_or_404
from scbi.extensions import db
from scbi.validation import MAX_ID

BATCH = 500  # exchanges read, and their rows' figures counted, this many at a time
CSV_HEADER = (
    "id",
    "kind",
    "title",
    "starts_on",
    "ends_on",
    "state",
    "host_institution",
    "host_organisation",
    "host_country",
    "sectors",
    "participants",
    "open_actions",
    "overdue_actions",
)


@scbi_cli.group("exchanges")
def exchanges_cli():
    """Peer exchanges and their follow-up actions, as an account reads them (--as)."""


@exchanges_cli.command("list", short_help="The exchanges, filtered; a table or CSV.")
@click.option("--kind", type=click.Choice([k.value for k in ExchangeKind]), help="Only this kind.")
@click.option(
    "--state",
    type=click.Choice(lists.STATES),
    help="Planned (not begun), under way or held (ended) today.",
)
@click.option(
    "--sector",
    "sector_codes",
    metavar="CODE",
    multiple=True,
    help="Those that concern this sector, by its code (repeat for several).",
)
@click.option("--from", "start", type=Day(), help="Held at some time on or after this day.")
@click.option("--to", "end", type=Day(), help="Held at some time on or before this day.")
@click.option(
    "--actions",
    type=click.Choice(lists.ACTION_FILTERS),
    help="With follow-up actions not yet done (open), overdue ones (overdue), or not yet "
    "done ones the account owns (mine).",
)
@csv_option
@as_option
@with_appcontext
def list_command(kind, state, sector_codes, start, end, actions, as_csv, as_email):
    """The peer exchanges the account may read, newest first, with their participants and
    the follow-up actions not yet done (the list page's filters)."""
    user = reader(as_email, READERS)
    with in_language_of(user):
        refuse_backwards(start, end)
        filters = {"kind": kind, "state": state, "from": start, "to": end, "actions": actions}
        args = MultiDict(
            [(name, str(value)) for name, value in filters.items() if value]
            + [("sector_id", str(sector_id(code))) for code in sector_codes]
        )
        rows, on = _listed(user, args), today()
        if as_csv:
            echo_csv(CSV_HEADER, (_csv_row(e, figures, on) for e, figures in rows))
            return
        headers = (
            "#",
            _("Exchange"),
            _("Kind"),
            _("Dates"),
            _("State"),
            _("Host"),
            _("Sectors"),
            _("Participants"),
            _("Open"),
            _("Overdue"),
        )
        table = [_table_row(e, figures, on) for e, figures in rows]
        echo_table(headers, table, empty=_("No exchanges match."))


def _listed(user, args):
    """The list's exchanges with their rows' figures, read :data:`BATCH` at a time."""
    found = db.session.scalars(lists.exchange_list(user, args).execution_options(yield_per=BATCH))
    for batch in found.partitions():
        figures = lists.listed(user, batch)
        yield from ((e, figures[e.id]) for e in batch)


def _table_row(e, figures, on) -> tuple[str, ...]:
    return (
        str(e.id),
        clip(e.title),
        e.kind.label,
        span(e.starts_on, e.ends_on),
        e.state_on(on).label,
        clip(detail.host_label(e), 30),
        " ".join(s.code for s in e.sectors),
        str(figures.participants),
        str(figures.open_actions),
        str(figures.overdue_actions),
    )


def _csv_row(e, figures, on) -> tuple:
    return (
        e.id,
        e.kind.value,
        e.title,
        e.starts_on,
        e.ends_on,
        e.state_on(on).value,
        e.host_institution.acronym if e.host_institution else None,
        e.host_organisation,
        e.host_country,
        " ".join(s.code for s in e.sectors),
        figures.participants,
        figures.open_actions,
        figures.overdue_actions,
    )


@exchanges_cli.command("show", short_help="One exchange, its people and its actions.")
@click.argument("exchange_id", metavar="ID", type=click.IntRange(1, MAX_ID))
@as_option
@with_appcontext
def show_command(exchange_id: int, as_email):
    """Peer exchange ID: what it was, who took part, its follow-up actions (owner, due
    date, done or not) and what was learnt."""
    user = reader(as_email, READERS)
    with in_language_of(user):
        try:
            exchange = exchange_or_404(user, exchange_id)
        except NotFound as error:
            raise click.ClickException(error.message) from None
        on = today()
        click.echo(f"{exchange.title} (#{exchange.id})")
        echo_pairs(
            [
                (_("Kind"), exchange.kind.label),
                (_("Dates"), span(exchange.starts_on, exchange.ends_on)),
                (_("State"), exchange.state_on(on).label),
                (_("Host"), detail.host_label(exchange)),
                (_("Sectors"), ", ".join(s.name for s in exchange.sectors)),
                (_("Questions it set out to answer"), exchange.questions),
                (_("Competencies"), ", ".join(c.short_name for c in exchange.competencies)),
                (_("Priority results"), "\n".join(r.title for r in exchange.results)),
            ]
        )
        echo_heading(_("What was learnt"))
        click.echo(exchange.learnt or _("Not recorded yet."))
        people = detail.participants(exchange)
        echo_heading(ngettext("%(num)d participant", "%(num)d participants", len(people)))
        echo_table(
            (_("Name"), _("Kind"), _("Organisation"), _("Country")),
            [
                (p.full_name, p.kind.label, _organisation(p), country_name(p.country))
                for p in people
            ],
            empty=_("No participants recorded yet."),
        )
        echo_heading(_("Follow-up actions"))
        echo_table(
            ("#", _("Description"), _("Owner"), _("Due on"), _("State")),
            [
                (str(a.id), clip(a.description, 50), a.owner_label, day(a.due_on), _state(a, on))
                for a in exchange.actions
            ],
            empty=_("No follow-up actions."),
        )


def _organisation(participant) -> str:
    """Where a participant comes from, as the exchange's page says it."""
    if participant.mentee is not None:
        return participant.mentee.institution.acronym
    if participant.coach is not None:
        return participant.coach.organisation
    return participant.organisation or ""


def _state(action, on) -> str:
    if action.done_on is not None:
        return _("Done on %(day)s", day=day(action.done_on))
    return _("Overdue") if action.overdue_on(on) else _("Open")


@exchanges_cli.command("actions", short_help="Follow-up actions not yet done, overdue first.")
@click.option(
    "--due-before", type=Day(), help="Only those due before this day (default: all not done)."
)
@click.option(
    "--sector",
    "sector_codes",
    metavar="CODE",
    multiple=True,
    help="Of exchanges that concern this sector, by its code (repeat for several).",
)
@as_option
@with_appcontext
def actions_command(due_before, sector_codes, as_email):
    """The follow-up actions not yet done of the exchanges the account may read, the
    earliest due first (so the overdue ones lead): what to chase until each is done."""
    user = reader(as_email, READERS)
    with in_language_of(user):
        sector_ids = [sector_id(code) for code in sector_codes]
        on = today()
        found = db.session.scalars(
            lists.open_actions(user, due_before=due_before, sector_ids=sector_ids)
        ).all()
        echo_table(
            (_("Due on"), _("State"), _("Description"), _("Owner"), _("Exchange")),
            [
                (
                    day(a.due_on),
                    _state(a, on),
                    clip(a.description, 50),
                    a.owner_label,
                    f"#{a.exchange_id} {clip(a.exchange.title, 30)}",
                )
                for a in found
            ],
            empty=_("No follow-up actions."),
        )
        if found:
            overdue = sum(a.overdue_on(on) for a in found)
            click.echo(
                ngettext(
                    "%(num)d follow-up action not yet done, %(overdue)d overdue.",
                    "%(num)d follow-up actions not yet done, %(overdue)d overdue.",
                    len(found),
                    overdue=overdue,
                )
            )
