"""``scbi engagements``: short engagements as an account reads them on the pages
(docs/engagements.md) — the list and its filters, and one engagement — through the same
queries."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.datastructures import MultiDict

from scbi.cli.groups import scbi_cli
from scbi.cli.reading import (
    as_option,
    clip,
    csv_option,
    day,
    echo_csv,
    echo_heading,
    echo_pairs,
    echo_table,
    in_language_of,
    institution_id,
    reader,
    sector_id,
    span,
)
from scbi.dates import today
from scbi.engagements import queries
from scbi.engagements.models import PractitionerKind
from scbi.engagements.permissions import READERS
from scbi.errors import NotFound
from scbi.extensions import db
from scbi.validation import MAX_ID

BATCH = 500  # engagements read this many at a time
CSV_HEADER = (
    "id",
    "status",
    "institution",
    "sector",
    "received_on",
    "requested_by_name",
    "problem",
    "practitioner_kind",
    "practitioner",
    "start_date",
    "weeks",
    "end_date",
    "close_out_due",
    "ended_on",
)


@scbi_cli.group("engagements")
def engagements_cli():
    """Short engagements, as an account reads them (--as)."""


@engagements_cli.command("list", short_help="The engagements, filtered; a table or CSV.")
@click.option(
    "--status",
    type=click.Choice(queries.STATUS_FILTERS),
    default=queries.OPEN,
    show_default=True,
    help="A state; open (requested, brokered or active); due (active, its weeks over: the "
    "close-out is due); all.",
)
@click.option(
    "--sector",
    "sector_codes",
    metavar="CODE",
    multiple=True,
    help="Only this sector's, by its code (repeat for several).",
)
@click.option("--institution", metavar="ACRONYM", help="Only this institution's (its acronym).")
@csv_option
@as_option
@with_appcontext
def list_command(status, sector_codes, institution, as_csv, as_email):
    """The short engagements the account may read, the latest request first (the list
    page's filters)."""
    user = reader(as_email, READERS)
    with in_language_of(user):
        args = MultiDict(
            [("status", status)]
            + [("sector_id", str(sector_id(code))) for code in sector_codes]
            + ([("institution_id", str(institution_id(institution)))] if institution else [])
        )
        query = queries.engagement_list(user, args).execution_options(yield_per=BATCH)
        found, on = db.session.scalars(query), today()
        if as_csv:
            echo_csv(CSV_HEADER, (_csv_row(e, on) for e in found))
            return
        headers = (
            "#",
            _("Institution"),
            _("Sector"),
            _("Received"),
            _("Practitioner"),
            _("Span"),
            _("Status"),
            _("Close-out due"),
            _("Problem"),
        )
        table = [
            (
                str(e.id),
                e.institution.acronym,
                e.sector.code,
                day(e.received_on),
                e.practitioner_name or "—",
                span(e.start_date, e.end_date),
                e.status.label,
                _("Yes") if e.close_out_due_on(on) else "",
                clip(e.problem),
            )
            for e in found
        ]
        echo_table(headers, table, empty=_("No short engagements match."))


def _csv_row(e, on) -> tuple:
    kind = e.practitioner_kind
    return (
        e.id,
        e.status.value,
        e.institution.acronym,
        e.sector.code,
        e.received_on,
        e.requested_by_name,
        e.problem,
        kind.value if kind else None,
        e.practitioner_name or None,
        e.start_date,
        e.weeks,
        e.end_date,
        e.close_out_due_on(on),
        e.ended_on,
    )


@engagements_cli.command("show", short_help="One engagement, from request to close-out.")
@click.argument("engagement_id", metavar="ID", type=click.IntRange(1, MAX_ID))
@as_option
@with_appcontext
def show_command(engagement_id: int, as_email):
    """Short engagement ID: the request, the practitioner and span, the objectives with
    their outcomes, the close-out, the counterpart team and the check-ins."""
    user = reader(as_email, READERS)
    with in_language_of(user):
        try:
            e = queries.engagement_or_404(user, engagement_id)
        except NotFound as error:
            raise click.ClickException(error.message) from None
        click.echo(
            _("Short engagement with %(institution)s", institution=e.institution.acronym)
            + f" (#{e.id})"
        )
        if e.close_out_due_on(today()):
            click.echo(
                _(
                    "The engagement's weeks ended on %(day)s: its close-out is due.",
                    day=day(e.end_date),
                )
            )
        _request(e)
        _practitioner(e)
        _objectives(e)
        _close_out(e)
        echo_heading(_("Counterpart team"))
        echo_table(
            (_("Name"), _("Position"), ""),
            [(m.name, m.position, _("mentee") if m.mentee_id else "") for m in e.members],
            empty=_("No one is named yet."),
        )
        _check_ins(e)


def _request(e) -> None:
    echo_heading(_("The request"))
    requester = ", ".join(filter(None, (e.requested_by_name, e.requested_by_role)))
    echo_pairs(
        [
            (_("Status"), e.status.label),
            (_("Institution"), f"{e.institution.name} ({e.institution.acronym})"),
            (_("Sector"), e.sector.name),
            (_("Received"), f"{day(e.received_on)} — {requester}"),
            (_("The problem"), e.problem),
            (_("The result it hopes for"), e.hoped_result),
            (e.status.label.capitalize(), e.end_reason and f"{day(e.ended_on)} — {e.end_reason}"),
        ]
    )


def _practitioner(e) -> None:
    echo_heading(_("Practitioner and span"))
    kind = e.practitioner_kind
    if kind is None:
        click.echo(_("No practitioner is brokered yet."))
        return
    if kind == PractitionerKind.COACH:
        who = f"{e.coach.full_name} · {e.coach.organisation}"
    else:
        who = f"{e.expert_name} · {e.expert_organisation}, {e.expert_country}\n{e.expert_email}"
    weeks = ngettext("%(num)d week", "%(num)d weeks", e.weeks)
    echo_pairs([(kind.label, who), (_("Span"), f"{span(e.start_date, e.end_date)}\n{weeks}")])


def _objectives(e) -> None:
    """Each objective, numbered, with its outcome once closed out."""
    echo_heading(_("Objectives"))
    if not e.objectives:
        click.echo(
            _("No objectives yet: agree them with the institution before brokering a practitioner.")
        )
    for o in e.objectives:
        click.echo(f"{o.number}. {o.text}")
        if o.outcome is not None:
            outcome = o.outcome.label
            click.echo(f"   {outcome} — {o.outcome_note}" if o.outcome_note else f"   {outcome}")


def _close_out(e) -> None:
    found = queries.close_out(e)
    if found is None:
        return
    echo_heading(f"{_('Close-out')} {day(found.closed_on)}")
    follow = _("Yes") if found.longer_pairing else _("No")
    if found.longer_pairing_note:
        follow = f"{follow} — {found.longer_pairing_note}"
    echo_pairs(
        [
            (_("What the team can now do on its own"), found.team_can_now),
            (_("A longer pairing should follow"), follow),
        ]
    )


def _check_ins(e) -> None:
    echo_heading(_("Check-ins"))
    recorded = queries.check_ins_of(e.id)
    if not recorded:
        click.echo(_("No check-ins yet."))
    numbers = {o.id: o.number for o in e.objectives}
    for check_in in recorded:
        click.echo(
            f"{day(check_in.held_on)} — "
            + _("recorded by %(name)s", name=check_in.recorded_by.full_name)
        )
        for line in check_in.note.splitlines():
            click.echo(f"  {line}")
        for flag in check_in.progress:
            click.echo(
                f"  {_('Objective %(n)s:', n=numbers[flag.objective_id])} {flag.progress.label}"
            )
