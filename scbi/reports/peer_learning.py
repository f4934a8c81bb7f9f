"""Peer exchanges and short engagements in the reports (DESIGN.md "Reports"; issue 19): for
the sector(s) of a report and its period,

- ``exchanges``: the exchanges held at some time of the period (up to its as-of date) that
  concern the sector — ``held``, and ``by_kind``;
- ``participants``: their participants, ``total``, ``by_gender`` — the four of the
  report's other breakdowns, each on its own, and ``not_recorded`` (a coach's, or someone
  from outside who gave none) — and ``by_kind`` (mentee, coach, external), each kind with
  its ``total`` and ``by_gender``;
- ``countries``: how many countries those exchanges ``involved`` (the host's abroad, the
  people's from outside), and ``by_country`` the number of exchanges that involved each,
  by ISO code (the pages name them in the reader's language);
- ``follow_up_actions``: the follow-up actions of the sector's exchanges begun by the as-of
  date that were still open that day (not done, or done later), and how many of them were
  overdue (due before it);
- ``engagements``: the sector's short engagements — requests received (``opened``),
  engagements started, closed, declined and withdrawn in the period, the closed ones'
  ``outcomes`` per objective (achieved, partly, not) and the close-outs that recommend a
  longer pairing (``longer_pairings``).

The overview gives the programme's (an exchange of two sectors counted once) and
``by_sector``. No statement of its own: the rows are parts of the UNION ALL that reads the
mentees' dated statuses (scbi.reports.queries.statuses_and_follow_ups).
"""

from __future__ import annotations

from collections import Counter, defaultdict

from flask_babel import gettext as _

from scbi.engagements.models import ObjectiveOutcome
from scbi.engagements.queries.reports import read_report_rows as read_engagements
from scbi.exchanges.countries import country_name
from scbi.exchanges.models import ExchangeKind, ParticipantKind
from scbi.exchanges.queries.figures import NOT_RECORDED, ExchangeRows
from scbi.exchanges.queries.figures import read_report_rows as read_exchanges
from scbi.mentees.models import Gender
from scbi.reports.headline import GENDERS
from scbi.reports.periods import Period

PARTICIPANT_GENDERS = (*GENDERS, NOT_RECORDED)
KINDS = tuple(k.value for k in ExchangeKind)
PEOPLE = tuple(k.value for k in ParticipantKind)
ENDED = ("closed", "declined", "withdrawn")
OUTCOMES = tuple(o.value for o in ObjectiveOutcome)


def peer_learning(rows, period: Period, sectors) -> dict[int | None, dict]:
    """The block of each of ``sectors`` (by id) and of them all (``None``), from the rows
    of scbi.reports.queries.statuses_and_follow_ups."""
    found = read_exchanges(rows)
    by_sector: dict[int, list] = defaultdict(list)
    for row in rows:
        if row[0].startswith("e"):
            by_sector[row[4]].append(row)
    out: dict[int | None, dict] = {}
    for sector in sectors:
        actions = found.actions.get(sector.id, {})
        out[sector.id] = _block(
            found, found.sectors.get(sector.id, set()), actions, by_sector[sector.id], period
        )
    every: set[int] = set().union(*found.sectors.values())
    actions = {a: late for theirs in found.actions.values() for a, late in theirs.items()}
    engagements = [row for sector in sectors for row in by_sector[sector.id]]
    out[None] = _block(found, every, actions, engagements, period)
    return out


def overview_block(blocks: dict[int | None, dict], sectors) -> dict:
    """The overview's: the programme's figures, and ``by_sector`` (code and name first)."""
    return {
        **blocks[None],
        "by_sector": [
            {"sector_id": s.id, "code": s.code, "name": s.name, **blocks[s.id]} for s in sectors
        ],
    }


def _participants() -> dict:
    def group() -> dict:
        return {"total": 0, "by_gender": dict.fromkeys(PARTICIPANT_GENDERS, 0)}

    return {**group(), "by_kind": {kind: group() for kind in PEOPLE}}


def _block(found: ExchangeRows, held: set[int], actions: dict, engagements, period) -> dict:
    kinds = Counter(found.kind[e] for e in held)
    people = _participants()
    countries: Counter[str] = Counter()
    for exchange in held:
        for kind, gender in found.people.get(exchange, ()):
            for row in (people, people["by_kind"][kind]):
                row["by_gender"][gender] += 1
                row["total"] += 1
        countries.update(found.countries.get(exchange, ()))
    figures = read_engagements(engagements, period.start, period.end)
    return {
        "exchanges": {"held": len(held), "by_kind": {k: kinds[k] for k in KINDS}},
        "participants": people,
        "countries": {"involved": len(countries), "by_country": dict(sorted(countries.items()))},
        "follow_up_actions": {"open": len(actions), "overdue": sum(actions.values())},
        "engagements": {
            "opened": figures.opened,
            "started": figures.started,
            **{name: getattr(figures, name) for name in ENDED},
            "outcomes": {o.value: figures.outcomes[o] for o in ObjectiveOutcome},
            "longer_pairings": figures.longer_pairings,
        },
    }


# --- the workbook ----------------------------------------------------------------------------


def _gender_word(key: str) -> str:
    return _("not recorded") if key == NOT_RECORDED else Gender(key).short


def _named() -> dict[str, str]:
    """The block's single figures by their path in it, in words."""
    return {
        "exchanges.held": _("Exchanges held"),
        "participants.total": _("Participants"),
        "countries.involved": _("Countries involved"),
        "follow_up_actions.open": _("Follow-up actions open on the as-of date"),
        "follow_up_actions.overdue": _("Follow-up actions overdue on the as-of date"),
        "engagements.opened": _("Engagement requests received"),
        "engagements.started": _("Engagements started"),
        "engagements.closed": _("Engagements closed"),
        "engagements.declined": _("Engagement requests declined"),
        "engagements.withdrawn": _("Engagement requests withdrawn"),
        "engagements.longer_pairings": _("Close-outs recommending a longer pairing"),
    }


def figure_name(path: str) -> str | None:
    """What a reader calls the figure at ``path`` in the block (``exchanges.by_kind
    .peer_review``: "Exchanges held: Peer review"), as the workbook and the publication's
    differences name it; None for a path it does not know."""
    if name := _named().get(path):
        return name
    parts = path.split(".")
    if parts[0] == "participants":
        return _participants_name(parts[1:])
    if len(parts) != 3:
        return None
    group, kind, key = parts
    if group == "exchanges" and kind == "by_kind" and key in KINDS:
        return _("Exchanges held: %(kind)s", kind=ExchangeKind(key).label)
    if group == "engagements" and kind == "outcomes" and key in OUTCOMES:
        return _("Objectives %(outcome)s", outcome=ObjectiveOutcome(key).short)
    if group == "countries" and kind == "by_country":
        return _("Exchanges involving %(country)s", country=country_name(key))
    return None


def _participants_name(parts: list[str]) -> str | None:
    """``by_gender.male``, ``by_kind.coach.total``, ``by_kind.coach.by_gender.male``."""
    if parts[:1] == ["by_gender"] and len(parts) == 2 and parts[1] in PARTICIPANT_GENDERS:
        return _("Participants, %(gender)s", gender=_gender_word(parts[1]))
    if parts[:1] != ["by_kind"] or len(parts) < 3 or parts[1] not in PEOPLE:
        return None
    kind = ParticipantKind(parts[1]).label
    if parts[2:] == ["total"]:
        return _("Participants: %(kind)s", kind=kind)
    if parts[2:3] == ["by_gender"] and len(parts) == 4 and parts[3] in PARTICIPANT_GENDERS:
        return _("Participants: %(kind)s, %(gender)s", kind=kind, gender=_gender_word(parts[3]))
    return None


FIGURES = (
    "exchanges.held",
    *(f"exchanges.by_kind.{k}" for k in KINDS),
    "participants.total",
    "countries.involved",
    "follow_up_actions.open",
    "follow_up_actions.overdue",
    *(f"engagements.{k}" for k in ("opened", "started", *ENDED, "longer_pairings")),
    *(f"engagements.outcomes.{o}" for o in OUTCOMES),
)


def _figures(block: dict) -> list[tuple[str, int]]:
    """The block's figures in words, one a row (:data:`FIGURES`)."""
    rows = []
    for path in FIGURES:
        value = block
        for part in path.split("."):
            value = value[part]
        rows.append((figure_name(path), value))
    return rows


def workbook_sheets(block: dict) -> list[tuple[str, list[str], list[list]]]:
    """The workbook's sheets of a block, ``(title, header, rows)`` in words: its figures,
    the participants by kind and gender, the countries, and (the overview) by sector."""
    figures = _figures(block)
    every = block["participants"]
    people = [
        [ParticipantKind(kind).label, *row["by_gender"].values(), row["total"]]
        for kind, row in every["by_kind"].items()
    ]
    people.append([_("All"), *every["by_gender"].values(), every["total"]])
    sheets = [
        (_("Peer exchanges, engagements"), [_("figure"), _("value")], figures),
        (
            _("Exchange participants"),
            [_("participants"), *(_gender_word(g) for g in every["by_gender"]), _("all")],
            people,
        ),
        (
            _("Exchange countries"),
            [_("country"), _("code"), _("exchanges")],
            [[country_name(c), c, n] for c, n in block["countries"]["by_country"].items()],
        ),
    ]
    if "by_sector" in block:
        names = [words for words, _n in _figures(block)]
        rows = [[s["code"], s["name"], *(n for _w, n in _figures(s))] for s in block["by_sector"]]
        sheets.append((_("Peer learning by sector"), [_("code"), _("sector"), *names], rows))
    return sheets
