"""The mentee's dashboard charts name each competency whole: their legend wraps
(scbi/charts), so a long name is no longer cut at 28 characters (issue 17)."""

from __future__ import annotations

import re

from scbi.extensions import db
from scbi.programme import frameworks
from scbi.programme.models import CompetencyFramework
from tests import factories as f
from tests.helpers import login

LONG = "Monitoring and evaluation of rural electrification programmes"


def test_a_long_competency_name_is_printed_whole_in_the_levels_legend(app, client):
    world = f.world(app)
    with app.app_context():
        framework = db.session.get(CompetencyFramework, world.framework_id)
        frameworks.add_competency(
            framework,
            by=f.admin(),
            idnumber="C2",
            short_name=LONG,
            core=True,
            effective_on=f.EARLIEST_DATE,
        )
        db.session.commit()
    login(client, world.a.coordinator)
    page = client.get(f"/mentees/{world.a.mentee_id}/competencies").get_data(as_text=True)
    legend = " ".join(re.findall(r'<text [^>]*class="lg"[^>]*>([^<]*)</text>', page))
    assert LONG.replace(" ", "") in legend.replace(" ", "")
    assert f'<th scope="row">{LONG}</th>' in page  # the numbers' table, whole as well
