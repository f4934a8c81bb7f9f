"""Comparing a published report with the live one: leaves by path, rows by identity,
names people read, and what is no change in the figures."""

from __future__ import annotations

import copy

import pytest
from flask_babel import force_locale

from scbi.reports.differences import differences, flatten, label
from scbi.reports.labels import figure

REPORT = {
    "sector": {"id": 1, "code": "EN", "name": "Energy"},
    "period": {"start": "2026-01-01", "end": "2026-03-31", "label": "FY 2025/26 Q3"},
    "headline": {"active_pairings": 2, "mentees_by_gender": {"female": 1}},
    "critical_mass": {
        "experts": 1,
        "pipeline": {"0": 1, "3+": 0},
        "trajectory": [
            {"month": "2026-02-28", "experts": 0},
            {"month": "2026-03-31", "experts": 1},
        ],
    },
    "plans": {"totals": {"overdue": 1}},
    "transfer": {"hours_by_activity": {"on_the_job": 2.0}},
    "institutions": [{"institution_id": 7, "acronym": "REG", "name": "Regulator", "hours": 1.5}],
    "priority_results": {
        "by_status": {"at_risk": 1},
        "results": [{"id": 3, "title": "Grid code", "status": "at_risk", "note": "late"}],
    },
    "previous": {"headline": {"active_pairings": 3}, "experts": 0},
}


def changed(edit) -> list[dict]:
    now = copy.deepcopy(REPORT)
    edit(now)
    return differences(REPORT, now)


def test_the_same_report_has_no_differences(app):
    with app.test_request_context():
        assert differences(REPORT, copy.deepcopy(REPORT)) == []


def test_leaves_are_keyed_by_identity_and_descriptive_keys_left_out(app):
    with app.test_request_context():
        leaves, names = flatten(REPORT)
    assert leaves["institutions[7].hours"] == 1.5
    assert leaves["critical_mass.trajectory[2026-03-31].experts"] == 1
    assert (
        "institutions[7].acronym" not in leaves and "institutions[7].institution_id" not in leaves
    )
    assert "priority_results.results[3].note" not in leaves
    assert not any(p.startswith(("sector", "period", "previous")) for p in leaves)
    assert names["institutions[7]"] == "REG"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("headline.active_pairings", "Active pairings"),
        ("headline.mentees_by_gender.female", "Active mentees, female"),
        ("critical_mass.experts", "National experts"),
        (
            "critical_mass.pipeline.3+",
            "Pipeline: three or more core competencies below the expert level",
        ),
        ("critical_mass.trajectory[2026-03-31].experts", "National experts at 31 Mar 2026"),
        ("plans.totals.overdue", "Plan items overdue"),
        ("transfer.hours_by_activity.on_the_job", "Hours by activity: on the job"),
        ("priority_results.by_status.at_risk", "Priority results at risk"),
        ("institutions[7].hours", "Institutions › REG › Hours"),
        ("priority_results.results[3].status", "Priority results › Grid code › Status"),
    ],
)
def test_each_figure_has_a_name_people_read(app, path, expected):
    with app.test_request_context():
        assert label(path, flatten(REPORT)[1]) == expected


def test_a_changed_figure_a_new_row_and_a_gone_row(app):
    def edit(now):
        now["headline"]["active_pairings"] = 3
        now["institutions"] = [{"institution_id": 8, "acronym": "UTL", "hours": 2.0}]
        now["sector"]["name"] = "Energy and Water"  # descriptive: no change
        now["previous"]["experts"] = 5  # the period before: no change of this period
        now["priority_results"]["results"][0]["note"] = "very late"

    with app.test_request_context():
        found = {d["path"]: (d["label"], d["published"], d["now"]) for d in changed(edit)}
    assert found == {
        "headline.active_pairings": ("Active pairings", 2, 3),
        "institutions[8].hours": ("Institutions › UTL › Hours", None, 2.0),
        "institutions[7].hours": ("Institutions › REG › Hours", 1.5, None),
    }


def test_a_key_a_later_release_added_is_no_change(app):
    def edit(now):
        now["critical_mass"]["trend_per_month"] = 0.05  # not in the published dict
        now["headline"]["logs_verified"] = 4
        now["institutions"][0]["experts"] = 1  # a new column of an existing row

    with app.test_request_context():
        assert changed(edit) == []


def test_a_number_that_became_unknown_is_a_change(app):
    def edit(now):
        now["critical_mass"]["experts"] = None

    with app.test_request_context():
        [found] = changed(edit)
    assert (found["published"], found["now"]) == (1, None)


def test_a_changed_status_reads_in_words_in_the_reader_s_language(app):
    """Issue 17: a priority result's status that changed is shown by its label, beside a
    name made of the report's words (the workbook's), in French too; the API keeps codes."""

    def edit(now):
        now["priority_results"]["results"][0]["status"] = "on_track"

    with app.test_request_context():
        [found] = changed(edit)
        assert (found["published"], found["now"]) == ("at_risk", "on_track")
        assert [figure(found[k], found["path"]) for k in ("published", "now")] == [
            "At risk",
            "On track",
        ]
        assert figure("at_risk") == "at_risk"  # a text that is no status stays as it is
        with force_locale("fr"):
            assert label(found["path"], flatten(REPORT)[1]) == (
                "Résultats prioritaires › Grid code › Statut"
            )
            assert figure(found["now"], found["path"]) == "En bonne voie"
            assert label("institutions[7].hours", flatten(REPORT)[1]) == (
                "Institutions › REG › Heures"
            )
