"""Retention after the programme in the reports (DESIGN.md "Reports"; issue 18): of the
mentees who left the programme, how many were followed up 6, 12 and 24 months after their
exit date, how many of those are still in public service, and how many now coach or
mentor others (the cascade) — per sector and for the programme, by gender (the four, each
on its own) and by institution.

For each milestone (docs/retention.md):

- ``due``: mentees whose exit date, on the report's as-of date, puts the follow-up on or
  before that date (scbi.retention.milestones: the exit date is the later of the last
  pairing's end, with none open, and the graduation, both as they stood on the as-of date);
- ``followed_up``: those of them with an answer given on or before the as-of date;
- ``retained``: those who answered they are still in public service;
- ``rate``: retained / followed_up (4 decimals; null when no one was followed up);
- ``cascade``: those who answered they now coach or mentor others.

``cascade`` beside the milestones counts the mentees whose latest answer (of a follow-up
that is due) says they coach or mentor others. The mentee's sector, gender and
institution are as recorded today (as in scbi.reports.disaggregation).

No statement of its own: the exits by pairings and the answers are two parts of the
statement that reads the mentees' dated statuses (scbi.reports.queries
.statuses_and_follow_ups), and the graduations are read off those statuses.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from flask_babel import gettext as _

from scbi.mentees.models import Gender, MenteeStatus
from scbi.reports.disaggregation import split
from scbi.reports.headline import GENDERS
from scbi.retention import milestones
from scbi.retention.models import MILESTONES
from scbi.retention.queries.reports import read_report_rows

FIGURES = ("due", "followed_up", "retained", "rate", "cascade")


class _Group:
    def __init__(self):
        self.counts = {
            m: dict.fromkeys(("due", "followed_up", "retained", "cascade"), 0) for m in MILESTONES
        }
        self.coaching = 0

    def add(self, found: list[tuple[int, object]], coaching: bool) -> None:
        """``found``: each milestone due, with the answer given (None: not followed up)."""
        for months, answer in found:
            row = self.counts[months]
            row["due"] += 1
            if answer is not None:
                row["followed_up"] += 1
                row["retained"] += answer.retained
                row["cascade"] += answer.coaching
        self.coaching += coaching

    def data(self) -> dict:
        out: dict = {}
        for months, row in self.counts.items():
            followed = row["followed_up"]
            out[str(months)] = {
                "due": row["due"],
                "followed_up": followed,
                "retained": row["retained"],
                "rate": round(row["retained"] / followed, 4) if followed else None,
                "cascade": row["cascade"],
            }
        out["cascade"] = self.coaching
        return out


def graduations(statuses, as_of: date) -> dict[int, date]:
    """``{mentee: day}`` of those whose status on ``as_of`` is graduated, from the rows of
    scbi.reports.queries.mentee_statuses (oldest first): the day it took effect."""
    last: dict[int, tuple] = {}
    for status_on, _id, mentee, _sector, status, *_rest in statuses:
        if status_on <= as_of:
            last[mentee] = (status, status_on)
    return {m: day for m, (status, day) in last.items() if status == MenteeStatus.GRADUATED}


def institution_names(rows) -> dict[int, tuple[str, str]]:
    """``{id: (acronym, name)}`` from scbi.reports.queries.institution_minutes's rows."""
    return {row[0]: (row[1], row[2]) for row in rows}


def retention(statuses, follow_up_rows, as_of: date, names, sectors=None) -> dict:
    """The ``retention`` block of a report: the figures of the mentees of the statuses
    read, ``by_gender`` and ``by_institution`` (``names``: ``{id: (acronym, name)}``);
    with ``sectors`` (the overview), ``by_sector`` too."""
    ended, answers = read_report_rows(follow_up_rows)
    graduated = graduations(statuses, as_of)
    person = {row[2]: (row[3], row[5], row[6]) for row in statuses}  # sector, gender, inst.
    total, by_sector = _Group(), defaultdict(_Group)
    by_gender = {g: _Group() for g in GENDERS}
    by_institution: dict[int, _Group] = {}
    for mentee in sorted(set(ended) | set(graduated)):
        exit_on = milestones.exit_date(ended.get(mentee), graduated.get(mentee))
        if exit_on is None or exit_on > as_of or mentee not in person:
            continue
        sector, gender, institution = person[mentee]
        given = answers.get(mentee, {})
        found = [(m, given.get(m)) for m in MILESTONES if milestones.due_on(exit_on, m) <= as_of]
        latest = next((a for _m, a in reversed(found) if a is not None), None)
        coaching = latest is not None and latest.coaching
        groups = (
            total,
            by_sector[sector],
            by_gender[gender],
            by_institution.setdefault(institution, _Group()),
        )
        for group in groups:
            group.add(found, coaching)
    out = {**total.data(), **split(by_gender, by_institution, names)}
    if sectors is not None:
        out["by_sector"] = [
            {
                "sector_id": s.id,
                "code": s.code,
                "name": s.name,
                **(by_sector[s.id] if s.id in by_sector else _Group()).data(),
            }
            for s in sectors
        ]
    return out


def workbook_sheets(block: dict) -> list[tuple[str, list[dict]]]:
    """The workbook's sheets of a retention block, ``(title, rows)``: the milestones, then
    by sector (the overview), by gender (by its label) and by institution, each group's
    figures flattened (:func:`flat`)."""
    milestones_rows = [
        {"months": int(m), **{k: (block.get(str(m)) or {}).get(k) for k in FIGURES}}
        for m in MILESTONES
    ]
    sheets = [(_("Retention"), milestones_rows)]
    if "by_sector" in block:
        rows = [{"code": s["code"], "sector": s["name"], **flat(s)} for s in block["by_sector"]]
        sheets.append((_("Retention by sector"), rows))
    if "by_gender" in block:
        rows = [
            {"gender": Gender(g).short if g in Gender._value2member_map_ else g, **flat(f)}
            for g, f in block["by_gender"].items()
        ]
        sheets.append((_("Retention by gender"), rows))
    if "by_institution" in block:
        rows = [
            {
                "institution_id": int(i),
                "acronym": f.get("acronym"),
                "name": f.get("name"),
                **flat(f),
            }
            for i, f in block["by_institution"].items()
        ]
        sheets.append((_("Retention by institution"), rows))
    return sheets


def flat(figures: dict) -> dict:
    """One group's figures as ``{"due_6": 4, …, "cascade": 1}`` (the workbook's columns)."""
    row = {}
    for months in MILESTONES:
        for name in FIGURES:
            row[f"{name}_{months}"] = (figures.get(str(months)) or {}).get(name)
    row["cascade"] = figures.get("cascade")
    return row
