"""The report's figures by gender and by institution (DESIGN.md "Reports"; issue 18):
national experts and the pipeline at the period's end, acknowledged and led coaching hours
in the period, and the competency gains of the plans in force — each gender on its own
(female, male, other, undisclosed: never merged), each institution by its id.

No statement of its own: the experts and the pipeline come from the critical mass's sweep
(each counting mentee's core competencies still below the expert level) with the gender
and institution the report's dated statuses already carry; the hours from
scbi.reports.queries.institution_minutes (the institutions' hours, grouped by the mentee's
gender and part too); the gains from the plan items the report reads. Every breakdown adds
up to the undisaggregated figure.
"""

from __future__ import annotations

from collections import defaultdict

from scbi.mentees.models import Gender
from scbi.reports.critical_mass import pipeline_of
from scbi.reports.headline import GENDERS  # the four, in the enum's order
from scbi.transfer.models import MenteeRole


def _hours(minutes: int) -> float:
    return round(minutes / 60, 2)


def people(statuses) -> dict[int, tuple[str, int]]:
    """``{mentee_id: (gender, institution_id)}`` from scbi.reports.queries.mentee_statuses."""
    return {row[2]: (row[5], row[6]) for row in statuses}


class _Group:
    def __init__(self):
        self.gaps: dict[int, int] = {}
        self.minutes = 0
        self.led = 0
        self.items = 0
        self.baseline = 0
        self.current = 0

    def data(self) -> dict:
        pipeline = pipeline_of(self.gaps)
        return {
            "experts": pipeline["0"],
            "pipeline": pipeline,
            "coaching_hours": _hours(self.minutes),
            "led_hours": _hours(self.led),
            "gains": {
                "items": self.items,
                "mean_baseline": round(self.baseline / self.items, 2) if self.items else None,
                "mean_current": round(self.current / self.items, 2) if self.items else None,
                "mean_gain": (
                    round((self.current - self.baseline) / self.items, 2) if self.items else None
                ),
            },
        }


def breakdowns(who: dict[int, tuple[str, int]], gaps, minutes_rows, gain_rows) -> dict:
    """``{"by_gender": {gender: figures}, "by_institution": {id: {acronym, name, figures}}}``.

    ``gaps``: ``{mentee: core competencies below the expert level}`` of the counting
    mentees (scbi.reports.critical_mass, one dict or several sectors' merged);
    ``minutes_rows``: scbi.reports.queries.institution_minutes; ``gain_rows``:
    ``(gender, institution_id, baseline, current)`` of each plan item. Every gender is
    there (zeros included); every institution the hours rows name, and any other a mentee
    counted belongs to (named by its id: it has no row)."""
    by_gender = {g: _Group() for g in GENDERS}
    names: dict[int, tuple[str, str]] = {}
    by_institution: dict[int, _Group] = defaultdict(_Group)
    for ident, acronym, name, gender, role, minutes in minutes_rows:
        names[ident] = (acronym, name)
        by_institution.setdefault(ident, _Group())  # listed even without hours
        if minutes is None:
            continue
        for group in (by_gender[gender], by_institution[ident]):
            group.minutes += minutes
            if role == MenteeRole.LED:
                group.led += minutes
    for mentee, missing in gaps.items():
        gender, institution = who[mentee]
        by_gender[gender].gaps[mentee] = missing
        by_institution[institution].gaps[mentee] = missing
    for gender, institution, baseline, current in gain_rows:
        for group in (by_gender[gender], by_institution[institution]):
            group.items += 1
            group.baseline += baseline
            group.current += current
    return split(by_gender, by_institution, names)


def split(by_gender: dict, by_institution: dict, names: dict[int, tuple[str, str]]) -> dict:
    """``by_gender`` and ``by_institution`` as a report gives them: every gender in order,
    each institution by acronym with its acronym and name (``names``; an institution
    without a row is named by its id), each group's ``data()``."""
    ordered = sorted(by_institution, key=lambda i: (names.get(i, ("", ""))[0], i))
    return {
        "by_gender": {g: by_gender[g].data() for g in GENDERS},
        "by_institution": {
            i: {
                "acronym": names.get(i, ("", ""))[0],
                "name": names.get(i, ("", str(i)))[1],
                **by_institution[i].data(),
            }
            for i in ordered
        },
    }


def sheet_rows(groups: dict, key: str) -> list[dict]:
    """A breakdown as the workbook's rows: the group (a gender by its label, an institution
    by its id, acronym and name), then its figures, the pipeline and gains flattened."""
    rows = []
    for group, figures in groups.items():
        if key == "gender":
            name = Gender(group).short if group in Gender._value2member_map_ else group
            row: dict = {key: name}
        else:
            row = {key: int(group)}
        row.update({k: figures[k] for k in ("acronym", "name") if k in figures})
        row["experts"] = figures.get("experts")
        for bucket, count in (figures.get("pipeline") or {}).items():
            row[f"pipeline_{bucket}"] = count
        row["coaching_hours"] = figures.get("coaching_hours")
        row["led_hours"] = figures.get("led_hours")
        row.update(figures.get("gains") or {})
        rows.append(row)
    return rows
