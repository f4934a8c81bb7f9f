"""The framework import as a service: a preview stores nothing, the confirmation stores
exactly the chosen core set through set_core, a re-import updates, keeping what is cited
or core; set_core's refusals and audit; the expert-rule warning."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from scbi.audit import AuditEvent
from scbi.dates import today
from scbi.errors import Conflict, ValidationFailed
from scbi.extensions import db
from scbi.programme import frameworks
from scbi.programme.framework_import import import_framework, preview_import
from scbi.programme.models import Competency, CompetencyFramework
from tests import factories
from tests.helpers import count_rows
from tests.programme.test_core_choice import SYNTHETIC
from tests.programme.test_moodle import comp, fw, make_csv


def core_of(framework_id: int) -> set[str]:
    return set(
        db.session.scalars(
            select(Competency.idnumber).where(
                Competency.framework_id == framework_id, Competency.core.is_(True)
            )
        )
    )


def events(action: str) -> list[AuditEvent]:
    db.session.commit()  # audit events are written (and chained) at commit
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_a_preview_stores_nothing(app):
    """The preview parses, proposes and warns, and writes no row at all."""
    with app.app_context():
        admin, sector = factories.admin(), factories.sector()
        db.session.commit()
        audit_before = count_rows(app, AuditEvent)
        preview = preview_import(SYNTHETIC.encode(), by=admin, sector_id=sector.id)
        db.session.commit()
        assert preview.proposed == {"BU", "NE", "LD"}
        assert preview.existing is None and preview.changes is None
        body = preview.as_json()
        assert [c["idnumber"] for c in body["competencies"]][:3] == ["LV", "L1", "L2"]
        assert body["core_count"] == 3 and body["warning"] is None
    assert count_rows(app, CompetencyFramework) == 0
    assert count_rows(app, Competency) == 0
    assert count_rows(app, AuditEvent) == audit_before


def test_a_broken_file_is_refused_by_the_preview_as_by_the_import(app):
    broken = make_csv(fw(), comp("A", "NOPE"), comp("B", format="9"))
    with app.app_context():
        admin = factories.admin()
        for call in (preview_import, import_framework):
            with pytest.raises(ValidationFailed) as caught:
                call(broken, by=admin)
            assert caught.value.code == "invalid_file"
            assert [r["row"] for r in caught.value.rows] == [3, 4]
        db.session.rollback()
    assert count_rows(app, Competency) == 0


def test_the_confirmation_stores_exactly_the_ticked_core_set(app):
    """The ticked idnumbers become core and nothing else, through one framework.core
    event recording the day it takes effect."""
    with app.app_context():
        admin = factories.admin()
        day = date.today() - timedelta(days=3)
        result = import_framework(
            SYNTHETIC, by=admin, core_idnumbers=["PL", "LD"], effective_on=day
        )
        db.session.commit()
        assert result.created and core_of(result.framework.id) == {"PL", "LD"}
        assert {c.idnumber for c in result.core_changed} == {"PL", "LD"}
        (event,) = events("framework.core")
        assert event.before == {"core_ids": []}
        assert event.after["effective_on"] == day.isoformat()
        assert len(event.after["core_ids"]) == 2
        assert [e.after["competencies"] for e in events("framework.import")] == [10]


def test_without_a_choice_the_proposal_is_stored(app):
    with app.app_context():
        result = import_framework(SYNTHETIC, by=factories.admin())
        db.session.commit()
        assert core_of(result.framework.id) == {"BU", "NE", "LD"}


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"core_idnumbers": ["BU", "GHOST"]}, "core_ids"),
        ({"effective_on": today() + timedelta(days=1)}, "effective_on"),
        ({"effective_on": "1989-12-31"}, "effective_on"),
        ({"effective_on": "yesterday"}, "effective_on"),
    ],
)
def test_a_bad_core_choice_or_day_is_refused_and_nothing_is_stored(app, kwargs, field):
    with app.app_context():
        with pytest.raises(ValidationFailed) as caught:
            import_framework(SYNTHETIC, by=factories.admin(), **kwargs)
        db.session.rollback()
        assert field in caught.value.fields
    assert count_rows(app, CompetencyFramework) == 0


def test_set_core_makes_exactly_the_given_ids_core_and_refuses_others(app):
    with app.app_context():
        admin = factories.admin()
        framework = import_framework(SYNTHETIC, by=admin).framework
        other = factories.competencies(None, 1)[0]
        ids = {c.idnumber: c.id for c in framework.competencies}
        with pytest.raises(ValidationFailed) as caught:
            frameworks.set_core(framework, [ids["BU"], other.id, "x"], by=admin)
        assert "core_ids" in caught.value.fields
        version = framework.version
        changed = frameworks.set_core(framework, [ids["SK"], str(ids["BU"])], by=admin)
        assert {c.idnumber for c in changed} == {"SK", "NE", "LD"}
        assert core_of(framework.id) == {"SK", "BU"} and framework.version == version + 1
        assert frameworks.set_core(framework, [ids["SK"], ids["BU"]], by=admin) == []
        mine = [e for e in events("framework.core") if e.entity_id == framework.id]
        assert len(mine) == 2  # the import's and this one; none when nothing changed


def test_a_competency_form_changes_its_core_flag_through_set_core(app):
    with app.app_context():
        admin = factories.admin()
        framework = import_framework(SYNTHETIC, by=admin).framework
        planning = next(c for c in framework.competencies if c.idnumber == "PL")
        frameworks.update_competency(planning, by=admin, version=planning.version, core=True)
        added = frameworks.add_competency(
            framework, by=admin, idnumber="NEW", short_name="New", core=True
        )
        assert core_of(framework.id) == {"BU", "NE", "LD", "PL", "NEW"}
        assert len(events("framework.core")) == 3
        with pytest.raises(ValidationFailed) as caught:
            frameworks.update_competency(
                added,
                by=admin,
                version=added.version,
                core=False,
                effective_on=date.today() + timedelta(days=2),
            )
        assert "effective_on" in caught.value.fields


def test_a_stale_bulk_choice_is_a_conflict(app):
    with app.app_context():
        admin = factories.admin()
        framework = import_framework(SYNTHETIC, by=admin).framework
        read = framework.version
        frameworks.choose_core(framework, [], by=admin, version=read)
        with pytest.raises(Conflict):
            frameworks.choose_core(framework, [], by=admin, version=read)


def test_the_warning_counts_every_framework_of_the_sector(app):
    """More than 12 core competencies in the sector's frameworks (the new one included)
    warns, saying the level and the count."""
    with app.app_context():
        admin, sector = factories.admin(), factories.sector(expert_level=4)
        factories.competencies(sector.id, 10)
        preview = preview_import(SYNTHETIC, by=admin, sector_id=sector.id)
        warning = preview.warning(preview.proposed)
        assert warning["core_count"] == 13 and warning["expert_level"] == 4
        assert "level 4 on all 13 core competencies" in warning["message"]
        assert preview.warning({"BU", "LD"}) is None
        assert preview_import(SYNTHETIC, by=admin).warning(preview.proposed) is None


# --- re-import -----------------------------------------------------------------------------


def world_file(world, *rows) -> str:
    return make_csv(fw(f"FW{world.phase_id}", short="Energy v2"), *rows)


def test_reimporting_an_existing_idnumber_is_refused_without_update(app):
    world = factories.world(app)
    with app.app_context():
        with pytest.raises(ValidationFailed) as caught:
            import_framework(world_file(world, comp("C1")), by=factories.admin())
        assert "update" in caught.value.rows[0]["message"]


def test_a_reimport_adds_renames_and_keeps_what_is_cited_or_core(app):
    """World A's competency C1 is cited by a plan, a log and an assessment, and core:
    kept although missing from the file, with its reasons; C2 (cited by nothing) is
    deleted; C3 is renamed and moved under the new N1."""
    world = factories.world(app)
    with app.app_context():
        admin = factories.admin()
        framework = db.session.get(CompetencyFramework, world.framework_id)
        for idnumber in ("C2", "C3"):
            frameworks.add_competency(framework, by=admin, idnumber=idnumber, short_name=idnumber)
        db.session.commit()
        text = world_file(world, comp("N1", short="New group"), comp("C3", "N1", short="Third"))
        preview = preview_import(text, by=admin)
        summary = preview.changes.summary()
        assert summary["added"] == ["N1"]
        assert summary["changed"] == [{"idnumber": "C3", "fields": ["short_name", "parent"]}]
        assert summary["deleted"] == ["C2"]
        (kept,) = summary["kept"]
        assert kept["idnumber"] == "C1"
        assert set(kept["reasons"]) == {"assessments", "plan_items", "logs", "core"}
        assert summary["framework_fields"] == ["name"]
        with pytest.raises(Conflict):
            import_framework(text, by=admin, update=True, version=framework.version - 1)
        db.session.rollback()
        result = import_framework(text, by=admin, update=True, core_idnumbers=["C3"])
        db.session.commit()
        framework = db.session.get(CompetencyFramework, world.framework_id)
        by_id = {c.idnumber: c for c in framework.competencies}
        assert set(by_id) == {"C1", "N1", "C3"}
        assert by_id["C3"].short_name == "Third" and by_id["C3"].parent_id == by_id["N1"].id
        assert framework.name == "Energy v2"
        assert core_of(framework.id) == {"C1", "C3"}  # C1 stays core: it was kept for it
        assert not result.created
        (event,) = events("framework.update_import")
        assert {k: event.after[k] for k in ("added", "changed", "deleted", "kept")} == {
            "added": 1,
            "changed": 1,
            "deleted": 1,
            "kept": 1,
        }


def test_a_cited_competency_is_kept_even_when_not_core_and_keeps_its_parent(app):
    """Unticked, C1 is still kept for what cites it; its missing parent P is kept too."""
    world = factories.world(app)
    with app.app_context():
        admin = factories.admin()
        framework = db.session.get(CompetencyFramework, world.framework_id)
        parent = frameworks.add_competency(framework, by=admin, idnumber="P", short_name="P")
        c1 = db.session.get(Competency, world.competency_id)
        frameworks.update_competency(c1, by=admin, version=c1.version, parent_id=parent.id)
        frameworks.set_core(framework, [], by=admin)
        db.session.commit()
        text = world_file(world, comp("X"))
        kept = {
            k["idnumber"]: k["reasons"]
            for k in preview_import(text, by=admin).changes.summary()["kept"]
        }
        # C1 was core: the national experts of past dates were counted with it
        assert kept == {"C1": ["assessments", "plan_items", "logs", "was_core"], "P": ["children"]}
        import_framework(text, by=admin, update=True)
        db.session.commit()
        assert {c.idnumber for c in framework.competencies} == {"P", "C1", "X"}
