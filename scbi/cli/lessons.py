"""``scbi lessons WORDS…``: the lessons register searched as an account searches it on its
page (docs/lessons.md), through the same query."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import ngettext

from scbi.cli.groups import scbi_cli
from scbi.cli.reading import (
    as_option,
    day,
    echo_heading,
    echo_pairs,
    in_language_of,
    reader,
    sector_id,
    span,
)
from scbi.lessons.models import LessonSource
from scbi.lessons.permissions import READERS
from scbi.lessons.queries.entries import Entry, first_found
from scbi.lessons.queries.search import Search, words_of


@scbi_cli.command("lessons")
@click.argument("words", nargs=-1)
@click.option(
    "--sector",
    "sector_codes",
    metavar="CODE",
    multiple=True,
    help="Only this sector's entries (its code; repeat it for several).",
)
@click.option(
    "--source",
    type=click.Choice([s.value for s in LessonSource]),
    help="Only the entries of this source.",
)
@click.option(
    "--limit",
    type=click.IntRange(1, 200),
    default=20,
    show_default=True,
    help="Show at most this many entries.",
)
@as_option
@with_appcontext
def lessons_command(words, sector_codes, source, limit, as_email):
    """Search the lessons register with the WORDS of a problem: the entries holding the
    most of them first, then the newest (without WORDS, every entry, newest first). Words
    of fewer than three letters are left out."""
    user = reader(as_email, READERS)
    search = Search(
        words=words_of(" ".join(words)),
        sector_ids=tuple(sector_id(code) for code in sector_codes),
        source=LessonSource(source) if source else None,
    )
    with in_language_of(user):
        total, found = first_found(user, search, limit)
        if not found:
            click.echo(_("No entry matches."))
            return
        click.echo(ngettext("%(num)d entry found.", "%(num)d entries found.", total))
        if total > len(found):
            click.echo(
                _("The first %(n)d are shown: narrow the search or raise --limit.", n=len(found))
            )
        for entry in found:
            _echo(entry, bool(search.words))


def _echo(entry: Entry, searched: bool) -> None:
    echo_heading(f"{entry.heading} ({entry.source.short} #{entry.source_id})")
    tags = [c.short_name for c in entry.competencies] + [t.label for t in entry.tags]
    score = ngettext("%(num)d word", "%(num)d words", entry.score)
    echo_pairs(
        [
            (entry.source.label, entry.detail),
            (_("Dates"), span(entry.start, entry.day) if entry.start else day(entry.day)),
            (_("Sectors"), ", ".join(s.name for s in entry.sectors)),
            (_("Tags"), ", ".join(tags)),
            (_("Matches"), score if searched else ""),
            *((part.label, part.text) for part in (*entry.problem, *entry.lesson)),
        ]
    )
