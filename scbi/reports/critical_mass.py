"""Critical mass (DESIGN.md): national experts of a sector at a date, the month-end
trajectory recomputed from history, a forecast, and the pipeline.

A mentee is a national expert of sector S on date d when their status on d is ``active``
or ``graduated`` and their current level (scbi.competencies.levels, the one implementation)
on every core competency of S's frameworks is at least S's expert level — the core set
and the expert level *in force on d* (scbi.programme.rules keeps them dated), so a later
change never alters the figure of an earlier date. A sector without core competencies
has no experts. Every number comes from history: the days levels change are read from
the table kept from it in the same transaction as each assessment and plan decision
(scbi.competencies.level_changes, checked against a recomputation by ``scbi derived``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from scbi.competencies.level_changes import level_on
from scbi.competencies.models import LevelChange
from scbi.competencies.standing import COUNTING_STATUSES, below_expert
from scbi.extensions import db
from scbi.mentees.models import Mentee
from scbi.programme.models import CoreChange, Sector
from scbi.programme.queries import Rule, rule_history, rule_on
from scbi.reports import queries

COUNTING = COUNTING_STATUSES  # who can count as a national expert (competencies.standing)
TREND_MONTHS = 12


@dataclass
class SectorState:
    """One sector during the sweep: the rule in force and its mentees' standing."""

    sector: Sector
    level: int
    core: set[int] = field(default_factory=set)
    status: dict[int, str] = field(default_factory=dict)
    below: dict[int, int] = field(default_factory=dict)  # core competencies below expert

    def count_below(self, mentee: int, levels: dict[tuple[int, int], int]) -> int:
        return sum(1 for c in self.core if below_expert(levels.get((mentee, c), 0), self.level))

    def experts(self) -> list[int]:
        if not self.core:
            return []
        return [m for m, s in self.status.items() if s in COUNTING and self.below[m] == 0]

    def gaps(self) -> dict[int, int]:
        if not self.core:
            return {}
        return {m: self.below[m] for m, s in self.status.items() if s in COUNTING}


@dataclass(frozen=True)
class Standing:
    """What the sweep found for one sector: month-end counts, the standing at the end and
    the rule in force then."""

    trajectory: list[tuple[date, int]]
    experts: list[int]
    gaps: dict[int, int]  # counting mentee -> core competencies still below expert level
    rule: Rule
    core_count: int
    kept: list[int] | None = None  # the experts at the month end ``standings`` was asked to keep
    core: frozenset[int] = frozenset()  # the core competencies in force at the end


def standings(
    sectors, until: date, months: int = TREND_MONTHS, statuses=None, keep: date | None = None
) -> dict[int, Standing]:
    """Experts of each sector at each of ``months`` month ends up to ``until``.

    Four statements whatever the number of sectors, mentees and assessments: the dated
    settings and core memberships (scbi.programme.queries.rule_history), the dated statuses
    (``statuses``, when the caller has them: rows of scbi.reports.queries.mentee_statuses,
    which may reach past ``until``), and from the kept level changes
    (scbi.competencies.level_changes) on competencies that have ever been core, the levels
    at the first month end and the changes after it, in date order. Everything is replayed
    once as a sweep. Starting from the levels at the first month end, not from the first
    assessment ever, is exact: the sweep's counts are a function of the levels, core sets,
    rules and statuses in force, whatever order the levels were set in, and no count is
    taken before that month end. ``keep``: a month end of the sweep whose experts (the
    mentees, not only their count) each Standing also gives, as ``kept``.
    """
    if not sectors:
        return {}
    rules, steps = rule_history(s.id for s in sectors)
    for sector in sectors:  # a sector written without its history keeps its own settings
        rules.setdefault(sector.id, [_rule_of(sector)])
    states = {s.id: SectorState(s, rules[s.id][0].expert_level) for s in sectors}
    if statuses is None:
        statuses = queries.mentee_statuses(list(states), until)
    ends = month_ends(until, months)
    events = (
        _status_events(statuses)
        + _rule_events(rules)
        + _core_events(steps, states)
        + _level_events(states, ends[0], until)
    )
    events.sort(key=lambda e: (e[0], e[1]))
    sweep = _Sweep(states)
    sweep.levels = _levels_on(states, ends[0])
    points: dict[int, list[tuple[date, int]]] = {s: [] for s in states}
    kept: dict[int, list[int]] = {}
    position = 0
    for end in ends:
        while position < len(events) and events[position][0] <= end:
            sweep.apply(events[position])
            position += 1
        for sector_id, state in states.items():
            points[sector_id].append((end, len(state.experts())))
            if end == keep:
                kept[sector_id] = state.experts()
    return {
        sector_id: Standing(
            points[sector_id],
            state.experts(),
            state.gaps(),
            rule_on(rules[sector_id], until),
            len(state.core),
            kept.get(sector_id),
            frozenset(state.core),
        )
        for sector_id, state in states.items()
    }


def _rule_of(sector: Sector) -> Rule:
    return Rule(date.min, sector.expert_level, sector.expert_target, sector.target_date)


def _status_events(rows) -> list[tuple]:
    return [
        (on, (0, ident), "status", mentee, sector, status)
        for on, ident, mentee, sector, status, *_rest in rows
    ]


def _rule_events(rules: dict[int, list[Rule]]) -> list[tuple]:
    return [
        (rule.effective_on, (2, 0, n), "rule", sector_id, rule.expert_level)
        for sector_id, rows in rules.items()
        for n, rule in enumerate(rows)
    ]


def _core_events(steps, states) -> list[tuple]:
    """The days a competency joins or leaves a sector's core set (of the sectors swept)."""
    events, member = [], {}
    for step in steps:
        now = step.sector_id if step.sector_id in states else None
        before = member.get(step.competency_id)
        if now != before:
            events.append(
                (step.effective_on, (2, 1, step.ident), "core", step.competency_id, before, now)
            )
            member[step.competency_id] = now
    return events


def _ever_core(states):
    """The (competency, sector) pairs whose competency is or was ever core in the sector."""
    return (
        select(CoreChange.competency_id, CoreChange.sector_id)
        .where(CoreChange.core.is_(True), CoreChange.sector_id.in_(states))
        .distinct()
        .subquery()
    )


def _levels_on(states, day: date) -> dict[tuple[int, int], int]:
    """``{(mentee, competency): level}`` on ``day``, for each mentee of the sectors and
    each competency ever core in their sector (a probe a pair, nothing sorted)."""
    ever = _ever_core(states)
    pairs = (
        select(
            Mentee.id.label("mentee_id"),
            ever.c.competency_id,
            level_on(Mentee.id, ever.c.competency_id, day).label("level"),
        )
        .join(ever, ever.c.sector_id == Mentee.sector_id)
        .subquery()
    )
    rows = db.session.connection().execute(  # Core: plain integers, no ORM work
        select(pairs).where(pairs.c.level.is_not(None))
    )
    return {(mentee, competency): level for mentee, competency, level in rows}


def _level_events(states, after: date, until: date) -> list[tuple]:
    """The level changes after ``after`` up to ``until`` as dated events ``(day, key,
    "level", mentee, competency, level)``, in the rule's order (the database sorts them;
    the key keeps that order among a day's changes)."""
    change, ever = LevelChange, _ever_core(states)
    rows = db.session.connection().execute(
        select(change.day, change.mentee_id, change.competency_id, change.level)
        .join(Mentee, Mentee.id == change.mentee_id)
        .join(
            ever,
            (ever.c.competency_id == change.competency_id) & (ever.c.sector_id == Mentee.sector_id),
        )
        .where(change.day > after, change.day <= until)
        .order_by(change.day, change.kind, change.at, change.ident)
    )
    return [
        (_as_date(day), (1, n), "level", mentee, competency, level)
        for n, (day, mentee, competency, level) in enumerate(rows)
    ]


def _as_date(value) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


class _Sweep:
    """The state the events move on: levels, each mentee's sector, and each sector's
    rule, core set and counts of core competencies below the expert level."""

    def __init__(self, states: dict[int, SectorState]):
        self.states = states
        self.levels: dict[tuple[int, int], int] = {}
        self.sector_of: dict[int, int] = {}

    def apply(self, event) -> None:
        getattr(self, "_" + event[2])(*event[3:])

    def _status(self, mentee: int, sector_id: int, status: str) -> None:
        state = self.states[sector_id]
        if mentee not in state.below:  # counted from the mentee's first status on
            self.sector_of[mentee] = sector_id
            state.below[mentee] = state.count_below(mentee, self.levels)
        state.status[mentee] = status

    def _level(self, mentee: int, competency: int, level: int) -> None:
        before = self.levels.get((mentee, competency), 0)
        self.levels[(mentee, competency)] = level
        state = self.states.get(self.sector_of.get(mentee))
        if state is not None and competency in state.core:
            state.below[mentee] += (level < state.level) - (before < state.level)

    def _core(self, competency: int, left: int | None, joined: int | None) -> None:
        for sector_id, sign in ((left, -1), (joined, 1)):
            if sector_id is None:
                continue
            state = self.states[sector_id]
            (state.core.add if sign > 0 else state.core.discard)(competency)
            for mentee in state.below:
                if self.levels.get((mentee, competency), 0) < state.level:
                    state.below[mentee] += sign

    def _rule(self, sector_id: int, level: int) -> None:
        state = self.states[sector_id]
        if level != state.level:
            state.level = level
            for mentee in state.below:
                state.below[mentee] = state.count_below(mentee, self.levels)


def experts(sector: Sector, on: date) -> int:
    return standings([sector], on, 1)[sector.id].trajectory[-1][1]


BUCKETS = ("0", "1", "2", "3+")  # the pipeline's: core competencies below the expert level


def bucket(below: int) -> str:
    """The pipeline's bucket of a mentee with ``below`` core competencies still below the
    expert level (the list behind the figure, scbi.reports.experts, filters by it too)."""
    return "3+" if below >= 3 else str(below)


def pipeline_of(gaps: dict[int, int]) -> dict[str, int]:
    """Counting mentees by the number of core competencies still below the expert level."""
    buckets = dict.fromkeys(BUCKETS, 0)
    for missing in gaps.values():
        buckets[bucket(missing)] += 1
    return buckets


def pipeline(sector: Sector, on: date) -> dict[str, int]:
    return pipeline_of(standings([sector], on, 1)[sector.id].gaps)


def month_ends(until: date, count: int) -> list[date]:
    """The last ``count`` month ends strictly before ``until``'s month, then ``until``."""
    ends, first = [], until.replace(day=1)
    for _i in range(count - 1):
        first_prev = (first - timedelta(days=1)).replace(day=1)
        ends.append(first - timedelta(days=1))
        first = first_prev
    return [*reversed(ends), until]


def trajectory(sector: Sector, until: date, months: int = TREND_MONTHS) -> list[tuple[date, int]]:
    return standings([sector], until, months)[sector.id].trajectory


def fit(ys: list[float]) -> list[float]:
    """The least-squares straight line through equally spaced values, at each of them."""
    n = len(ys)
    if n < 2:
        return [float(y) for y in ys]
    mean_x, mean_y = (n - 1) / 2, sum(ys) / n
    var = sum((x - mean_x) ** 2 for x in range(n))
    slope = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(ys)) / var
    return [mean_y + slope * (x - mean_x) for x in range(n)]


@dataclass(frozen=True)
class Forecast:
    forecast_date: date | None
    on_track: bool
    slope_per_month: float


def forecast(points: list[tuple[date, int]], target: int, target_date: date) -> Forecast:
    """Least-squares trend over the trajectory's month ends: the date the target is
    reached going on from today's count at that pace, or None (not on track) when the
    trend does not rise. A target already reached is on track, dated by the first month
    end it was reached (or today)."""
    if not points:
        return Forecast(None, False, 0.0)
    last_day, current = points[-1]
    fitted = fit([p[1] for p in points])
    slope = fitted[-1] - fitted[-2] if len(fitted) > 1 else 0.0
    if current >= target:  # reached: the first month end at the target, and on track
        reached = next(day for day, count in points if count >= target)
        return Forecast(reached, True, slope)
    if slope <= 0:
        return Forecast(None, False, slope)
    months = (target - current) / slope  # from today's count, at the trend's pace
    reached = last_day + timedelta(days=round(months * 30.4375))
    return Forecast(reached, reached <= target_date, slope)


@dataclass(frozen=True)
class CriticalMass:
    """A sector's critical mass at a date, under the rule in force on that date."""

    sector: Sector
    experts: int
    target: int
    target_date: date
    expert_level: int
    core_count: int
    progress: float
    trajectory: list[tuple[date, int]]
    forecast: Forecast
    pipeline: dict[str, int]
    expert_ids: list[int]
    gaps: dict[int, int] = field(default_factory=dict)  # as Standing.gaps
    kept_ids: list[int] | None = None  # as Standing.kept


def of_standing(sector: Sector, standing: Standing) -> CriticalMass:
    count = standing.trajectory[-1][1]
    target, target_date = standing.rule.expert_target, standing.rule.target_date
    return CriticalMass(
        sector=sector,
        experts=count,
        target=target,
        target_date=target_date,
        expert_level=standing.rule.expert_level,
        core_count=standing.core_count,
        progress=round(count / target, 4) if target else 0.0,
        trajectory=standing.trajectory,
        forecast=forecast(standing.trajectory, target, target_date),
        pipeline=pipeline_of(standing.gaps),
        expert_ids=standing.experts,
        gaps=standing.gaps,
        kept_ids=standing.kept,
    )


def critical_masses(sectors, on: date, statuses=None) -> list[CriticalMass]:
    """The critical mass of each sector, in the order given, in three statements."""
    found = standings(sectors, on, statuses=statuses)
    return [of_standing(s, found[s.id]) for s in sectors]


def critical_mass(sector: Sector, on: date) -> CriticalMass:
    return critical_masses([sector], on)[0]
