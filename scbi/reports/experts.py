"""The mentees behind the critical mass's figures (docs/reports.md "Figures you can open"):
the national experts of one or more sectors on a date — or the counting mentees with one,
two, three or more core competencies still below the expert level — each with their level
on every core competency in force then, the validated assessment that set it and the logs
and evidence that assessment cites.

Who is listed comes from the critical mass's own sweep (scbi.reports.critical_mass), run
for that date with the rules in force on it, and grouped as the report's pipeline and its
breakdowns by gender and institution group it: the list and the figure cannot disagree.
The levels shown are read from the same kept level changes the sweep replays
(scbi.competencies.level_changes.level_on). A constant number of statements whatever the
number of mentees: the sweep's four, then the names, a page of mentees, their levels with
the assessment behind each, the assessments with their logs and evidence, and which of
those logs the reader may open.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from scbi.auth.models import User
from scbi.competencies.level_changes import level_on
from scbi.competencies.models import Assessment, AssessorRole
from scbi.competencies.standing import below_expert
from scbi.dates import today
from scbi.errors import ValidationFailed
from scbi.extensions import db
from scbi.filters import checked_choice, checked_day, whole_numbers
from scbi.loaders import hidden
from scbi.mentees.models import Gender, Mentee
from scbi.pagination import paginate_list
from scbi.programme.models import Competency
from scbi.reports import queries
from scbi.reports.access import visible_sectors
from scbi.reports.critical_mass import BUCKETS, bucket, standings
from scbi.reports.disaggregation import people
from scbi.transfer.models import TransferLog
from scbi.transfer.queries import readable_log_ids
from scbi.transfer.queries.log_filters import CHOSEN_WORDS, named_records, record_words


@dataclass
class CompetencyStanding:
    """A mentee's standing on one core competency on the date."""

    competency_id: int
    name: str
    idnumber: str
    level: int
    expert: bool  # at or above the sector's expert level
    assessment: Assessment | None = None  # the validated assessment that set the level
    openable: frozenset[int] = frozenset()  # the cited logs the reader may open


@dataclass
class MenteeStanding:
    mentee: Mentee
    below: int  # core competencies below the expert level
    expert_level: int
    competencies: list[CompetencyStanding] = field(default_factory=list)


@dataclass
class StandingList:
    """What the page shows: the date, the filters, the page of mentees."""

    on: date
    below: str | None
    sectors: list  # the Sector rows listed
    page: object  # scbi.pagination.paginate_list's page of MenteeStanding

    @property
    def experts_only(self) -> bool:
        return self.below == BUCKETS[0]


def _args(args) -> tuple[date, str | None, str | None]:
    fields: dict[str, list[str]] = {}
    on = checked_day(args, "on", fields) or today()
    below = checked_choice(args, "below", BUCKETS, fields)
    gender = checked_choice(args, "gender", [g.value for g in Gender], fields)
    if fields:
        raise ValidationFailed(fields=fields)
    return on, below, gender


def reached_sectors(user: User, args) -> list:
    """The sectors ``args`` names (``sector_id``, repeated for several) — each one whose
    reports ``user`` reads, else NotFound as for a report — or, none named, the active
    sectors whose reports they read (the programme overview's)."""
    asked = whole_numbers(args, "sector_id")
    if not asked:
        return visible_sectors(user)
    readable = {s.id: s for s in visible_sectors(user, active_only=False)}
    for ident in asked:
        if ident not in readable:
            raise hidden("sector", ident)
    return [readable[i] for i in dict.fromkeys(asked)]


def standing_list(user: User, args) -> StandingList:
    """The mentees a critical-mass figure counts (``on``, ``sector_id``, ``below``,
    ``gender``, ``institution_id``), by name, a page at a time."""
    on, below, gender = _args(args)
    institutions = set(whole_numbers(args, "institution_id"))
    sectors = reached_sectors(user, args)
    statuses = queries.mentee_statuses([s.id for s in sectors], on)
    found = standings(sectors, on, 1, statuses)
    who = people(statuses)
    matched: dict[int, tuple[int, int, frozenset[int]]] = {}
    for sector in sectors:
        standing = found[sector.id]
        for mentee, missing in standing.gaps.items():
            mentee_gender, institution = who[mentee]
            if below is not None and bucket(missing) != below:
                continue
            if gender is not None and mentee_gender != gender:
                continue
            if institutions and institution not in institutions:
                continue
            matched[mentee] = (missing, standing.rule.expert_level, standing.core)
    names = db.session.execute(
        select(Mentee.id, User.full_name)
        .join(User, User.id == Mentee.user_id)
        .where(Mentee.id.in_(list(matched)))
    ).all()
    ordered = [ident for ident, _name in sorted(names, key=lambda r: (r[1].casefold(), r[0]))]
    page = paginate_list(ordered, default_per_page=50)
    page.items = _details(user, page.items, matched, on)
    return StandingList(on=on, below=below, sectors=sectors, page=page)


def _details(user: User, ids: list[int], matched, on: date) -> list[MenteeStanding]:
    if not ids:
        return []
    mentees = {
        m.id: m
        for m in db.session.scalars(
            select(Mentee)
            .where(Mentee.id.in_(ids))
            .options(
                joinedload(Mentee.user), joinedload(Mentee.institution), joinedload(Mentee.sector)
            )
        )
    }
    core = set().union(*(matched[i][2] for i in ids))
    latest = (
        select(Assessment.id)
        .where(
            Assessment.mentee_id == Mentee.id,
            Assessment.competency_id == Competency.id,
            Assessment.assessed_on <= on,
            Assessment.assessor_role != AssessorRole.SELF,
        )
        .order_by(Assessment.assessed_on.desc(), Assessment.id.desc())
        .limit(1)
        .correlate(Mentee, Competency)
        .scalar_subquery()
    )
    pairs = db.session.execute(
        select(
            Mentee.id,
            Competency.id,
            Competency.short_name,
            Competency.idnumber,
            level_on(Mentee.id, Competency.id, on),
            latest,
        )
        .select_from(Mentee)
        .join(Competency, Competency.id.in_(core))
        .where(Mentee.id.in_(ids))
        .order_by(Competency.sort_order, Competency.short_name)
    ).all()
    assessments = {
        a.id: a
        for a in db.session.scalars(
            select(Assessment)
            .where(Assessment.id.in_([row[5] for row in pairs if row[5] is not None]))
            .options(selectinload(Assessment.logs).selectinload(TransferLog.evidence))
        )
    }
    readable = readable_log_ids(user, {log.id for a in assessments.values() for log in a.logs})
    rows = {i: MenteeStanding(mentees[i], matched[i][0], matched[i][1]) for i in ids}
    for mentee, competency, name, idnumber, level, assessed in pairs:
        _missing, expert_level, in_force = matched[mentee]
        if competency not in in_force:  # core in another listed sector only
            continue
        assessment = assessments.get(assessed)
        cited = frozenset(log.id for log in assessment.logs) if assessment else frozenset()
        rows[mentee].competencies.append(
            CompetencyStanding(
                competency_id=competency,
                name=name,
                idnumber=idnumber,
                level=level or 0,
                expert=not below_expert(level or 0, expert_level),
                assessment=assessment,
                openable=cited & readable,
            )
        )
    return [rows[i] for i in ids]


def common_words(args, sectors, named) -> list[tuple[tuple[str, ...], str]]:
    """The sectors, gender and institution a report list is narrowed to, in words
    (``named``: scbi.transfer.queries.log_filters.named_records's answer; the sectors are
    named by the rows listed)."""
    out = []
    if whole_numbers(args, "sector_id"):
        names = {("sector_id", s.id): s.name for s in sectors}
        out.append(record_words("sector_id", [s.id for s in sectors], names))
    if (gender := args.get("gender")) in Gender._value2member_map_:
        out.append((("gender",), CHOSEN_WORDS["gender"](gender)))
    if institutions := whole_numbers(args, "institution_id"):
        out.append(record_words("institution_id", institutions, named))
    return out


BUCKET_WORDS = {
    "0": _l("National experts: no core competency below the expert level"),
    "1": _l("One core competency below the expert level"),
    "2": _l("Two core competencies below the expert level"),
    "3+": _l("Three or more core competencies below the expert level"),
}


def standing_words(found: StandingList, args) -> list[tuple[tuple[str, ...], str]]:
    """The list's filters in words, for its chips (one statement when an institution is
    named)."""
    named = named_records({"institution_id": whole_numbers(args, "institution_id")})
    out = [(("on",), _("Standing on %(day)s", day=format_date(found.on)))]
    if found.below is not None:
        out.append((("below",), str(BUCKET_WORDS[found.below])))
    return out + common_words(args, found.sectors, named)
