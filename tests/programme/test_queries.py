"""The programme's read side: what the set-up pages and the API list."""

from __future__ import annotations

from datetime import date

from scbi.extensions import db
from scbi.programme import frameworks, queries, services
from scbi.programme.models import ResultStatus
from tests import factories as f


def test_a_sector_lists_its_own_frameworks_by_name_then_the_cross_cutting_ones(app):
    with app.app_context():
        energy, water = f.sector(), f.sector()
        for name, sector_id in (
            ("Zeta", energy.id),
            ("Alpha", None),
            ("Beta", energy.id),
            ("Gamma", water.id),
        ):
            frameworks.create_framework(
                by=f.admin(), name=name, idnumber=name.upper(), sector_id=sector_id
            )
        names = [fw.name for fw in queries.frameworks_of_sector(energy.id)]
        assert names == ["Beta", "Zeta", "Alpha"]


def test_frameworks_are_counted_with_their_core_competencies(app):
    with app.app_context():
        sector = f.sector()
        core = f.competencies(sector.id, n=2)
        frameworks.add_competency(
            core[0].framework, by=f.admin(), idnumber="X", short_name="Not core", core=False
        )
        empty = frameworks.create_framework(by=f.admin(), name="Empty", idnumber="EMPTY")
        rows = {fw.id: (total, n_core) for fw, total, n_core in queries.frameworks_with_counts()}
        assert rows == {core[0].framework_id: (3, 2), empty.id: (0, 0)}
        assert queries.core_counts() == {core[0].framework_id: 2}


def test_priority_results_are_listed_by_sector_and_by_status(app):
    with app.app_context():
        energy, water = f.sector(), f.sector()
        made = {
            (sector.id, status): services.create_priority_result(
                by=f.admin(),
                sector_id=sector.id,
                title=f"{sector.name} {status}",
                due_date=due,
                status=status,
            ).id
            for sector in (energy, water)
            for status, due in (
                (ResultStatus.NOT_STARTED, date(2028, 1, 1)),
                (ResultStatus.DELIVERED, date(2027, 1, 1)),
            )
        }

        def listed(**filters):
            return {r.id for r in db.session.scalars(queries.priority_result_list(**filters))}

        assert listed() == set(made.values())
        assert listed(sector_id=energy.id) == {
            made[energy.id, ResultStatus.NOT_STARTED],
            made[energy.id, ResultStatus.DELIVERED],
        }
        assert listed(status="delivered") == {
            made[energy.id, ResultStatus.DELIVERED],
            made[water.id, ResultStatus.DELIVERED],
        }
        assert [r.id for r in queries.results_of_sector(water.id)] == [  # by due date
            made[water.id, ResultStatus.DELIVERED],
            made[water.id, ResultStatus.NOT_STARTED],
        ]


def test_institutions_of_one_sector_by_acronym(app):
    with app.app_context():
        energy, water = f.sector(), f.sector()
        f.institution(energy.id, acronym="REG")
        f.institution(energy.id, acronym="EDCL")
        f.institution(water.id, acronym="WASAC")
        assert [i.acronym for i in queries.institutions_of_sector(energy.id)] == ["EDCL", "REG"]
