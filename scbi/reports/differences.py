"""What changed between a published sector report and the live one: both dicts flattened
to their leaf values by path, compared, and each difference named for a reader.

Paths read ``headline.coaching_hours``, ``critical_mass.pipeline.3+``,
``institutions[12].hours``: a list's items are keyed by what identifies them (a month, a
competency, an institution, a coach …), so a row that moved in a list is still the same
row. Descriptive keys (names, acronyms, titles, notes, the sector and the period) are not
figures and are left out, and so is ``previous``: it is the period before, whose own
publication answers for it. A key that only one side has while the other has its row
(the report gained a figure in a later release), or a whole list only one side has (a
result's indicators, from before the results chain), is no change in the figures either;
a row that only one side's list has (an institution that got its first hours) is.
"""

from __future__ import annotations

import re
from datetime import date
from enum import Enum

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from scbi.mentees.models import Gender
from scbi.programme.models import ResultStatus
from scbi.reports.headline import GENDERS
from scbi.reports.labels import HEADLINE, column
from scbi.reports.peer_learning import figure_name
from scbi.retention.models import MILESTONE_KEYS
from scbi.transfer.models import ActivityType, MenteeRole

# top-level keys; value_for_money (scbi.reports.value) derives from the hours and experts
# compared here and from the contracts' funding, which an addendum does not cover yet
NOT_FIGURES = frozenset({"sector", "period", "previous", "value_for_money"})
# an indicator's unit and its latest actual's quarter by name are words too (that quarter's
# year and number are compared)
DESCRIPTIVE = frozenset(
    {"competency", "name", "acronym", "title", "mentee", "institution", "note", "unit"}
    | {"latest_period"}
)
IDENTITY = ("month", "plan_item_id", "competency_id", "institution_id", "coach_id", "id")
MISSING = object()

SECTIONS = {
    "headline": _l("Headline"),
    "critical_mass": _l("Critical mass"),
    "plans": _l("Plans"),
    "competency_gains": _l("Competency gains"),
    "transfer": _l("Transfer"),
    "institutions": _l("Institutions"),
    "coaches": _l("Coach follow-up"),
    "priority_results": _l("Priority results"),
    "by_gender": _l("By gender"),
    "by_institution": _l("By institution"),
    "retention": _l("Retention after the programme"),
    "peer_learning": _l("Peer exchanges and short engagements"),
}
CRITICAL_MASS = {
    "experts": _l("National experts"),
    "target": _l("Expert target"),
    "progress": _l("Progress towards the target"),
    "target_date": _l("Target date"),
    "forecast_date": _l("Forecast date"),
    "on_track": _l("On track"),
    "trend_per_month": _l("Trend, experts a month"),
}
PIPELINE = {
    "0": _l("Pipeline: experts (no core competency below the expert level)"),
    "1": _l("Pipeline: one core competency below the expert level"),
    "2": _l("Pipeline: two core competencies below the expert level"),
    "3+": _l("Pipeline: three or more core competencies below the expert level"),
}
PLAN_TOTALS = {
    "items": _l("Plan items"),
    "achieved": _l("Plan items achieved"),
    "on_track": _l("Plan items on track"),
    "overdue": _l("Plan items overdue"),
}
SEGMENT = re.compile(r"\[[^\]]*\]|[^.\[]+")


def flatten(report: dict) -> tuple[dict[str, object], dict[str, str]]:
    """``({path: leaf value}, {list item path: its name})`` of a report dict."""
    leaves: dict[str, object] = {}
    names: dict[str, str] = {}
    for key, value in report.items():
        if key not in NOT_FIGURES:
            _walk(value, key, leaves, names, in_item=False)
    for ident, row in (report.get("by_institution") or {}).items():
        names[f"by_institution.{ident}"] = row.get("acronym") or row.get("name") or str(ident)
    return leaves, names


def _walk(value, path: str, leaves: dict, names: dict, *, in_item: bool) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in DESCRIPTIVE or (in_item and key in IDENTITY):
                continue
            _walk(item, f"{path}.{key}", leaves, names, in_item=False)
    elif isinstance(value, list):
        names[f"{path}[]"] = ""  # the list is there (even empty): see differences()
        for position, item in enumerate(value):
            child = f"{path}[{_identity(item, position)}]"
            names[child] = _name(item) if isinstance(item, dict) else str(position + 1)
            _walk(item, child, leaves, names, in_item=True)
    else:  # as JSON keeps it: an enumeration's member as its value
        leaves[path] = value.value if isinstance(value, Enum) else value


def _identity(item, position: int) -> str:
    if isinstance(item, dict):
        for key in IDENTITY:
            if item.get(key) is not None:
                return str(item[key])
    return str(position)


def _name(item: dict) -> str:
    if item.get("mentee") and item.get("competency"):
        return f"{item['mentee']}, {item['competency']}"
    for key in ("competency", "acronym", "name", "title"):
        if item.get(key):
            return str(item[key])
    if item.get("month"):
        return _month(item["month"])
    return str(_identity(item, 0))


def _month(text: str) -> str:
    try:
        if len(text) == 7:  # YYYY-MM
            return format_date(date.fromisoformat(text + "-01"), "MMM y")
        return format_date(date.fromisoformat(text), "medium")
    except ValueError:
        return text


def differences(published: dict, now: dict) -> list[dict]:
    """``[{path, label, published, now}]`` for every figure that differs; ``published`` or
    ``now`` is None where that side has no such row."""
    before, before_names = flatten(published)
    after, after_names = flatten(now)
    names = {**before_names, **after_names}
    out = []
    for path in [*after, *(p for p in before if p not in after)]:
        old, new = before.get(path, MISSING), after.get(path, MISSING)
        if old is MISSING or new is MISSING:
            row = _row_of(path)
            absent = before_names if old is MISSING else after_names
            if row is None or row in absent or f"{row[: row.rfind('[')]}[]" not in absent:
                # a key one release has and another has not (a figure of a row both have,
                # or a whole list, such as a result's indicators): no change in figures
                continue
        elif old == new and type(old) is type(new):
            continue
        out.append(
            {
                "path": path,
                "label": label(path, names),
                "published": None if old is MISSING else old,
                "now": None if new is MISSING else new,
            }
        )
    return out


def _row_of(path: str) -> str | None:
    """The innermost list item a path lies in, or None for a path in no list."""
    end = path.rfind("]")
    return path[: end + 1] if end >= 0 else None


def label(path: str, names: dict[str, str] | None = None) -> str:
    """What a reader calls the figure at ``path``; a readable fallback for the rest."""
    names = names or {}
    parts = SEGMENT.findall(path)
    section, rest = parts[0], parts[1:]
    key = rest[-1] if rest else ""
    if section == "headline" and len(rest) == 1 and key in HEADLINE:
        return str(HEADLINE[key])
    if section == "headline" and rest[:1] == ["mentees_by_gender"] and key in GENDERS:
        return _("Active mentees, %(gender)s", gender=Gender(key).short)
    if section == "critical_mass":
        if len(rest) == 1 and key in CRITICAL_MASS:
            return str(CRITICAL_MASS[key])
        if rest[:1] == ["pipeline"] and key in PIPELINE:
            return str(PIPELINE[key])
        if rest[:1] == ["trajectory"] and len(rest) == 3:
            return _("National experts at %(month)s", month=_item(section, rest[1], names, path))
    if section == "plans" and rest[:1] == ["totals"] and key in PLAN_TOTALS:
        return str(PLAN_TOTALS[key])
    if section == "transfer" and rest[:1] == ["hours_by_activity"] and len(rest) == 2:
        return _("Hours by activity: %(activity)s", activity=_short(ActivityType, key))
    if section == "transfer" and rest[:1] == ["hours_by_mentee_role"] and len(rest) == 3:
        month = _item(section, rest[1], names, path)
        if key == "total":
            return _("Hours in %(month)s", month=month)
        if key == "led_share":
            return _("Share of hours the mentee led in %(month)s", month=month)
        role = _short(MenteeRole, key)
        return _("Hours %(role)s by the mentee in %(month)s", role=role, month=month)
    if section in ("by_gender", "by_institution") and len(rest) >= 2:
        # by_gender.undisclosed.pipeline.1: the gender's (or institution's) name first
        group = rest[0]
        if section == "by_gender":
            group = _short(Gender, group)
        else:
            group = names.get(f"by_institution.{group}", group)
        figure = PIPELINE.get(key) if rest[1] == "pipeline" else _words(key)
        return " › ".join([str(SECTIONS[section]), group, str(figure or _words(key))])
    if section == "retention":
        return _retention_label(rest, names, path)
    if section == "peer_learning" and (name := figure_name(".".join(rest))):
        return " › ".join([str(SECTIONS[section]), name])
    if section == "priority_results" and rest[:1] == ["by_status"] and len(rest) == 2:
        return _("Priority results %(status)s", status=_short(ResultStatus, key))
    # a list's own key (``results``, ``by_competency``) is left out: its item's name and
    # the figure's say which row and figure it is
    shown, at = [], len(section)
    for p, after in zip(rest, [*rest[1:], ""], strict=True):
        at = path.index(p, at) + len(p)  # this segment's own place (ids repeat: [3].x[3])
        if p.startswith("["):
            shown.append(names.get(path[:at]) or p.strip("[]"))
        elif not after.startswith("["):
            shown.append(_words(p))
    return " › ".join([str(SECTIONS.get(section, _words(section))), *shown])


def _retention_label(rest: list[str], names: dict[str, str], path: str) -> str:
    """``retention.by_gender.female.12.retained``: Retention after the programme › By
    gender › female › 12 months › Retained in public service."""
    shown = [str(SECTIONS["retention"])]
    for before, part in zip(["", *rest], rest, strict=False):
        if part.startswith("["):
            shown.append(_item("retention", part, names, path))
        elif part in MILESTONE_KEYS:
            shown.append(_("%(months)s months", months=part))
        elif part in SECTIONS:
            shown.append(str(SECTIONS[part]))
        elif before == "by_gender":
            shown.append(_short(Gender, part))
        elif before == "by_institution":
            shown.append(names.get(f"by_institution.{part}", part))
        elif part != "by_sector":
            shown.append(_words(part))
    return " › ".join(shown)


def _item(section: str, segment: str, names: dict[str, str], path: str) -> str:
    prefix = path[: path.index(segment) + len(segment)]
    return names.get(prefix) or segment.strip("[]")


def _short(enum, key: str) -> str:
    """A stored value's short label (a key the enum no longer has: its words)."""
    return enum(key).short if key in enum._value2member_map_ else _words(key)


def _words(key: str) -> str:
    """A figure's name as the workbook gives it (``days_overdue``: "Days overdue"); a key
    it does not know, in words."""
    name = column(key)
    return name if name != key else key.replace("_", " ")
