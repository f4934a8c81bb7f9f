"""The secretariat chooses core competencies in the browser, without JavaScript: the import
preview (nothing stored until confirmed), the bulk selections, the framework page's core
choice with optimistic locking, the expert-rule warning, the re-import."""

from __future__ import annotations

import html
import io
import re
from datetime import date

from sqlalchemy import select

from scbi.extensions import db
from scbi.programme.models import Competency, CompetencyFramework
from tests import factories
from tests.helpers import count_rows, post_form
from tests.programme.test_core_choice import OECD, SYNTHETIC
from tests.programme.test_moodle import comp, fw, make_csv

BOX = re.compile(r'name="core_ids" value="([^"]*)" id="core-\d+"( checked)?')


def ticks(page: str) -> set[str]:
    return {html.unescape(key) for key, checked in BOX.findall(page) if checked}


def boxes(page: str) -> list[str]:
    return [html.unescape(key) for key, _checked in BOX.findall(page)]


def upload(client, text: str, **data):
    return post_form(
        client,
        "/frameworks/import",
        {"file": (io.BytesIO(text.encode()), "framework.csv"), **data},
        content_type="multipart/form-data",
    )


def confirm(client, text: str, core, **data):
    return post_form(
        client,
        "/frameworks/import/confirm",
        {"content": text, "core_ids": sorted(core), **data},
        content_type="multipart/form-data",
    )


def stored_core(app) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(select(Competency.idnumber).where(Competency.core)))


def test_the_preview_shows_the_tree_and_proposed_flags_and_stores_nothing(app, client, login_as):
    login_as("secretariat")
    r = upload(client, SYNTHETIC)
    assert r.status_code == 200
    assert boxes(r.text) == ["LV", "L1", "L2", "SK", "PL", "PL1", "PL2", "BU", "NE", "LD"]
    assert ticks(r.text) == {"BU", "NE", "LD"}
    assert "depth 3" in r.text and "Nothing is stored yet" in r.text
    assert 'name="content"' in r.text
    assert count_rows(app, CompetencyFramework) == 0 and count_rows(app, Competency) == 0


def test_selections_rerender_the_ticks_and_confirm_stores_exactly_them(app, client, login_as):
    """ "Untick all", then "tick depth 2" and untick a search: each re-renders the preview
    with the ticks changed and stores nothing; confirming stores exactly the ticks."""
    login_as("secretariat")
    r = confirm(client, SYNTHETIC, {"BU", "LD"}, selection="none")
    assert r.status_code == 200 and ticks(r.text) == set()
    r = confirm(client, SYNTHETIC, {"LD"}, selection="tick-depth", depth="2")
    assert ticks(r.text) == {"LD", "L1", "L2", "PL", "BU", "NE"}
    assert "5 competencies match and are ticked; 6 ticked in all" in r.text
    r = confirm(client, SYNTHETIC, ticks(r.text), selection="untick-search", search="level")
    assert ticks(r.text) == {"LD", "PL", "BU"}
    r = confirm(client, SYNTHETIC, set(), selection="tick-search", search="")
    assert r.status_code == 422 and "Type part of a name" in r.text
    assert count_rows(app, CompetencyFramework) == 0
    r = confirm(client, SYNTHETIC, {"LD", "PL", "BU"}, save="1")
    assert r.status_code == 302
    assert stored_core(app) == {"LD", "PL", "BU"}


def test_confirm_checks_the_file_again(app, client, login_as):
    """The preview's hidden text is never trusted: a broken one is refused, row by row."""
    login_as("secretariat")
    broken = make_csv(fw(), comp("A", "NOPE"))
    r = confirm(client, broken, {"A"}, save="1")
    assert r.status_code == 422 and "Row 3:" in r.text and "nothing was stored" in r.text
    r = confirm(client, SYNTHETIC, {"GHOST"}, save="1")
    assert r.status_code == 422 and "GHOST" in r.text
    r = confirm(client, SYNTHETIC, {"BU"}, save="1", effective_on="2099-01-01")
    assert r.status_code == 422 and "cannot be in the future" in r.text
    assert ticks(r.text) == {"BU"}  # the input is kept
    assert count_rows(app, CompetencyFramework) == 0


def test_the_warning_appears_when_the_sector_needs_more_than_12(app, client, login_as):
    with app.app_context():
        sector = factories.sector(name="Mining")
        factories.competencies(sector.id, 11)
        db.session.commit()
        sector_id = sector.id
    login_as("secretariat")
    r = upload(client, SYNTHETIC, sector_id=sector_id)
    assert "a mentee would need level 3 on all 14 core competencies" in r.text
    r = confirm(
        client, SYNTHETIC, {"LD"}, sector_id=sector_id, selection="untick-search", search="x"
    )
    assert "would need level" not in r.text  # 12 with the ticks shown: no warning
    r = confirm(client, SYNTHETIC, {"BU", "NE"}, sector_id=sector_id, save="1")
    framework_id = int(r.headers["Location"].rsplit("/", 1)[1])
    page = client.get(f"/frameworks/{framework_id}").text
    assert "In Mining, a mentee would need level 3 on all 13 core competencies" in page


def test_oecd_sensible_core_set_in_three_selections(app, client, login_as):
    """The OECD file: untick all, tick depth 3 (its 15 competencies), save."""
    if not OECD.exists():
        import pytest

        pytest.skip(f"{OECD} is not there")
    text = OECD.read_text(encoding="utf-8")
    login_as("secretariat")
    r = upload(client, text)
    assert len(ticks(r.text)) == 39 and not {f"level-{n}" for n in range(1, 6)} & ticks(r.text)
    r = confirm(client, text, ticks(r.text), selection="none")
    r = confirm(client, text, ticks(r.text), selection="tick-depth", depth="3")
    assert len(ticks(r.text)) == 15
    assert confirm(client, text, ticks(r.text), save="1").status_code == 302
    assert len(stored_core(app)) == 15


# --- the framework page ----------------------------------------------------------------------


def imported(app) -> tuple[int, dict[str, int], int]:
    from scbi.programme.framework_import import import_framework

    with app.app_context():
        # in force from 2025: a later change may be dated back to then, not before
        framework = import_framework(
            SYNTHETIC, by=factories.admin(), effective_on=date(2025, 1, 1)
        ).framework
        db.session.commit()
        return (
            framework.id,
            {c.idnumber: c.id for c in framework.competencies},
            framework.version,
        )


def test_framework_page_bulk_choice_saves_once(app, client, login_as):
    framework_id, ids, version = imported(app)
    login_as("secretariat")
    page = client.get(f"/frameworks/{framework_id}").text
    assert ticks(page) == {str(ids[i]) for i in ("BU", "NE", "LD")}
    url = f"/frameworks/{framework_id}/core"
    r = post_form(client, url, {"core_ids": [], "version": version, "selection": "tick-leaves"})
    assert r.status_code == 200
    assert ticks(r.text) == {str(ids[i]) for i in ("L1", "L2", "PL1", "PL2", "BU", "NE", "LD")}
    assert stored_core(app) == {"BU", "NE", "LD"}  # nothing saved by a selection
    r = post_form(
        client,
        url,
        {"core_ids": [ids["SK"], ids["PL"]], "version": version, "effective_on": "2025-01-31"},
    )
    assert r.status_code == 302
    assert stored_core(app) == {"SK", "PL"}
    assert "5 competencies changed" in client.get(r.headers["Location"]).text


def test_a_stale_core_choice_is_409_with_the_ticks_kept(app, client, login_as):
    framework_id, ids, version = imported(app)
    login_as("secretariat")
    url = f"/frameworks/{framework_id}/core"
    assert post_form(client, url, {"core_ids": [ids["LD"]], "version": version}).status_code == 302
    r = post_form(client, url, {"core_ids": [ids["SK"], ids["BU"]], "version": version})
    assert r.status_code == 409
    assert "Someone else changed this framework" in r.text
    assert ticks(r.text) == {str(ids["SK"]), str(ids["BU"])}
    assert stored_core(app) == {"LD"}


def test_readers_see_the_tree_without_the_core_form(app, client, login_as):
    framework_id, _ids, _version = imported(app)
    login_as("coordinator")
    page = client.get(f"/frameworks/{framework_id}").text
    assert "Leadership" in page and not boxes(page) and "Save the core choice" not in page


def test_reimport_in_the_browser_shows_the_changes_and_updates(app, client, login_as):
    framework_id, _ids, _version = imported(app)
    login_as("secretariat")
    text = make_csv(fw("SYN"), comp("LD", short="Leading people"), comp("NEW", short="New one"))
    r = upload(client, text)
    assert r.status_code == 200 and "What the update changes" in r.text
    assert "Update the framework" in r.text and 'name="update"' in r.text
    assert ticks(r.text) == {"LD", "NEW"}  # LD keeps its flag; NEW is a leaf
    update = re.search(r'name="version" type="hidden" value="(\d+)"', r.text)
    r = confirm(client, text, {"NEW"}, update="1", version=update[1], save="1")
    assert r.status_code == 302
    page = client.get(r.headers["Location"]).text
    # BU and NE are core, so kept although missing; SK is kept as their parent.
    assert "1 added, 1 changed, 6 deleted, 3 kept although missing from the file" in page
    assert "Budgeting (BU) is missing from the file and was kept: it is core" in page
    with app.app_context():
        names = dict(
            db.session.execute(
                select(Competency.idnumber, Competency.short_name).where(
                    Competency.framework_id == framework_id
                )
            ).all()
        )
    assert names == {
        "LD": "Leading people",
        "NEW": "New one",
        "SK": "Skills",
        "BU": "Budgeting",
        "NE": "Level-headed negotiation",
    }
    assert stored_core(app) == {"NEW", "BU", "NE"}


def test_core_forms_refuse_a_missing_csrf_token_and_change_nothing(app, client, login_as):
    framework_id, _ids, version = imported(app)
    login_as("secretariat")
    r = client.post(f"/frameworks/{framework_id}/core", data={"core_ids": [], "version": version})
    assert r.status_code == 400
    r = client.post(
        "/frameworks/import/confirm",
        data={"content": SYNTHETIC.replace("SYN", "OTHER"), "save": "1"},
        content_type="multipart/form-data",
    )
    assert r.status_code == 400
    assert stored_core(app) == {"BU", "NE", "LD"}
    assert count_rows(app, CompetencyFramework) == 1


def test_a_stale_update_preview_is_409_and_shows_the_changes_afresh(app, client, login_as):
    """The framework changed after the preview: 409, the ticks kept, the changes computed
    again and the form carrying the current version, so confirming again is knowing."""
    framework_id, ids, version = imported(app)
    login_as("secretariat")
    text = make_csv(fw("SYN"), comp("LD"), comp("BU"), comp("NE"))
    post_form(
        client, f"/frameworks/{framework_id}/core", {"core_ids": [ids["LD"]], "version": version}
    )
    r = confirm(client, text, {"BU"}, update="1", version=str(version), save="1")
    assert r.status_code == 409 and "Someone else changed this framework" in r.text
    assert ticks(r.text) == {"BU"}
    current = re.search(r'name="version" type="hidden" value="(\d+)"', r.text)[1]
    assert int(current) > version
    assert stored_core(app) == {"LD"}
    r = confirm(client, text, {"BU"}, update="1", version=current, save="1")
    assert r.status_code == 302 and stored_core(app) == {"BU"}
