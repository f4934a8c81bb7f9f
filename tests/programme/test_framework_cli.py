"""`scbi import-framework`: the preview first, storing only when confirmed; --update."""

from __future__ import annotations

import pytest

from scbi.programme.models import Competency, CompetencyFramework
from tests.helpers import count_rows
from tests.programme.test_core_choice import SYNTHETIC
from tests.programme.test_moodle import comp, fw, make_csv


@pytest.fixture
def run(app, make_user, tmp_path):
    make_user("secretariat")
    path = tmp_path / "framework.csv"

    def invoke(text: str, *args: str, answer: str | None = None):
        path.write_text(text, encoding="utf-8")
        return app.test_cli_runner().invoke(
            args=["scbi", "import-framework", str(path), *args], input=answer
        )

    return invoke


def test_the_preview_is_shown_and_nothing_stored_unless_confirmed(app, run):
    shown = run(SYNTHETIC, "--preview")
    assert shown.exit_code == 0, shown.output
    assert "10 competencies, 3 proposed core" in shown.output
    assert "    [ ] Level 1 — Aware (PL1)" in shown.output and "[x] Budgeting (BU)" in shown.output
    declined = run(SYNTHETIC, answer="n\n")
    assert "Nothing stored." in declined.output
    assert count_rows(app, CompetencyFramework) == 0
    stored = run(SYNTHETIC, answer="y\n")
    assert (
        stored.exit_code == 0
        and "Imported Framework (SYN): 10 competencies, 3 core." in stored.output
    )
    assert count_rows(app, Competency) == 10


def test_an_existing_idnumber_needs_update_and_a_bad_day_is_refused(app, run):
    assert run(SYNTHETIC, "--yes").exit_code == 0
    again = run(SYNTHETIC, "--yes")
    assert again.exit_code == 1 and "--update" in again.output
    text = make_csv(fw("SYN"), comp("LD"), comp("BU"), comp("NE"))
    future = run(text, "--update", "--yes", "--effective-on", "2099-01-01")
    assert future.exit_code == 1 and "effective_on:" in future.output
    updated = run(text, "--update", "--yes")
    assert updated.exit_code == 0, updated.output
    assert (
        "7 deleted" in updated.output
        and "Updated Framework (SYN): 3 competencies" in updated.output
    )
