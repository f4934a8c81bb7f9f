"""What skills transfer adds to the pages of the features below it: the pairings on a
coach's and a mentee's page, the buttons that start one, and the programme's count of
active pairings per sector."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from scbi.coaches import views as coach_pages
from scbi.coaches.queries import active_mentee_counts
from scbi.hooks import Column, Link, Part, Section
from scbi.mentees import views as mentee_pages
from scbi.programme.views import setup as programme_pages
from scbi.transfer import queries
from scbi.transfer.permissions import can_pair_coach, can_pair_mentee


def _pairings(pairings) -> Section:
    return Section(
        _("Pairings"),
        "transfer/_pairings_section.html",
        {"pairings": pairings},
    )


@mentee_pages.page.answer
def mentee_part(user, mentee) -> Part:
    links = []
    if can_pair_mentee(user, mentee):
        links.append(
            Link(
                _("Pair with a coach"),
                url_for("transfer.pairing_new", mentee_id=mentee.id),
                primary=True,
            )
        )
    return Part(links=tuple(links), sections=(_pairings(queries.pairings_of(user, mentee=mentee)),))


@coach_pages.page.answer
def coach_part(user, coach) -> Part:
    active = active_mentee_counts([coach.id]).get(coach.id, 0)
    links = []
    if can_pair_coach(user, coach, active):
        links.append(
            Link(
                _("Pair with a mentee"),
                url_for("transfer.pairing_new", coach_id=coach.id),
                primary=True,
            )
        )
    fact = (_("Mentees"), _("%(n)d active of at most %(max)d", n=active, max=coach.max_mentees))
    return Part(
        links=tuple(links),
        facts=(fact,),
        sections=(_pairings(queries.pairings_of(user, coach=coach)),),
    )


@programme_pages.sector_counts.answer
def pairings_per_sector(user) -> Column:
    return Column(
        _("Active pairings"),
        queries.active_pairings_per_sector(),
        lambda sector_id: url_for("transfer.pairings", sector_id=sector_id),
    )
